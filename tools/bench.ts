/**
 * `npm run bench`: the speed goals, measured in one run on this machine. Prints progress
 * lines on stderr and ONE JSON object as the last line of stdout.
 *
 *   cpu       the course's experiment at full size (100 x cpu(30)), medians on warm pools of
 *             one worker per core, pool start-up reported beside them; the course's pools
 *             of 10 under `oversubscribed`
 *   ceiling   the same CPU work on bare worker threads, no pool, taking turns with the pools
 *             of `cpu` in its compare: what this machine allows at that moment
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
 *   scale     no-op tasks from 1,000 to 100,000: per-task cost and peak memory of threads,
 *             processes and the queue, each size in a process of its own, beside the course's
 *             ThreadPoolExecutor and ProcessPoolExecutor; a process pool's start-up against
 *             Node's bare boot of as many processes (bench-scale.ts)
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import workerpool from 'workerpool';
import { compare, now } from 'concurrency-lab';
import { cores, median, Tasks } from 'concurrency-lab/tooling';
import { benchGil } from './bench-gil';
import { benchIo } from './bench-io';
import { benchSequentialOverhead, benchVsPython } from './bench-python';
import { benchQueue } from './bench-queue';
import { benchScale } from './bench-scale';
import { perRound, rowOf, round } from './bench-rows';

const log = (line: string) => process.stderr.write(`${line}\n`);
const cpuFile = path.join(
  path.dirname(require.resolve('concurrency-lab/package.json')),
  'dist',
  'concepts',
  'cpu',
  'workload.js',
);

/** A row `compare` runs beside its modes, as the library's peers are. */
type Peer = NonNullable<Parameters<typeof compare>[0]['peers']>[number];

/** A bare peer's run: it times no task, so each record spans the run, and only the wall time is read. */
function wallOnly(count: number, start: number, end: number) {
  const tasks = Tasks.of(
    Array.from({ length: count }, (_, index) => ({ index, pid: -1, threadId: -1, start, end, ok: true })),
  );
  return { start, end, wallMs: end - start, tasks, results: [] };
}

/**
 * The machine's own ceiling for the CPU work, with no pool and no library: the tasks split evenly over
 * `k` bare worker threads, each started for the run (so its boot is in the time), as a peer of the pools:
 * it takes turns with them in their `compare`, and the speedups are read against it run for run.
 */
function bareThreadsPeer(count: number, num: number, k: number): Peer {
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
  return {
    label: k === 1 ? 'bare thread (1)' : `bare threads (${k})`,
    origin: 'node',
    mode: 'threads',
    workers: k,
    startupIncluded: true,
    baseline: k === 1 ? null : 'bare thread (1)',
    async run() {
      const shares = Array.from({ length: k }, (_, i) => Math.floor(count / k) + (i < count % k ? 1 : 0));
      const start = now();
      await Promise.all(shares.map(one));
      const end = now();
      return wallOnly(count, start, end);
    },
  };
}

/**
 * The CPU experiment: 100 x cpu(30) sequential (the main thread), and on pools of one worker
 * per core, each pool read against a one-worker pool of its own kind (like for like: the same
 * worker, the same heap); the time of one task on the main thread, in one worker thread and
 * in one worker process, side by side; the course's pools of 10 under `oversubscribed`; and the
 * machine's ceiling (`ceiling`): the same work on one bare thread and on one per core, taking turns with the pools.
 */
