/**
 * "What we measured" and the headline of notebook 06, read from comparisons built by hand:
 * the simulated lock against one thread, its control (the same threads without the lock)
 * checked before any verdict, the real GIL beside it (and a free-threaded Python), the
 * switch interval, Amdahl's law and the event loop.
 */
import { gil } from 'concurrency-lab';
import { comparison, ILL_SAID, pluralAfterOne, type RowSpec } from './helpers/results';

const ROWS = { one: 'one thread', locked: 'threads + global lock', free: 'threads, no lock' } as const;
const ONE = [1000, 1010, 1020];

interface LockSpec {
  /** Share of each run the lock was held, summed over the threads (default 99% on one thread, 95% with several). */
  held?: number;
  holds?: { threadId: number; start: number; end: number }[];
  switches?: number;
  failed?: number[];
}

/** A row of the `gil` mode: `workers` threads, the lock on or off, with what the lock did in each run. */
function gilRow(label: string, workers: number, walls: number[], lock: boolean, spec: LockSpec = {}): RowSpec {
  return {
    mode: 'gil',
    label,
    workers,
    walls,
    ...(spec.failed ? { failed: spec.failed } : {}),
    detail: (_repeat, wallMs) => ({
      gil: {
        lock,
        switchIntervalMs: 5,
        switches: lock && workers > 1 ? (spec.switches ?? 40) : 0,
        forcedDrops: 0,
        waitedMs: 0,
        heldMs: (lock ? (spec.held ?? (workers === 1 ? 0.99 : 0.95)) : 0) * wallMs,
        holds: spec.holds ?? [],
      },
    }),
  };
}

interface LockOptions {
  threads?: number;
  tasks?: number;
  cores?: number;
  specs?: Partial<Record<'one' | 'locked' | 'free', LockSpec>>;
  /** Python's real GIL beside it: one thread and `threads` threads. */
  python?: { one: number[]; threaded: number[]; gilEnabled?: boolean };
}

/** `gil.compare`'s comparison: one thread, the threads with the lock, the threads without it (rows given by their walls). */
function lockComparison(walls: Partial<Record<'one' | 'locked' | 'free', number[]>>, o: LockOptions = {}) {
  const { threads = 2, tasks = 8, cores = 2 } = o;
  const rows: RowSpec[] = [];
  if (walls.one) rows.push(gilRow(ROWS.one, 1, walls.one, true, o.specs?.one));
  if (walls.locked) rows.push(gilRow(ROWS.locked, threads, walls.locked, true, o.specs?.locked));
  if (walls.free) rows.push(gilRow(ROWS.free, threads, walls.free, false, o.specs?.free));
  if (o.python) {
    const detail = () => ({ python: '/usr/bin/python3', version: '3.11.2', gilEnabled: o.python!.gilEnabled ?? true });
    const peer = { origin: 'python', startupIncluded: true, detail };
    rows.push({ mode: 'sequential', label: 'Python 3.11.2 one thread', walls: o.python.one, ...peer });
    rows.push({
      mode: 'threads',
      label: `Python 3.11.2 ${threads} threads`,
      workers: threads,
      walls: o.python.threaded,
      ...peer,
    });
  }
  return comparison(rows, { cores, tasks, params: { threads, switchIntervalMs: 5 } });
}

const report = (m: Parameters<typeof gil.report>[0]) => gil.report(m);
const findings = (m: Parameters<typeof gil.report>[0]) => report(m).findings;
const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(start)) ?? '';

function expectWellSaid(text: string) {
  for (const bad of ILL_SAID) expect(text).not.toMatch(bad);
  expect(text).not.toMatch(/a little below 1x|\(noise\)|noise in the run times|read it as about/);
  expect(text).not.toMatch(pluralAfterOne(['threads', 'cores', 'tasks', 'holds', 'times']));
}

