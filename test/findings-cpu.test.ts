/**
 * The CPU-bound notebook's "what we measured" and headline, read from comparisons built by
 * hand: direction first, no difference inside the noise, a speedup past the ideal named as a
 * slow baseline, counts that follow the numbers, failures said, and an explanation (the
 * hand-off to a worker, tasks taking turns on the cores) only with the records that show it.
 */
import { cpu, type Comparison, type Run, type Sweep, type TaskRecord } from 'concurrency-lab';

type Mode = Run['mode'];

interface RunShape {
  /** Tasks in the run (default the comparison's 100). */
  tasks?: number;
  /** Lanes (threads or processes) the tasks ran on (default the pool size, 1 without a pool). */
  lanes?: number;
  /** Each task's own time, in ms (default: the wall time shared out over the lanes). */
  taskMs?: number;
  /** What a worker waits before each task, in ms (default 0). */
  gapMs?: number;
  /** Indexes of failed tasks. */
  failed?: number[];
}

/** One run whose tasks ran back to back in each lane, `gapMs` apart. */
function run(mode: Mode, workers: number, wallMs: number, repeat: number, shape: RunShape = {}): Run {
  const n = shape.tasks ?? 100;
  const pool = mode === 'threads' || mode === 'processes';
  const lanes = pool ? (shape.lanes ?? workers) : 1;
  const gap = shape.gapMs ?? 0;
  const taskMs = shape.taskMs ?? wallMs / Math.ceil(n / lanes) - gap;
  const start = 1_000_000 * (repeat + 1) + 10_000 * workers;
  const clock = Array<number>(lanes).fill(start);
  const tasks: TaskRecord[] = Array.from({ length: n }, (_, index) => {
    const lane = index % lanes;
    const begin = clock[lane]! + gap;
    clock[lane] = begin + taskMs;
    const where = mode === 'processes' ? { pid: 200 + lane, threadId: 0 } : { pid: 100, threadId: pool ? lane + 1 : 0 };
    const failed = shape.failed?.includes(index);
    return { index, ...where, start: begin, end: begin + taskMs, ok: !failed, ...(failed ? { error: 'boom' } : {}) };
  });
  return { mode, workers, cores: 2, repeat, start, end: start + wallMs, wallMs, tasks, results: [] };
}

/** A comparison whose modes took the given wall times, one per repeat. */
function comparison(
  times: Partial<Record<Mode, number[]>>,
  options: { cores?: number; workers?: number; tasks?: number; shapes?: Partial<Record<Mode, RunShape>> } = {},
): Comparison {
  const { cores = 2, workers = 10, tasks = 100 } = options;
  const modes = (['sequential', 'async', 'threads', 'processes'] as const).filter((m) => times[m]);
  const runs = modes.flatMap((mode) =>
    times[mode]!.map((ms, repeat) =>
      run(mode, mode === 'threads' || mode === 'processes' ? workers : 1, ms, repeat, {
        tasks,
        ...options.shapes?.[mode],
      }),
    ),
  );
  return {
    workload: 'cpu',
    tasks,
    modes: [...modes],
    workers,
    repeats: Math.max(...modes.map((m) => times[m]!.length)),
    startupMs: { threads: 45, processes: 400 },
    runs,
    env: { cores, cpuModel: 'test CPU', node: 'v20', platform: 'linux', date: '2026-12-02' },
    params: { num: 30 },
  };
}

const line = (text: string, mode: string) => text.split('\n').find((l) => l.startsWith(`- **${mode}**`)) ?? '';
const SEQ = [2000, 2010, 2020];

