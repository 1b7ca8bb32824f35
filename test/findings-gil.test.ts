/** "What we measured" and the headline of notebook 06, read from results built by hand. */
import { gil } from 'concurrency-lab';

type Input = Parameters<typeof gil.findings>[0];
type Comparison = gil.Comparison;
type VariantRun = Comparison['runs'][number];
type Variant = VariantRun['variant'];
type Hold = VariantRun['holds'][number];
type SwitchSweep = NonNullable<Input['switches']>;
type LoopComparison = gil.LoopComparison;

const env = (cores = 2) => ({ cores, cpuModel: 'test CPU', node: 'v20.0.0', platform: 'linux', date: '2026-01-01' });

interface RunSpec {
  /** Share of the run the lock was held, summed over threads (default: all of it for one thread, 95% with it). */
  held?: number;
  holds?: Hold[];
  switches?: number;
  /** Error messages of this run's first tasks. */
  errors?: string[];
}

function run(variant: Variant, wallMs: number, repeat: number, tasks: number, threads: number, spec: RunSpec = {}) {
  const workers = variant === 'sequential' ? 1 : threads;
  const held = variant === 'free' ? 0 : (spec.held ?? 0.95);
  return {
    variant,
    mode: 'threads' as const,
    workers,
    cores: 2,
    repeat,
    start: 0,
    end: wallMs,
    wallMs,
    tasks: Array.from({ length: tasks }, (_, index) => {
      const error = spec.errors?.[index];
      const record = { index, pid: 1, threadId: 1 + (index % workers), start: 0, end: wallMs };
      return error === undefined ? { ...record, ok: true } : { ...record, ok: false, error };
    }),
    results: [],
    gil: variant !== 'free',
    switchIntervalMs: 5,
    switches: variant === 'gil' ? (spec.switches ?? 40) : 0,
    forcedDrops: 0,
    acquisitions: 0,
    counter: 0,
    waitedMs: 0,
    heldMs: held * wallMs,
    holds: spec.holds ?? [],
  };
}

/** A comparison whose variants took these run times (ms), with optional lock records per variant. */
function comparison(
  walls: Partial<Record<Variant, number[]>>,
  options: { threads?: number; tasks?: number; cores?: number; specs?: Partial<Record<Variant, RunSpec>> } = {},
): Comparison {
  const { threads = 2, tasks = 8, cores = 2 } = options;
  const variants = (['sequential', 'gil', 'free'] as const).filter((v) => walls[v]);
  return {
    label: `${tasks} x cpu(30)`,
    tasks,
    threads,
    switchIntervalMs: 5,
    repeats: walls.sequential?.length ?? 1,
    variants: [...variants],
    runs: variants.flatMap((v) => walls[v]!.map((ms, r) => run(v, ms, r, tasks, threads, options.specs?.[v]))),
    startupMs: 40,
    env: env(cores),
    params: {},
  };
}

function expectWellSaid(text: string) {
  expect(text).not.toMatch(/\b0\.\d+x (faster|slower|sooner|as long)/);
  expect(text).not.toMatch(/a little below 1x/);
  expect(text).not.toMatch(/(^|[^.\d])1 (threads|cores|tasks|holds|times|CPU tasks|CPU threads)\b/);
}

