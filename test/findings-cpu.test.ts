/**
 * The CPU-bound notebook's "what we measured" and headline, read from comparisons built by
 * hand: each pool against its own one-worker row, direction first, no difference inside the
 * noise, a speedup past the ideal only with its measured cause (else said as beyond what the
 * runs explain), counts that follow the numbers, failures said, and an explanation (the
 * hand-off to a worker, the GIL, one core) only with the records that show it.
 */
import { cpu } from 'concurrency-lab';
import { bullet, comparison, ILL_SAID, pluralAfterOne, type RowSpec } from './helpers/results';

type Options = Parameters<typeof comparison>[1];

/** A Node row: a mode on `workers` workers (pools start in 45 ms, process pools in 400). */
const row = (mode: RowSpec['mode'], workers: number, walls: number[], more: Partial<RowSpec> = {}): RowSpec => ({
  mode,
  workers,
  walls,
  startupMs: mode === 'processes' ? 400 : mode === 'threads' ? 45 : 0,
  ...more,
});

/** The CPU report of these rows, as notebook 05 measures them: 100 x cpu(30) on 2 cores unless said. */
function report(specs: RowSpec[], options: Options = {}, scaling?: RowSpec[]) {
  const o = { params: { num: 30 }, ...options };
  return cpu.report({
    result: comparison(specs, o),
    ...(scaling ? { scaling: comparison(scaling, { ...o, tasks: 40 }) } : {}),
  });
}

const SEQ = [2000, 2010, 2020];
const ONE = [2000, 2010, 2020];

function expectWellSaid(text: string) {
  for (const bad of ILL_SAID) expect(text).not.toMatch(bad);
  expect(text).not.toMatch(pluralAfterOne(['cores', 'threads', 'tasks', 'workers', 'runs', 'processes']));
  expect(text).not.toMatch(/baseline run was slow|\(noise\)|read it as about/);
}

