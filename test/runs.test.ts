/**
 * How many timed runs each row gets, and in what order: a fixed count when asked, else
 * hyperfine's way (a minimum, then a time budget, at most a maximum); rows take turns.
 */
import { compare, type Comparison, sweep } from 'concurrency-lab';
import { runsOf } from '../lib/dist/core/measure';
import { wantsAnotherRun } from '../lib/dist/core/rounds';
import { settle } from '../lib/dist/core/settle';

const count = (r: Comparison, label: string) => runsOf(r, label).length;

test('repeats is a fixed count for every row, numbered from 0', async () => {
  const r = await compare({ workload: 'sleep', inputs: [1, 1], modes: ['sequential', 'async'], repeats: 3, warmup: 0 });
  expect(r.rows.map((row) => row.label)).toEqual(['sequential', 'async']);
  for (const label of ['sequential', 'async']) expect(runsOf(r, label).map((run) => run.repeat)).toEqual([0, 1, 2]);
});

test('rows take turns: no row runs all its repeats before another starts, and no row always goes first', async () => {
  const r = await compare({ workload: 'sleep', inputs: [2], modes: ['sequential', 'async'], repeats: 4, warmup: 0 });
  const order = [...r.runs].sort((a, b) => a.start - b.start).map((run) => run.label);
  // Round by round the order rotates: A B, B A, A B, B A.
  expect(order).toEqual(['sequential', 'async', 'async', 'sequential', 'sequential', 'async', 'async', 'sequential']);
});

test('without repeats, a row of milliseconds runs until its budget is spent, a slow one its minimum', async () => {
  // Loose bounds: 200 ms of 20 ms sleeps is 10 runs on a quiet machine, fewer when the timers run late (more than the minimum of 2 all the same).
  const fast = await compare({ workload: 'sleep', inputs: [20], modes: ['sequential'], budgetMs: 200, warmup: 0 });
  expect(count(fast, 'sequential')).toBeGreaterThanOrEqual(3);
  expect(count(fast, 'sequential')).toBeLessThanOrEqual(30);
  const slow = await compare({ workload: 'sleep', inputs: [300], modes: ['async'], budgetMs: 200, warmup: 0 });
  expect(count(slow, 'async')).toBe(2);
});

test('maxRuns caps the runs, minRuns sets the least, and a sweep adapts per pool size too', async () => {
  const r = await compare({ workload: 'sleep', inputs: [1], modes: ['async'], maxRuns: 4, warmup: 0 });
  expect(count(r, 'async')).toBe(4);
  const least = await compare({ workload: 'sleep', inputs: [50], modes: ['async'], minRuns: 3, budgetMs: 0 });
  expect(count(least, 'async')).toBe(3);
  const s = await sweep({ workload: 'sleep', inputs: [300], workers: [1], budgetMs: 100, minRuns: 1, warmup: 0 });
  expect(s.rows.map((row) => row.label)).toEqual(['threads (1)']);
  expect(count(s, 'threads (1)')).toBe(1);
});

test('the rule: the minimum first, then the budget, then more while runs vary by over 10% (up to three budgets)', () => {
  const rule = { minRuns: 2, budgetMs: 1000, maxRuns: 50 };
  expect(wantsAnotherRun(rule, [5000])).toBe(true);
  expect(wantsAnotherRun(rule, [5000, 5100])).toBe(false);
  expect(wantsAnotherRun(rule, [100, 100, 100])).toBe(true);
  expect(wantsAnotherRun(rule, Array(10).fill(100))).toBe(false);
  expect(wantsAnotherRun(rule, [600, 400])).toBe(true); // noisy, 1000 spent of 3000
  expect(wantsAnotherRun(rule, [2000, 1000])).toBe(false); // noisy, but three budgets spent
  expect(wantsAnotherRun({ minRuns: 2, budgetMs: 1e9, maxRuns: 3 }, [1, 1, 1])).toBe(false); // the most
  // What a run cost (a program's start-up) counts against the budget, not only its wall time.
  expect(wantsAnotherRun(rule, [10, 10], [600, 600])).toBe(false);
  expect(wantsAnotherRun({ fixed: 3 }, [1, 1])).toBe(true);
  expect(wantsAnotherRun({ fixed: 3 }, [1, 1, 1])).toBe(false);
});

test('bad values of the adaptive options are one line each, before anything runs', async () => {
  await expect(compare({ workload: 'sleep', inputs: [1], minRuns: 0 })).rejects.toThrow(
    /^minRuns must be an integer from 1/,
  );
  await expect(compare({ workload: 'sleep', inputs: [1], budgetMs: -1 })).rejects.toThrow(/^budgetMs must be a number/);
  await expect(compare({ workload: 'sleep', inputs: [1], minRuns: 5, maxRuns: 2 })).rejects.toThrow(
    /^maxRuns must be an integer from 5/,
  );
});

test('after warm-up, the engine waits for the processors to quiet down, one window at least and never past its limit', async () => {
  // quiet = 1: any window is quiet enough, so it stops after the first; quiet = -1: none is, so it waits the whole limit.
  const once = await settle(1000, 50, 1);
  expect(once).toBeGreaterThanOrEqual(45);
  expect(once).toBeLessThan(1000);
  const never = await settle(200, 50, -1);
  expect(never).toBeGreaterThanOrEqual(200);
  expect(never).toBeLessThan(1000);
});
