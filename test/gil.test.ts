/**
 * The simulated GIL of notebook 06 on real worker threads: the `gil` mode (a thread pool that
 * shares one lock, on or off) through `compare`, `gil.compare`'s three rows, the switch
 * interval sweep, Amdahl's law, bad input, and an interrupt.
 */
import { closeAll, compare, cpu, gil, InterruptedError, type Comparison, type Run } from 'concurrency-lab';
import { ioTasks, serialFractionTasks } from '../lib/dist/concepts/gil/work';
import { openResources } from '../lib/dist/core/teardown';
import { amdahl } from '../lib/dist/core/amdahl';

interface GilDetail {
  lock: boolean;
  switches: number;
  heldMs: number;
  holds: { threadId: number; start: number; end: number }[];
}
const detail = (run: Run) => run.detail!.gil as GilDetail;
const runsOf = (c: Comparison, label: string) => c.runs.filter((r) => r.label === label);

/** Holds that began before an earlier one had ended (two threads holding at once), beyond the clock's precision. */
function overlapping(holds: GilDetail['holds']): number {
  let overlaps = 0;
  let lastEnd = -Infinity;
  for (const h of [...holds].sort((a, b) => a.start - b.start)) {
    if (h.start < lastEnd - 0.05) overlaps++;
    lastEnd = Math.max(lastEnd, h.end);
  }
  return overlaps;
}

/** One row of the gil mode: `workers` threads, the lock on or off. */
const gilRow = (label: string, workers: number, lock: boolean, switchIntervalMs = 5) => ({
  mode: 'gil' as const,
  label,
  workers,
  options: { lock, switchIntervalMs },
});

describe('the gil mode: one simulated global lock', () => {
  test('gives mutual exclusion: no two threads hold it at once, and it changes hands among all four', async () => {
    // A short switch interval makes the lock change hands often, in the middle of the work.
    const c = await compare({
      workload: 'steps',
      inputs: Array(4).fill({ spin: 40 }),
      modes: [gilRow('locked', 4, true, 0.1), gilRow('free', 4, false)],
      oneWorker: false,
      repeats: 1,
      warmup: 0,
    });
    const [locked] = runsOf(c, 'locked');
    expect(locked!.tasks.failed()).toEqual([]);
    const d = detail(locked!);
    expect(d.lock).toBe(true);
    expect(d.switches).toBeGreaterThan(3);
    expect(new Set(d.holds.map((h) => h.threadId)).size).toBe(4);
    expect(overlapping(d.holds)).toBe(0);
    // The holds add up to the time the tasks held the lock.
    const held = d.holds.reduce((s, h) => s + (h.end - h.start), 0);
    expect(Math.abs(held - d.heldMs)).toBeLessThan(1);
    const [free] = runsOf(c, 'free');
    expect(detail(free!)).toMatchObject({ lock: false, switches: 0, holds: [] });
    expect(openResources()).toBe(0);
  });

  test('is released when a task throws while holding it: the others finish, this run and the next', async () => {
    const c = await compare({
      workload: 'steps',
      inputs: [[{ spin: 20 }, { fail: 'throw' }], { spin: 30 }, { spin: 5 }, { spin: 5 }],
      modes: [gilRow('locked', 2, true)],
      oneWorker: false,
      repeats: 2,
      warmup: 0,
    });
    expect(c.runs).toHaveLength(2);
    for (const run of c.runs) {
      expect([...run.tasks].map((t) => t.ok)).toEqual([false, true, true, true]);
      expect(run.tasks.at(0).error).toMatch(/failed on purpose/);
      expect(overlapping(detail(run).holds)).toBe(0);
    }
    expect(openResources()).toBe(0);
  });

  test('is released when a thread dies holding it; the others finish, and the thread is replaced for the next run', async () => {
    const c = await compare({
      workload: 'steps',
      inputs: [[{ spin: 10 }, { fail: 'exit' }], { spin: 60 }, { spin: 10 }, { spin: 10 }],
      modes: [gilRow('locked', 2, true)],
      oneWorker: false,
      repeats: 2,
      warmup: 0,
    });
    expect(c.runs).toHaveLength(2);
    for (const run of c.runs) {
      expect(run.tasks.at(0).ok).toBe(false);
      expect(run.tasks.at(0).error).toMatch(/exit/);
      expect([...run.tasks].slice(1).every((t) => t.ok)).toBe(true);
    }
    expect(openResources()).toBe(0);
  });

  test('is released by threads that wait, so their waits overlap', async () => {
    const c = await gil.compare({ workload: 'steps', inputs: ioTasks(8, 100), threads: 4, repeats: 1 });
    // One after another this is 800 ms; four threads that let go of the lock while they wait need about 200.
    const [one] = runsOf(c, 'one thread');
    const [locked] = runsOf(c, 'threads + global lock');
    expect(one!.wallMs).toBeGreaterThanOrEqual(800);
    expect(locked!.wallMs).toBeLessThan(600);
    expect(locked!.tasks.failed()).toEqual([]);
  });

  test('a bad step fails its task in one line naming it, and the run goes on', async () => {
    const c = await compare({
      workload: 'steps',
      inputs: [{ spin: -1 }, { spin: 1 }, { nap: 1 }],
      modes: [gilRow('locked', 2, true)],
      oneWorker: false,
      repeats: 1,
      warmup: 0,
    });
    const [run] = c.runs;
    expect(run!.tasks.at(0).error).toBe('task.spin must be a number from 0 to 600000 (got -1)');
    expect(run!.tasks.at(1).ok).toBe(true);
    expect(run!.tasks.at(2).error).toMatch(/^task must be one of \{ cpu \| spin \| wait \| serial \| fail: value \}/);
    expect(openResources()).toBe(0);
  });

  test('rejects bad mode options with one line naming them, before any thread starts', async () => {
    const base = { workload: 'steps', inputs: [{ spin: 1 }], oneWorker: false, repeats: 1 };
    for (const bad of [0, -1, NaN, Infinity]) {
      await expect(compare({ ...base, modes: [gilRow('x', 2, true, bad)] })).rejects.toThrow(
        /^switchIntervalMs must be a number from 0\.01 to 60000/,
      );
    }
    await expect(compare({ ...base, modes: [{ mode: 'gil', workers: 2, options: { lock: 'yes' } }] })).rejects.toThrow(
      'lock must be true or false (got "yes")',
    );
    expect(openResources()).toBe(0);
  });
});

