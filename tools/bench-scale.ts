/**
 * The `scale` key of `npm run bench`: what a task that does nothing costs, and how much
 * memory a run takes, from 1,000 to 100,000 tasks, as a user's own module would run
 * (`module.exports = (x) => x`, sent to the workers as source, as the command line does).
 *
 *   node      threads and processes pools of 2 (and the queue, BullMQ on a redis-server of
 *             its own) through `compare`, one run, no warm-up pass: the pool is up first
 *   python    the course's ThreadPoolExecutor and ProcessPoolExecutor of 2:
 *             `executor.map(f, range(n))` on a pool already up (bench-scale.py)
 *   startup   `workers` bare `node` processes against our process pool of as many, taking turns
 *
 * Every size runs in a child process of its own, so that one size does not inherit another's
 * heap. Per-task cost is the run's wall time over its tasks (start-up apart, on both sides).
 * Memory is each process's peak resident set (VmHWM), read at the end of the run while the
 * pool is still up: `peakRssMb` is the largest single process's (what /usr/bin/time reports),
 * `treeRssMb` the sum over the run's process and every process under it (pool processes, and
 * for the queue its worker processes and its redis-server). A thread pool is one process on
 * both sides. Forked Python workers share their parent's pages, and each peak counts them:
 * the tree sum is an upper bound, on Python's side more so. Linux only (/proc).
 *
 * `node build/tools/bench-scale.js` prints the key as one JSON line.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, now, queue } from 'concurrency-lab';
import { choosePython, createExecutor, median, resolveWorkload } from 'concurrency-lab/tooling';
import { round } from './bench-rows';

const log = (line: string) => process.stderr.write(`${line}\n`);

const PYTHON_SCRIPT = path.join(__dirname, '..', '..', 'tools', 'bench-scale.py');
const CHILD_FLAG = '--child';
/** Longest one size may take, in either language. */
const CHILD_TIMEOUT_MS = 10 * 60_000;

/** Options of the scale bench: the issue's sizes by default. */
export interface ScaleOptions {
  /** Task counts for threads, processes and Python's executors (the last two are compared). */
  sizes?: readonly number[];
  /** Task counts for the queue (none: no queue). */
  queueSizes?: readonly number[];
  /** Pool size on both sides. */
  workers?: number;
  /** Pool size of the start-up comparison (0: none). */
  startupWorkers?: number;
  /** Turns of the start-up comparison. */
  startupRounds?: number;
  /** Also run the course's Python executors (default: when a Python is found). */
  python?: boolean;
}

/** One size, as measured in its child process. */
export interface ScalePoint {
  tasks: number;
  perTaskUs: number | null;
  wallMs: number | null;
  startupMs: number | null;
  peakRssMb: number | null;
  treeRssMb: number | null;
  processes: number;
  failed?: number;
  error?: string;
}

interface ChildSpec {
  mode: 'threads' | 'processes' | 'queue';
  tasks: number;
  workers: number;
  module: string;
}

