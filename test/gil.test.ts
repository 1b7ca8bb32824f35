import { closeAll, cpu, gil, InterruptedError, openResources, ParameterError, stats } from 'concurrency-lab';

const free = (team: gil.GilTeam) => {
  const s = team.lockState();
  return { locked: s.locked, owner: s.owner, waiters: s.waiters, busy: s.busy };
};
const FREE = { locked: false, owner: 0, waiters: 0, busy: [] };

describe('the simulated global lock', () => {
  let team: gil.GilTeam;
  beforeAll(async () => {
    team = await gil.GilTeam.start(4);
  });
  afterAll(async () => {
    await team.close();
  });

  test('gives mutual exclusion: no increment is lost when four threads contend for it', async () => {
    // A short switch interval makes the lock change hands often, in the middle of the increments.
    const run = await team.run(Array(4).fill({ count: 200_000 }), { gil: true, switchIntervalMs: 0.1 });
    expect(run.tasks.every((t) => t.ok)).toBe(true);
    expect(run.counter).toBe(800_000);
    expect(run.switches).toBeGreaterThan(3);
    expect(new Set(run.holds.map((h) => h.threadId)).size).toBe(4);
    expect(free(team)).toEqual(FREE);
  });

  test('is released when a task throws while holding it, and the thread goes on to the next task', async () => {
    const run = await team.run([[{ spin: 20 }, { fail: 'throw' }], { spin: 30 }, { count: 1000 }, { spin: 5 }], {
      gil: true,
      threads: 2,
    });
    expect(run.tasks.map((t) => t.ok)).toEqual([false, true, true, true]);
    expect(run.tasks[0]!.error).toMatch(/failed on purpose while holding the lock/);
    expect(run.counter).toBe(1000);
    expect(free(team)).toEqual(FREE);
  });

  test('is released when a thread dies holding it; the others finish, and the thread is replaced', async () => {
    const run = await team.run([[{ spin: 10 }, { fail: 'exit' }], { spin: 60 }, { spin: 10 }, { spin: 10 }], {
      gil: true,
      threads: 2,
    });
    expect(run.tasks[0]!.ok).toBe(false);
    expect(run.tasks[0]!.error).toMatch(/exited/);
    expect(run.tasks.slice(1).every((t) => t.ok)).toBe(true);
    expect(free(team)).toEqual(FREE);
    const next = await team.run(Array(4).fill({ count: 10_000 }), { gil: true, threads: 2 });
    expect(next.counter).toBe(40_000);
    expect(next.tasks.every((t) => t.ok)).toBe(true);
  });

  test('is released by threads that wait, so their waits overlap', async () => {
    const run = await team.run(gil.ioTasks(8, 100), { gil: true });
    expect(run.tasks.every((t) => t.ok)).toBe(true);
    // One after another this is 800 ms; four threads that let go of the lock while they wait need about 200.
    expect(run.wallMs).toBeLessThan(600);
  });

  test('runs the course CPU function in slices with the same result', async () => {
    const run = await team.run(gil.cpuTasks(4, 14), { gil: true, switchIntervalMs: 0.5 });
    expect(run.results).toEqual(Array(4).fill(cpu.cpuBound(14)));
  });

  test('rejects a bad switch interval or thread count with one line naming it', async () => {
    for (const bad of [0, -1, NaN, Infinity]) {
      await expect(team.run([{ spin: 1 }], { gil: true, switchIntervalMs: bad })).rejects.toThrow(
        /^switchIntervalMs must be a number of ms > 0/,
      );
    }
    await expect(team.run([{ spin: 1 }], { gil: true, threads: 0 })).rejects.toThrow(
      'threads must be an integer from 1 to 4 (got 0)',
    );
    await expect(team.run([{ spin: -1 }], { gil: true })).rejects.toThrow(/^tasks\[0\]\.spin must be/);
    await expect(team.run([{ nap: 1 } as never], { gil: true })).rejects.toThrow(ParameterError);
    expect(free(team)).toEqual(FREE);
  });
});