describe('a simulated GIL: threads with one lock against one thread', () => {
  test('about 1x, while the unlocked threads ran faster: no measurable difference, and no caveat', () => {
    const text = findings({ cpu: lockComparison({ one: ONE, locked: [1010, 1020, 1030], free: [540, 545, 550] }) });
    expect(text).toMatch(
      /- \*\*CPU work under one lock\.\*\* 8 tasks on 2 threads that must hold one lock to run \(it changed hands 40 times a run at a 5\.00 ms switch interval\): no measurable difference from one thread \(within the \d+% these runs can tell apart\)\./,
    );
    expect(text).not.toContain('cannot tell');
    expectWellSaid(text);
  });

  test('slower: said as a slowdown, never "a little below 1x"', () => {
    const text = findings({ cpu: lockComparison({ one: ONE, locked: [1500, 1515, 1530], free: [540, 545, 550] }) });
    expect(text).toContain('switch interval): 1.50x slower than one thread.');
    expectWellSaid(text);
  });

  test('much slower (0.09x) is "11x slower"', () => {
    const text = findings({ cpu: lockComparison({ one: [100, 101], locked: [1100, 1111], free: [52, 53] }) });
    expect(text).toContain('11x slower than one thread');
    expectWellSaid(text);
  });

  test('faster than one thread under one lock, holds that overlapped: the lock did not keep the threads apart', () => {
    const holds = [
      { threadId: 1, start: 0, end: 10 },
      { threadId: 2, start: 5, end: 15 },
    ];
    const text = findings({
      cpu: lockComparison(
        { one: ONE, locked: [560, 565, 570], free: [540, 545, 550] },
        { specs: { locked: { holds } } },
      ),
    });
    expect(text).toContain(
      "1.79x faster than one thread, above the ideal of 1.00x: 1 hold overlapped another thread's, so the lock did not keep the threads apart.",
    );
  });

  test('faster under one lock with time outside the lock on one thread: explained as far as that goes, the rest said as unexplained', () => {
    const above = (held: number) =>
      findings({
        cpu: lockComparison({ one: ONE, locked: [560, 565, 570], free: [540, 545, 550] }, { specs: { one: { held } } }),
      });
    expect(above(0.5)).toContain(
      '1.79x faster than one thread, above the ideal of 1.00x: no two holds overlapped, but on one thread the lock was held only 50% of the run; ' +
        'the rest (handing tasks over and results back) is not the work, and threads overlap it.',
    );
    expect(above(0.9)).toContain(
      'is not the work, and threads overlap it, which allows up to 1.11x; the rest is more than the runs can explain (look at the timeline).',
    );
    expect(above(0.99)).toContain(
      'above the ideal of 1.00x: no two holds overlapped, and the lock was held nearly the whole run on one thread: the runs cannot explain it.',
    );
    expectWellSaid(above(0.5) + above(0.9) + above(0.99));
  });

  test('holds that touch within the clock’s precision do not count as overlapping', () => {
    const holds = [
      { threadId: 1, start: 0, end: 10 },
      { threadId: 2, start: 9.99, end: 20 },
      { threadId: 1, start: 20.5, end: 30 },
    ];
    const text = findings({
      cpu: lockComparison(
        { one: ONE, locked: [560, 565, 570], free: [540, 545, 550] },
        { specs: { locked: { holds } } },
      ),
    });
    expect(text).toContain('no two holds overlapped');
  });

  test('zero failures say nothing; some are counted', () => {
    const clean = findings({ cpu: lockComparison({ one: [1000], locked: [1000], free: [500] }) });
    expect(clean).not.toContain('failed');
    const text = findings({
      cpu: lockComparison({ one: [1000], locked: [1000], free: [500] }, { specs: { locked: { failed: [0] } } }),
    });
    expect(text).toContain(' **1 of 8 tasks failed** (the first: task 0, run 1: boom).');
  });
});

