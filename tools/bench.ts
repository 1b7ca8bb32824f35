/**
 * `npm run bench`: the speed goals, measured in one run on this machine. Prints progress
 * lines on stderr and ONE JSON object as the last line of stdout.
 *
 *   cpu       the course's experiment at full size (100 x cpu(30)), medians on warm pools of
 *             one worker per core, pool start-up reported beside them; the course's pools
 *             of 10 under `oversubscribed`
 *   ceiling   the same CPU work on raw worker threads, no pool: what this machine allows today
 *   overhead  per-task cost of a tiny task through the library's thread pool vs bare workerpool
 *   io, gil   the I/O experiment against its bounds, and the simulated GIL against free threads
 *   python, vsPython   the course's own Python programs on this machine, and Node/Python
 *             ratios per mode, every pool timed end to end with its start-up (bench-python.ts);
 *             vsPython.startup puts each pool's start-up beside Node's own boot of as many
 *             bare threads and processes (bench-boot.ts)
 *   perTask   the cost of one cpu(30) task in Node and in Python, side by side
 *   sequentialOverhead   the library's sequential mode against a bare loop over the same inputs
 *   queue     BullMQ on Redis: per-task cost against the pools', and 100 x cpu(30) on queue
 *             workers against a process pool of the same size
 */
import { Worker } from 'node:worker_threads';
import workerpool from 'workerpool';
import { compare, cpu, now, summarizeModes } from 'concurrency-lab';
import { cores, median } from 'concurrency-lab/tooling';
import { benchGil } from './bench-gil';
import { benchIo } from './bench-io';
import { benchSequentialOverhead, benchVsPython } from './bench-python';
import { benchQueue } from './bench-queue';

const log = (line: string) => process.stderr.write(`${line}\n`);
const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/**
 * The CPU experiment: 100 x cpu(30) sequential, in threads and in processes, with pools of
 * one worker per core (the headline keys), then with the course's pools of 10, whose cost
 * of running more threads than cores is reported beside them.
 */
export async function benchCpu(count = 100, num = 30, repeats = 3, oversubscribed = 10) {
  const workers = cores();
  const inputs = Array(count).fill(num);
  log(`cpu: ${count} x cpu(${num}), pools of ${workers} (one per core), ${repeats} repeats ...`);
  const main = await compare({
    workload: 'cpu',
    inputs,
    modes: ['sequential', 'threads', 'processes'],
    workers,
    repeats,
  });
  const m = Object.fromEntries(summarizeModes(main).map((s) => [s.mode, s]));
  const sequentialMs = m.sequential!.wall.median;
  log(`cpu: the same with pools of ${oversubscribed}, as in the course ...`);
  const big = await compare({
    workload: 'cpu',
    inputs,
    modes: ['threads', 'processes'],
    workers: oversubscribed,
    repeats,
  });
  const b = Object.fromEntries(summarizeModes(big).map((s) => [s.mode, s]));
  return {
    tasks: count,
    num,
    workers,
    sequentialMs: round(sequentialMs, 1),
    threadsMs: round(m.threads!.wall.median, 1),
    processesMs: round(m.processes!.wall.median, 1),
    speedupThreads: round(m.threads!.speedup!, 3),
    speedupProcesses: round(m.processes!.speedup!, 3),
    threadsStartupMs: round(m.threads!.startupMs, 1),
    processesStartupMs: round(m.processes!.startupMs, 1),
    oversubscribed: {
      workers: oversubscribed,
      threadsMs: round(b.threads!.wall.median, 1),
      processesMs: round(b.processes!.wall.median, 1),
      speedupThreads: round(sequentialMs / b.threads!.wall.median, 3),
      speedupProcesses: round(sequentialMs / b.processes!.wall.median, 3),
      threadsStartupMs: round(b.threads!.startupMs, 1),
      processesStartupMs: round(b.processes!.startupMs, 1),
    },
  };
}

/**
 * The machine's own ceiling for the CPU work, with no pool and no library: the same tasks
 * split evenly over raw worker threads, one per core, against all of them on one raw
 * thread (repeats interleaved). On a shared VM this moves from run to run; the library's
 * speedups are best read against it.
 */
export async function benchCeiling(count = 100, num = 30, repeats = 3) {
  const threads = cores();
  log(`ceiling: ${count} x cpu(${num}) on 1 and on ${threads} raw worker threads, ${repeats} repeats ...`);
  const cpuFile = cpu.workload.module;
  const source =
    `const { parentPort, workerData } = require('node:worker_threads');` +
    `const { cpu } = require(${JSON.stringify(cpuFile)});` +
    `for (let i = 0; i < workerData.n; i++) cpu(workerData.num);` +
    `parentPort.postMessage('done');`;
  const one = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const worker = new Worker(source, { eval: true, workerData: { n, num } });
      worker.once('message', () => void worker.terminate().then(() => resolve()));
      worker.once('error', reject);
    });
  const on = async (k: number) => {
    const shares = Array.from({ length: k }, (_, i) => Math.floor(count / k) + (i < count % k ? 1 : 0));
    const start = now();
    await Promise.all(shares.map(one));
    return now() - start;
  };
  const single: number[] = [];
  const many: number[] = [];
  for (let r = 0; r < repeats; r++) {
    single.push(await on(1));
    many.push(await on(threads));
  }
  const oneThreadMs = median(single);
  const manyThreadsMs = median(many);
  return {
    threads,
    oneThreadMs: round(oneThreadMs, 1),
    manyThreadsMs: round(manyThreadsMs, 1),
    speedup: round(oneThreadMs / manyThreadsMs, 3),
  };
}

/** Per-task overhead of a trivial task: the library's thread pool vs a bare workerpool pool, same size. */
export async function benchOverhead(tasks = 2000, workers = 2, repeats = 5) {
  log(`overhead: ${tasks} trivial tasks on ${workers} threads, ${repeats} repeats ...`);
  const identity = (x: number) => x;
  const inputs = Array.from({ length: tasks }, (_, i) => i);
  const ours = await compare({ workload: identity, inputs, modes: ['threads'], workers, repeats });
  const perTaskMs = summarizeModes(ours)[0]!.wall.median / tasks;
  const pool = workerpool.pool({ workerType: 'thread', maxWorkers: workers, minWorkers: workers });
  const bare: number[] = [];
  try {
    for (let r = -1; r < repeats; r++) {
      const start = now();
      await Promise.all(inputs.map((i) => pool.exec(identity, [i])));
      if (r >= 0) bare.push(now() - start); // r = -1 is the warm-up
    }
  } finally {
    await pool.terminate();
  }
  return { tasks, perTaskMs: round(perTaskMs, 4), bareWorkerpoolPerTaskMs: round(median(bare) / tasks, 4) };
}

async function main(): Promise<void> {
  const started = now();
  const out: Record<string, unknown> = { cores: cores() };
  out.cpu = await benchCpu();
  out.ceiling = await benchCeiling();
  out.overhead = await benchOverhead();
  log('io ...');
  out.io = await benchIo();
  log('gil ...');
  out.gil = await benchGil();
  const vs = await benchVsPython();
  out.python = vs.python;
  out.vsPython = vs.vsPython;
  out.perTask = vs.perTask;
  out.sequentialOverhead = await benchSequentialOverhead();
  log('queue ...');
  out.queue = await benchQueue();
  log(`done in ${((now() - started) / 1000).toFixed(0)} s`);
  console.log(JSON.stringify(out));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