describe('a simulated GIL: threads with one lock against one thread', () => {
  test('about 1x: no measurable difference, with the spread', () => {
    const text = gil.findings({ cpu: comparison({ sequential: [1000, 1020, 990], gil: [1010, 1030, 1000] }) });
    expect(text).toMatch(
      /8 CPU tasks on 2 threads that must hold one lock to run \(it changed hands 40 times at a 5\.00 ms switch interval\): no measurable difference from one thread \(the runs spread \d+%\)\./,
    );
    expectWellSaid(text);
  });

  test('slower: said as a slowdown, with where the time went, never "a little below 1x"', () => {
    const cpu = comparison(
      { sequential: [1000, 1010], gil: [1500, 1515] },
      { specs: { sequential: { held: 0.97 }, gil: { held: 0.75 } } },
    );
    const text = gil.findings({ cpu });
    expect(text).toContain('1.50x slower than one thread');
    expect(text).toContain('Where the time went: the lock was held 75% of the run, against 97% on one thread');
    expect(text).toContain('the work under the lock took 16% longer than on one thread');
    expectWellSaid(text);
  });

  test('much slower (0.09x) is "11x slower", with only the measured reasons', () => {
    const cpu = comparison(
      { sequential: [100, 101], gil: [1100, 1111] },
      { specs: { sequential: { held: 0.9 }, gil: { held: 0.09 } } },
    );
    const text = gil.findings({ cpu });
    expect(text).toContain('11x slower than one thread');
    expect(text).toContain('the lock was held 9% of the run, against 90% on one thread');
    expectWellSaid(text);
  });

  test('slower with no evidence of why: says what was measured and stops', () => {
    const cpu = comparison(
      { sequential: [1000, 1001], gil: [1040, 1041] },
      { specs: { sequential: { held: 0.9 }, gil: { held: 0.9 } } },
    );
    const text = gil.findings({ cpu });
    expect(text).toContain('switch interval): 1.04x slower than one thread.');
    expect(text).not.toContain('Where the time went');
  });

  test('faster than one thread under one lock is called out, with the evidence', () => {
    const overlapping = comparison(
      { sequential: [1800, 1810], gil: [1000, 1005] },
      {
        specs: {
          gil: {
            holds: [
              { threadId: 1, start: 0, end: 10 },
              { threadId: 2, start: 5, end: 15 },
            ],
          },
        },
      },
    );
    const broken = gil.findings({ cpu: overlapping });
    expect(broken).toContain('1.80x faster than one thread');
    expect(broken).toContain("**Above the 1x one lock allows**, and the lock's records show why: 1 hold overlapped");

    const outside = gil.findings({
      cpu: comparison({ sequential: [1800, 1810], gil: [1000, 1005] }, { specs: { sequential: { held: 0.5 } } }),
    });
    expect(outside).toContain(
      '**Above the 1x one lock allows**: no two holds overlapped, but on one thread the lock was held only 50%',
    );

    const partly = gil.findings({
      cpu: comparison({ sequential: [1800, 1810], gil: [1000, 1005] }, { specs: { sequential: { held: 0.9 } } }),
    });
    expect(partly).toContain('which allows up to 1.11x; the rest of the 1.80x is noise in the run times.');

    const noise = gil.findings({
      cpu: comparison({ sequential: [1800, 1810], gil: [1000, 1005] }, { specs: { sequential: { held: 0.99 } } }),
    });
    expect(noise).toContain(
      'so the lock kept the threads apart, and the difference is noise in the run times; read it as about 1.00x',
    );
  });

  test('holds that touch within the clock’s precision do not count as overlapping', () => {
    const holds = [
      { threadId: 1, start: 0, end: 10 },
      { threadId: 2, start: 9.99, end: 20 },
      { threadId: 1, start: 20.5, end: 30 },
    ];
    const text = gil.findings({
      cpu: comparison({ sequential: [1800, 1810], gil: [1000, 1005] }, { specs: { gil: { holds } } }),
    });
    expect(text).toContain('no two holds overlapped');
  });

  test('zero failures say nothing; some are counted', () => {
    expect(gil.findings({ cpu: comparison({ sequential: [1000], gil: [1000] }) })).not.toContain('failed');
    const text = gil.findings({
      cpu: comparison({ sequential: [1000], gil: [1000] }, { specs: { gil: { errors: ['boom'] } } }),
    });
    expect(text).toContain('**1 of 16 tasks failed** (the first: boom).');
  });
});

