/** The benchmark's parts at toy sizes: the shape of what `npm run bench` reports, not its speed. */
import { benchCpu, benchOverhead } from '../build/tools/bench';
import { benchGil } from '../build/tools/bench-gil';
import { benchIo } from '../build/tools/bench-io';
import { benchSequentialOverhead, benchVsPython } from '../build/tools/bench-python';
import { benchQueue } from '../build/tools/bench-queue';
import { benchScale } from '../build/tools/bench-scale';
import { childPids } from './helpers/processes';

/** A ratio the bench reports against the same ratio of its rounded times (to 0.1 ms): equal within the rounding. */
function expectRatio(reported: number | null, over: number | null, under: number | null) {
  expect(reported).not.toBeNull();
  const slack = 0.05 / under! + 0.05 / over!; // relative error of two values rounded to 0.1 ms
  expect(Math.abs(reported! / (over! / under!) - 1)).toBeLessThanOrEqual(slack + 0.01);
}

test('benchCpu reports each pool against its own one-worker pool, the per-task times, start-up apart, and the oversubscribed pools', async () => {
  const r = await benchCpu(4, 10, 1, 3);
  expect(r).toMatchObject({ tasks: 4, num: 10, oversubscribed: { workers: 3 } });
  for (const key of [
    'sequentialMs',
    'threadsOneMs',
    'processesOneMs',
    'threadsMs',
    'processesMs',
    'threadsStartupMs',
    'processesStartupMs',
  ] as const) {
    expect(r[key]).toBeGreaterThan(0);
  }
  // Like for like: each speedup is the one-worker pool of the same kind over the pool.
  expectRatio(r.speedupThreads, r.threadsOneMs, r.threadsMs);
  expectRatio(r.speedupProcesses, r.processesOneMs, r.processesMs);
  expectRatio(r.oversubscribed.speedupProcesses, r.processesOneMs, r.oversubscribed.processesMs);
  // At this toy size a task can round to 0.00 ms: present and not negative is what counts.
  for (const ms of Object.values(r.perTaskMs)) expect(ms).toBeGreaterThanOrEqual(0);
  // The ceiling: the same work on one bare thread and on one per core, rows of the same compare.
  expect(r.ceiling.threads).toBeGreaterThanOrEqual(1);
  expect(r.ceiling.oneThreadMs).toBeGreaterThan(0);
  expect(r.ceiling.manyThreadsMs).toBeGreaterThan(0);
  expectRatio(r.ceiling.speedup, r.ceiling.oneThreadMs, r.ceiling.manyThreadsMs);
  // Read round by round against the ceiling: one round's ratio, so the same as the medians' ratio within rounding.
  expectRatio(r.ceiling.threadsVsCeiling, r.speedupThreads, r.ceiling.speedup);
  expectRatio(r.ceiling.processesVsCeiling, r.speedupProcesses, r.ceiling.speedup);
  expect(await childPids()).toEqual([]);
}, 60_000);

test('benchOverhead reports the per-task cost of the library and of bare workerpool', async () => {
  const r = await benchOverhead(50, 2, 1);
  expect(r.tasks).toBe(50);
  expect(r.perTaskMs).toBeGreaterThan(0);
  expect(r.bareWorkerpoolPerTaskMs).toBeGreaterThan(0);
  expect(r.bareAllAtOncePerTaskMs).toBeGreaterThan(0);
  expect(r.vsBare).toBeCloseTo(r.perTaskMs! / r.bareWorkerpoolPerTaskMs!, 1);
  expect(await childPids()).toEqual([]);
}, 60_000);

test('benchIo reports each way of waiting beside its bound, and never beats it', async () => {
  const r = await benchIo({ requests: 20, latencyMs: 30, repeats: 2, poolRepeats: 1, warmup: 1, sequentialRepeats: 1 });
  expect(r).toMatchObject({ requests: 20, latencyMs: 30, boundAsyncMs: 30, boundPool10Ms: 60 });
  expect(r.sequentialMs).toBeGreaterThanOrEqual(20 * 30);
  expect(r.asyncMs).toBeGreaterThanOrEqual(30);
  expect(r.threadPool10Ms).toBeGreaterThanOrEqual(60);
  expect(r.threadPool10StartupMs).toBeGreaterThan(0);
  expect(await childPids()).toEqual([]);
}, 60_000);

test('benchGil reports one thread, the threads under one lock and without it, with their speedups', async () => {
  const r = await benchGil({ threads: 2, count: 4, num: 16, repeats: 1 });
  expect(r).toMatchObject({ threads: 2, switchIntervalMs: 5 });
  for (const key of ['sequentialMs', 'lockedMs', 'unlockedMs'] as const) expect(r[key]).toBeGreaterThan(0);
  expectRatio(r.speedupLocked, r.sequentialMs, r.lockedMs);
  expectRatio(r.speedupUnlocked, r.sequentialMs, r.unlockedMs);
}, 60_000);

