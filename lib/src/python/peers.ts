/**
 * The course's Python programs as peers of the modes: `compare({ ..., peers: cpu.pythonPeers(...) })`
 * runs them beside the Node modes, in turns with them, and reads them with the same
 * statistics and charts. One Python runs every program of a set, and every row names it;
 * each program times itself end to end, its pool's start-up and shut-down included, as the
 * course did. A program's output is checked before it is read: a program that fails is a
 * row whose tasks failed, never a lost run.
 */
import { ParameterError } from '../core/errors';
import type { Peer } from '../core/peers';
import { Tasks, type Mode, type TaskRecord } from '../core/records';
import * as check from '../core/validate';
import { choosePython, missingModules, PYTHON_TIMEOUT_MS, runPython } from './run';

/** One program as a peer: its file, the modules it needs, and its arguments. */
interface ProgramSpec {
  /** The row's name after "Python <version> ". */
  name: string;
  mode: Mode;
  workers: number;
  program: string;
  modules: string[];
  args: string[];
}

/** What a program printed, checked field by field: a record per task, on the shared clock. */
function outputOf(program: string, value: unknown, tasks: number) {
  const out = value as Record<string, unknown> | null;
  const ok =
    out !== null &&
    typeof out === 'object' &&
    Array.isArray(out.tasks) &&
    out.tasks.length === tasks &&
    [out.start, out.end, out.wallMs].every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!ok) throw new Error(`${program} printed JSON without its ${tasks} task records and its times`);
  const records = (out.tasks as Partial<TaskRecord>[]).map((t, i): TaskRecord => ({
    index: i,
    pid: Number(t.pid) || 0,
    threadId: Number(t.threadId) || 0,
    start: Number(t.start),
    end: Number(t.end),
    ok: t.ok === true,
    ...(t.ok === true ? {} : { error: String(t.error ?? 'failed') }),
  }));
  return {
    start: out.start as number,
    end: out.end as number,
    wallMs: out.wallMs as number,
    tasks: Tasks.of(records),
    results: Array.isArray(out.results) ? (out.results as unknown[]) : [],
    detail: {
      python: out.executable,
      version: out.python,
      gilEnabled: out.gilEnabled,
      switchIntervalMs: out.switchIntervalMs,
    },
  };
}

/** The programs of a set as peers, all run by one Python; a program whose module is missing there is `unavailable`. */
function peersOf(specs: readonly ProgramSpec[], tasks: number, timeoutMs: number, switchIntervalMs?: number): Peer[] {
  const choice = choosePython(specs.map((s) => s.modules));
  return specs.map((spec) => {
    const unavailable = 'unavailable' in choice ? choice.unavailable : missingModules(choice, spec.modules);
    const version = 'version' in choice ? `${choice.version} ` : '';
    const args = [...spec.args, ...(switchIntervalMs ? ['--switch-interval-ms', String(switchIntervalMs)] : [])];
    return {
      label: `Python ${version}${spec.name}`,
      origin: 'python',
      mode: spec.mode,
      workers: spec.workers,
      startupIncluded: true,
      ...(unavailable ? { unavailable } : {}),
      async run() {
        if ('unavailable' in choice) throw new Error(choice.unavailable);
        return outputOf(spec.program, await runPython(spec.program, args, { python: choice.python, timeoutMs }), tasks);
      },
    };
  });
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
  /** sys.setswitchinterval in ms (default: Python's own, 5 ms). */
  switchIntervalMs?: number;
  /** Stop a run that takes longer than this, with every process it started (default 10 minutes). */
  timeoutMs?: number;
  /** Row names: the course's ('sequential', 'ThreadPoolExecutor(10)', ...) or by threads ('one thread', '4 threads'). */
  names?: 'course' | 'threads';
}

/**
 * The course's CPU programs as peers: `count` x cpu_bound(num) in Python one after another, on
 * `ThreadPoolExecutor(workers)` and on `ProcessPoolExecutor(workers)`, labelled with the
 * Python that runs them ('Python 3.11.2 ProcessPoolExecutor(10)').
 */
export function cpuPeers(options: PythonCpuOptions = {}): Peer[] {
  const count = check.integer('count', options.count ?? 100, 1, 1_000_000);
  const num = check.integer('num', options.num ?? 30, 2, 200);
  const workers = check.integer('workers', options.workers ?? 10, 1, 256);
  const programs = check.subsetOf('programs', options.programs ?? [...PYTHON_CPU_PROGRAMS], PYTHON_CPU_PROGRAMS);
  const interval =
    options.switchIntervalMs === undefined
      ? undefined
      : check.positive('switchIntervalMs', options.switchIntervalMs, 60_000);
  const timeoutMs = check.timeout('timeoutMs', options.timeoutMs ?? PYTHON_TIMEOUT_MS);
  const threadsNames = options.names === 'threads';
  const base = ['--num', String(num), '--count', String(count)];
  const pool = [...base, '--workers', String(workers)];
  const specs: Record<(typeof PYTHON_CPU_PROGRAMS)[number], ProgramSpec> = {
    sequential: {
      name: threadsNames ? 'one thread' : 'sequential',
      mode: 'sequential',
      workers: 1,
      program: 'cpu_sequential.py',
      modules: [],
      args: base,
    },
    threads: {
      name: threadsNames ? `${workers} threads` : `ThreadPoolExecutor(${workers})`,
      mode: 'threads',
      workers,
      program: 'cpu_threads.py',
      modules: [],
      args: pool,
    },
    processes: {
      name: `ProcessPoolExecutor(${workers})`,
      mode: 'processes',
      workers,
      program: 'cpu_processes.py',
      modules: [],
      args: pool,
    },
  };
  return peersOf(
    programs.map((p) => specs[p]),
    count,
    timeoutMs,
    interval,
  );
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
 * The course's I/O programs as peers: `requests` GETs with requests one after another, with
 * aiohttp and asyncio.gather, and with requests on `ThreadPoolExecutor(workers)`.
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
  const timeoutMs = check.timeout('timeoutMs', options.timeoutMs ?? PYTHON_TIMEOUT_MS);
  const base = ['--urls', urls.join(','), '--count', String(requests), '--timeout', String(requestTimeoutMs / 1000)];
  const specs: Record<(typeof PYTHON_IO_PROGRAMS)[number], ProgramSpec> = {
    requests: {
      name: 'requests',
      mode: 'sequential',
      workers: 1,
      program: 'io_requests.py',
      modules: ['requests'],
      args: base,
    },
    aiohttp: {
      name: 'aiohttp gather',
      mode: 'async',
      workers: 1,
      program: 'io_aiohttp.py',
      modules: ['aiohttp'],
      args: base,
    },
    threads: {
      name: `ThreadPoolExecutor(${workers})`,
      mode: 'threads',
      workers,
      program: 'io_threads.py',
      modules: ['requests'],
      args: [...base, '--workers', String(workers)],
    },
  };
  return peersOf(
    programs.map((p) => specs[p]),
    requests,
    timeoutMs,
  );
}
