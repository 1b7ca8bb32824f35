/**
 * The course's Python programs as peers of the modes (core/peers.ts): `compare({ ...,
 * peers: cpu.pythonPeers(...) })` runs them beside the Node modes, interleaved with them,
 * and reads them with the same statistics and charts. Each program times itself end to
 * end, its pool's start-up and shut-down included, as the course did.
 */
import { environment } from '../core/environment';
import { ParameterError } from '../core/errors';
import type { Mode } from '../core/modes';
import type { Peer, PeerRun } from '../core/peers';
import { median } from '../core/stats';
import type { Run, TaskRecord } from '../core/records';
import * as check from '../core/validate';
import { choosePython, PYTHON_TIMEOUT_MS, runPython } from './run';

/** What every program prints (see lab.py's report). */
interface ProgramOutput {
  program: string;
  label: string;
  workers: number;
  python: string;
  start: number;
  end: number;
  wallMs: number;
  tasks: TaskRecord[];
  results: unknown[];
}

/** One program as a peer: its file, the modules it needs, and its arguments. */
interface ProgramSpec {
  label: string;
  mode: Mode;
  workers: number;
  program: string;
  modules: string[];
  args: string[];
}

function checkOutput(name: string, value: unknown): ProgramOutput {
  const out = value as Partial<ProgramOutput> | null;
  if (!out || typeof out !== 'object' || !Array.isArray(out.tasks) || typeof out.wallMs !== 'number') {
    throw new Error(`${name} printed JSON without its tasks and wall time`);
  }
  return out as ProgramOutput;
}

function peerOf(spec: ProgramSpec, timeoutMs: number): Peer {
  const chosen = choosePython(spec.modules);
  const unavailable = 'unavailable' in chosen ? chosen.unavailable : undefined;
  return {
    label: spec.label,
    origin: 'python',
    mode: spec.mode,
    workers: spec.workers,
    startupIncluded: true,
    ...(unavailable ? { unavailable } : {}),
    async run(): Promise<PeerRun> {
      if ('unavailable' in chosen) throw new Error(chosen.unavailable);
      const out = checkOutput(
        spec.program,
        await runPython(spec.program, spec.args, { python: chosen.python, timeoutMs }),
      );
      return { start: out.start, end: out.end, wallMs: out.wallMs, tasks: out.tasks, results: out.results };
    },
  };
}

/** The three CPU programs: one task after another, a ThreadPoolExecutor, a ProcessPoolExecutor. */
export const PYTHON_CPU_PROGRAMS = ['sequential', 'threads', 'processes'] as const;