describe('cpu findings: each pool against its own one-worker row', () => {
  test('a thread pool faster, within the ideal, is "faster than one worker thread", in the line and the headline', () => {
    const r = report([row('sequential', 1, SEQ), row('threads', 1, ONE), row('threads', 10, [1050, 1060, 1070])]);
    const line = bullet(r.findings, 'threads (10)');
    expect(line).toBe(
      '- **threads (10)**: 1.06 s median of 3 runs. The pool took 45 ms to start, not counted. ' +
        '1.90x faster than one worker thread. Up to 10 tasks were in progress at once, on 2 cores.',
    );
    expect(line).not.toContain('sequential');
    expect(r.headline).toBe(
      'CPU-bound, 100 x cpu(30) on 2 cores: a pool of 10 threads ran 1.90x faster than one worker thread (the ideal: 2.0x)',
    );
    expectWellSaid(`${r.findings}\n${r.headline}`);
  });

  test('the one-worker row is read against sequential, with the conditions each runs under', () => {
    // The pool's worker ran each task faster than the main thread did: said with the task times, not as parallelism.
    const r = report([
      row('sequential', 1, [2400, 2410, 2420]),
      row('threads', 1, ONE),
      row('threads', 10, [1050, 1060, 1070]),
    ]);
    const line = bullet(r.findings, 'threads (1)');
    expect(line).toContain(
      '1.20x faster than sequential, above the ideal of 1.00x: its tasks themselves ran 1.20x faster (20 ms against 24 ms a task, medians).',
    );
    expect(line).toContain(
      "A task took 20 ms here and 24 ms on the main thread (medians): 1.20x faster in the pool's worker. The two run under different conditions",
    );
    expect(line).toContain('so each pool is read against its own one-worker run, not against sequential.');
    expect(bullet(r.findings, 'threads (10)')).toContain('1.90x faster than one worker thread.');
    // With no larger pool, the one-worker row is itself read against sequential: nothing to explain.
    const alone = report([row('sequential', 1, [2400, 2410, 2420]), row('threads', 1, ONE)]);
    expect(bullet(alone.findings, 'threads (1)')).toContain('command line to serve).');
    expect(alone.findings).not.toContain('its own one-worker run');
  });

  test('a thread pool slower says "slower", never "0.34x faster"', () => {
    const r = report([
      row('sequential', 1, SEQ),
      row('threads', 1, [100, 101, 102]),
      row('threads', 10, [297, 300, 303]),
    ]);
    expect(bullet(r.findings, 'threads (10)')).toContain('3.0x slower than one worker thread.');
    expect(r.headline).toBe(
      'CPU-bound, 100 x cpu(30) on 2 cores: a pool of 10 threads ran 3.0x slower than one worker thread (the ideal: 2.0x)',
    );
    expectWellSaid(`${r.findings}\n${r.headline}`);
  });

  test('inside the spread of the runs is no measurable difference, for async and for the pool', () => {
    const r = report([
      row('sequential', 1, SEQ),
      row('async', 1, [1950, 2100, 2000]),
      row('threads', 1, ONE),
      row('threads', 10, [1900, 2050, 2150]),
    ]);
    const async = bullet(r.findings, 'async');
    expect(async).toMatch(/No measurable difference from sequential \(within the \d+% these runs can tell apart\)\./);
    expect(async).toContain('Its tasks ran one at a time: none overlapped another.');
    expect(bullet(r.findings, 'threads (10)')).toMatch(/No measurable difference from one worker thread \(within the/);
    // The headline drops the bracket, and says "showed", not "ran".
    expect(r.headline).toBe(
      'CPU-bound, 100 x cpu(30) on 2 cores: a pool of 10 threads showed no measurable difference from one worker thread (the ideal: 2.0x)',
    );
  });

  test('async measurably faster than sequential, its tasks faster too: above the ideal of 1x with that cause', () => {
    const r = report([row('sequential', 1, [2280, 2290, 2300]), row('async', 1, [2000, 2005, 2010])]);
    expect(bullet(r.findings, 'async')).toContain(
      '1.14x faster than sequential, above the ideal of 1.00x: its tasks themselves ran 1.14x faster (20 ms against 23 ms a task, medians).',
    );
    expect(r.findings).not.toContain('as expected');
    expectWellSaid(r.findings);
  });

  test('above the ideal with tasks no faster: said as more than the runs can explain, never as noise', () => {
    // The same 20 ms tasks on both sides; the one-worker runs waited 4 ms before each task.
    const r = report([
      row('threads', 1, [2400, 2410, 2420], { taskMs: 20, gapMs: 4 }),
      row('threads', 10, [1000, 1002, 1004], { taskMs: 20 }),
    ]);
    const words = 'above the ideal of 2.0x: more than the runs can explain (look at the timeline)';
    expect(bullet(r.findings, 'threads (10)')).toContain(`2.4x faster than one worker thread, ${words}.`);
    expect(r.headline).toBe(
      `CPU-bound, 100 x cpu(30) on 2 cores: a pool of 10 threads ran 2.4x faster than one worker thread, ${words} (the ideal: 2.0x)`,
    );
    expectWellSaid(`${r.findings}\n${r.headline}`);
  });

  test('above the ideal with tasks measurably faster in the pool: that is the cause named', () => {
    const r = report([row('threads', 1, [2400, 2410, 2420]), row('threads', 10, [1000, 1002, 1004], { taskMs: 20 })]);
    expect(bullet(r.findings, 'threads (10)')).toContain(
      '2.4x faster than one worker thread, above the ideal of 2.0x: its tasks themselves ran 1.21x faster (20 ms against 24 ms a task, medians).',
    );
  });

  test('a cause that accounts for only part of the gain is said as such, the rest as unexplained', () => {
    const r = report([
      row('threads', 1, [3000, 3010, 3020], { taskMs: 21 }),
      row('threads', 10, [1000, 1002, 1004], { taskMs: 20 }),
    ]);
    expect(bullet(r.findings, 'threads (10)')).toContain(
      '3.0x faster than one worker thread, above the ideal of 2.0x: its tasks themselves ran 1.05x faster (20 ms against 21 ms a task, medians), ' +
        'which accounts for 2.1x; the rest is more than the runs can explain (look at the timeline).',
    );
  });

  test('a hair above the ideal, inside the noise, is at the ideal within the noise', () => {
    const r = report([row('threads', 1, [2040, 2050, 2060]), row('threads', 10, [1000, 1005, 1010])]);
    expect(bullet(r.findings, 'threads (10)')).toMatch(
      /faster than one worker thread, at the ideal of 2\.0x within these runs' noise\./,
    );
    expect(r.findings).not.toContain('above the ideal');
  });

  test('each process pool against one worker process, and against the thread pool of its size', () => {
    const r = report([
      row('sequential', 1, SEQ),
      row('threads', 1, ONE),
      row('threads', 10, [1050, 1060, 1070]),
      row('processes', 1, [2100, 2110, 2120]),
      row('processes', 10, [1300, 1310, 1320]),
    ]);
    const line = bullet(r.findings, 'processes (10)');
    expect(line).toContain('The pool took 400 ms to start, not counted.');
    expect(line).toContain('1.61x faster than one worker process.');
    expect(line).toContain('1.24x slower than the thread pool of 10.');
  });
});

describe('cpu findings: counts follow the numbers', () => {
  test('one core, one task: singular everywhere, the ideal 1x', () => {
    const r = report([row('sequential', 1, [100]), row('threads', 1, [100]), row('threads', 2, [99])], {
      cores: 1,
      tasks: 1,
    });
    const text = `${r.findings}\n${r.headline}`;
    expect(text).toContain('On this machine (1 core, test CPU, Node v20.0.0), 1 x cpu(30):');
    expect(bullet(r.findings, 'threads (2)')).toContain(
      'No measurable difference from one worker thread (one run each, 1.01x apart).',
    );
    expect(r.headline).toBe(
      'CPU-bound, 1 x cpu(30) on 1 core: a pool of 2 threads showed no measurable difference from one worker thread (the ideal: 1.00x)',
    );
    expectWellSaid(text);
  });

  test('SMT and a CPU quota are named with the cores the ideal uses', () => {
    const r = report([row('threads', 1, ONE), row('threads', 16, [130, 131, 132])], {
      cores: 8,
      logicalCpus: 16,
      physicalCores: 8,
    });
    expect(r.findings).toContain('On this machine (8 cores (8 physical of 16 logical CPUs), test CPU');
    expect(r.headline).toContain('(the ideal: 8.0x)');
    expect(r.findings).not.toContain('16x');
  });

  test('without a pool the headline names the sequential time', () => {
    expect(report([row('sequential', 1, SEQ)]).headline).toBe(
      'CPU-bound, 100 x cpu(30) on 2 cores: sequential took 2.01 s',
    );
  });
});

describe('cpu findings: failures', () => {
  const specs = (failed?: number[]) => [
    row('threads', 1, ONE),
    row('threads', 10, [1050, 1060, 1070], failed ? { failed } : {}),
  ];

  test('no failures: nothing said about them', () => {
    const r = report(specs());
    expect(`${r.findings}\n${r.headline}`).not.toContain('failed');
  });

  test('some failures: counted in the row line and the headline, with the first', () => {
    const r = report(specs([4]));
    expect(bullet(r.findings, 'threads (10)')).toMatch(
      / \*\*3 of 300 tasks failed\*\* \(the first: task 4, run 1: boom\)\.$/,
    );
    expect(r.headline).toMatch(/ran 1\.90x faster than one worker thread \(the ideal: 2\.0x\); 3 of 300 tasks failed$/);
  });
});

describe('cpu findings: explanations only with the evidence of the task records', () => {
  test('a hand-off as long as the task is said, with its share', () => {
    // 100 tiny tasks: 1 ms of work each, a worker waits 1 ms before each.
    const r = report([row('threads', 1, [100, 101, 102]), row('threads', 2, [100, 101, 102], { taskMs: 1, gapMs: 1 })]);
    expect(bullet(r.findings, 'threads (2)')).toContain(
      'Before each task a worker waited 1.00 ms on average (a task handed over, a result handed back), ' +
        '100% of the 1.00 ms a task took: about as much as the task itself.',
    );
  });

  test('a hand-off longer than the task is said as such; with more tasks at once than cores, the turn on a core too', () => {
    const r = report([row('threads', 1, [100, 101, 102]), row('threads', 4, [297, 300, 303], { taskMs: 1, gapMs: 4 })]);
    expect(bullet(r.findings, 'threads (4)')).toContain(
      '(a task handed over, a result handed back, a turn on a core), 400% of the 1.00 ms a task took: more than the task itself.',
    );
  });

  test('a hand-off that is a share of the task, but well under it, is said without a verdict', () => {
    const r = report([row('threads', 1, ONE), row('threads', 2, [1050, 1060, 1070], { taskMs: 20, gapMs: 10 })]);
    const line = bullet(r.findings, 'threads (2)');
    expect(line).toContain('Before each task a worker waited 10 ms on average');
    expect(line).toMatch(/50% of the 20 ms a task took\.$/);
  });

  test('a hand-off that is a small share of the task is not a reason, whatever the result', () => {
    const r = report([row('threads', 1, ONE), row('threads', 2, [2200, 2210, 2220], { taskMs: 40, gapMs: 0.5 })]);
    const line = bullet(r.findings, 'threads (2)');
    expect(line).toContain('slower than one worker thread');
    expect(line).not.toMatch(/waited|handed/);
  });

  test('tasks at once are counted on the cores, and async tasks that never overlapped are said so', () => {
    const r = report([
      row('sequential', 1, SEQ),
      row('async', 1, [2000, 2005, 2010]),
      row('threads', 1, ONE),
      row('threads', 2, [1050, 1060, 1070]),
    ]);
    expect(bullet(r.findings, 'threads (2)')).toContain('Up to 2 tasks were in progress at once, on 2 cores.');
    expect(bullet(r.findings, 'async')).toContain('Its tasks ran one at a time: none overlapped another.');
  });
});

/** The course's Python programs (and Node's pools timed end to end) beside Node's rows. */
function withPython(
  py: { sequential: number[]; threads: number[]; processes: number[] },
  o: {
    node?: { sequential?: number[]; threads?: number[]; processes?: number[] };
    pyTaskMs?: number;
    workers?: number;
    cores?: number;
    pyFailed?: number[];
    threadsAtOnce?: number;
    gilEnabled?: boolean;
  } = {},
) {
  const workers = o.workers ?? 10;
  const py3 = (name: string) => `Python 3.11.2 ${name}`;
  const detail = () => ({ python: '/usr/bin/python3', version: '3.11.2', gilEnabled: o.gilEnabled ?? true });
  const peer = (label: string, mode: RowSpec['mode'], n: number, walls: number[], more: Partial<RowSpec> = {}) =>
    row(mode, n, walls, { label, startupIncluded: true, startupMs: 0, ...more });
  const python = (label: string, mode: RowSpec['mode'], n: number, walls: number[], more: Partial<RowSpec> = {}) =>
    peer(label, mode, n, walls, { origin: 'python', detail, ...more });
  return report(
    [
      row('sequential', 1, o.node?.sequential ?? SEQ),
      row('threads', 1, ONE),
      row('threads', workers, [1050, 1060, 1070]),
      row('processes', 1, [2100, 2110, 2120]),
      row('processes', workers, [1100, 1110, 1120]),
      peer(`threads (${workers}), end to end`, 'threads', workers, o.node?.threads ?? [1200, 1210, 1220]),
      peer(`processes (${workers}), end to end`, 'processes', workers, o.node?.processes ?? [1500, 1510, 1520]),
      python(py3('sequential'), 'sequential', 1, py.sequential, {
        ...(o.pyTaskMs ? { taskMs: o.pyTaskMs } : {}),
        ...(o.pyFailed ? { failed: o.pyFailed } : {}),
      }),
      // Python's threads: every task dealt out to a thread at once, taking turns under the GIL.
      python(py3(`ThreadPoolExecutor(${workers})`), 'threads', workers, py.threads, {
        lanes: o.threadsAtOnce ?? workers,
      }),
      python(py3(`ProcessPoolExecutor(${workers})`), 'processes', workers, py.processes),
    ],
    { cores: o.cores },
  );
}

const PY_SEQ = [1800, 1810, 1820];
const pyLine = (text: string, name: string) => bullet(text, `Python 3.11.2 ${name}`);

describe("cpu findings: the course's Python programs, measured here", () => {
  test("Python's threads no faster than its sequential, tasks at once, on 2 cores: they took turns (the GIL)", () => {
    const r = withPython({ sequential: PY_SEQ, threads: [1820, 1830, 1840], processes: PY_SEQ });
    const line = pyLine(r.findings, 'ThreadPoolExecutor(10)');
    expect(line).toContain("No measurable difference from Python's sequential program");
    expect(line).toContain(
      "Up to 10 tasks were in progress at once, yet the pool was no faster than one thread: its threads took turns to run Python (CPython's global interpreter lock).",
    );
  });

  test('on one core, no speedup is explained by the one core, not by the GIL', () => {
    const r = withPython({ sequential: PY_SEQ, threads: [1820, 1830, 1840], processes: PY_SEQ }, { cores: 1 });
    const line = pyLine(r.findings, 'ThreadPoolExecutor(10)');
    expect(line).toContain('With one core no pool can run two tasks at once, GIL or not.');
    expect(line).not.toContain('global interpreter lock');
  });

  test('a free-threaded Python whose threads did not scale is not said to have a GIL', () => {
    const r = withPython({ sequential: PY_SEQ, threads: [1820, 1830, 1840], processes: PY_SEQ }, { gilEnabled: false });
    const line = pyLine(r.findings, 'ThreadPoolExecutor(10)');
    expect(line).toContain("No measurable difference from Python's sequential program");
    expect(line).not.toContain('global interpreter lock');
    expect(line).toContain('This Python is a free-threaded build (no GIL), so the GIL does not explain it.');
  });

  test('threads that never overlapped are not blamed on the GIL either', () => {
    const r = withPython({ sequential: PY_SEQ, threads: [1820, 1830, 1840], processes: PY_SEQ }, { threadsAtOnce: 1 });
    expect(pyLine(r.findings, 'ThreadPoolExecutor(10)')).not.toContain('took turns');
  });

  test("Python's processes faster than its sequential, within the ideal; a faster thread pool gets no GIL sentence", () => {
    const r = withPython({ sequential: PY_SEQ, threads: [1000, 1005, 1010], processes: [1000, 1010, 1020] });
    expect(pyLine(r.findings, 'ProcessPoolExecutor(10)')).toContain("1.79x faster than Python's sequential program.");
    expect(pyLine(r.findings, 'ThreadPoolExecutor(10)')).not.toContain('took turns');
  });

  test("Python's processes above the ideal of 2x, tasks no faster: said as beyond what the runs explain", () => {
    const r = withPython({ sequential: PY_SEQ, threads: PY_SEQ, processes: [700, 705, 710] });
    expect(pyLine(r.findings, 'ProcessPoolExecutor(10)')).toContain(
      "2.6x faster than Python's sequential program, above the ideal of 2.0x: ",
    );
    expectWellSaid(r.findings);
  });

  test("Python's slower pool is 'slower', never '0.x faster'", () => {
    const r = withPython({ sequential: PY_SEQ, threads: [2600, 2610, 2620], processes: PY_SEQ });
    expect(pyLine(r.findings, 'ThreadPoolExecutor(10)')).toContain("1.44x slower than Python's sequential program.");
    expectWellSaid(r.findings);
  });

  test('the table sets Node against Python way by way, each pool timed end to end: slower, faster, within the noise', () => {
    const r = withPython(
      { sequential: PY_SEQ, threads: [1820, 1830, 1840], processes: [1500, 1510, 1520] },
      { node: { sequential: SEQ, threads: [1200, 1210, 1220], processes: [1500, 1505, 1510] } },
    );
    expect(r.findings).toContain('| 100 x cpu(30) | Python | Node | Node against Python |');
    expect(r.findings).toContain(
      '| one after another | Python 3.11.2 sequential: 1.81 s | sequential: 2.01 s | 1.11x slower than Python |',
    );
    expect(r.findings).toContain(
      '| a pool of threads | Python 3.11.2 ThreadPoolExecutor(10): 1.83 s | threads (10), end to end: 1.21 s | 1.51x faster than Python |',
    );
    expect(r.findings).toMatch(
      /\| a pool of processes \| Python 3\.11\.2 ProcessPoolExecutor\(10\): 1\.51 s \| processes \(10\), end to end: 1\.50 s \| no measurable difference from Python/,
    );
  });

  test('per task, Python faster: said as measured, with the integers named', () => {
    const r = withPython({ sequential: PY_SEQ, threads: PY_SEQ, processes: PY_SEQ }, { pyTaskMs: 15 });
    expect(r.findings).toContain(
      "**Per task**, one after another: a task took 20 ms in Node (V8's `BigInt`) and 15 ms in Python (CPython's `int`), medians: Python's 1.34x faster.",
    );
  });

  test('per task, Python slower: said as slower', () => {
    const r = withPython({ sequential: PY_SEQ, threads: PY_SEQ, processes: PY_SEQ }, { pyTaskMs: 30 });
    expect(r.findings).toContain("medians: Python's 1.49x slower.");
  });

  test('per task within the noise: no measurable difference', () => {
    const r = withPython({ sequential: PY_SEQ, threads: PY_SEQ, processes: PY_SEQ }, { pyTaskMs: 20.2 });
    expect(r.findings).toMatch(/\*\*Per task\*\*.*medians: no measurable difference/);
  });

  test('zero failures say nothing; some are counted', () => {
    expect(withPython({ sequential: PY_SEQ, threads: PY_SEQ, processes: PY_SEQ }).findings).not.toContain('failed');
    const r = withPython({ sequential: PY_SEQ, threads: PY_SEQ, processes: PY_SEQ }, { pyFailed: [3, 7] });
    expect(pyLine(r.findings, 'sequential')).toContain('**6 of 300 tasks failed** (the first: task 3, run 1: boom).');
  });

  test('a program that could not run is named with the one line that says why', () => {
    const r = cpu.report({
      result: comparison([row('sequential', 1, SEQ)], {
        params: { num: 30 },
        skipped: [{ label: 'Python ProcessPoolExecutor(10)', reason: 'no Python 3.8 or newer was found' }],
      }),
    });
    expect(r.findings).toContain('- **Python ProcessPoolExecutor(10)** did not run: no Python 3.8 or newer was found');
  });

  test('without the Python programs nothing is said about Python', () => {
    const r = report([row('sequential', 1, SEQ), row('threads', 1, ONE), row('threads', 10, [1050, 1060, 1070])]);
    expect(r.findings).not.toContain('Python');
    expect(r.findings).not.toContain('Per task');
  });
});

describe('cpu findings: scaling', () => {
  const main = [row('threads', 1, ONE), row('threads', 2, [1050, 1060, 1070])];
  const sweep = (walls: number[][]) => walls.map((w, i) => row('threads', [1, 2, 3, 4][i]!, w));
  const scaling = (text: string) => text.slice(text.indexOf('**Scaling**'));

  test('each pool size against one worker, within the ideal, with an Amdahl fit', () => {
    const text = scaling(
      report(
        main,
        {},
        sweep([
          [800, 805],
          [420, 425],
          [430, 432],
          [520, 525],
        ]),
      ).findings,
    );
    expect(text).toContain('**Scaling**, the same work on each pool size, each against one worker (803 ms):');
    expect(text).toContain('- 2 threads: 423 ms, 1.90x faster than one worker thread.');
    expect(text).toContain('4 threads against 2 threads: 1.24x slower: 4 threads took turns on 2 cores.');
    expect(text).toMatch(/An Amdahl fit to these points puts the serial share at \d+\.\d%\./);
  });

  test('a point above the ideal is said with its cause, or as beyond the runs, and no fit is quoted', () => {
    const text = scaling(
      report(
        main,
        {},
        sweep([
          [800, 805],
          [340, 342],
        ]),
      ).findings,
    );
    expect(text).toMatch(/- 2 threads: 341 ms, 2\.4x faster than one worker thread, above the ideal of 2\.0x: .+\./);
    expect(text).not.toMatch(/noise\)|baseline run was slow/);
    expect(text).not.toContain('Amdahl');
  });

  test('more threads than cores within the noise: no difference, no reason', () => {
    const text = scaling(
      report(
        main,
        {},
        sweep([
          [800, 805],
          [420, 440],
          [430, 432],
          [425, 445],
        ]),
      ).findings,
    );
    expect(text).toMatch(/4 threads against 2 threads: no measurable difference \(within the \d+%/);
    expect(text).not.toContain('took turns');
  });

  test('a pool far slower than one worker is not "above the ideal": another that gained still gets its fit', () => {
    const text = scaling(
      report(
        main,
        {},
        sweep([
          [800, 805],
          [1700, 1710],
          [560, 565],
        ]),
      ).findings,
    );
    expect(text).toContain('- 2 threads: 1.71 s, 2.1x slower than one worker thread.');
    expect(text).toContain('- 3 threads: 563 ms, 1.43x faster than one worker thread.');
    expect(text).toMatch(/An Amdahl fit to these points puts the serial share at/);
  });

  test('no pool measurably faster than one worker: no Amdahl fit is quoted', () => {
    const text = scaling(
      report(
        main,
        {},
        sweep([
          [13, 13],
          [16, 16],
        ]),
      ).findings,
    );
    expect(text).toContain('- 2 threads: 16 ms, 1.23x slower than one worker thread.');
    expect(text).toContain(
      'No larger pool was measurably faster than one worker, so an Amdahl fit would say nothing here.',
    );
  });

  test('one core: the ideal stays 1x, and 2 threads against 1 is read on that core', () => {
    const text = scaling(report(main, { cores: 1 }, sweep([[800], [805]])).findings);
    expect(text).toContain(
      '- 2 threads: 805 ms, no measurable difference from one worker thread (one run each, 1.01x apart).',
    );
    expect(text).toContain('No larger pool was measurably faster than one worker');
  });
});