describe('the control: the same threads without the lock', () => {
  test('faster, side by side, as PEP 703 expects', () => {
    const text = findings({ cpu: lockComparison({ one: ONE, locked: [1010, 1020, 1030], free: [540, 545, 550] }) });
    expect(text).toContain(
      '- The same 2 threads without the lock (the ideal: 2.0x): 1.85x faster than one thread. ' +
        'They ran side by side, as free-threaded Python ([PEP 703](https://peps.python.org/pep-0703/)) lets threads do.',
    );
  });

  test('no faster than one thread: this run cannot tell a lock from no lock, and the lock gets no verdict', () => {
    const text = findings({ cpu: lockComparison({ one: ONE, locked: [1010, 1020, 1030], free: [990, 1000, 1010] }) });
    expect(text).toMatch(/without the lock \(the ideal: 2\.0x\): no measurable difference from one thread/);
    expect(text).toContain(
      '- **This run cannot tell a lock from no lock**: the threads without the lock were no faster than one thread either, though 2 cores allow 2.0x (a busy machine?).',
    );
    expect(text).not.toMatch(/side by side, as|behaved here like/);
  });

  test('the control slower than one thread is a slowdown, and the run still cannot tell', () => {
    const text = findings({ cpu: lockComparison({ one: ONE, locked: [1010, 1020, 1030], free: [1400, 1410, 1420] }) });
    expect(text).toContain('1.40x slower than one thread');
    expect(text).toContain('**This run cannot tell a lock from no lock**');
    expectWellSaid(text);
  });

  test('above its ideal, the unlocked threads are said as beyond what the runs explain, never as noise', () => {
    const text = findings({ cpu: lockComparison({ one: ONE, locked: [1010, 1020, 1030], free: [420, 425, 430] }) });
    expect(text).toContain(
      '2.4x faster than one thread, above the ideal of 2.0x: more than the runs can explain (look at the timeline).',
    );
    expectWellSaid(text);
  });

  test('SMT: the cores the ideal counts are the physical ones, and more threads than cores are capped by them', () => {
    const c = lockComparison(
      { one: ONE, locked: [1010, 1020, 1030], free: [1000, 1005, 1010] },
      { threads: 16, tasks: 16, cores: 8 },
    );
    c.env = { ...c.env, logicalCpus: 16, physicalCores: 8 };
    const text = findings({ cpu: c });
    expect(text).toContain('On this machine (8 cores (8 physical of 16 logical CPUs), test CPU, Node v20.0.0):');
    expect(text).toContain('The same 16 threads without the lock (the ideal: 8.0x)');
    expect(text).toContain('though 8 cores allow 8.0x (a busy machine?)');
    expect(text).not.toMatch(/16 cores|16x/);
  });

  test('one core or one thread: an ideal of 1x, in the singular, and nothing to run side by side', () => {
    const oneCore = findings({
      cpu: lockComparison({ one: ONE, locked: [1000, 1005, 1010], free: [1005, 1000, 1010] }, { cores: 1 }),
    });
    expect(oneCore).toContain('On this machine (1 core, test CPU');
    expect(oneCore).toMatch(
      /The same 2 threads without the lock \(the ideal: 1\.00x\): no measurable difference from one thread/,
    );
    expect(oneCore).toContain(
      '- **This run cannot tell a lock from no lock**: with one core nothing can run side by side, lock or no lock.',
    );
    const oneThread = findings({ cpu: lockComparison({ one: [1000], locked: [1010], free: [1000] }, { threads: 1 }) });
    expect(oneThread).toContain('8 tasks on 1 thread that must hold one lock to run');
    expect(oneThread).toContain('The same 1 thread without the lock (the ideal: 1.00x)');
    expect(oneThread).toContain('with one thread nothing can run side by side, lock or no lock.');
    expectWellSaid(oneCore + oneThread);
  });
});

describe('waiting releases the lock', () => {
  const io = (walls: Partial<Record<'one' | 'locked' | 'free', number[]>>, specs?: LockOptions['specs']) =>
    lockComparison(walls, { threads: 4, tasks: 8, ...(specs ? { specs } : {}) });
  const ioLine = (text: string) => line(text, '- **Waiting tasks under one lock.**');

  test('the waits overlap with the lock as without it, read against their ideal of 4x', () => {
    const text = findings({ io: io({ one: [1600, 1610], locked: [420, 425], free: [415, 425] }) });
    expect(ioLine(text)).toContain('8 tasks on 4 threads that must hold one lock to run');
    expect(ioLine(text)).toContain('switch interval): 3.8x faster than one thread.');
    expect(text).toContain('- The same 4 threads without the lock (the ideal: 4.0x): 3.8x faster than one thread.');
    expect(text).not.toContain('cannot tell'); // the control is for CPU work: waits overlap on one core too
  });

  test('above their ideal, waiting tasks get no CPU explanation: said as beyond the runs', () => {
    const text = findings({
      io: io({ one: [1600, 1610], locked: [300, 305], free: [400, 405] }, { one: { held: 0.05 } }),
    });
    expect(ioLine(text)).toContain(
      '5.3x faster than one thread, above the ideal of 4.0x: more than the runs can explain (look at the timeline).',
    );
    expect(ioLine(text)).not.toContain('handing tasks over');
  });

  test('no gain with the lock: no claim that the waits overlapped; failures are counted', () => {
    const text = findings({
      io: io({ one: [1600, 1610], locked: [1590, 1620], free: [415, 420] }, { free: { failed: [0, 1] } }),
    });
    expect(ioLine(text)).toMatch(/no measurable difference from one thread/);
    expect(line(text, '- The same 4 threads')).toContain('**4 of 16 tasks failed** (the first: task 0, run 1: boom).');
  });
});