describe('the same threads without the lock', () => {
  test('the expected direction: faster, side by side, as PEP 703 expects', () => {
    const text = gil.findings({ cpu: comparison({ sequential: [1000, 1010], free: [540, 545] }) });
    expect(text).toContain(
      '- The same 2 threads without the lock (the ideal: 2.0x on 2 cores): 1.85x faster than one thread.',
    );
    expect(text).toContain(
      'They ran side by side, as free-threaded Python ([PEP 703](https://peps.python.org/pep-0703/))',
    );
  });

  test('no measurable gain on 2 cores is said as such, never "which is what the bars show"', () => {
    const text = gil.findings({ cpu: comparison({ sequential: [1000, 1010], free: [990, 1000] }) });
    expect(text).toMatch(/without the lock \(the ideal: 2\.0x on 2 cores\): no measurable difference from one thread/);
    expect(text).toContain('They did not run measurably faster than one thread here, though 2 cores allow 2.0x.');
    expect(text).not.toMatch(/which is what|side by side, as/);
  });

  test('the reverse direction is a slowdown', () => {
    const text = gil.findings({ cpu: comparison({ sequential: [1000, 1010], free: [1400, 1410] }) });
    expect(text).toContain('1.40x slower than one thread');
    expectWellSaid(text);
  });

  test('above the ideal: explained by time outside the lock on one thread, as far as it goes, else noise', () => {
    const outside = (held: number) =>
      gil.findings({
        cpu: comparison({ sequential: [1000, 1010], free: [420, 425] }, { specs: { sequential: { held } } }),
      });
    expect(outside(0.6)).toContain(
      '2.4x faster than one thread, above the ideal of 2.0x. **Above the ideal of 2.0x**: on one thread the lock was held only 60% of the run. ' +
        'The rest (handing each task to its thread and its result back) is not the work, and threads overlap it, which allows up to 3.3x.',
    );
    expect(outside(0.9)).toContain('which allows up to 2.2x; the rest of the 2.4x is noise in the run times.');
    expect(outside(0.99)).toContain(
      '**Above the ideal of 2.0x**: the difference is noise in the run times; read it as about 2.0x.',
    );
  });

  test('one core or one thread: an ideal of 1x, in the singular', () => {
    const oneCore = gil.findings({ cpu: comparison({ sequential: [1000, 1010], free: [1005, 1000] }, { cores: 1 }) });
    expect(oneCore).toContain(
      '(the ideal: 1.00x on 1 core): no measurable difference from one thread (the runs spread 1%). With one core there is nothing to run side by side.',
    );
    expect(oneCore).toContain('On this machine (1 core,');
    const oneThread = gil.findings({
      cpu: comparison({ sequential: [1000], gil: [1010], free: [1000] }, { threads: 1 }),
    });
    expect(oneThread).toContain('8 CPU tasks on 1 thread that must hold one lock to run');
    expect(oneThread).toContain('The same 1 thread without the lock');
    expect(oneThread).toContain('With one thread there is nothing to run side by side.');
    const oneCoreFaster = gil.findings({
      cpu: comparison(
        { sequential: [1000, 1010], free: [700, 705] },
        { cores: 1, specs: { sequential: { held: 0.99 } } },
      ),
    });
    expect(oneCoreFaster).toContain(
      '1.43x faster than one thread, above the ideal of 1.00x. **Above the ideal of 1.00x**',
    );
    expect(oneCoreFaster).not.toMatch(/side by side/);
    expectWellSaid(oneCore + oneThread);
  });
});

describe('waiting releases the lock', () => {
  test('the waits overlap with the lock as without it', () => {
    const io = comparison({ sequential: [1600, 1610], gil: [420, 425], free: [415, 425] }, { threads: 4, tasks: 8 });
    const text = gil.findings({ io });
    expect(text).toContain('8 tasks that mostly wait, on 4 threads: with the lock, 3.8x faster than one thread;');
    expect(text).toContain('The waits overlapped as well with the lock as without it.');
  });

  test('with the lock measurably slower than without: said, direction first', () => {
    const io = comparison({ sequential: [1600, 1610], gil: [600, 605], free: [415, 420] }, { threads: 4, tasks: 8 });
    expect(gil.findings({ io })).toContain(
      'The waits overlapped with the lock too; with it the threads were 1.44x slower than without it.',
    );
  });

  test('no gain with the lock: no claim that the waits overlapped', () => {
    const io = comparison({ sequential: [1600, 1610], gil: [1590, 1620], free: [415, 420] }, { threads: 4, tasks: 8 });
    const text = gil.findings({ io });
    expect(text).toMatch(/with the lock, no measurable difference from one thread/);
    expect(text).not.toContain('overlapped');
  });

  test('above the ideal is named as noise; failures are counted', () => {
    const io = comparison(
      { sequential: [1600, 1610], gil: [300, 305], free: [400, 405] },
      { threads: 4, tasks: 8, specs: { free: { errors: ['a', 'b'] } } },
    );
    const text = gil.findings({ io });
    expect(text).toContain('above the ideal of 4.0x');
    expect(text).toContain('**4 of 48 tasks failed** (the first: a).');
  });
});