/** Options of `cpuPeers`. */
export interface PythonCpuOptions {
  /** Tasks per run (default 100). */
  count?: number;
  /** Each task is cpu_bound(num) (default 30). */
  num?: number;
  /** Pool size of both executors (default 10, as in the course). */
  workers?: number;
  /** Which programs (default all three). */
  programs?: readonly (typeof PYTHON_CPU_PROGRAMS)[number][];
  /** Stop a run that takes longer than this, with every process it started (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * The course's CPU programs as peers: `count` x cpu_bound(num) in Python one after another
 * ('Python sequential'), on `ThreadPoolExecutor(workers)` and on `ProcessPoolExecutor(workers)`.
 * A program whose Python is missing comes back `unavailable` (compare skips it and says why).
 */
export function cpuPeers(options: PythonCpuOptions = {}): Peer[] {
  const count = check.integer('count', options.count ?? 100, 1, 1_000_000);
  const num = check.integer('num', options.num ?? 30, 2, 200);
  const workers = check.integer('workers', options.workers ?? 10, 1, 256);
  const programs = check.subsetOf('programs', options.programs ?? [...PYTHON_CPU_PROGRAMS], PYTHON_CPU_PROGRAMS);
  const timeoutMs = check.positive('timeoutMs', options.timeoutMs ?? PYTHON_TIMEOUT_MS);
  const base = ['--num', String(num), '--count', String(count)];
  const specs: Record<(typeof PYTHON_CPU_PROGRAMS)[number], ProgramSpec> = {
    sequential: {
      label: 'Python sequential',
      mode: 'sequential',
      workers: 1,
      program: 'cpu_sequential.py',
      modules: [],
      args: base,
    },
    threads: {
      label: `Python ThreadPoolExecutor(${workers})`,
      mode: 'threads',
      workers,
      program: 'cpu_threads.py',
      modules: [],
      args: [...base, '--workers', String(workers)],
    },
    processes: {
      label: `Python ProcessPoolExecutor(${workers})`,
      mode: 'processes',
      workers,
      program: 'cpu_processes.py',
      modules: [],
      args: [...base, '--workers', String(workers)],
    },
  };
  return programs.map((p) => peerOf(specs[p], timeoutMs));
}

/** The three I/O programs: requests one after another, aiohttp with asyncio.gather, requests on a ThreadPoolExecutor. */
export const PYTHON_IO_PROGRAMS = ['requests', 'aiohttp', 'threads'] as const;

/** Options of `ioPeers`. */
export interface PythonIoOptions {
  /** Where to send the requests: one URL, or several taken in turn. */
  urls: string | readonly string[];
  /** Requests per run (default 100). */
  requests?: number;
  /** Threads of the ThreadPoolExecutor (default 10, as in the course). */
  workers?: number;
  /** Per-request timeout in ms (default 30000). */
  requestTimeoutMs?: number;
  /** Which programs (default all three). */
  programs?: readonly (typeof PYTHON_IO_PROGRAMS)[number][];
  /** Stop a run that takes longer than this (default 10 minutes). */
  timeoutMs?: number;
}

/**
 * The course's I/O programs as peers: `requests` GETs with requests one after another
 * ('Python requests'), with aiohttp and asyncio.gather ('Python aiohttp gather'), and with
 * requests on `ThreadPoolExecutor(workers)`. One whose module is missing comes back
 * `unavailable`, with the line that says how to install it.
 */
export function ioPeers(options: PythonIoOptions): Peer[] {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const urls = typeof options.urls === 'string' ? [options.urls] : options.urls;
  check.nonEmptyList('urls', urls);
  urls.forEach((u, i) => {
    if (typeof u !== 'string' || !/^https?:\/\//.test(u)) throw new ParameterError(`urls[${i}]`, 'an http(s) URL', u);
  });
  const requests = check.integer('requests', options.requests ?? 100, 1, 1_000_000);
  const workers = check.integer('workers', options.workers ?? 10, 1, 256);
  const requestTimeoutMs = check.positive('requestTimeoutMs', options.requestTimeoutMs ?? 30_000);
  const programs = check.subsetOf('programs', options.programs ?? [...PYTHON_IO_PROGRAMS], PYTHON_IO_PROGRAMS);
  const timeoutMs = check.positive('timeoutMs', options.timeoutMs ?? PYTHON_TIMEOUT_MS);
  const base = ['--urls', urls.join(','), '--count', String(requests), '--timeout', String(requestTimeoutMs / 1000)];
  const specs: Record<(typeof PYTHON_IO_PROGRAMS)[number], ProgramSpec> = {
    requests: {
      label: 'Python requests',
      mode: 'sequential',
      workers: 1,
      program: 'io_requests.py',
      modules: ['requests'],
      args: base,
    },
    aiohttp: {
      label: 'Python aiohttp gather',
      mode: 'async',
      workers: 1,
      program: 'io_aiohttp.py',
      modules: ['aiohttp'],
      args: base,
    },
    threads: {
      label: `Python ThreadPoolExecutor(${workers})`,
      mode: 'threads',
      workers,
      program: 'io_threads.py',
      modules: ['requests'],
      args: [...base, '--workers', String(workers)],
    },
  };
  return programs.map((p) => peerOf(specs[p], timeoutMs));
}

/** Options of `measureGil`. */
export interface PythonGilOptions {
  /** CPU tasks per run (default 20). */
  count?: number;
  /** Each task is cpu_bound(num) (default 30). */
  num?: number;
  /** Threads sharing the tasks in the threaded runs, 2 or more (default 4). */
  threads?: number;
  /** Timed runs of each, alternating (default 3). */
  repeats?: number;
  /** sys.setswitchinterval in ms (default: Python's own, 5 ms). */
  switchIntervalMs?: number;
  /** Stop the program after this long (default 10 minutes). */
  timeoutMs?: number;
}

/** The real GIL, measured: the same tasks on one thread and on N threads of one Python process. */
export interface PythonGil {
  /** Set when no Python could run it: the one line that says why (then there are no runs). */
  unavailable?: string;
  python?: string;
  version?: string;
  /** Whether this Python has a GIL (false only on a free-threaded build, 3.13t and later). */
  gilEnabled?: boolean;
  switchIntervalMs: number;
  count: number;
  num: number;
  threads: number;
  /** Runs on one thread and on `threads` threads (origin 'python', mode 'sequential' and 'threads'). */
  oneThread: Run[];
  threaded: Run[];
  oneThreadMs: number;
  threadedMs: number;
  /** One thread's median / N threads' median: about 1 (or less) with the GIL. */
  speedup: number;
}

/**
 * Runs the course's CPU tasks in one Python process on one thread and on `threads` threads
 * (threading), alternating, and returns both with the speedup: the real GIL, to set beside
 * the simulated one (`gil.compare`). Needs only Python; without one, `unavailable` says why.
 */
export async function measureGil(options: PythonGilOptions = {}): Promise<PythonGil> {
  const count = check.integer('count', options.count ?? 20, 1, 100_000);
  const num = check.integer('num', options.num ?? 30, 2, 200);
  const threads = check.integer('threads', options.threads ?? 4, 2, 256);
  const repeats = check.integer('repeats', options.repeats ?? 3, 1, 100);
  const switchIntervalMs =
    options.switchIntervalMs === undefined ? undefined : check.positive('switchIntervalMs', options.switchIntervalMs);
  const timeoutMs = check.positive('timeoutMs', options.timeoutMs ?? PYTHON_TIMEOUT_MS);
  const empty = { count, num, threads, oneThread: [], threaded: [], oneThreadMs: NaN, threadedMs: NaN, speedup: NaN };
  const chosen = choosePython([]);
  if ('unavailable' in chosen)
    return { unavailable: chosen.unavailable, switchIntervalMs: switchIntervalMs ?? NaN, ...empty };
  const args = [
    '--num',
    String(num),
    '--count',
    String(count),
    '--threads',
    String(threads),
    '--repeats',
    String(repeats),
  ];
  if (switchIntervalMs !== undefined) args.push('--switch-interval-ms', String(switchIntervalMs));
  const out = (await runPython('gil.py', args, { python: chosen.python, timeoutMs })) as {
    gilEnabled: boolean;
    switchIntervalMs: number;
    runs: (ProgramOutput & { threads: number; repeat: number })[];
  };
  const cores = environment().cores;
  const toRun = (r: (typeof out.runs)[number]): Run => ({
    mode: r.threads === 1 ? 'sequential' : 'threads',
    label: r.threads === 1 ? 'Python, one thread' : `Python, ${r.threads} threads`,
    origin: 'python',
    workers: r.threads,
    cores,
    repeat: r.repeat,
    start: r.start,
    end: r.end,
    wallMs: r.wallMs,
    tasks: r.tasks,
    results: r.results,
  });
  const oneThread = out.runs.filter((r) => r.threads === 1).map(toRun);
  const threaded = out.runs.filter((r) => r.threads !== 1).map(toRun);
  const oneThreadMs = median(oneThread.map((r) => r.wallMs));
  const threadedMs = median(threaded.map((r) => r.wallMs));
  return {
    python: chosen.python,
    version: chosen.version,
    gilEnabled: out.gilEnabled,
    switchIntervalMs: out.switchIntervalMs,
    count,
    num,
    threads,
    oneThread,
    threaded,
    oneThreadMs,
    threadedMs,
    speedup: oneThreadMs / threadedMs,
  };
}