describe('the real GIL beside the simulated one', () => {
  const real = (text: string) => line(text, '- **The real GIL.**');

  test('both about one thread, the control faster: the simulation behaved like the lock it simulates', () => {
    const text = findings({
      cpu: lockComparison(
        { one: ONE, locked: [1015, 1020, 1030], free: [540, 545, 550] },
        { python: { one: [900, 905, 910], threaded: [910, 915, 920] } },
      ),
    });
    expect(real(text)).toMatch(
      /^- \*\*The real GIL\.\*\* Python 3\.11\.2 2 threads against Python 3\.11\.2 one thread, the same 8 tasks: no measurable difference from one Python thread \(within the \d+% these runs can tell apart\)\. /,
    );
    expect(real(text)).toContain(
      "The simulated lock's threads went the same way (no measurable difference from one thread (within",
    );
    expect(real(text)).toContain(
      'while the unlocked threads ran faster: the simulation behaved here like the lock it simulates.',
    );
    expectWellSaid(text);
  });

  test('the simulation declared like the real lock only when the control ran faster; else the run cannot tell', () => {
    const text = findings({
      cpu: lockComparison(
        { one: ONE, locked: [1015, 1020, 1030], free: [1000, 1010, 1020] },
        { python: { one: [900, 905, 910], threaded: [910, 915, 920] } },
      ),
    });
    expect(real(text)).toContain(
      'Whether the simulation behaves like it cannot be told from this run: the threads without the lock were no faster than one thread either, though 2 cores allow 2.0x (a busy machine?).',
    );
    expect(text).not.toContain('behaved here like');
  });

  test('a free-threaded Python gets no verdict on the simulation, whatever its threads did', () => {
    for (const threaded of [
      [480, 485, 490],
      [910, 915, 920],
    ]) {
      const text = findings({
        cpu: lockComparison(
          { one: ONE, locked: [1015, 1020, 1030], free: [540, 545, 550] },
          { python: { one: [900, 905, 910], threaded, gilEnabled: false } },
        ),
      });
      expect(real(text)).toContain(
        'This Python is a free-threaded build: it has no GIL, so there is no real lock here to set the simulation beside.',
      );
      expect(real(text)).not.toMatch(/did not (reproduce|behave)|went another way|behaved here like/);
    }
  });

  test('the simulated lock faster than one thread, the real one not: said as a different way', () => {
    const text = findings({
      cpu: lockComparison(
        { one: ONE, locked: [700, 705, 710], free: [540, 545, 550] },
        { python: { one: [900, 905, 910], threaded: [905, 910, 915] } },
      ),
    });
    expect(real(text)).toContain(
      "The simulated lock's threads went another way (1.43x faster than one thread): on this run the simulation did not behave like the real lock.",
    );
  });

  test('a Python that could not run: one line that says what is missing, and nothing else about it', () => {
    const c = lockComparison({ one: ONE, locked: [1015, 1020, 1030], free: [540, 545, 550] });
    const missing =
      'no Python 3.8 or newer was found (tried /usr/bin/python3): install python3 or set CLAB_PYTHON to one';
    c.skipped = [{ label: 'Python one thread', reason: missing }];
    const text = findings({ cpu: c });
    expect(text).toContain(`- **Python one thread** was not measured: ${missing}`);
    expect(real(text)).toBe('');
  });
});