describe('the switch interval', () => {
  const point = (switchIntervalMs: number, walls: number[], switchesPerSecond: number, ioDelayMs?: number) => ({
    switchIntervalMs,
    runs: walls.map((ms, r) => run('gil', ms, r, 4, 2)),
    medianMs: walls[0]!,
    slowdown: 1,
    switchesPerSecond,
    ...(ioDelayMs === undefined ? {} : { ioDelayMs }),
  });
  const sweep = (points: SwitchSweep['points'], threads = 2): SwitchSweep => ({
    threads,
    tasks: 4,
    repeats: 2,
    baseline: [run('sequential', 1000, 0, 4, 1), run('sequential', 1010, 1, 4, 1)],
    baselineMs: 1005,
    points,
    ioWaits: 40,
    env: env(),
    params: {},
  });

  test('a trade, when the numbers show one: hand-offs cost CPU at short intervals, a long one makes I/O wait', () => {
    const text = gil.findings({
      switches: sweep([point(5, [1020, 1030], 190, 4.1), point(0.5, [1400, 1410], 1900, 0.6)]),
    });
    expect(text).toContain(
      'At 0.50 ms the lock changed hands 1900 times a second, and 2 CPU threads under it: 1.40x slower than one thread alone',
    );
    expect(text).toMatch(
      /At 5\.00 ms the lock changed hands 190 times a second, and 2 CPU threads under it: no measurable difference/,
    );
    expect(text).toContain(
      'A thread coming back from a 1 ms wait waited 4.10 ms for the lock at 5.00 ms, 0.60 ms at 0.50 ms.',
    );
    expect(text).toContain('That is the trade');
  });

  test('no trade claimed when the short interval cost nothing measurable', () => {
    const text = gil.findings({
      switches: sweep([point(0.5, [1020, 1030], 1900, 0.6), point(5, [1010, 1030], 190, 4.1)]),
    });
    expect(text).not.toContain('That is the trade');
  });

  test('only the intervals it names are read: a faster one in between is not called out', () => {
    const text = gil.findings({
      switches: sweep([point(0.5, [1020, 1030], 1900), point(1, [700, 705], 900), point(5, [1010, 1030], 190)]),
    });
    expect(text).not.toContain('Above the 1x');
    expect(text).not.toContain('At 1.00 ms');
  });

  test('faster than one thread under the lock is above the ideal of 1x; one CPU thread is singular', () => {
    const text = gil.findings({ switches: sweep([point(5, [800, 805], 0)], 1) });
    expect(text).toContain(
      '1 CPU thread under it: 1.25x faster than one thread alone, above the 1x one lock allows. **Above the 1x one lock allows**: no two holds overlapped',
    );
    expectWellSaid(text);
  });
});

describe('the event loop', () => {
  const trace = (lateness: number) => ({
    start: 0,
    end: 1000,
    resolutionMs: 5,
    heartbeatMs: 10,
    sampleMs: 25,
    samples: [{ t: 500, windowMs: 25, delayMs: lateness, utilization: 1 }],
    beats: [{ t: 500, latenessMs: lateness }],
    delay: { maxMs: lateness, p50Ms: 0, p99Ms: lateness },
  });
  const place = (p: 'main' | 'main-yielding' | 'worker', workMs: number, utilization: number, lateness: number) => ({
    place: p,
    start: 0,
    workStart: 100,
    workEnd: 100 + workMs,
    end: 1000,
    workMs,
    utilization,
    trace: trace(lateness),
    requests: [],
    tasks: [],
  });
  const loop = (runs: LoopComparison['runs']): LoopComparison => ({
    count: 3,
    num: 30,
    heartbeatMs: 10,
    concurrency: 0,
    latencyMs: 20,
    runs,
    env: env(),
    params: {},
  });

  test('stalled on the loop, one task long when yielding, free in a worker', () => {
    const text = gil.findings({
      loop: loop([
        place('main', 300, 0.99, 290),
        place('main-yielding', 305, 0.97, 105),
        place('worker', 310, 0.02, 2),
      ]),
    });
    expect(text).toContain('The heartbeat waited out most of the work: while it ran, the loop ran nothing else.');
    expect(text).toContain('The longest stall shrank from 290 ms to 105 ms, about one task (102 ms each).');
    expect(text).toMatch(
      /`Promise.all`: no measurable difference from one task at a time \(one run each, 1\.02x apart\)\. Work that never waits/,
    );
    expect(text).toContain(
      'The loop kept running: its worst heartbeat was 2.00 ms late, against 290 ms with `Promise.all`.',
    );
  });

  test('Promise.all faster than one at a time is said, without the explanation', () => {
    const text = gil.findings({ loop: loop([place('main', 200, 0.99, 190), place('main-yielding', 300, 0.97, 105)]) });
    expect(text).toContain('`Promise.all`: 1.50x faster than one task at a time.');
    expect(text).not.toContain('nothing to overlap');
  });

  test('Promise.all slower than one at a time is said, without the explanation', () => {
    const text = gil.findings({ loop: loop([place('main', 300, 0.99, 290), place('main-yielding', 200, 0.97, 105)]) });
    expect(text).toContain('`Promise.all`: 1.50x slower than one task at a time.');
    expect(text).not.toContain('nothing to overlap');
  });

  test('a loop that was not stalled gets no such claim', () => {
    const text = gil.findings({ loop: loop([place('main', 300, 0.5, 20), place('worker', 300, 0.6, 19)]) });
    expect(text).not.toContain('ran nothing else');
    expect(text).not.toContain('kept running');
  });
});