/** VmHWM of one process in kB (0 when it has gone). */
function peakKb(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** `pid` and every process under it, found through each of its threads' children (a worker thread may spawn). */
function processTree(pid: number): number[] {
  const found: number[] = [];
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    found.push(p);
    try {
      for (const tid of fs.readdirSync(`/proc/${p}/task`)) {
        const children = fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim();
        if (children) todo.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** In the child: one run of `tasks` no-op tasks in one mode, the tree's peaks read before the pool closes. */
async function child(spec: ChildSpec): Promise<void> {
  const fn = require(spec.module) as (x: unknown) => unknown;
  const broker = spec.mode === 'queue' ? await queue.openBroker() : undefined;
  try {
    const inputs = Array.from({ length: spec.tasks }, (_, i) => i);
    let peaks: number[] = [];
    const result = await compare({
      workload: fn,
      inputs,
      modes: [spec.mode],
      workers: spec.workers,
      oneWorker: false,
      repeats: 1,
      warmup: 0,
      ...(broker ? { modeOptions: { queue: { broker } } } : {}),
      watch: () => ({ stop: () => (peaks = processTree(process.pid).map(peakKb)) }),
    });
    const run = result.runs[0]!;
    peaks[0] = peakKb(process.pid); // this process's peak, after the comparison was put together
    const line = {
      wallMs: run.wallMs,
      startupMs: result.rows[0]!.startupMs,
      failed: run.tasks.failed().length,
      peakKb: Math.max(...peaks),
      treeKb: peaks.reduce((a, b) => a + b, 0),
      processes: peaks.length,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await broker?.close();
  }
}

/** Runs one child (node or python) and reads the JSON line it ends with. */
function runChild(command: string, args: readonly string[]): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => proc.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    proc.once('error', reject);
    proc.once('close', (code, signal) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exited with ${signal ?? `code ${code}`}`);
        resolve(JSON.parse(last) as Record<string, number>);
      } catch (error) {
        reject(
          new Error(`${path.basename(args[0] ?? command)}: ${error instanceof Error ? error.message : String(error)}`),
        );
      }
    });
  });
}

/** A child's line as a point; a child that failed is a point that says why. */
async function point(tasks: number, running: Promise<Record<string, number>>): Promise<ScalePoint> {
  try {
    const r = await running;
    const mb = (kb: number | undefined) => round((kb ?? NaN) / 1024);
    return {
      tasks,
      perTaskUs: round((r.wallMs! * 1000) / tasks, 2),
      wallMs: round(r.wallMs),
      startupMs: round(r.startupMs),
      peakRssMb: mb(r.peakKb),
      treeRssMb: mb(r.treeKb),
      processes: r.processes ?? 0,
      ...(r.failed ? { failed: r.failed } : {}),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const none = { perTaskUs: null, wallMs: null, startupMs: null, peakRssMb: null, treeRssMb: null };
    return { tasks, ...none, processes: 0, error: message };
  }
}

function nodePoint(mode: ChildSpec['mode'], tasks: number, workers: number, module: string): Promise<ScalePoint> {
  const spec: ChildSpec = { mode, tasks, workers, module };
  return point(tasks, runChild(process.execPath, [__filename, CHILD_FLAG, JSON.stringify(spec)]));
}

/**
 * `workers` bare `node` processes (spawned at once, each timed until it has spoken once)
 * against our process pool of as many (until every worker answered a ping), as it starts by
 * default: `rounds` turns, medians in ms.
 */
async function startup(workers: number, rounds: number) {
  const bare = async () => {
    const begun = now();
    const children = Array.from({ length: workers }, () =>
      spawn(process.execPath, ['-e', 'process.send(0, () => process.disconnect())'], {
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      }),
    );
    try {
      await Promise.all(children.map((c) => new Promise((up, failed) => c.once('message', up).once('error', failed))));
      return now() - begun;
    } finally {
      const running = children.filter((c) => c.exitCode === null);
      const exits = running.map((c) => new Promise((gone) => c.once('exit', gone)));
      for (const c of running) c.kill();
      await Promise.all(exits);
    }
  };
  const pool = () => async () => {
    const executor = await createExecutor(
      'processes',
      workers,
      resolveWorkload((x: unknown) => x),
    );
    await executor.close();
    return executor.startupMs;
  };
  const kinds = { bare, pool: pool() };
  const times = { bare: [] as number[], pool: [] as number[] };
  for (const start of Object.values(kinds)) await start(); // untimed: the files in the page cache
  for (let r = 0; r < rounds; r++) {
    for (const [kind, start] of Object.entries(kinds)) times[kind as keyof typeof times].push(await start());
  }
  const [b, p] = [median(times.bare), median(times.pool)];
  return { workers, rounds, bareProcessesMs: round(b), poolProcessesMs: round(p), ratio: round(p / b, 3) };
}

const ratioOf = (a: number | null | undefined, b: number | null | undefined, digits = 3) =>
  a && b ? round(a / b, digits) : null;

/** The `scale` key; see the file's comment. */
export async function benchScale(options: ScaleOptions = {}) {
  const { sizes = [1000, 10_000, 100_000], queueSizes = [1000, 10_000], workers = 2 } = options;
  const { startupWorkers = 10, startupRounds = 5 } = options;
  const chosen = options.python === false ? undefined : choosePython();
  const python = chosen && 'python' in chosen ? chosen.python : undefined;
  const pythonVersion = !chosen
    ? 'not asked for'
    : 'python' in chosen
      ? `${chosen.python} ${chosen.version}`
      : chosen.unavailable;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-scale-'));
  const module = path.join(dir, 'noop.js');
  fs.writeFileSync(module, 'module.exports = (x) => x;\n');
  const node = { threads: [] as ScalePoint[], processes: [] as ScalePoint[], queue: [] as ScalePoint[] };
  const py = { threadPool: [] as ScalePoint[], processPool: [] as ScalePoint[] };
  try {
    for (const n of sizes) {
      log(`scale: ${n.toLocaleString('en-US')} no-op tasks on ${workers} workers, each in a process of its own ...`);
      node.threads.push(await nodePoint('threads', n, workers, module));
      node.processes.push(await nodePoint('processes', n, workers, module));
      if (python) {
        const args = (kind: string) => [PYTHON_SCRIPT, kind, String(n), String(workers)];
        py.threadPool.push(await point(n, runChild(python, args('threads'))));
        py.processPool.push(await point(n, runChild(python, args('processes'))));
      }
    }
    for (const n of queueSizes) {
      log(`scale: ${n.toLocaleString('en-US')} no-op tasks on ${workers} queue workers ...`);
      node.queue.push(await nodePoint('queue', n, workers, module));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  let boot: Awaited<ReturnType<typeof startup>> | null = null;
  if (startupWorkers > 0) {
    log(`scale: ${startupWorkers} bare node processes and a process pool of ${startupWorkers}, taking turns ...`);
    boot = await startup(startupWorkers, startupRounds);
  }
  // The largest size against the one before it (the issue's 100,000 against 10,000).
  const [from, to] = [sizes.length - 2, sizes.length - 1];
  const at = (list: ScalePoint[], i: number) => list[i];
  const [t, p] = [at(node.threads, to), at(node.processes, to)];
  const [tpe, ppe] = [at(py.threadPool, to), at(py.processPool, to)];
  const ratios = {
    from: sizes[from] ?? null,
    to: sizes[to] ?? null,
    threadsPerTaskGrowth: ratioOf(t?.perTaskUs, at(node.threads, from)?.perTaskUs),
    processesPerTaskGrowth: ratioOf(p?.perTaskUs, at(node.processes, from)?.perTaskUs),
    threadsPeakRssVsProcessPool: ratioOf(t?.peakRssMb, ppe?.peakRssMb),
    processesPeakRssVsProcessPool: ratioOf(p?.peakRssMb, ppe?.peakRssMb),
    threadsTreeRssVsProcessPool: ratioOf(t?.treeRssMb, ppe?.treeRssMb),
    processesTreeRssVsProcessPool: ratioOf(p?.treeRssMb, ppe?.treeRssMb),
    threadsPerTaskVsProcessPool: ratioOf(t?.perTaskUs, ppe?.perTaskUs),
    threadsPerTaskVsThreadPool: ratioOf(t?.perTaskUs, tpe?.perTaskUs),
    processesPerTaskVsProcessPool: ratioOf(p?.perTaskUs, ppe?.perTaskUs),
  };
  const within = (v: number | null, limit: number) => (v === null ? null : v <= limit);
  return {
    about:
      'no-op tasks (module.exports = (x) => x); perTaskUs = wall / tasks on a pool already up (Python: one task ' +
      "per worker first); peakRssMb = the largest single process's VmHWM (as /usr/bin/time), treeRssMb = the sum " +
      'over the process and every process under it',
    workers,
    pythonVersion,
    node,
    python: py,
    startup: boot,
    ratios,
    targets: {
      perTaskFlat: within(ratios.threadsPerTaskGrowth, 1.1) && within(ratios.processesPerTaskGrowth, 1.1),
      peakRssAtMostProcessPool:
        within(ratios.threadsPeakRssVsProcessPool, 1) && within(ratios.processesPeakRssVsProcessPool, 1),
      threadsAtMostHalfProcessPool: within(ratios.threadsPerTaskVsProcessPool, 0.5),
      processPoolStartupAtMost115: boot ? within(boot.ratio, 1.15) : null,
    },
  };
}

if (require.main === module) {
  const at = process.argv.indexOf(CHILD_FLAG);
  const running =
    at >= 0
      ? child(JSON.parse(process.argv[at + 1]!) as ChildSpec)
      : benchScale().then((r) => {
          console.log(JSON.stringify(r));
        });
  running.catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
