/**
 * The I/O experiment: N requests against the embedded server (or real URLs), every way of
 * waiting at once: one `compare`, each way a row (a client in a mode, with its pool size or
 * connection limit), the course's Python programs as peers, the rows taking turns. The
 * server's own records of each run come back through the comparison's watcher.
 */
import { now } from '../../core/clock';
import { openFileLimit, openFiles } from '../../core/environment';
import { ParameterError } from '../../core/errors';
import { compare, type Comparison, type Entry } from '../../core/measure';
import { MODES, type Mode } from '../../core/records';
import type { Progress } from '../../core/rounds';
import * as check from '../../core/validate';
import { ioPeers, type PythonIoOptions } from '../../python/peers';
import { closeBlockingClient } from './blocking';
import { parseUrls } from './params';
import { resolveServerOptions, startServer, type IoServer, type ServerOptions } from './server';
import { closeIoClients, io, IO_TIMEOUT_MS, type IoInput } from './workload';

/** One way to make the requests: which client, in which mode, with how many workers or connections. */
export interface IoVariant {
  /** Its name on charts and tables. */
  label: string;
  /** 'io': undici, awaited; 'ioBlocking': the blocking client. */
  workload: 'io' | 'ioBlocking';
  mode: Mode;
  /** Pool size for threads and processes (default 10). */
  workers?: number;
  /** undici's connection limit for 'io' (default: no limit). */
  connections?: number;
}

/** The course's figures for 100 requests over the internet (google.com and apple.com, 50 each), in ms. */
export const COURSE_IO = {
  requests: 100,
  sequentialMs: 19_000,
  gatherMs: 2400,
  threadPoolMs: 4100,
  threadPoolWorkers: 10,
};

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The course's experiment, retold: every way of waiting on one chart. */
export function courseVariants(options: { threads?: readonly number[]; processes?: number } = {}): IoVariant[] {
  const threads = options.threads ?? [1, 10];
  const processes = options.processes ?? 10;
  return [
    { label: 'sequential', workload: 'io', mode: 'sequential' },
    { label: 'Promise.all', workload: 'io', mode: 'async' },
    { label: 'blocking in Promise.all', workload: 'ioBlocking', mode: 'async' },
    ...threads.map((workers): IoVariant => ({
      label: `blocking, ${plural(workers, 'thread', 'threads')}`,
      workload: 'ioBlocking',
      mode: 'threads',
      workers,
    })),
    ...(processes > 0
      ? [
          {
            label: `blocking, ${plural(processes, 'process', 'processes')}`,
            workload: 'ioBlocking',
            mode: 'processes',
            workers: processes,
          } as IoVariant,
        ]
      : []),
  ];
}

/** undici's connection limit as the concurrency knob: Promise.all through at most `c` connections. */
export function connectionVariants(limits: readonly number[]): IoVariant[] {
  return limits.map((connections) => ({
    label: plural(connections, 'connection', 'connections'),
    workload: 'io',
    mode: 'async',
    connections,
  }));
}

/** How many requests a way can have in flight at once (aiohttp's connector allows 100). */
export function concurrencyOf(
  v: Pick<IoVariant, 'mode' | 'workload' | 'workers' | 'connections'> & { origin?: string },
  requests: number,
): number {
  if (v.mode === 'threads' || v.mode === 'processes') return Math.min(requests, v.workers ?? 10);
  if (v.mode === 'sequential' || v.workload === 'ioBlocking') return 1;
  return Math.min(requests, v.connections ?? (v.origin === 'python' ? 100 : requests));
}

/** The physical bound: nothing can beat ceil(requests / in flight) rounds of the shortest answer (latency - jitter). */
export function boundMs(requests: number, concurrency: number, latencyMs: number, jitterMs = 0): number {
  return Math.ceil(requests / concurrency) * Math.max(0, latencyMs - jitterMs);
}

/** Options of `measureIo`. */
export interface IoOptions {
  /** Requests per run (default 100). */
  requests?: number;
  /** Real targets instead of the embedded server: a list, or one string of comma-separated URLs; '' = the server. */
  urls?: string | readonly string[];
  /** How the embedded server behaves (latency, jitter, body size, faults). */
  server?: ServerOptions;
  /** Per-request timeout in ms, from the call (default 30000). */
  timeoutMs?: number;
  /** The ways to run the requests (default `courseVariants()`). */
  variants?: readonly IoVariant[];
  /** Timed runs per way (default 3). */
  repeats?: number;
  /** Untimed passes first, every request of every way (they open the connections and warm the code on both ends). */
  warmup?: number;
  onProgress?: (progress: Progress) => void;
  /** Also run the course's Python programs against the same target (default false); an object picks programs or the pool. */
  python?: boolean | Pick<PythonIoOptions, 'programs' | 'workers' | 'timeoutMs'>;
}