describe('cpu findings: each mode against sequential', () => {
  test('a thread pool faster, within the ideal, is "faster", and the headline says so', () => {
    const c = comparison({ sequential: SEQ, threads: [1050, 1060, 1070] });
    expect(line(cpu.findings(c), 'threads')).toContain('Against sequential: 1.90x faster than sequential.');
    expect(cpu.headline(c)).toBe(
      'CPU-bound, 100 x cpu(30): a pool of 10 threads ran 1.90x faster than sequential on 2 cores',
    );
  });

  test('a thread pool slower says "slower", never "0.34x faster"', () => {
    const c = comparison({ sequential: [100, 101, 102], threads: [297, 300, 303] });
    const text = cpu.findings(c);
    expect(line(text, 'threads')).toContain('Against sequential: 3.0x slower than sequential.');
    expect(`${text}\n${cpu.headline(c)}`).not.toMatch(/0\.\d+x (faster|sooner|as long)/);
    expect(cpu.headline(c)).toBe(
      'CPU-bound, 100 x cpu(30): a pool of 10 threads ran 3.0x slower than sequential on 2 cores',
    );
  });

  test('inside the spread of the runs is no measurable difference, for async and for the pool', () => {
    const c = comparison({ sequential: SEQ, async: [1950, 2100, 2000], threads: [1900, 2050, 2150] });
    const text = cpu.findings(c);
    expect(line(text, 'async')).toMatch(
      /Against sequential: no measurable difference from sequential \(the runs spread \d+%\)\./,
    );
    expect(line(text, 'async')).toContain('Its tasks ran one at a time: none overlapped another.');
    expect(cpu.headline(c)).toMatch(
      /^CPU-bound, 100 x cpu\(30\): a pool of 10 threads showed no measurable difference from sequential on 2 cores \(the runs spread \d+%\)$/,
    );
  });

  test('async measurably faster is named as noise above its ideal of 1x, not as "no gain, as expected"', () => {
    const text = cpu.findings(comparison({ sequential: [2280, 2290, 2300], async: [2000, 2005, 2010] }));
    expect(line(text, 'async')).toContain(
      'Against sequential: 1.14x faster than sequential, above the ideal of 1.00x: the baseline run was slow (noise); read it as about 1.00x.',
    );
    expect(text).not.toContain('as expected');
  });

  test('async measurably slower is said as slower, its tasks one at a time', () => {
    const text = cpu.findings(comparison({ sequential: SEQ, async: [2330, 2340, 2350] }));
    expect(line(text, 'async')).toContain('Against sequential: 1.16x slower than sequential.');
    expect(line(text, 'async')).toContain('none overlapped another');
  });

  test('a speedup above the ideal is named as a slow baseline, in the findings and the headline', () => {
    const c = comparison({ sequential: [2360, 2370, 2380], threads: [1000, 1002, 1004] });
    const words = 'above the ideal of 2.0x: the baseline run was slow (noise); read it as about 2.0x';
    expect(line(cpu.findings(c), 'threads')).toContain(`Against sequential: 2.4x faster than sequential, ${words}.`);
    expect(cpu.headline(c)).toBe(
      `CPU-bound, 100 x cpu(30): a pool of 10 threads ran 2.4x faster than sequential on 2 cores, ${words}`,
    );
  });

  test('processes are also read against the thread pool', () => {
    const text = cpu.findings(
      comparison({ sequential: SEQ, threads: [1050, 1060, 1070], processes: [1300, 1310, 1320] }),
    );
    expect(line(text, 'processes')).toContain('The pool took 400 ms to start, not counted.');
    expect(line(text, 'processes')).toContain('Against the thread pool: 1.24x slower than the thread pool.');
  });
});

describe('cpu findings: counts follow the numbers', () => {
  test('one core, one worker, one task: singular everywhere, the ideal 1x', () => {
    const c = comparison({ sequential: [100], threads: [80] }, { cores: 1, workers: 1, tasks: 1 });
    const text = `${cpu.findings(c)}\n${cpu.headline(c)}`;
    expect(text).toContain('1 core');
    expect(text).toContain('(1 thread)');
    expect(text).not.toMatch(/\b1 (cores|threads|tasks|workers)\b/);
    expect(cpu.headline(c)).toBe(
      'CPU-bound, 1 x cpu(30): a pool of 1 thread ran 1.25x faster than sequential on 1 core, ' +
        'above the ideal of 1.00x: the baseline run was slow (noise); read it as about 1.00x',
    );
  });
});