describe('gil.compare: one thread, the threads with the lock, the same threads without it', () => {
  let result: Comparison;
  beforeAll(async () => {
    result = await gil.compare({ inputs: [14, 14, 14, 14], threads: 2, repeats: 2, switchIntervalMs: 1 });
  });

  test('runs every row, the rows taking turns, with the course function’s results, and closes its threads', () => {
    expect(result.rows.map((r) => [r.label, r.workers, r.baseline])).toEqual([
      ['one thread', 1, undefined],
      ['threads + global lock', 2, 'one thread'],
      ['threads, no lock', 2, 'one thread'],
    ]);
    // In turns: every row's first run before any row's second.
    const inTurns = [...result.runs].sort((a, b) => a.start - b.start);
    expect(inTurns.map((r) => r.repeat)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(new Set(inTurns.slice(0, 3).map((r) => r.label)).size).toBe(3);
    for (const run of result.runs) expect(run.results).toEqual(Array(4).fill(cpu.cpuBound(14)));
    for (const run of runsOf(result, 'threads, no lock')) expect(detail(run).holds).toEqual([]);
    for (const run of runsOf(result, 'threads + global lock')) expect(overlapping(detail(run).holds)).toBe(0);
    expect(result.params).toMatchObject({ threads: 2, switchIntervalMs: 1 });
    expect(openResources()).toBe(0);
  });

  test('charts each row against one thread with its ideal, and the lock’s holds on a timeline', () => {
    const figure = gil.chart(result);
    expect(figure.data[0]!.y).toHaveLength(3);
    expect(figure.table).toMatch(/threads \+ global lock/);
    expect(figure.table).toContain('ideal');
    const timeline = gil.lockTimelineChart(runsOf(result, 'threads + global lock')[0]!);
    expect(timeline.table).toMatch(/holds in the first 60 ms/);
  });

  test('is read back in "what we measured" and the headline, direction first', () => {
    const r = gil.report({ cpu: result });
    const against = /(\d[\d.]*x (faster|slower) than one thread|no measurable difference from one thread)/;
    expect(r.findings).toMatch(new RegExp(`switch interval\\): ${against.source}`));
    expect(r.findings).toMatch(
      new RegExp(`The same 2 threads without the lock \\(the ideal: [\\d.]+x\\): ${against.source}`),
    );
    expect(r.headline).toMatch(
      new RegExp(`^Simulated GIL, 2 threads on [\\d.]+ cores?: with one global lock, ${against.source}`),
    );
    expect(r.findings + r.headline).not.toMatch(/\b0\.\d+x/);
    expect(r.results.cpu).toBe(result);
  });

  test('checks its input before starting any thread', async () => {
    await expect(gil.compare({ inputs: [10, 10], threads: 0 })).rejects.toThrow(
      'threads must be an integer from 1 to 64 (got 0)',
    );
    await expect(gil.compare({ inputs: [10, 10], switchIntervalMs: NaN })).rejects.toThrow(/^switchIntervalMs/);
    await expect(gil.compare({ inputs: [] })).rejects.toThrow('inputs must be a non-empty list (got an empty list)');
    expect(openResources()).toBe(0);
  });
});

describe('the switch-interval sweep', () => {
  test('measures each interval against one thread, with an I/O thread beside a CPU thread', async () => {
    const sweep = await gil.sweepSwitchInterval({ count: 2, num: 12, intervals: [0.5, 2], repeats: 1 });
    expect(sweep.rows.map((r) => [r.label, r.baseline])).toEqual([
      ['one thread', undefined],
      ['2 threads at 0.5 ms', 'one thread'],
      ['I/O thread at 0.5 ms', undefined],
      ['2 threads at 2 ms', 'one thread'],
      ['I/O thread at 2 ms', undefined],
    ]);
    for (const run of sweep.runs) expect(run.tasks.failed()).toEqual([]);
    // The I/O thread's 40 waits of 1 ms: never shorter than the waits themselves.
    for (const run of sweep.runs.filter((r) => r.label.startsWith('I/O'))) {
      expect(run.tasks.at(0).end - run.tasks.at(0).start).toBeGreaterThanOrEqual(40);
    }
    expect(gil.switchSweepChart(sweep).data.length).toBeGreaterThanOrEqual(2);
    expect(gil.report({ switches: sweep }).findings).toContain(
      '- **The switch interval.** At 0.50 ms the lock changed hands',
    );
    await expect(gil.sweepSwitchInterval({ count: 2, num: 12, intervals: [1, 0] })).rejects.toThrow(
      /^intervals\[1\] must be a number from 0\.01 to 60000/,
    );
    expect(openResources()).toBe(0);
  });
});

describe('Amdahl: work with a set serial fraction', () => {
  test('splits the work into a parallel and a serial share', () => {
    const tasks = serialFractionTasks(0.25, 400, 4) as { spin?: number; serial?: number }[][];
    expect(tasks).toHaveLength(4);
    const sum = (key: 'spin' | 'serial') => tasks.flat().reduce((s, step) => s + (step[key] ?? 0), 0);
    expect(sum('spin')).toBeCloseTo(300);
    expect(sum('serial')).toBeCloseTo(100);
    expect(() => serialFractionTasks(1.5, 100, 2)).toThrow('serialFraction must be a number from 0 to 1 (got 1.5)');
  });

  test('rejects a serial fraction outside [0, 1] with one line naming it, before any thread starts', async () => {
    for (const bad of [-0.1, 1.01, NaN]) {
      await expect(gil.measureAmdahl({ serialFraction: bad, workers: [1, 2] })).rejects.toThrow(
        /^serialFraction must be a number from 0 to 1/,
      );
    }
    expect(openResources()).toBe(0);
  });

  test('is measured as rows of 1, 2, ... threads the scaling chart reads, with the set fraction drawn', async () => {
    const result = await gil.measureAmdahl({ serialFraction: 0.5, workMs: 20, workers: [2], repeats: 1 });
    expect(result.rows.map((r) => [r.label, r.workers, r.tasks, r.baseline])).toEqual([
      ['1 thread', 1, 1, undefined],
      ['2 threads', 2, 2, '1 thread'],
    ]);
    expect(runsOf(result, '2 threads')[0]!.tasks).toHaveLength(2);
    expect(result.params).toMatchObject({ serialFraction: 0.5, workMs: 20 });
    const figure = gil.amdahlChart(result);
    expect(figure.data.at(-1)!.y).toEqual([1, amdahl(0.5, Math.min(2, result.env.cores))]);
    expect(gil.report({ amdahl: result }).findings).toMatch(/^- \*\*Amdahl's law\.\*\* With 50% of the work serial/m);
    expect(openResources()).toBe(0);
  });

  test('every thread and process spins at the rate measured here before its pool started, not its own', async () => {
    // A spin's result is its burn loop's last value, so it is the same wherever the rate is the same.
    const seen = await compare({
      workload: 'steps',
      inputs: Array(6).fill({ spin: 2 }),
      modes: ['sequential', 'threads', 'processes', 'gil'],
      workers: 3,
      oneWorker: false,
      repeats: 1,
      modeOptions: { gil: { lock: false } },
    });
    const results = seen.runs.flatMap((run) => run.results);
    expect(results).toHaveLength(24);
    expect(new Set(results).size).toBe(1);
  });
});

describe('an interrupt', () => {
  test('stops a run under the lock: the run rejects and every thread ends', async () => {
    const run = gil.compare({ inputs: Array(40).fill(30), threads: 3, repeats: 3 });
    setTimeout(() => void closeAll('test interrupt'), 400);
    await expect(run).rejects.toThrow(InterruptedError);
    expect(openResources()).toBe(0);
  });
});
