/**
 * The I/O experiment: N requests to the embedded server (or real URLs), every way of waiting a
 * row of one `compare`, the course's Python programs as peers, the server's records as its watcher's.
 */
import { now } from '../../core/clock';
import { openFileLimit, openFiles } from '../../core/environment';
import { ParameterError } from '../../core/errors';
import { compare, type Comparison } from '../../core/measure';
import type { Mode } from '../../core/records';
import type { MeasureOptions } from '../../core/plan';
import * as check from '../../core/validate';
import { count } from '../../core/words';
import { ioPeers, type PythonIoOptions } from '../../python/peers';
import { parseUrls } from './params';
import { startServer } from './server';
import { resolveServerOptions, type ServerOptions } from './server/http';
import { holdBlockingClient } from './blocking';
import { closeClients, IO_TIMEOUT_MS, type IoInput } from './workload';

/**
 * One way to make the requests: its label on charts and tables, the client ('io': undici,
 * awaited; 'ioBlocking': the blocking client), the mode, the pool size for threads and
 * processes (default 10), and undici's connection limit for 'io' (default none).
 */
export interface IoVariant {
  label: string;
  workload: 'io' | 'ioBlocking';
  mode: Mode;
  workers?: number;
  connections?: number;
}

/** The course's experiment, retold: every way of waiting on one chart. */
export function courseVariants(options: { threads?: readonly number[]; processes?: number } = {}): IoVariant[] {
  const { threads = [1, 10], processes = 10 } = options;
  const pool = (mode: 'threads' | 'processes', workers: number): IoVariant => ({
    label: `blocking, ${count(workers, mode === 'threads' ? 'thread' : 'process', mode)}`,
    workload: 'ioBlocking',
    mode,
    workers,
  });
  return [
    { label: 'sequential', workload: 'io', mode: 'sequential' },
    { label: 'Promise.all', workload: 'io', mode: 'async' },
    { label: 'blocking in Promise.all', workload: 'ioBlocking', mode: 'async' },
    ...threads.map((workers) => pool('threads', workers)),
    ...(processes > 0 ? [pool('processes', processes)] : []),
  ];
}

/** undici's connection limit as the concurrency knob: Promise.all through at most `c` connections. */
export function connectionVariants(limits: readonly number[]): IoVariant[] {
  return limits.map((connections) => ({
    label: count(connections, 'connection'),
    workload: 'io',
    mode: 'async',
    connections,
  }));
}

/** How many requests a way can have in flight at once (aiohttp's connector allows 100). */
export function concurrencyOf(v: Omit<IoVariant, 'label'> & { origin?: string }, requests: number): number {
  if (v.mode === 'threads' || v.mode === 'processes') return Math.min(requests, v.workers ?? 10);
  if (v.mode === 'sequential' || v.workload === 'ioBlocking') return 1;
  return Math.min(requests, v.connections ?? (v.origin === 'python' ? 100 : requests));
}

/** The physical bound: nothing can beat ceil(requests / in flight) rounds of the shortest answer (latency - jitter). */
export function boundMs(requests: number, concurrency: number, latencyMs: number, jitterMs = 0): number {
  return Math.ceil(requests / concurrency) * Math.max(0, latencyMs - jitterMs);
}

/**
 * Options of `measureIo`: requests per run (default 100); `urls`, real targets instead of the embedded server
 * (a list or one comma-separated string; '' = the server); how the server behaves; the per-request timeout
 * (default 30000 ms); the ways (default `courseVariants()`), or instead `connections`, `Promise.all` through each
 * of these undici connection limits; timed runs per way (default 3), untimed passes of each first (default 1);
 * and the course's Python programs against the same target (default false; an object picks them).
 */
export interface IoOptions extends Pick<MeasureOptions, 'repeats' | 'warmup' | 'onProgress'> {
  requests?: number;
  urls?: string | readonly string[];
  server?: ServerOptions;
  timeoutMs?: number;
  variants?: readonly IoVariant[];
  connections?: readonly number[];
  python?: boolean | Pick<PythonIoOptions, 'programs' | 'workers' | 'timeoutMs'>;
}

/** Everything an I/O experiment measured; the server's latency, jitter and process only when it was the target. */
export interface IoMeasured {
  comparison: Comparison;
  requests: number;
  latencyMs?: number;
  jitterMs?: number;
  urls: string[];
  server?: { pid: number; startupMs: number; options: ServerOptions };
  timeoutMs: number;
  /** The Node ways, by label. */
  variants: IoVariant[];
}