describe('cpu findings: failures', () => {
  test('no failures: nothing said about them', () => {
    const c = comparison({ sequential: SEQ, threads: [1050, 1060, 1070] });
    expect(`${cpu.findings(c)}\n${cpu.headline(c)}`).not.toContain('failed');
  });

  test('some failures: counted in the mode line and the headline', () => {
    const c = comparison({ sequential: SEQ, threads: [1050, 1060, 1070] }, { shapes: { threads: { failed: [4] } } });
    expect(line(cpu.findings(c), 'threads')).toContain(
      '**3 of 300 tasks failed** (first: task 4 of repeat 0: boom), so this time does not measure the whole work.',
    );
    expect(cpu.headline(c)).toMatch(/ran 1\.90x faster than sequential on 2 cores; 3 of 300 tasks failed$/);
  });
});

describe('cpu findings: explanations only with the evidence of the task records', () => {
  test('a hand-off as long as the task is said, with its share', () => {
    // 100 tiny tasks: 1 ms of work each, a worker waits 1 ms before each.
    const c = comparison(
      { sequential: [100, 101, 102], threads: [297, 300, 303] },
      { workers: 2, shapes: { threads: { taskMs: 1, gapMs: 1 } } },
    );
    expect(line(cpu.findings(c), 'threads')).toContain(
      'Before each task a worker waited 1.00 ms on average (a task handed over, a result handed back), ' +
        '100% of the 1.00 ms a task took: handing a task to a worker and back cost about as much as the task itself.',
    );
  });

  test('a hand-off longer than the task is said as such', () => {
    const c = comparison(
      { sequential: [100, 101, 102], threads: [297, 300, 303] },
      { workers: 2, shapes: { threads: { taskMs: 1, gapMs: 4 } } },
    );
    expect(line(cpu.findings(c), 'threads')).toContain(
      '400% of the 1.00 ms a task took: handing a task to a worker and back cost more than the task itself.',
    );
  });

  test('a hand-off that is a share of the task, but well under it, is said without a verdict', () => {
    const c = comparison(
      { sequential: SEQ, threads: [1050, 1060, 1070] },
      { workers: 2, shapes: { threads: { taskMs: 20, gapMs: 10 } } },
    );
    const text = line(cpu.findings(c), 'threads');
    expect(text).toContain('Before each task a worker waited 10 ms on average');
    expect(text).toContain('50% of the 20 ms a task took.');
    expect(text).not.toContain('handing a task');
  });

  test('a sequential run whose tasks filled little of it says where the time went', () => {
    const c = comparison({ sequential: [266], async: [58] }, { tasks: 6, shapes: { sequential: { taskMs: 6 } } });
    expect(line(cpu.findings(c), 'sequential')).toContain(
      'Its tasks ran for 36 ms of the 266 ms the run took (medians); the rest went between tasks.',
    );
    expect(line(cpu.findings(comparison({ sequential: SEQ })), 'sequential')).not.toContain('between tasks');
  });

  test('a hand-off that is a small share of the task is not a reason, whatever the result', () => {
    const c = comparison(
      { sequential: SEQ, threads: [2200, 2210, 2220] },
      { workers: 2, shapes: { threads: { taskMs: 40, gapMs: 0.5 } } },
    );
    const text = line(cpu.findings(c), 'threads');
    expect(text).toContain('slower than sequential');
    expect(text).not.toMatch(/waited|handing/);
  });

  test('tasks slower in the pool with more in progress than cores: they took turns', () => {
    const c = comparison({ sequential: SEQ, threads: [1500, 1510, 1520] }, { shapes: { threads: { taskMs: 150 } } });
    expect(line(cpu.findings(c), 'threads')).toContain(
      'Each task ran 7.5x slower than on the main thread (150 ms against 20 ms, medians): 10 tasks at once took turns on 2 cores.',
    );
  });

  test('tasks slower in the pool with no more in progress than cores: said, not explained', () => {
    const c = comparison(
      { sequential: SEQ, threads: [1500, 1510, 1520] },
      { workers: 2, shapes: { threads: { taskMs: 30 } } },
    );
    const text = line(cpu.findings(c), 'threads');
    expect(text).toContain('Up to 2 tasks were in progress at once, on 2 cores.');
    expect(text).toContain('Each task ran 1.49x slower than on the main thread (30 ms against 20 ms, medians).');
    expect(text).not.toContain('took turns');
  });
});