test('benchVsPython reports Python beside Node, every pool end to end with its start-up, and the ratios', async () => {
  const r = await benchVsPython({ count: 4, num: 10, workers: 2, requests: 6, latencyMs: 20, repeats: 1, ioWarmup: 1 });
  expect(r.python).toMatchObject({ cpu: expect.any(Object), io: expect.any(Object), skipped: [] });
  const { cpu, io } = r.python as { cpu: Record<string, number>; io: Record<string, number> };
  for (const key of ['sequentialMs', 'threadPoolMs', 'processPoolMs']) expect(cpu[key]).toBeGreaterThan(0);
  // At this toy size a task can round to 0.00 ms, and one process can take every task before
  // the others start (no start-up left to observe): present and not negative is what counts.
  for (const key of ['processPoolStartupMs', 'perTaskMs']) expect(cpu[key]).toBeGreaterThanOrEqual(0);
  for (const key of ['requestsMs', 'aiohttpMs', 'threadPoolMs']) expect(io[key]).toBeGreaterThanOrEqual(20);
  const vs = r.vsPython!;
  expect(vs.node.cpu.processesEndToEndStartupMs).toBeGreaterThan(0);
  expect(vs.node.io.blockingPoolEndToEndMs).toBeGreaterThanOrEqual(20);
  expect(vs.node.io.asyncNewConnectionsMs).toBeGreaterThanOrEqual(20);
  expect(vs.cpu.processesVsProcessPool).toBeCloseTo(vs.node.cpu.processesEndToEndMs! / cpu.processPoolMs!, 2);
  expect(Object.values(vs.targets).every((t) => typeof t === 'boolean')).toBe(true);
  // Node's own boot of as many bare threads and processes, beside each pool's start-up.
  expect(vs.startup).toMatchObject({ workers: 2, nodeProcessPoolMs: vs.node.cpu.processesEndToEndStartupMs });
  expect(vs.startup.nodeBareThreadsMs).toBeGreaterThan(0);
  // Order of magnitude, not a race: a bare node process boots a whole runtime, a bare thread an isolate.
  expect(vs.startup.nodeBareProcessesMs).toBeGreaterThan(vs.startup.nodeBareThreadsMs);
  expect(r.perTask).toMatchObject({ num: 10, nodeMs: expect.any(Number), pythonMs: expect.any(Number) });
  expect(await childPids()).toEqual([]);
}, 120_000);

test('benchSequentialOverhead times the sequential mode and a bare loop over the same inputs', async () => {
  const r = await benchSequentialOverhead(4, 10, 2);
  expect(r.bareLoopMs).toBeGreaterThan(0);
  expect(r.sequentialModeMs).toBeGreaterThan(0);
  expect(Math.abs(r.ratio! - r.sequentialModeMs! / r.bareLoopMs!)).toBeLessThan(0.1);
});

test('benchQueue reports the per-task cost of the queue beside the pools, and the CPU work on queue workers', async () => {
  const r = await benchQueue(20, 4, 10, 1, 2);
  expect(r.redis).toMatch(/^\d+\.\d+/);
  for (const key of ['perTaskMs', 'processesPerTaskMs', 'threadsPerTaskMs', 'brokerMsPerJob'] as const) {
    expect(r[key]).toBeGreaterThan(0);
  }
  expect(r.cpu).toMatchObject({ tasks: 4, num: 10, workers: 2 });
  expectRatio(r.cpu.throughputVsProcesses, r.cpu.processesMs, r.cpu.queueMs);
  expect(r.cpu.queueStartupMs).toBeGreaterThan(0);
  expect(await childPids()).toEqual([]);
}, 120_000);

test('benchScale reports per-task cost and peak memory per size and mode, beside Python, with the ratios', async () => {
  const r = await benchScale({ sizes: [200, 400], queueSizes: [200], startupWorkers: 2, startupRounds: 1 });
  const python = r.python.processPool.length ? [r.python.threadPool, r.python.processPool] : [];
  for (const list of [r.node.threads, r.node.processes, ...python]) {
    expect(list.map((p) => p.tasks)).toEqual([200, 400]);
    for (const p of list) {
      expect(p.error).toBeUndefined();
      expect(p.perTaskUs).toBeGreaterThan(0);
      expect(p.treeRssMb).toBeGreaterThanOrEqual(p.peakRssMb!);
    }
  }
  // A thread pool is one process; a process pool of 2 is three.
  expect(r.node.threads[0]!.processes).toBe(1);
  expect(r.node.processes[0]!.processes).toBe(3);
  expect(r.node.queue).toMatchObject([{ tasks: 200, perTaskUs: expect.any(Number) }]);
  expect(r.ratios).toMatchObject({ from: 200, to: 400 });
  expectRatio(r.ratios.threadsPerTaskGrowth, r.node.threads[1]!.perTaskUs, r.node.threads[0]!.perTaskUs);
  expect(r.startup).toMatchObject({ workers: 2, rounds: 1 });
  expectRatio(r.startup!.ratio, r.startup!.poolProcessesMs, r.startup!.bareProcessesMs);
  expect(await childPids()).toEqual([]);
}, 120_000);
