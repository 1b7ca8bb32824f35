/** The benchmark's parts at toy sizes: the shape of what `npm run bench` reports, not its speed. */
import { benchCeiling, benchCpu, benchOverhead } from '../lib/dist/tools/bench';
import { childPids } from './helpers/processes';

test('benchCpu reports medians for every mode, start-up apart, and the oversubscribed pools', async () => {
  const r = await benchCpu(4, 10, 1, 3);
  expect(r).toMatchObject({ tasks: 4, num: 10, oversubscribed: { workers: 3 } });
  for (const key of ['sequentialMs', 'threadsMs', 'processesMs', 'threadsStartupMs', 'processesStartupMs'] as const) {
    expect(r[key]).toBeGreaterThan(0);
  }
  expect(r.speedupThreads).toBeCloseTo(r.sequentialMs / r.threadsMs, 1);
  expect(r.oversubscribed.speedupProcesses).toBeCloseTo(r.sequentialMs / r.oversubscribed.processesMs, 1);
  expect(await childPids()).toEqual([]);
}, 60_000);

test('benchOverhead reports the per-task cost of the library and of bare workerpool', async () => {
  const r = await benchOverhead(50, 2, 1);
  expect(r.tasks).toBe(50);
  expect(r.perTaskMs).toBeGreaterThan(0);
  expect(r.bareWorkerpoolPerTaskMs).toBeGreaterThan(0);
  expect(await childPids()).toEqual([]);
}, 60_000);

test('benchCeiling times the same work on one raw thread and on one per core', async () => {
  const r = await benchCeiling(4, 10, 1);
  expect(r.threads).toBeGreaterThanOrEqual(1);
  expect(r.oneThreadMs).toBeGreaterThan(0);
  expect(r.manyThreadsMs).toBeGreaterThan(0);
  expect(r.speedup).toBeCloseTo(r.oneThreadMs / r.manyThreadsMs, 1);
}, 60_000);
