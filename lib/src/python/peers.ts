/**
 * The course's Python programs as peers of the modes, run in turns with them by one Python that every row
 * names; each program times itself end to end, as the course did. A program that fails is a row of failed tasks.
 */
import type { Peer } from '../core/peers';
import { Tasks, type Mode, type TaskRecord } from '../core/records';
import * as check from '../core/validate';
import { count } from '../core/words';
import { choosePython, missingModules, PYTHON_TIMEOUT_MS, runPython } from './run';

/** One program as a peer: its row's name after "Python <version> ", its mode and pool, its file, arguments and modules. */
function program(name: string, mode: Mode, workers: number, file: string, args: string[], modules: string[] = []) {
  return { name, mode, workers, file, args, modules };
}

/** What a program printed, checked field by field: a record per task, on the shared clock. */
function outputOf(file: string, value: unknown, tasks: number) {
  const out = value as Record<string, unknown> | null;
  const ok =
    out !== null &&
    typeof out === 'object' &&
    Array.isArray(out.tasks) &&
    out.tasks.length === tasks &&
    [out.start, out.end, out.wallMs].every((n) => typeof n === 'number' && Number.isFinite(n));
  if (!ok) throw new Error(`${file} printed JSON without its ${tasks} task records and its times`);
  const records = (out.tasks as Partial<TaskRecord>[]).map((t, i): TaskRecord => ({
    index: i,
    pid: Number(t.pid) || 0,
    threadId: Number(t.threadId) || 0,
    start: Number(t.start),
    end: Number(t.end),
    ok: t.ok === true,
    ...(t.ok === true ? {} : { error: String(t.error ?? 'failed') }),
  }));
  const { executable: python, python: version, gilEnabled, switchIntervalMs } = out;
  return {
    start: out.start as number,
    end: out.end as number,
    wallMs: out.wallMs as number,
    tasks: Tasks.of(records),
    results: Array.isArray(out.results) ? (out.results as unknown[]) : [],
    detail: { python, version, gilEnabled, switchIntervalMs },
  };
}

/** The chosen programs as peers, all run by one Python; a program whose module is missing there is `unavailable`. */
function peersOf<P extends string>(
  specs: Record<P, ReturnType<typeof program>>,
  programs: unknown,
  tasks: number,
  timeout?: number,
) {
  const timeoutMs = check.timeout('timeoutMs', timeout ?? PYTHON_TIMEOUT_MS);
  const names = Object.keys(specs) as P[];
  const chosen = check.subsetOf('programs', programs ?? names, names).map((p) => specs[p]);
  const choice = choosePython(chosen.map((s) => s.modules));
  return chosen.map((spec): Peer => {
    const unavailable = 'unavailable' in choice ? choice.unavailable : missingModules(choice, spec.modules);
    return {
      label: `Python ${'version' in choice ? `${choice.version} ` : ''}${spec.name}`,
      origin: 'python',
      mode: spec.mode,
      workers: spec.workers,
      startupIncluded: true,
      ...(unavailable ? { unavailable } : {}),
      async run() {
        if ('unavailable' in choice) throw new Error(choice.unavailable);
        const printed = await runPython(spec.file, spec.args, { python: choice.python, timeoutMs });
        return outputOf(spec.file, printed, tasks);
      },
    };
  });
}

/**
 * The course's CPU programs as peers: `count` x cpu_bound(num) (defaults 100 and 30) in Python one after
 * another, on `ThreadPoolExecutor(workers)` and on `ProcessPoolExecutor(workers)` (default 10), labelled
 * with the Python that runs them ('Python 3.11.2 ProcessPoolExecutor(10)'). `programs` picks some of the
 * three; `switchIntervalMs` sets sys.setswitchinterval (default Python's, 5 ms); `timeoutMs` stops a run
 * with every process it started (default 10 minutes); `names: 'threads'` names the rows by threads
 * ('one thread', '4 threads') instead of the course's.
 */
export function cpuPeers(
  options: Partial<Record<'count' | 'num' | 'workers' | 'switchIntervalMs' | 'timeoutMs', number>> & {
    programs?: readonly ('sequential' | 'threads' | 'processes')[];
    names?: 'course' | 'threads';
  } = {},
): Peer[] {
  const tasks = check.integer('count', options.count ?? 100, 1, 1_000_000);
  const num = check.integer('num', options.num ?? 30, 2, 200);
  const workers = check.integer('workers', options.workers ?? 10, 1, 256);
  const interval = options.switchIntervalMs;
  const base = ['--num', String(num), '--count', String(tasks)];
  if (interval !== undefined)
    base.push('--switch-interval-ms', String(check.positive('switchIntervalMs', interval, 60_000)));
  const pool = [...base, '--workers', String(workers)];
  const [one, many] =
    options.names === 'threads'
      ? ['one thread', count(workers, 'thread')]
      : ['sequential', `ThreadPoolExecutor(${workers})`];
  const specs = {
    sequential: program(one, 'sequential', 1, 'cpu_sequential.py', base),
    threads: program(many, 'threads', workers, 'cpu_threads.py', pool),
    processes: program(`ProcessPoolExecutor(${workers})`, 'processes', workers, 'cpu_processes.py', pool),
  };
  return peersOf(specs, options.programs, tasks, options.timeoutMs);
}

/**
 * Options of `ioPeers`: where to send the requests (one URL, or several taken in turn), requests per run
 * (default 100), the ThreadPoolExecutor's threads (default 10), the per-request timeout (default 30000 ms),
 * which programs (default all three), and the limit on a run (default 10 minutes).
 */
export interface PythonIoOptions {
  urls: string | readonly string[];
  requests?: number;
  workers?: number;
  requestTimeoutMs?: number;
  programs?: readonly ('requests' | 'aiohttp' | 'threads')[];
  timeoutMs?: number;
}

/**
 * The course's I/O programs as peers: `requests` GETs with requests one after another, with
 * aiohttp and asyncio.gather, and with requests on `ThreadPoolExecutor(workers)`.
 */
export function ioPeers(options: PythonIoOptions): Peer[] {
  const { urls, requests = 100, requestTimeoutMs = 30_000 } = options;
  const workers = check.integer('workers', options.workers ?? 10, 1, 256);
  const base = ['--urls', [urls].flat().join(','), '--count', String(requests)];
  base.push('--timeout', String(requestTimeoutMs / 1000));
  const pool = [...base, '--workers', String(workers)];
  const specs = {
    requests: program('requests', 'sequential', 1, 'io_requests.py', base, ['requests']),
    aiohttp: program('aiohttp gather', 'async', 1, 'io_aiohttp.py', base, ['aiohttp']),
    threads: program(`ThreadPoolExecutor(${workers})`, 'threads', workers, 'io_threads.py', pool, ['requests']),
  };
  return peersOf(specs, options.programs, requests, options.timeoutMs);
}
