/**
 * The I/O experiment: N requests against the embedded server (or real URLs), in several
 * ways of waiting: one after another, all at once, a blocking client on the event loop or
 * in a pool, an undici connection limit. Each way is a `compare` run of the core; this
 * module starts and always stops the server, and reads what the server saw of each run.
 */
import { environment, openFileLimit, openFiles } from '../../core/environment';
import { ParameterError } from '../../core/errors';
import { compare, type Comparison, type Progress } from '../../core/measure';
import { MODES, type Mode } from '../../core/modes';
import type { SkippedPeer } from '../../core/peers';
import { ioPeers, type PythonIoOptions } from '../../python/peers';
import { closeBlockingClient } from './blocking';
import { parseUrls } from './params';

export { parseUrls };
import type { Environment, Run } from '../../core/records';
import { resolveServerOptions, startServer, type IoServer, type ServerOptions, type ServerRecord } from './server';
import * as check from '../../core/validate';
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
  /** What it stands for in the Python course, if anything. */
  course?: string;
  /** 'python' for the course's own Python programs, run beside the Node variants (IoOptions.python). */
  origin?: string;
}

/** The course's figures for 100 requests over the internet (google.com and apple.com, 50 each), in ms. */
export const COURSE_IO = {
  requests: 100,
  sequentialMs: 19_000,
  gatherMs: 2400,
  threadPoolMs: 4100,
  threadPoolWorkers: 10,
};

/** The course's experiment, retold: every way of waiting on one chart. */
export function courseVariants(options: { threads?: readonly number[]; processes?: number } = {}): IoVariant[] {
  const threads = options.threads ?? [1, 10];
  const processes = options.processes ?? 10;
  return [
    { label: 'sequential', workload: 'io', mode: 'sequential', course: 'requests in a for loop' },
    { label: 'Promise.all', workload: 'io', mode: 'async', course: 'aiohttp + asyncio.gather' },
    { label: 'blocking in Promise.all', workload: 'ioBlocking', mode: 'async' },
    ...threads.map((workers): IoVariant => ({
      label: `blocking, ${workers} thread${workers === 1 ? '' : 's'}`,
      workload: 'ioBlocking',
      mode: 'threads',
      workers,
      course: workers === COURSE_IO.threadPoolWorkers ? 'requests in a ThreadPoolExecutor' : undefined,
    })),
    ...(processes > 0
      ? [
          {
            label: `blocking, ${processes} process${processes === 1 ? '' : 'es'}`,
            workload: 'ioBlocking',
            mode: 'processes',
            workers: processes,
          } satisfies IoVariant,
        ]
      : []),
  ];
}

/** undici's connection limit as the concurrency knob: Promise.all through at most `c` connections. */
export function connectionVariants(limits: readonly number[]): IoVariant[] {
  return limits.map((connections) => ({
    label: `${connections} connection${connections === 1 ? '' : 's'}`,
    workload: 'io',
    mode: 'async',
    connections,
  }));
}

/** How many requests a variant can have in flight at once. */
export function concurrencyOf(variant: IoVariant, requests: number): number {
  if (variant.mode === 'threads' || variant.mode === 'processes') return Math.min(requests, variant.workers ?? 10);
  if (variant.mode === 'sequential' || variant.workload === 'ioBlocking') return 1;
  return Math.min(requests, variant.connections ?? requests);
}

/** The physical bound: nothing can beat ceil(requests / concurrency) rounds of one latency each. */
export function boundMs(requests: number, concurrency: number, latencyMs: number): number {
  return Math.ceil(requests / concurrency) * latencyMs;
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
  /** Timed runs per variant (default 3). */
  repeats?: number;
  /**
   * Untimed passes before timing (default 1): for an undici variant on the event loop, full
   * passes of every request (each takes about one latency); in a pool, one request per
   * worker per pass. They open the connections and warm the JIT on both ends.
   */
  warmup?: number;
  /** Called after every request. */
  onProgress?: (progress: Progress & { variant: string }) => void;
  /**
   * Also run the course's Python programs against the same target, after the Node variants
   * and `repeats` times each: requests one after another, aiohttp with asyncio.gather, and
   * requests on a ThreadPoolExecutor (default false). `true` takes the course's pool of 10;
   * an object picks the programs or the pool size. They appear as variants with origin
   * 'python'; one whose Python module is missing is listed in `skipped` with the line that
   * says how to install it, and the rest still runs.
   */
  python?: boolean | Pick<PythonIoOptions, 'programs' | 'workers' | 'timeoutMs'>;
}

/** One variant's runs, its bound, and what the server saw of each run. */
export interface IoVariantResult {
  variant: IoVariant;
  /** Requests it can have in flight at once. */
  concurrency: number;
  /** ceil(requests / concurrency) x latency (embedded server only). */
  boundMs?: number;
  comparison: Comparison;
  /** Server records of each timed run, in the order of comparison.runs (empty for real URLs). */
  serverRecords: ServerRecord[][];
}