/** Everything an I/O experiment measured: the comparison, and what each way is. */
export interface IoMeasured {
  comparison: Comparison;
  requests: number;
  /** The server's set latency and jitter (undefined for real URLs). */
  latencyMs?: number;
  jitterMs?: number;
  urls: string[];
  /** The embedded server, when it was the target. */
  server?: { pid: number; startupMs: number; options: ServerOptions };
  timeoutMs: number;
  /** The Node ways, by label. */
  variants: IoVariant[];
}

function checkVariants(value: unknown): IoVariant[] {
  const list = check.nonEmptyList<IoVariant>('variants', value);
  list.forEach((v, i) => {
    const name = `variants[${i}]`;
    if (v === null || typeof v !== 'object') throw new ParameterError(name, 'an object', v);
    check.oneOf(`${name}.workload`, v.workload, ['io', 'ioBlocking'] as const);
    check.oneOf(`${name}.mode`, v.mode, MODES);
    if (v.workers !== undefined) check.integer(`${name}.workers`, v.workers, 1, 256);
    if (v.connections !== undefined) check.integer(`connections (${name})`, v.connections, 1, 100_000);
    if (typeof v.label !== 'string' || !v.label)
      throw new ParameterError(`${name}.label`, 'a non-empty string', v.label);
  });
  return list;
}

/** Files a run needs open beyond one per request in flight: pools, threads, pipes, the server's own. */
const SPARE_FILES = 64;

/** Checks every option, and that the requests in flight at once fit under this process's open-file limit. */
export function checkIoOptions(options: IoOptions) {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const requests = check.integer('requests', options.requests ?? 100, 1, 1_000_000);
  const urls = parseUrls(options.urls);
  const serverOptions = resolveServerOptions(options.server ?? {});
  const timeoutMs = check.finite('timeoutMs', options.timeoutMs ?? IO_TIMEOUT_MS, 1, 3_600_000);
  const variants = checkVariants(options.variants ?? courseVariants());
  const repeats = check.integer('repeats', options.repeats ?? 3, 1, 1000);
  const warmup = check.integer('warmup', options.warmup ?? 1, 0, 100);
  const python = options.python === true ? {} : options.python || undefined;
  const limit = openFileLimit();
  if (limit !== undefined) {
    const widest = variants.reduce((a, b) => (concurrencyOf(b, requests) > concurrencyOf(a, requests) ? b : a));
    const room = limit - openFiles() - SPARE_FILES;
    if (concurrencyOf(widest, requests) > room) {
      const byConnections = widest.connections !== undefined && widest.connections < requests;
      throw new ParameterError(
        byConnections ? 'connections' : 'requests',
        `at most ${Math.max(1, room)} here: each request in flight holds an open file (a connection) and this process may open ${limit} (ulimit -n); raise the limit or send fewer at once`,
        byConnections ? widest.connections : requests,
      );
    }
  }
  return { requests, urls, serverOptions, timeoutMs, variants, repeats, warmup, python };
}

/**
 * Makes `requests` GETs every way, `repeats` times each, the ways taking turns, against the
 * embedded server (started here in its own process, always closed before this returns or
 * throws) or against `urls`. Failed requests are recorded, never dropped.
 */
export async function measureIo(options: IoOptions = {}): Promise<IoMeasured> {
  const { requests, urls, serverOptions, timeoutMs, variants, repeats, warmup, python } = checkIoOptions(options);
  let server: IoServer | undefined;
  try {
    if (urls.length === 0) server = await startServer(serverOptions);
    const targets = server ? [server.url] : urls;
    const inputsOf = (v: IoVariant): IoInput[] =>
      Array.from({ length: requests }, (_, i) => ({
        url: targets[i % targets.length]!,
        timeoutMs,
        connections: v.connections ?? 0,
      }));
    // Full untimed passes of the undici ways on this thread: they open every connection the timed runs use.
    for (const v of variants.filter((x) => x.mode === 'async' && x.workload === 'io')) {
      for (let w = 0; w < warmup; w++) await Promise.allSettled(inputsOf(v).map((input) => io(input)));
    }
    const entries: Entry[] = variants.map((v) => ({
      mode: v.mode,
      label: v.label,
      workers: v.workers ?? 10,
      workload: v.workload,
      inputs: inputsOf(v),
    }));
    const peers = python ? ioPeers({ ...python, urls: targets, requests, requestTimeoutMs: timeoutMs }) : [];
    const comparison = await compare({
      inputs: entries[0]!.inputs,
      modes: entries,
      oneWorker: false,
      peers,
      repeats,
      warmup,
      onProgress: options.onProgress,
      params: { requests, timeoutMs, ...(server ? serverOptions : { urls }) },
      watch: server
        ? () => {
            const since = now();
            const s = server!;
            return { stop: () => s.records(since) };
          }
        : undefined,
    });
    return {
      comparison,
      requests,
      ...(server ? { latencyMs: serverOptions.latencyMs, jitterMs: serverOptions.jitterMs } : {}),
      urls: targets,
      ...(server ? { server: { pid: server.pid, startupMs: server.startupMs, options: server.options } } : {}),
      timeoutMs,
      variants,
    };
  } finally {
    await Promise.allSettled([server?.close(), closeIoClients(), closeBlockingClient()]);
  }
}