describe('cpu findings: beside the course', () => {
  test("the course's threads are no measurable difference, its processes 1.62x faster", () => {
    const text = cpu.findings(
      comparison({ sequential: SEQ, threads: [1050, 1060, 1070], processes: [1100, 1110, 1120] }),
    );
    expect(text).toContain('ThreadPoolExecutor: 21.29 s, no measurable difference (one run each, 1.01x apart)');
    expect(text).toContain('ProcessPoolExecutor: 13 s, 1.62x faster than sequential');
    expect(text).toContain('| 10 threads: 1.06 s, 1.90x faster than sequential |');
  });
});

/** A sweep whose pools of 1, 2, ... workers took the given times, one per repeat. */
function sweep(baseline: number[], points: number[][], cores = 2): Sweep {
  return {
    workload: 'cpu',
    mode: 'threads',
    tasks: 40,
    repeats: baseline.length,
    baseline: baseline.map((ms, r) => run('sequential', 1, ms, r, { tasks: 40 })),
    points: points.map((times, i) => ({
      workers: i + 1,
      startupMs: 40,
      runs: times.map((ms, r) => run('threads', i + 1, ms, r, { tasks: 40 })),
    })),
    env: { cores, cpuModel: 'test CPU', node: 'v20', platform: 'linux', date: '2026-12-02' },
    params: {},
  };
}

describe('cpu findings: scaling', () => {
  const c = comparison({ sequential: SEQ, threads: [1050, 1060, 1070] });
  const scaling = (text: string) => text.slice(text.indexOf('**Scaling**'));

  test('each pool size against sequential; above the ideal is named as noise', () => {
    const text = scaling(
      cpu.findings(
        c,
        sweep(
          [800, 810],
          [
            [800, 805],
            [340, 342],
          ],
        ),
      ),
    );
    expect(text).toContain('- 1 thread: 803 ms, no measurable difference from sequential');
    expect(text).toContain(
      '- 2 threads: 341 ms, 2.4x faster than sequential, above the ideal of 2.0x: the baseline run was slow (noise); read it as about 2.0x.',
    );
    expect(text).toContain('though points above the ideal pull it down');
  });

  test('more threads than cores measurably slower: they took turns', () => {
    const text = scaling(
      cpu.findings(
        c,
        sweep(
          [800, 810],
          [
            [800, 805],
            [420, 425],
            [430, 432],
            [520, 525],
          ],
        ),
      ),
    );
    expect(text).toContain('- 2 threads: 423 ms, 1.91x faster than sequential.');
    expect(text).toContain(
      '4 threads against 2 threads (one per core): 1.24x slower: 4 threads took turns on 2 cores.',
    );
  });

  test('more threads than cores within the noise: no difference, no reason', () => {
    const text = scaling(
      cpu.findings(
        c,
        sweep(
          [800, 810],
          [
            [800, 805],
            [420, 440],
            [430, 432],
            [425, 445],
          ],
        ),
      ),
    );
    expect(text).toMatch(
      /4 threads against 2 threads \(one per core\): no measurable difference \(the runs spread \d+%\)\./,
    );
    expect(text).not.toContain('took turns');
  });

  test('no pool beat sequential: no Amdahl fit is quoted', () => {
    const text = scaling(
      cpu.findings(
        c,
        sweep(
          [2, 2],
          [
            [13, 13],
            [16, 16],
          ],
        ),
      ),
    );
    expect(text).toContain('- 2 threads: 16 ms, 8.0x slower than sequential.');
    expect(text).toContain(
      "No pool of more than 1 thread beat sequential, so Amdahl's law, which never predicts a slowdown",
    );
    expect(text).not.toContain('An Amdahl fit');
  });

  test('one core: the ideal stays 1x and a faster point is noise', () => {
    const text = scaling(cpu.findings(c, sweep([800], [[700], [705]], 1)));
    expect(text).toContain('above the ideal of 1.00x');
    expect(text).not.toContain('Amdahl');
    expect(text).toContain('2 threads against 1 thread (one per core): no measurable difference');
  });
});
