/** How many timed runs each mode gets: a fixed count when asked, else hyperfine's way (a minimum, then a time budget). */
import { compare, sweep } from 'concurrency-lab';
import { wantsAnotherRun } from '../lib/dist/core/measure';

const count = (r: Awaited<ReturnType<typeof compare>>, mode: string) => r.runs.filter((x) => x.mode === mode).length;

test('repeats is a fixed count for every mode', async () => {
  const r = await compare({ workload: 'sleep', inputs: [1, 1], modes: ['sequential', 'async'], repeats: 3, warmup: 0 });
  expect(count(r, 'sequential')).toBe(3);
  expect(count(r, 'async')).toBe(3);
  expect(r.repeats).toBe(3);
});

test('without repeats, a mode of milliseconds runs until its budget is spent, a slow one its minimum', async () => {
  const fast = await compare({ workload: 'sleep', inputs: [20], modes: ['sequential'], budgetMs: 200, warmup: 0 });
  expect(count(fast, 'sequential')).toBeGreaterThanOrEqual(8);
  expect(count(fast, 'sequential')).toBeLessThanOrEqual(30);
  const slow = await compare({ workload: 'sleep', inputs: [300], modes: ['async'], budgetMs: 200, warmup: 0 });
  expect(count(slow, 'async')).toBe(2);
});

test('maxRuns caps the runs, and a sweep adapts per pool size too', async () => {
  const r = await compare({ workload: 'sleep', inputs: [1], modes: ['async'], maxRuns: 4, warmup: 0 });
  expect(count(r, 'async')).toBe(4);
  const s = await sweep({ workload: 'sleep', inputs: [300], workers: [1], budgetMs: 100, minRuns: 1, warmup: 0 });
  expect(s.baseline).toHaveLength(1);
  expect(s.points[0]!.runs).toHaveLength(1);
});

test('the rule: the minimum first, then the budget, then more while runs vary by over 10% (up to three budgets)', () => {
  const rule = { minRuns: 2, budgetMs: 1000, maxRuns: 50 };
  expect(wantsAnotherRun(rule, [5000])).toBe(true);
  expect(wantsAnotherRun(rule, [5000, 5100])).toBe(false);
  expect(wantsAnotherRun(rule, [100, 100, 100])).toBe(true);
  expect(wantsAnotherRun(rule, Array(10).fill(100))).toBe(false);
  expect(wantsAnotherRun(rule, [600, 400])).toBe(true); // noisy, 1000 spent of 3000
  expect(wantsAnotherRun(rule, [2000, 1000])).toBe(false); // noisy, but three budgets spent
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