export async function benchCpu(count = 100, num = 30, repeats = 5, oversubscribed = 10) {
  const workers = cores();
  const inputs = Array(count).fill(num);
  log(
    `cpu: ${count} x cpu(${num}), sequential, pools of 1 and ${workers} (one per core) and as many bare threads, ${repeats} repeats in turns ...`,
  );
  const bare = [1, ...(workers > 1 ? [workers] : [])].map((k) => bareThreadsPeer(count, num, k));
  const [one, many] = [bare[0]!.label, bare.at(-1)!.label];
  const main = await compare({
    workload: 'cpu',
    inputs,
    modes: ['sequential', 'threads', 'processes'],
    workers,
    repeats,
    peers: bare,
  });
  const r = (label: string) => rowOf(main, label)!;
  log(`cpu: the same with pools of ${oversubscribed}, as in the course ...`);
  const big = await compare({
    workload: 'cpu',
    inputs,
    modes: ['threads', 'processes'],
    workers: oversubscribed,
    oneWorker: false,
    repeats,
  });
  const b = (label: string) => rowOf(big, label)!;
  const [t1, tn, p1, pn] = [
    r('threads (1)'),
    r(`threads (${workers})`),
    r('processes (1)'),
    r(`processes (${workers})`),
  ];
  const [bare1, bareN] = [r(one), r(many)];
  // A pool's speedup over the ceiling's, round by round, then the median: a drift of the machine's speed between
  // rounds (several percent on a shared VM) moves both alike and cancels.
  const ceilingRounds = perRound(main, one, many);
  const vsCeiling = (kind: string) => {
    const rounds = perRound(main, `${kind} (1)`, `${kind} (${workers})`).map((s, k) => s / ceilingRounds[k]!);
    const paired = rounds.filter(Number.isFinite);
    return paired.length ? median(paired) : NaN; // NaN: reported as null
  };
  return {
    tasks: count,
    num,
    workers,
    baseline: 'each pool against a one-worker pool of its own kind (threads (1), processes (1))',
    sequentialMs: round(r('sequential').ms),
    threadsOneMs: round(t1.ms),
    processesOneMs: round(p1.ms),
    threadsMs: round(tn.ms),
    processesMs: round(pn.ms),
    speedupThreads: round(t1.ms / tn.ms, 3),
    speedupProcesses: round(p1.ms / pn.ms, 3),
    perTaskMs: {
      mainThread: round(r('sequential').taskMs, 2),
      workerThread: round(t1.taskMs, 2),
      workerProcess: round(p1.taskMs, 2),
    },
    threadsStartupMs: round(tn.startupMs),
    processesStartupMs: round(pn.startupMs),
    oversubscribed: {
      workers: oversubscribed,
      threadsMs: round(b(`threads (${oversubscribed})`).ms),
      processesMs: round(b(`processes (${oversubscribed})`).ms),
      speedupThreads: round(t1.ms / b(`threads (${oversubscribed})`).ms, 3),
      speedupProcesses: round(p1.ms / b(`processes (${oversubscribed})`).ms, 3),
      threadsStartupMs: round(b(`threads (${oversubscribed})`).startupMs),
      processesStartupMs: round(b(`processes (${oversubscribed})`).startupMs),
    },
    ceiling: {
      threads: workers,
      oneThreadMs: round(bare1.ms),
      manyThreadsMs: round(bareN.ms),
      speedup: round(bare1.ms / bareN.ms, 3),
      threadsVsCeiling: round(vsCeiling('threads'), 3),
      processesVsCeiling: round(vsCeiling('processes'), 3),
    },
  };
}

/**
 * workerpool alone, fed as the library feeds its pools (`lanes` tasks in flight, each lane submitting its next
 * when one returns), or all at once: a warm peer of the library's thread pool, so the two take turns in one compare.
 */
function barePoolPeer(workload: (x: number) => number, inputs: number[], workers: number, lanes?: number): Peer {
  const pool = workerpool.pool({ workerType: 'thread', maxWorkers: workers, minWorkers: workers });
  const n = inputs.length;
  return {
    label: lanes ? `bare workerpool, ${lanes} in flight` : 'bare workerpool, all at once',
    origin: 'node',
    mode: 'threads',
    workers,
    startupIncluded: false,
    warm: true,
    baseline: null,
    async run() {
      const start = now();
      if (lanes) {
        let next = 0;
        const lane = async () => {
          while (next < n) await pool.exec(workload, [inputs[next++]!]);
        };
        await Promise.all(Array.from({ length: lanes }, lane));
      } else await Promise.all(inputs.map((x) => pool.exec(workload, [x])));
      const end = now();
      return wallOnly(n, start, end);
    },
    close: () => pool.terminate(),
  };
}

/**
 * Per-task cost of a trivial task through the library's thread pool against bare workerpool fed the same way
 * (as many in flight as the library keeps: 4 a worker), warm, taking turns run by run in one `compare`.
 */
export async function benchOverhead(tasks = 5000, workers = 2, repeats = 21) {
  log(`overhead: ${tasks} trivial tasks on ${workers} threads, ${repeats} repeats each way, in turns ...`);
  const identity = (x: number) => x;
  const inputs = Array.from({ length: tasks }, (_, i) => i);
  const bounded = barePoolPeer(identity, inputs, workers, 4 * workers);
  const allAtOnce = barePoolPeer(identity, inputs, workers);
  const c = await compare({
    workload: identity,
    inputs,
    modes: ['threads'],
    workers,
    oneWorker: false,
    repeats,
    peers: [bounded, allAtOnce],
  });
  const perTask = (label: string) => rowOf(c, label)!.ms / tasks;
  const ours = perTask(`threads (${workers})`);
  const bare = perTask(bounded.label);
  return {
    tasks,
    perTaskMs: round(ours, 4),
    bareWorkerpoolPerTaskMs: round(bare, 4),
    bareAllAtOncePerTaskMs: round(perTask(allAtOnce.label), 4),
    vsBare: round(ours / bare, 3),
  };
}

async function main(): Promise<void> {
  const started = now();
  const out: Record<string, unknown> = { cores: cores() };
  const { ceiling, ...cpu } = await benchCpu();
  out.cpu = cpu;
  out.ceiling = ceiling;
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
  out.scale = await benchScale();
  log(`done in ${((now() - started) / 1000).toFixed(0)} s`);
  console.log(JSON.stringify(out));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