describe('the switch interval', () => {
  /** The sweep: one thread, and per interval the CPU threads under the lock and an I/O thread beside one CPU thread. */
  const sweep = (
    points: { ms: number; walls: number[]; perSecond: number; ioDelayMs?: number; holds?: LockSpec['holds'] }[],
    threads = 2,
  ) =>
    comparison(
      [
        gilRow(ROWS.one, 1, [1000, 1010], true),
        ...points.flatMap((p): RowSpec[] => [
          {
            ...gilRow(`${threads} threads at ${p.ms} ms`, threads, p.walls, true, { holds: p.holds }),
            baseline: ROWS.one,
            detail: (_r, wallMs) => ({
              gil: {
                lock: true,
                switchIntervalMs: p.ms,
                switches: (p.perSecond * wallMs) / 1000,
                forcedDrops: 0,
                waitedMs: 0,
                heldMs: 0.95 * wallMs,
                holds: p.holds ?? [],
              },
            }),
          },
          ...(p.ioDelayMs === undefined
            ? []
            : [
                {
                  mode: 'gil' as const,
                  label: `I/O thread at ${p.ms} ms`,
                  workers: 2,
                  walls: [200],
                  baseline: null,
                  // The I/O thread's one task: 40 waits of 1 ms, each coming back ioDelayMs late.
                  records: ({ start }: { start: number }) => [
                    { index: 0, pid: 1, threadId: 1, start, end: start + 40 * (1 + p.ioDelayMs!), ok: true },
                    { index: 1, pid: 1, threadId: 2, start, end: start + 150, ok: true },
                  ],
                },
              ]),
        ]),
      ],
      { tasks: 4, params: { threads, ioWaits: 40, ioWaitMs: 1 } },
    );
  const switches = (text: string) => line(text, '- **The switch interval.**');

  test('a trade, when the numbers show one: hand-offs cost CPU at short intervals, a long one makes I/O wait', () => {
    const text = switches(
      findings({
        switches: sweep([
          { ms: 0.5, walls: [1400, 1410], perSecond: 1900, ioDelayMs: 0.6 },
          { ms: 5, walls: [1020, 1030], perSecond: 190, ioDelayMs: 4.1 },
        ]),
      }),
    );
    expect(text).toContain(
      'At 0.50 ms the lock changed hands 1900 times a second, and the CPU threads under it: 1.40x slower than one thread alone.',
    );
    expect(text).toMatch(
      /At 5\.00 ms the lock changed hands 190 times a second, and the CPU threads under it: no measurable difference/,
    );
    expect(text).toContain(
      'A thread coming back from a 1 ms wait waited 4.10 ms for the lock at 5.00 ms, 0.60 ms at 0.50 ms.',
    );
    expect(text).toContain('That is the trade');
  });

  test('no trade claimed when the short interval cost nothing measurable', () => {
    const text = findings({
      switches: sweep([
        { ms: 0.5, walls: [1020, 1030], perSecond: 1900, ioDelayMs: 0.6 },
        { ms: 5, walls: [1010, 1030], perSecond: 190, ioDelayMs: 4.1 },
      ]),
    });
    expect(text).not.toContain('That is the trade');
  });

  test('only the shortest and the longest interval are read: a faster one in between is not called out', () => {
    const text = switches(
      findings({
        switches: sweep([
          { ms: 0.5, walls: [1020, 1030], perSecond: 1900 },
          { ms: 1, walls: [700, 705], perSecond: 900 },
          { ms: 5, walls: [1010, 1030], perSecond: 190 },
        ]),
      }),
    );
    expect(text).not.toContain('At 1.00 ms');
    expect(text).not.toContain('above the ideal');
  });

  test('faster than one thread under the lock: its cause only from overlapping holds, else beyond the runs', () => {
    const unexplained = switches(findings({ switches: sweep([{ ms: 5, walls: [800, 805], perSecond: 100 }]) }));
    expect(unexplained).toContain(
      '1.25x faster than one thread alone, above the ideal of 1.00x: more than the runs can explain (look at the timeline).',
    );
    const holds = [
      { threadId: 1, start: 0, end: 10 },
      { threadId: 2, start: 5, end: 15 },
    ];
    const broken = switches(findings({ switches: sweep([{ ms: 5, walls: [800, 805], perSecond: 100, holds }]) }));
    expect(broken).toContain(
      "above the ideal of 1.00x: 1 hold overlapped another thread's, so the lock did not keep the threads apart.",
    );
    expectWellSaid(unexplained + broken);
  });
});