/** Everything an I/O experiment measured. */
export interface IoExperiment {
  requests: number;
  /** The server's set latency (undefined for real URLs). */
  latencyMs?: number;
  /** The URLs requested, in turn. */
  urls: string[];
  /** The embedded server, when it was the target. */
  server?: { pid: number; startupMs: number; options: ServerOptions };
  timeoutMs: number;
  variants: IoVariantResult[];
  /** Python programs that could not run here, each with the line that says why (with `python`). */
  skipped?: SkippedPeer[];
  env: Environment;
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
  if (new Set(list.map((v) => v.label)).size !== list.length) {
    throw new ParameterError('variants', 'a list with distinct labels', list.map((v) => v.label).join(', '));
  }
  return list;
}

/** Files a run needs open beyond one per request in flight: pools, threads, pipes, the server's own. */
const SPARE_FILES = 64;

/**
 * Checks what can be known before the first request: every option, and that the requests a
 * variant has in flight at once (one connection each, in this process and in the server)
 * fit under the process's open-file limit, which would otherwise fail them with EMFILE or
 * leave them waiting on a server that can accept no more.
 */
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
    const inFlight = concurrencyOf(widest, requests);
    const room = limit - openFiles() - SPARE_FILES;
    if (inFlight > room) {
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
 * Runs `requests` GETs in every variant, `repeats` times each, against the embedded server
 * (started here in its own process, and always closed before this returns or throws) or
 * against `urls`. Every option is checked before the first request. Failed requests are
 * recorded per run, never dropped; a variant whose every request fails still reports.
 */
export async function measureIo(options: IoOptions = {}): Promise<IoExperiment> {
  const { requests, urls, serverOptions, timeoutMs, variants, repeats, warmup, python } = checkIoOptions(options);

  let server: IoServer | undefined;
  try {
    if (urls.length === 0) server = await startServer(serverOptions);
    const targets = server ? [server.url] : urls;
    const results: IoVariantResult[] = [];
    /** What every variant's compare() is told: its parameters, and progress named after it. */
    const labelled = (variant: IoVariant) => ({
      params: { variant: variant.label, requests, timeoutMs, ...(server ? serverOptions : { urls }) },
      onProgress: options.onProgress && ((p: Progress) => options.onProgress!({ ...p, variant: variant.label })),
    });
    /** A variant's result before the server's records are attached. */
    const resultOf = (variant: IoVariant, comparison: Comparison): IoVariantResult => {
      const concurrency = concurrencyOf(variant, requests);
      const bound = server ? boundMs(requests, concurrency, serverOptions.latencyMs) : undefined;
      return { variant, concurrency, boundMs: bound, comparison, serverRecords: [] };
    };
    for (const variant of variants) {
      const inputs: IoInput[] = Array.from({ length: requests }, (_, i) => ({
        url: targets[i % targets.length]!,
        timeoutMs,
        connections: variant.connections ?? 0,
      }));
      if (variant.mode === 'async' && variant.workload === 'io') {
        // Full untimed passes: they open every connection the timed runs will use.
        for (let w = 0; w < warmup; w++) await Promise.allSettled(inputs.map((input) => io(input)));
      }
      const comparison = await compare({
        workload: variant.workload,
        inputs,
        modes: [variant.mode],
        workers: variant.workers ?? 10,
        repeats,
        warmup,
        ...labelled(variant),
      });
      results.push(resultOf(variant, comparison));
    }
    const skipped: SkippedPeer[] = [];
    if (python) {
      const peers = ioPeers({ ...python, urls: targets, requests, requestTimeoutMs: timeoutMs });
      for (const peer of peers) {
        if (peer.unavailable) {
          skipped.push({ label: peer.label, reason: peer.unavailable });
          continue;
        }
        const variant: IoVariant = {
          label: peer.label,
          workload: 'io',
          mode: peer.mode,
          workers: peer.workers,
          origin: peer.origin,
          // aiohttp's connector allows 100 connections to a host by default.
          ...(peer.mode === 'async' ? { connections: 100 } : {}),
        };
        const measured = await compare({
          workload: 'io',
          inputs: Array.from({ length: requests }, () => undefined),
          modes: [],
          peers: [peer],
          repeats,
          ...labelled(variant),
        });
        // The program's runs are this variant's runs, as a Node variant's are.
        const runs = measured.peers?.[0]?.runs ?? [];
        results.push(resultOf(variant, { ...measured, peers: undefined, skipped: undefined, runs }));
      }
    }
    if (server) {
      const records = await server.records();
      for (const result of results) {
        result.serverRecords = result.comparison.runs.map((run) => recordsDuring(records, run));
      }
    }
    return {
      requests,
      latencyMs: server ? serverOptions.latencyMs : undefined,
      urls: targets,
      server: server && { pid: server.pid, startupMs: server.startupMs, options: server.options },
      timeoutMs,
      variants: results,
      ...(python ? { skipped } : {}),
      env: environment(),
    };
  } finally {
    await Promise.allSettled([server?.close(), closeIoClients(), closeBlockingClient()]);
  }
}

/** The server's records of requests that arrived during a run (1 ms of slack for the clocks). */
export function recordsDuring(records: readonly ServerRecord[], run: Pick<Run, 'start' | 'end'>): ServerRecord[] {
  return records.filter((r) => r.start >= run.start - 1 && r.start <= run.end + 1);
}