describe('compareGil', () => {
  let result: gil.Comparison;
  beforeAll(async () => {
    result = await gil.compare({ tasks: gil.cpuTasks(4, 14), threads: 2, repeats: 2, switchIntervalMs: 1 });
  });

  test('runs every variant, repeats interleaved, with correct results, and closes its threads', () => {
    expect(result.runs.map((r) => r.variant)).toEqual(['sequential', 'sequential', 'gil', 'gil', 'free', 'free']);
    for (const run of result.runs) expect(run.results).toEqual(Array(4).fill(cpu.cpuBound(14)));
    expect(result.runs.find((r) => r.variant === 'sequential')!.workers).toBe(1);
    expect(result.runs.filter((r) => r.variant === 'free').every((r) => r.holds.length === 0)).toBe(true);
    expect(openResources()).toBe(0);
  });

  test('summarises speedups over one thread and charts them with their ideal', () => {
    const [seq, locked, nolock] = gil.summarize(result);
    expect(seq!.speedup).toBeCloseTo(1, 10);
    expect(locked!.speedup).toBeGreaterThan(0);
    expect(nolock!.threads).toBe(2);
    const figure = gil.chart(result);
    expect(figure.data[0]!.y).toHaveLength(3);
    expect(figure.data[1]!.y).toEqual([1, 1, Math.min(2, result.env.cores, 4)]);
    expect(figure.table).toMatch(/threads \+ global lock/);
    const timeline = gil.lockTimelineChart(result.runs.find((r) => r.variant === 'gil')!);
    expect(timeline.table).toMatch(/holds in the first 60 ms/);
  });

  test('is read back in "what we measured" and the headline, direction first', () => {
    const text = gil.findings({ cpu: result });
    const against = /(\d[\d.]*x (faster|slower) than one thread|no measurable difference from one thread)/;
    expect(text).toMatch(new RegExp(`switch interval\\): ${against.source}`));
    expect(text).toMatch(
      new RegExp(`The same 2 threads without the lock \\(the ideal: [\\d.]+x on \\d+ cores?\\): ${against.source}`),
    );
    expect(gil.headline(result)).toMatch(
      new RegExp(`^Simulated GIL, 2 threads on \\d+ cores?: with one global lock, ${against.source}`),
    );
    expect(text + gil.headline(result)).not.toMatch(/\b0\.\d+x/);
  });

  test('checks its input before starting any thread', async () => {
    await expect(gil.compare({ tasks: gil.cpuTasks(2, 10), threads: 0 })).rejects.toThrow(
      'threads must be an integer from 1 to 64 (got 0)',
    );
    await expect(gil.compare({ tasks: gil.cpuTasks(2, 10), switchIntervalMs: NaN })).rejects.toThrow(
      /^switchIntervalMs/,
    );
    await expect(gil.compare({ tasks: [] })).rejects.toThrow('tasks must be a non-empty list (got an empty list)');
    expect(openResources()).toBe(0);
  });
});

describe('the switch-interval sweep', () => {
  test('measures each interval against one thread, with the I/O thread lag', async () => {
    const sweep = await gil.sweepSwitchInterval({
      tasks: gil.cpuTasks(2, 12),
      intervals: [0.5, 2],
      repeats: 1,
      ioWaits: 5,
    });
    expect(sweep.points.map((p) => p.switchIntervalMs)).toEqual([0.5, 2]);
    for (const p of sweep.points) {
      expect(p.slowdown).toBeGreaterThan(0);
      expect(p.ioDelayMs).toBeGreaterThanOrEqual(0);
    }
    expect(gil.switchSweepChart(sweep).data).toHaveLength(2);
    await expect(gil.sweepSwitchInterval({ tasks: gil.cpuTasks(2, 12), intervals: [1, 0] })).rejects.toThrow(
      /^intervals\[1\] must be a number of ms > 0/,
    );
    expect(openResources()).toBe(0);
  });
});

describe('Amdahl: work with a set serial fraction', () => {
  test('splits the work into a parallel and a serial share', () => {
    const tasks = gil.serialFractionTasks(0.25, 400, 4) as { spin?: number; serial?: number }[][];
    expect(tasks).toHaveLength(4);
    const sum = (key: 'spin' | 'serial') => tasks.flat().reduce((s, step) => s + (step[key] ?? 0), 0);
    expect(sum('spin')).toBeCloseTo(300);
    expect(sum('serial')).toBeCloseTo(100);
  });

  test('rejects a serial fraction outside [0, 1] with one line naming it, before any thread starts', async () => {
    expect(() => gil.serialFractionTasks(1.5, 100, 2)).toThrow('serialFraction must be a number from 0 to 1 (got 1.5)');
    for (const bad of [-0.1, 1.01, NaN]) {
      await expect(gil.measureAmdahl({ serialFraction: bad })).rejects.toThrow(
        /^serialFraction must be a number from 0 to 1/,
      );
    }
    expect(openResources()).toBe(0);
  });

  test('is measured as a sweep the scaling chart reads, with the set fraction drawn', async () => {
    const result = await gil.measureAmdahl({ serialFraction: 0.5, workMs: 20, workers: [1, 2], repeats: 1 });
    expect(result.baseline).toHaveLength(1);
    expect(result.points.map((p) => p.workers)).toEqual([1, 2]);
    expect(result.points[1]!.runs[0]!.tasks).toHaveLength(2);
    const fit = stats.scalingPoints(result).serialFraction;
    expect(fit).toBeGreaterThanOrEqual(0);
    expect(fit).toBeLessThanOrEqual(1);
    const figure = gil.amdahlChart(result);
    expect(figure.data.at(-1)!.y).toEqual([1, 1 / (0.5 + 0.5 / Math.min(2, result.env.cores))]);
    expect(openResources()).toBe(0);
  });
});

describe('an interrupt', () => {
  test('stops a run under the lock: the run rejects and every thread ends', async () => {
    const run = gil.compare({ tasks: gil.cpuTasks(40, 30), threads: 3, repeats: 3 });
    setTimeout(() => void closeAll('test interrupt'), 400);
    await expect(run).rejects.toThrow(InterruptedError);
    expect(openResources()).toBe(0);
  });
});