describe('the event loop', () => {
  const LOOP = {
    main: 'on the event loop (Promise.all)',
    yielding: 'on the event loop, yielding between tasks',
    worker: 'in a worker thread',
  } as const;
  /** One place's row: its one run took `workMs`, the loop was `utilization` busy and the worst heartbeat `lateness` late. */
  const place = (
    where: keyof typeof LOOP,
    workMs: number,
    utilization: number,
    lateness: number,
    requests: { start: number; end: number; ok: boolean }[] = [],
  ): RowSpec => ({
    mode: where === 'main' ? 'async' : where === 'yielding' ? 'sequential' : 'threads',
    label: LOOP[where],
    walls: [workMs],
    baseline: null,
    detail: () => ({
      watch: {
        trace: {
          start: 0,
          end: Infinity,
          resolutionMs: 5,
          heartbeatMs: 10,
          sampleMs: 25,
          samples: [],
          beats: [],
          delay: { maxMs: lateness, p50Ms: 0, p99Ms: lateness },
        },
        requests,
        utilization,
      },
    }),
  });
  /** The loop experiment: 3 x cpu(30) each way; each trace's worst beat and sample sit at the end of its run. */
  const loop = (rows: RowSpec[]) => {
    const c = comparison(rows, {
      tasks: 3,
      params: { count: 3, num: 30, heartbeatMs: 10, concurrency: 4, latencyMs: 20 },
    });
    for (const run of c.runs) {
      const watch = run.detail!.watch as { trace: { samples: unknown[]; beats: unknown[]; delay: { maxMs: number } } };
      const lateness = watch.trace.delay.maxMs;
      watch.trace.samples = [{ t: run.end, windowMs: 25, delayMs: lateness, utilization: 1 }];
      watch.trace.beats = [{ t: run.end, latenessMs: lateness }];
    }
    return c;
  };

  test('stalled on the loop, one task long when yielding, free in a worker', () => {
    const text = findings({
      loop: loop([place('main', 300, 0.99, 290), place('yielding', 305, 0.97, 105), place('worker', 310, 0.02, 2)]),
    });
    expect(text).toContain(
      '- **The event loop.** 3 x cpu(30) all at once with `Promise.all` on the event loop took 300 ms and kept the loop 99% busy; ' +
        'the 10 ms heartbeat came up to 290 ms late. The heartbeat waited out most of the work: while it ran, the loop ran nothing else.',
    );
    expect(text).toContain('The longest stall shrank from 290 ms to 105 ms, about one task (102 ms each).');
    expect(text).toContain(
      '`Promise.all`: no measurable difference from one task at a time (one run each, 1.02x apart). Work that never waits has nothing to overlap',
    );
    expect(text).toContain(
      '- In a worker thread the same work took 310 ms while the loop was 2% busy: the heartbeat up to 2.00 ms late. ' +
        'The loop kept running: its worst heartbeat was 2.00 ms late, against 290 ms with `Promise.all`.',
    );
  });

  test('requests in flight are said with the latency the server promised and the worst they took', () => {
    const requests = [{ start: 0, end: 310, ok: true }];
    const text = findings({ loop: loop([place('main', 300, 0.99, 290, requests)]) });
    expect(text).toContain('and requests the server answers in 20 ms took up to 310 ms.');
  });

  test('Promise.all faster or slower than one at a time is said, without the explanation', () => {
    const faster = findings({ loop: loop([place('main', 200, 0.99, 190), place('yielding', 300, 0.97, 105)]) });
    expect(faster).toContain('`Promise.all`: 1.50x faster than one task at a time.');
    expect(faster).not.toContain('nothing to overlap');
    const slower = findings({ loop: loop([place('main', 300, 0.99, 290), place('yielding', 200, 0.97, 105)]) });
    expect(slower).toContain('`Promise.all`: 1.50x slower than one task at a time.');
  });

  test('a stall when yielding longer than a task is not called one task', () => {
    const text = findings({ loop: loop([place('main', 300, 0.99, 290), place('yielding', 305, 0.97, 200)]) });
    expect(text).toContain('longer than one task (102 ms each): something else held the loop too.');
  });

  test('a loop that was not stalled gets no such claim', () => {
    const text = findings({ loop: loop([place('main', 300, 0.5, 20), place('worker', 300, 0.6, 19)]) });
    expect(text).not.toContain('ran nothing else');
    expect(text).not.toContain('kept running');
  });
});