describe("Amdahl's law", () => {
  const amdahl = (speedups: number[], serialFraction = 0.2): NonNullable<Input['amdahl']> => {
    const baseRun = (wallMs: number, workers: number, repeat: number) => ({
      mode: 'threads' as const,
      workers,
      cores: 2,
      repeat,
      start: 0,
      end: wallMs,
      wallMs,
      tasks: [],
      results: [],
    });
    return {
      workload: 'work',
      mode: 'threads',
      tasks: speedups.length,
      repeats: 1,
      baseline: [baseRun(1000, 1, 0)],
      points: speedups.map((s, i) => ({ workers: i + 1, startupMs: 0, runs: [baseRun(1000 / s, i + 1, 0)] })),
      env: env(),
      params: {},
      serialFraction,
      workMs: 400,
    };
  };

  test('the best point against the law, in the singular where it is one thread', () => {
    const text = gil.findings({ amdahl: amdahl([1, 1.6]) });
    expect(text).toContain(
      'the best point was 2 threads: 1.60x faster than one thread. The law allows 1.67x on 2 cores',
    );
    expect(text).toContain('never more than 5.0x');
    const one = gil.findings({ amdahl: amdahl([1, 0.8]) });
    expect(one).toContain(
      'the best point was 1 thread: no measurable difference from one thread (one run each, 1.00x apart). The law allows 1.00x on 1 core',
    );
  });

  test('above the law is named as noise', () => {
    expect(gil.findings({ amdahl: amdahl([1, 1.9]) })).toContain(
      '1.90x faster than one thread, above what the law allows. The law allows 1.67x on 2 cores',
    );
    expect(gil.findings({ amdahl: amdahl([1.2, 1]) })).toContain(
      'the best point was 1 thread: 1.20x faster than the one-thread baseline, above the ideal of 1.00x: the baseline run was slow (noise)',
    );
  });
});

describe('the headline', () => {
  test('both variants against one thread, direction first', () => {
    expect(gil.headline(comparison({ sequential: [1000, 1010], gil: [1040, 1050], free: [540, 545] }))).toBe(
      'Simulated GIL, 2 threads on 2 cores: with one global lock, 1.04x slower than one thread; without it, 1.85x faster than one thread',
    );
  });

  test('a ratio below 1 never prints "faster"', () => {
    const h = gil.headline(comparison({ sequential: [100, 101], gil: [1100, 1111], free: [1400, 1410] }));
    expect(h).toContain('with one global lock, 11x slower than one thread; without it, 14x slower');
    expect(h).not.toMatch(/faster/);
  });

  test('within the noise, above the lock’s 1x, above the ideal, one core, failures: each said as such', () => {
    expect(gil.headline(comparison({ sequential: [1000, 1200], gil: [1100, 1150] }))).toMatch(
      /with one global lock, no measurable difference from one thread \(the runs spread \d+%\)$/,
    );
    expect(gil.headline(comparison({ sequential: [1800, 1810], gil: [1000, 1005] }))).toContain(
      '1.80x faster than one thread, above the 1x one lock allows',
    );
    expect(gil.headline(comparison({ sequential: [1000, 1010], free: [420, 425] }))).toContain(
      'above the ideal of 2.0x',
    );
    expect(gil.headline(comparison({ sequential: [1000], free: [1000] }, { cores: 1, threads: 1 }))).toMatch(
      /^Simulated GIL, 1 thread on 1 core: without it, no measurable difference/,
    );
    expect(
      gil.headline(comparison({ sequential: [1000], gil: [1000] }, { specs: { gil: { errors: ['x'] } } })),
    ).toMatch(/\(1 of 16 tasks failed\)$/);
  });
});
