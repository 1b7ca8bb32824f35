/** Faults in every mode: tasks that throw, workers that die or run out of memory, tasks that hang. */
import { compare, timelineChart, wallTimeChart } from 'concurrency-lab';
import { openResources } from '../lib/dist/core/teardown';
import { childPids } from './helpers/processes';

afterEach(async () => {
  expect(openResources()).toBe(0);
  expect(await childPids()).toEqual([]);
});

const failures = (r: Awaited<ReturnType<typeof compare>>, mode: string) =>
  r.runs.filter((run) => run.mode === mode).flatMap((run) => run.tasks.failed());

describe('a worker that dies', () => {
  const exitOnTwo = (n: number) => {
    if (n === 2) process.exit(3);
    return n;
  };

  test.each(['threads', 'processes'] as const)(
    'in %s: reported with its index, replaced, the other results kept, in a pool of one and of two',
    async (mode) => {
      const r = await compare({
        workload: exitOnTwo,
        inputs: [1, 2, 3, 4, 5],
        modes: [mode],
        workers: 2,
        repeats: 2,
        warmup: 0,
      });
      expect(r.rows.map((row) => row.label)).toEqual([`${mode} (1)`, `${mode} (2)`]);
      expect(r.runs).toHaveLength(4);
      for (const run of r.runs) {
        expect(run.results).toEqual([1, undefined, 3, 4, 5]);
        expect(run.tasks.failed()).toEqual([
          expect.objectContaining({
            index: 1,
            error: `its ${mode === 'threads' ? 'worker thread' : 'worker process'} died (exit code 3) and was replaced`,
          }),
        ]);
      }
    },
  );

  test.each(['threads', 'processes'] as const)(
    'in %s: when every worker dies, every task is reported and the run still ends',
    async (mode) => {
      // workerpool hands the queued tasks to the dead workers' replacements only when told to
      // (pool.ts restarts its queue): without that, this run waited for ever.
      const exitAlways = (n: number) => process.exit(n);
      const r = await compare({
        workload: exitAlways,
        inputs: [3, 4, 5, 6, 7],
        modes: [mode],
        workers: 2,
        repeats: 1,
        warmup: 0,
      });
      for (const run of r.runs) {
        expect(run.tasks.failed().map((t) => t.error)).toEqual(
          [3, 4, 5, 6, 7].map((code) =>
            expect.stringMatching(new RegExp(`^its worker \\w+ died \\(exit code ${code}\\)`)),
          ),
        );
      }
    },
  );

  test.each(['threads', 'processes'] as const)(
    'in %s: an uncaught error outside the task is reported too',
    async (mode) => {
      const throwLater = (n: number) =>
        new Promise((resolve) => {
          if (n === 1)
            setTimeout(() => {
              throw new Error('escaped');
            }, 1);
          else resolve(n);
        });
      const r = await compare({
        workload: throwLater,
        inputs: [0, 1, 2],
        modes: [mode],
        workers: 2,
        oneWorker: false,
        repeats: 1,
        warmup: 0,
      });
      expect(r.runs[0]!.results).toEqual([0, undefined, 2]);
      expect(failures(r, mode)).toEqual([expect.objectContaining({ index: 1, ok: false })]);
    },
  );

  test.each(['threads', 'processes'] as const)(
    'in %s: a worker over its memory limit is reported and replaced',
    async (mode) => {
      const hog = (n: number) => {
        if (n !== 1) return n;
        const keep: number[][] = [];
        for (;;) keep.push(new Array(1e5).fill(n));
      };
      const r = await compare({
        workload: hog,
        inputs: [0, 1, 2],
        modes: [mode],
        workers: 2,
        oneWorker: false,
        repeats: 1,
        warmup: 0,
        memoryLimitMb: 32,
      });
      expect(r.runs[0]!.results).toEqual([0, undefined, 2]);
      const [failed] = failures(r, mode);
      expect(failed).toMatchObject({ index: 1, ok: false });
      expect(failed!.error).toMatch(/out of memory|died/);
    },
    60_000,
  );
});

describe('a task that hangs', () => {
  const hangOnOne = (n: number) => (n === 1 ? new Promise(() => undefined) : n);
  const spinOnOne = (n: number) => {
    if (n === 1) for (;;);
    return n;
  };

  test.each(['sequential', 'async'] as const)(
    'in %s: a waiting task is ended by the timeout, and says so',
    async (mode) => {
      const r = await compare({
        workload: hangOnOne,
        inputs: [0, 1, 2],
        modes: [mode],
        repeats: 1,
        warmup: 0,
        timeoutMs: 200,
      });
      expect(r.runs[0]!.results).toEqual([0, undefined, 2]);
      expect(failures(r, mode)).toEqual([expect.objectContaining({ index: 1, error: 'timed out after 200 ms' })]);
    },
  );

  test.each(['threads', 'processes'] as const)(
    'in %s: a spinning task is stopped by the timeout, its worker replaced',
    async (mode) => {
      const r = await compare({
        workload: spinOnOne,
        inputs: [0, 1, 2, 3],
        modes: [mode],
        workers: 2,
        oneWorker: false,
        repeats: 2,
        warmup: 0,
        timeoutMs: 1500,
      });
      for (const run of r.runs) {
        expect(run.results).toEqual([0, undefined, 2, 3]);
        expect(run.tasks.failed()).toEqual([
          expect.objectContaining({
            index: 1,
            error: expect.stringMatching(
              /^timed out after 1500 ms; its worker (thread|process) was stopped and replaced$/,
            ),
          }),
        ]);
      }
    },
    30_000,
  );

  test('on the calling thread a busy task cannot be stopped, but it is failed for running over', async () => {
    const busy = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until);
      return ms;
    };
    const r = await compare({
      workload: busy,
      inputs: [1, 150],
      modes: ['sequential'],
      repeats: 1,
      warmup: 0,
      timeoutMs: 50,
    });
    expect(r.runs[0]!.results).toEqual([1, undefined]);
    expect(failures(r, 'sequential')[0]!.error).toMatch(/^took \d+ ms, over the timeout of 50 ms/);
  });
});

test('a run with failures still draws its charts, with the failures marked', async () => {
  const failOdd = (n: number) => {
    if (n % 2) throw new Error(`odd ${n}`);
    return n;
  };
  const r = await compare({
    workload: failOdd,
    inputs: [0, 1, 2, 3],
    modes: ['sequential', 'threads'],
    workers: 2,
    repeats: 1,
    warmup: 0,
  });
  expect(r.rows.map((row) => row.label)).toEqual(['sequential', 'threads (1)', 'threads (2)']);
  const bars = wallTimeChart(r).data[0]!;
  // The sequential row is read against nothing: no speedup, only its failures.
  expect(bars.text).toEqual([
    '2 failed',
    expect.stringMatching(/^\d+\.\d\dx · 2 failed$/),
    expect.stringMatching(/^\d+\.\d\dx · 2 failed$/),
  ]);
  const timeline = timelineChart(r.runs);
  const failed = timeline.data.find((t) => t.name === 'failed')!;
  expect(failed.text).toEqual(Array(3).fill(['task 1: odd 1', 'task 3: odd 3']).flat());
});