/** What only a way has (compare checks each row's mode and pool size). */
function checkVariants(value: unknown): IoVariant[] {
  const list = check.nonEmptyList<IoVariant>('variants', value);
  list.forEach((v, i) => {
    if (v === null || typeof v !== 'object') throw new ParameterError(`variants[${i}]`, 'an object', v);
    check.oneOf(`variants[${i}].workload`, v.workload, ['io', 'ioBlocking'] as const);
    if (v.connections !== undefined) check.integer(`connections (variants[${i}])`, v.connections, 1, 100_000);
    if (typeof v.label !== 'string' || !v.label)
      throw new ParameterError(`variants[${i}].label`, 'a non-empty string', v.label);
  });
  return list;
}

/** Files a run needs open beyond one per request in flight: pools, threads, pipes, the server's own. */
const SPARE_FILES = 64;

/** Throws when the widest way would hold more connections at once than this process may open files. */
function checkOpenFiles(variants: readonly IoVariant[], requests: number): void {
  const limit = openFileLimit();
  if (limit === undefined) return;
  const widest = variants.reduce((a, b) => (concurrencyOf(b, requests) > concurrencyOf(a, requests) ? b : a));
  const room = limit - openFiles() - SPARE_FILES;
  if (concurrencyOf(widest, requests) <= room) return;
  const byConnections = widest.connections !== undefined && widest.connections < requests;
  throw new ParameterError(
    byConnections ? 'connections' : 'requests',
    `at most ${Math.max(1, room)} here: each request in flight holds an open file (a connection) and this process may open ${limit} (ulimit -n); raise the limit or send fewer at once`,
    byConnections ? widest.connections : requests,
  );
}

/**
 * Makes `requests` GETs every way, `repeats` times each, against the embedded server (started and
 * always closed here) or `urls`. Every option is checked first; failed requests are recorded, never dropped.
 */
export async function measureIo(options: IoOptions = {}): Promise<IoMeasured> {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const requests = check.integer('requests', options.requests ?? 100, 1, 1_000_000);
  const urls = parseUrls(options.urls);
  const serverOptions = resolveServerOptions(options.server ?? {});
  const timeoutMs = check.finite('timeoutMs', options.timeoutMs ?? IO_TIMEOUT_MS, 1, 3_600_000);
  const variants = checkVariants(
    options.variants ?? (options.connections ? connectionVariants(options.connections) : courseVariants()),
  );
  const repeats = check.integer('repeats', options.repeats ?? 3, 1, 1000);
  const warmup = check.integer('warmup', options.warmup ?? 1, 0, 100);
  checkOpenFiles(variants, requests);
  const python = options.python === true ? {} : options.python || undefined;
  const server = urls.length ? undefined : await startServer(serverOptions);
  const release = holdBlockingClient(); // started in a timed run, it would be timed; closed below
  try {
    const targets = server ? [server.url] : urls;
    const entries = variants.map((v) => {
      const inputs = Array.from({ length: requests }, (_, i): IoInput => ({
        url: targets[i % targets.length]!,
        timeoutMs,
        connections: v.connections ?? 0,
      }));
      // An undici way warms with every request at once, so its timed runs find every connection open.
      const warmInputs = v.mode === 'async' && v.workload === 'io' ? inputs : undefined;
      return { mode: v.mode, label: v.label, workers: v.workers ?? 10, workload: v.workload, inputs, warmInputs };
    });
    const comparison = await compare({
      inputs: entries[0]!.inputs,
      modes: entries,
      oneWorker: false,
      peers: python ? ioPeers({ ...python, urls: targets, requests, requestTimeoutMs: timeoutMs }) : [],
      repeats,
      warmup,
      onProgress: options.onProgress,
      params: { requests, timeoutMs, ...(server ? serverOptions : { urls }) },
      watch:
        server &&
        (async () => {
          await server.reseed(); // every run draws the same faults and delays
          const since = now();
          return { stop: () => server.records(since) };
        }),
    });
    const { latencyMs, jitterMs } = serverOptions;
    const target = server && {
      latencyMs,
      jitterMs,
      server: { pid: server.pid, startupMs: server.startupMs, options: server.options },
    };
    return { comparison, requests, urls: targets, timeoutMs, variants, ...target };
  } finally {
    release();
    await Promise.allSettled([server?.close(), closeClients()]);
  }
}