describe("Amdahl's law", () => {
  /** Rows of 1, 2, ... threads without the lock, each point's speedup over one thread given. */
  const amdahl = (speedups: number[], serialFraction = 0.2) =>
    comparison(
      speedups.map((s, i) => ({
        mode: 'gil' as const,
        label: `${i + 1} thread${i === 0 ? '' : 's'}`,
        workers: i + 1,
        walls: [1000 / s],
        tasks: i + 1,
      })),
      { workload: 'steps', tasks: 1, params: { serialFraction, workMs: 400 } },
    );
  const text = (speedups: number[]) => line(findings({ amdahl: amdahl(speedups) }), "- **Amdahl's law.**");

  test('the best point against the law, with the ceiling, and a fit when a point gained', () => {
    expect(text([1, 1.6])).toContain(
      'With 20% of the work serial, the best point was 2 threads: 1.60x faster than one thread. ' +
        'The law allows 1.67x on 2 cores, and never more than 5.0x on any number of cores.',
    );
    expect(text([1, 1.6])).toMatch(/Fitted from the points, the serial share is \d+\.\d% \(set: 20%\)\./);
  });

  test('no point faster than one thread: the best beyond one thread, and no fit', () => {
    const said = text([1, 0.8]);
    expect(said).toContain('the best point beyond one thread was 2 threads: 1.25x slower than one thread.');
    expect(said).toContain(
      'No thread count was measurably faster than one thread, so a fit to these points would say nothing.',
    );
    expectWellSaid(said);
  });

  test('above the law is said as such, never as noise', () => {
    expect(text([1, 1.9])).toContain(
      '1.90x faster than one thread, above the ideal of 1.67x: more than the runs can explain; the law is the most a set serial share allows.',
    );
  });

  test('above the law with more threads than cores: the overlap the law leaves out, up to the cores', () => {
    expect(text([1, 1.6, 1.85])).toContain(
      "the best point was 3 threads: 1.85x faster than one thread, above the ideal of 1.67x: with more threads than cores, one thread's serial part can run while another computes",
    );
    expect(text([1, 1.6, 2.3])).toContain(
      '2.3x faster than one thread, above the ideal of 1.67x: more than the runs can explain',
    );
  });
});

describe('the headline', () => {
  const headline = (c: ReturnType<typeof lockComparison>) => report({ cpu: c }).headline;

  test('both rows against one thread, direction first', () => {
    expect(headline(lockComparison({ one: [1000, 1010], locked: [1040, 1050], free: [540, 545] }))).toBe(
      'Simulated GIL, 2 threads on 2 cores: with one global lock, 1.04x slower than one thread; without it, 1.85x faster than one thread',
    );
  });

  test('a ratio below 1 never prints "faster", and an uninformative control is flagged', () => {
    const h = headline(lockComparison({ one: [100, 101], locked: [1100, 1111], free: [1400, 1410] }));
    expect(h).toBe(
      'Simulated GIL, 2 threads on 2 cores: with one global lock, 11x slower than one thread; without it, 14x slower than one thread (this run cannot tell a lock from no lock)',
    );
  });

  test('above the ideal, one core, failures: each said as such', () => {
    expect(headline(lockComparison({ one: [1800, 1810], locked: [1000, 1005], free: [600, 605] }))).toContain(
      'with one global lock, 1.80x faster than one thread, above the ideal of 1.00x: no two holds overlapped, and the lock was held nearly the whole run on one thread',
    );
    expect(headline(lockComparison({ one: [1000], free: [1000] }, { cores: 1, threads: 1 }))).toMatch(
      /^Simulated GIL, 1 thread on 1 core: without it, no measurable difference from one thread \(one run each, 1\.00x apart\)$/,
    );
    expect(() => report({})).toThrow('gil.report needs at least one measurement');
  });
});
