/**
 * "What we measured" and the headline of notebook 04, read from measurements built by hand:
 * each way of waiting against its bound and against sequential, what the server saw beside
 * what each way allows (aiohttp's connector limit for aiohttp, undici's for undici), Node
 * beside the course's Python programs, the connection limit, and the faults run.
 */
import { io } from 'concurrency-lab';
import { bullet, comparison, ILL_SAID, pluralAfterOne, type RowSpec } from './helpers/results';

type Measured = Parameters<typeof io.report>[0]['main'];
type Variant = Measured['variants'][number];

interface Way {
  label: string;
  mode: RowSpec['mode'];
  workload?: 'io' | 'ioBlocking';
  workers?: number;
  connections?: number;
  walls: number[];
  /** The server's peak in flight in every run (undefined: no server records, real URLs). */
  peak?: number;
  /** Messages of the first requests, which fail (in every run). */
  errors?: string[];
  /** 'python' for the course's Python programs. */
  origin?: string;
}

/** An I/O measurement: these ways, `requests` a run, against the embedded server at `latencyMs` (undefined: real URLs). */
function measured(ways: Way[], o: { requests?: number; latencyMs?: number; cores?: number } = {}): Measured {
  const requests = o.requests ?? 100;
  const latencyMs = 'latencyMs' in o ? o.latencyMs : 100;
  const rows = ways.map((w): RowSpec => ({
    label: w.label,
    mode: w.mode,
    workers: w.workers ?? 1,
    walls: w.walls,
    baseline: null,
    ...(w.errors ? { errors: w.errors } : {}),
    ...(w.origin ? { origin: w.origin, startupIncluded: true } : {}),
    ...(w.peak === undefined
      ? {}
      : {
          // `peak` requests on the server together, in every run.
          detail: () => ({
            watch: Array.from({ length: w.peak! }, () => ({ start: 0, end: 10, status: 200, outcome: 'ok' })),
          }),
        }),
  }));
  const variants = ways
    .filter((w) => w.origin !== 'python')
    .map((w): Variant => ({
      label: w.label,
      workload: w.workload ?? 'io',
      mode: w.mode,
      ...(w.workers ? { workers: w.workers } : {}),
      ...(w.connections ? { connections: w.connections } : {}),
    }));
  return {
    comparison: comparison(rows, { cores: o.cores, tasks: requests, workload: 'io' }),
    requests,
    ...(latencyMs === undefined ? {} : { latencyMs, jitterMs: 0 }),
    urls: latencyMs === undefined ? ['https://example.test/'] : ['http://127.0.0.1:1/'],
    timeoutMs: 30_000,
    variants,
  };
}

const seq = (walls: number[], more: Partial<Way> = {}): Way => ({
  label: 'sequential',
  mode: 'sequential',
  walls,
  peak: 1,
  ...more,
});
const gather = (walls: number[], more: Partial<Way> = {}): Way => ({
  label: 'Promise.all',
  mode: 'async',
  walls,
  peak: 100,
  ...more,
});
const blockingAll = (walls: number[], more: Partial<Way> = {}): Way => ({
  label: 'blocking in Promise.all',
  mode: 'async',
  workload: 'ioBlocking',
  walls,
  peak: 1,
  ...more,
});
const pool = (workers: number, walls: number[], more: Partial<Way> = {}): Way => ({
  label: `blocking, ${workers} thread${workers === 1 ? '' : 's'}`,
  mode: 'threads',
  workload: 'ioBlocking',
  workers,
  walls,
  peak: workers,
  ...more,
});
const pyRequests = (walls: number[]): Way => ({ ...seq(walls), label: 'Python 3.11.2 requests', origin: 'python' });
const pyGather = (walls: number[], more: Partial<Way> = {}): Way => ({
  ...gather(walls),
  label: 'Python 3.11.2 aiohttp gather',
  origin: 'python',
  ...more,
});
const pyPool = (walls: number[]): Way => ({
  ...pool(10, walls),
  label: 'Python 3.11.2 ThreadPoolExecutor(10)',
  origin: 'python',
});

const findings = (main: Measured, more: Omit<Parameters<typeof io.report>[0], 'main'> = {}) =>
  io.report({ main, ...more }).findings;
const headline = (main: Measured) => io.report({ main }).headline;

/** Phrases that must never appear: a ratio below 1 said as a gain, a plural after 1, the JIT blamed. */
function expectWellSaid(text: string) {
  for (const bad of ILL_SAID) expect(text).not.toMatch(bad);
  expect(text).not.toMatch(
    pluralAfterOne(['requests', 'threads', 'processes', 'cores', 'connections', 'timeouts', 'runs', 'errors']),
  );
  expect(text).not.toMatch(/V8 is still compiling|fresh kernel/);
}

const COURSE = [
  seq([10_400, 10_300, 10_500]),
  gather([130, 128, 131]),
  blockingAll([10_450, 10_380, 10_420]),
  pool(1, [10_500, 10_400, 10_450]),
  pool(10, [1_040, 1_050, 1_045]),
];
const course = measured(COURSE);

describe('each way of waiting', () => {
  const text = findings(course);

  test('is read against its bound, direction first, with how many it can have in flight', () => {
    expect(bullet(text, 'sequential')).toBe(
      '- **sequential**: 10.4 s median of 3 runs, 1.04x the bound of 10000 ms. ' +
        'One request in flight at a time: each starts when the one before has its answer; the server saw at most 1, as allowed.',
    );
    expect(bullet(text, 'Promise.all')).toContain(
      '- **Promise.all**: 130 ms median of 3 runs, 1.30x the bound of 100 ms. Up to 100 in flight at once, from one thread; the server saw at most 100, as allowed.',
    );
    expectWellSaid(text);
  });

  test('a time below its bound is flagged with what would explain it, never read as a result', () => {
    const below = findings(measured([seq([10_400]), gather([95])]));
    expect(bullet(below, 'Promise.all')).toContain(
      '95 ms, below the bound of 100 ms: the server answered some requests early, or its clock and this one disagree.',
    );
    expect(below).not.toMatch(/0\.95x/);
  });

  test('the server-side peak stands beside the concurrency the way allows, and a gap either way is flagged', () => {
    const gap = findings(measured([seq([10_400]), gather([900], { peak: 6 })]));
    expect(gap).toContain(
      '**the server saw at most 6 in flight, fewer than the 100 allowed**: the requests reached it spread out over the run, not all together',
    );
    expect(gap).not.toContain('All 100 were on the server');
    const over = findings(measured([seq([10_400], { peak: 2 })]));
    expect(over).toContain('**the server saw up to 2 in flight, more than the 1 allowed**');
  });

  test('without a server (real URLs) there is no bound and no server-side count', () => {
    const real = findings(
      measured([seq([19_000], { peak: undefined }), gather([2_400], { peak: undefined })], { latencyMs: undefined }),
    );
    expect(real).toContain('100 requests to https://example.test/:');
    expect(real).not.toMatch(/bound|server saw/);
  });

  test('time above the bound is put down to the rest of each request only when the server had them all at once', () => {
    expect(bullet(text, 'Promise.all')).toContain(
      "All 100 were on the server at once, so the 30 ms above the bound was not spent waiting for it: it went to the rest of each request's life",
    );
    expect(bullet(text, 'Promise.all')).toContain('sharing 2 cores.');
    const gap = findings(measured([seq([10_400]), gather([900], { peak: 6 })]));
    expect(gap).not.toContain('was not spent waiting');
    const oneCore = findings(measured([seq([10_400]), gather([200])], { cores: 1 }));
    expect(oneCore).toContain('sharing 1 core.');
    // With jitter the bound assumes the earliest answers: some of the time above it was waiting.
    const jittered = findings({ ...measured([seq([10_400]), gather([130])]), jitterMs: 20 });
    expect(jittered).not.toContain('was not spent waiting');
  });

  test('the blocking client in Promise.all: one at a time, no measurable difference from sequential when there is none', () => {
    const line = bullet(text, 'blocking in Promise.all');
    expect(line).toContain(
      'One request in flight at a time: the blocking client stops the thread inside each call, so `Promise.all` can start the next request only when the one before has returned',
    );
    expect(line).toMatch(
      /Against sequential: no measurable difference from sequential \(within the \d+% these runs can tell apart\), as one request at a time in both predicts\./,
    );
  });

  test('the blocking client in Promise.all, measurably faster or slower than sequential: said so, with where the time went', () => {
    const faster = findings(measured([seq([16_700, 16_800]), blockingAll([10_000, 10_050])]));
    expect(faster).toContain(
      'Against sequential: 1.67x faster than sequential. Both have the same bound (one request at a time), so the difference is time outside the waiting: ' +
        '6.75 s above the bound for sequential, 25 ms here.',
    );
    const slower = findings(measured([seq([10_000, 10_050]), blockingAll([16_700, 16_800])]));
    expect(slower).toContain('Against sequential: 1.67x slower than sequential.');
    expectWellSaid(faster + slower);
  });

  test('a pool of one thread or one process is said in the singular', () => {
    expect(bullet(text, 'blocking, 1 thread')).toContain(
      '1 thread, blocked in one request at a time: one in flight; the server saw at most 1, as allowed.',
    );
    expect(bullet(text, 'blocking, 10 threads')).toContain(
      '10 threads, each blocked in one request at a time: up to 10 in flight',
    );
    const proc = findings(
      measured([
        { label: 'blocking, 1 process', mode: 'processes', workload: 'ioBlocking', workers: 1, walls: [10_500] },
      ]),
    );
    expect(proc).toContain('1 process, blocked in one request at a time');
    expectWellSaid(text + proc);
  });

  test("undici's connection limit is named for a Node way that has one", () => {
    const limited = findings(
      measured([{ label: '5 connections', mode: 'async', connections: 5, walls: [2_100], peak: 5 }]),
    );
    expect(limited).toContain(
      'Up to 5 in flight: undici opens at most 5 connections, and the other requests queue for one; the server saw at most 5, as allowed.',
    );
  });

  test('zero failures say nothing; some are counted, with the first error', () => {
    expect(text).not.toMatch(/failed/);
    const some = findings(
      measured([seq([10_400]), gather([130], { errors: ['GET x answered HTTP 500', 'GET x timed out after 200 ms'] })]),
    );
    expect(bullet(some, 'Promise.all')).toContain('; **2 of 100 requests failed**: GET x answered HTTP 500.');
  });

  test('runs that got faster one after another are named, in order, without blaming the JIT', () => {
    const warming = findings(measured([seq([10_400]), gather([150, 131, 120])]));
    expect(bullet(warming, 'Promise.all')).toContain(
      'Its runs took 150 ms, 131 ms, 120 ms, each faster than the one before: something was still warming up ' +
        '(compiled code, connections, caches, on either side); `npm run bench` times many warm runs.',
    );
    expect(findings(measured([seq([10_400]), gather([121, 118, 120])]))).not.toContain('Its runs took');
    expect(findings(measured([seq([10_400]), gather([122, 121, 120])]))).not.toContain('Its runs took'); // within 3%
    expectWellSaid(warming);
  });
});

describe("Node against the course's Python programs, measured here", () => {
  const withPython = measured([
    ...COURSE,
    pyRequests([10_800, 10_900, 10_850]),
    pyGather([400, 410, 405]),
    pyPool([1_045, 1_040, 1_050]),
  ]);

  test("each way against sequential, beside Python's same way against its own one after another", () => {
    const text = findings(withPython);
    expect(text).toContain(
      "**Node**, all at once: 80x faster than sequential (Python's 27x faster than requests one after another; the bounds: 100x); " +
        "10 blocking threads: 10x faster than sequential (Python's 10x faster than requests one after another; the bounds: 10x).",
    );
    expect(text).toContain(
      '`Promise.all`, on one thread, was 8.0x faster than the pool of 10 threads: the server saw up to 100 of its requests at once, ' +
        'against 10 from the pool. What counted was how many requests were in flight at once.',
    );
  });

  test('the table: Node faster, within the noise, and slower than Python, way by way', () => {
    const text = findings(
      measured([
        seq([10_400, 10_300, 10_500]),
        gather([130, 128, 131]),
        pool(10, [1_300, 1_310, 1_305]),
        pyRequests([10_800, 10_900, 10_850]),
        pyGather([130, 132, 129]),
        pyPool([1_045, 1_040, 1_050]),
      ]),
    );
    expect(text).toContain("| | Python here (the course's programs) | Node here | Node against Python |");
    expect(text).toContain(
      '| one after another | requests: 10.85 s | sequential: 10.40 s | 1.04x faster than Python |',
    );
    expect(text).toMatch(
      /\| all at once \| aiohttp \+ asyncio\.gather: 0\.130 s \| Promise\.all: 0\.130 s \| no measurable difference from Python/,
    );
    expect(text).toContain(
      '| a pool of threads | Python 3.11.2 ThreadPoolExecutor(10): 1.04 s | blocking, 10 threads: 1.30 s | 1.25x slower than Python |',
    );
    expectWellSaid(text);
  });

  test("Python's pool is set against Node's pool of its size, and against none of another", () => {
    const py20: Way = { ...pool(20, [700, 710]), label: 'Python 3.11.2 ThreadPoolExecutor(20)', origin: 'python' };
    const both = findings(measured([seq([10_400]), gather([130]), pool(10, [1_300]), pool(20, [690]), py20]));
    expect(both).toContain('| Python 3.11.2 ThreadPoolExecutor(20): 0.705 s | blocking, 20 threads: 0.690 s |');
    const other = findings(measured([seq([10_400]), gather([130]), pool(10, [1_300]), py20]));
    expect(other).toContain('| blocking, 10 threads: 1.30 s | n/a: pools of other sizes |');
    expect(other).not.toContain("Python's 14.8x");
  });

  test("Python's aiohttp row names aiohttp's own connector limit, never undici's", () => {
    const text = findings(
      measured([seq([15_600]), gather([140], { peak: 150 }), pyGather([300], { peak: 100 })], { requests: 150 }),
    );
    const line = bullet(text, 'Python 3.11.2 aiohttp gather');
    expect(line).toContain(
      "Up to 100 in flight: aiohttp's connector opens at most 100 connections, and the other requests wait for one; the server saw at most 100, as allowed.",
    );
    expect(line).not.toContain('undici');
    expect(bullet(text, 'Promise.all')).toContain('Up to 150 in flight at once, from one thread');
  });

  test("Python's rows get no reading of Node's clients, only what their design and the server say", () => {
    const text = findings(measured([seq([10_400]), gather([130]), pyGather([900, 600, 300])]));
    const line = bullet(text, 'Python 3.11.2 aiohttp gather');
    expect(line).toContain('Up to 100 in flight at once, from one thread; the server saw at most 100, as allowed.');
    expect(line).not.toContain('not spent waiting');
    expect(line).not.toContain('undici');
  });

  test('without the Python programs: no table', () => {
    const text = findings(course);
    expect(text).not.toContain('Python');
    expect(text).toContain('**Node**, all at once: 80x faster than sequential (the bounds: 100x);');
  });

  test('a program that could not run is named with the line that says how to install it', () => {
    const m = measured([seq([10_400]), gather([130]), pool(10, [1_040]), pyRequests([10_800])]);
    m.comparison.skipped = [
      { label: 'Python aiohttp gather', reason: 'the Python module aiohttp is missing: install with apt' },
    ];
    const text = findings(m);
    expect(text).toContain('- **Python aiohttp gather** did not run: the Python module aiohttp is missing');
    expect(text).toContain('| all at once | not run | Promise.all: 0.130 s | n/a |');
  });

  test('the reverse direction is a slowdown, never "0.x faster"', () => {
    const text = findings(measured([seq([1_000, 1_010]), gather([1_400, 1_410]), pool(10, [1_400, 1_410])]));
    expect(text).toContain('all at once: 1.40x slower than sequential');
    expect(text).toMatch(/against the pool of 10 threads: no measurable difference/);
    expect(text).not.toContain('What counted');
    expectWellSaid(text);
  });

  test('within the noise: no measurable difference', () => {
    const text = findings(measured([seq([1_000, 1_300]), gather([1_100, 1_200]), pool(10, [900, 1_250])]));
    expect(text).toMatch(
      /all at once: no measurable difference from sequential \(within the \d+% these runs can tell apart\)/,
    );
  });

  test('more than the ratio of the bounds is said with where it came from', () => {
    const text = findings(measured([seq([13_000, 13_100]), gather([101, 102]), pool(10, [1_300, 1_310])]));
    expect(text).toContain(
      'the bounds: 100x, less than measured because sequential ran further above its bound (1.30x) than this did (1.01x)',
    );
  });

  test('a single blocking thread is singular', () => {
    const text = findings(measured([seq([10_400]), gather([130]), pool(1, [10_500]), pyPool([1_040])]));
    expect(text).toMatch(/1 blocking thread: no measurable difference from sequential/);
    expect(text).toContain('blocking, 1 thread: 10.50 s');
    expectWellSaid(text);
  });
});

describe('the connection limit', () => {
  const limit = (connections: number, walls: number[], peak = connections): Way => ({
    label: `${connections} connection${connections === 1 ? '' : 's'}`,
    mode: 'async',
    connections,
    walls,
    peak,
  });
  const sweep = (ways: Way[]) => findings(course, { connections: measured(ways, { requests: 12 }) });

  test('each step, direction first, beside the ratio of its bounds', () => {
    const text = sweep([limit(1, [1_210]), limit(4, [310]), limit(12, [112])]);
    expect(text).toContain(
      "**The connection limit**, `Promise.all` through undici's pool: 4 connections against 1: 3.9x faster (1.21 s → 310 ms; the bounds: 4.0x); " +
        '12 connections against 4: 2.8x faster (310 ms → 112 ms; the bounds: 3.0x).',
    );
  });

  test('a step that gained more than its bounds allow says where it came from', () => {
    expect(sweep([limit(1, [1_600]), limit(4, [350])])).toContain(
      '4 connections against 1: 4.6x faster (1.60 s → 350 ms; the bounds: 4.0x, less than measured because 1 connection ran further above its bound (1.33x) than 4 did (1.17x))',
    );
  });

  test('a step that got slower is "slower", never "fell 0.67x"', () => {
    const text = sweep([limit(1, [1_000]), limit(4, [1_500])]);
    expect(text).toContain('4 connections against 1: 1.50x slower (1.00 s → 1.50 s; the bounds: 4.0x)');
    expect(text).not.toMatch(/fell|0\.67x/);
  });

  test('a step within the noise is no measurable difference; a server-side gap is flagged', () => {
    const text = sweep([limit(4, [310, 400]), limit(12, [320, 390], 5)]);
    expect(text).toMatch(
      /12 connections against 4: no measurable difference \(within the \d+% these runs can tell apart\)/,
    );
    expect(text).toContain('(**the server saw at most 5 in flight with 12 connections**)');
  });

  test('one point: its time, in the singular', () => {
    expect(sweep([limit(1, [1_210])])).toContain(
      "**The connection limit**, `Promise.all` through undici's pool: 1 connection: 1.21 s.",
    );
  });
});

describe('with faults injected', () => {
  const faulty = (errors: { seq: string[]; all: string[] }): Measured => ({
    ...measured([seq([1_500], { errors: errors.seq }), gather([220], { errors: errors.all, peak: 12 })], {
      requests: 12,
    }),
    timeoutMs: 200,
    server: { pid: 1, startupMs: 50, options: { failShare: 0.2, hangShare: 0.1 } },
  });
  const http500 = 'GET x answered HTTP 500';
  const timeout = 'GET x timed out after 200 ms';

  test('counts every failure by kind, in the singular where there is one, and what the timeouts cost one after another', () => {
    const text = findings(course, { faults: faulty({ seq: [http500, http500, timeout], all: [] }) });
    expect(text).toContain(
      '**With faults injected** (a share of 0.2 of the answers are 500s and 0.1 never come; timeout 200 ms): ' +
        'sequential: 3 of 12 failed (2 HTTP errors, 1 timeout), in 1.50 s; Promise.all: none of 12 failed, in 220 ms.',
    );
    expect(text).toContain(
      'In **sequential** the requests wait one after another, so its 1 timeout cost at least 200 ms of its 1.50 s, waiting for answers that never came.',
    );
    expectWellSaid(text);
  });

  test('without timeouts in sequential, nothing is said about sitting them out', () => {
    const text = findings(course, { faults: faulty({ seq: [http500], all: [timeout, timeout] }) });
    expect(text).toContain('sequential: 1 of 12 failed (1 HTTP error)');
    expect(text).toContain('Promise.all: 2 of 12 failed (2 timeouts)');
    expect(text).not.toContain('timeout cost');
  });
});

describe('the headline', () => {
  test('Promise.all against one after another, direction first, with its bound', () => {
    expect(headline(course)).toBe(
      'I/O-bound, 100 requests: Promise.all took 130 ms (1.30x the bound of 100 ms), 80x faster than one after another',
    );
  });

  test('a ratio below 1 never prints "faster"', () => {
    const h = headline(measured([seq([1_000, 1_010]), gather([1_400, 1_410])]));
    expect(h).toContain('1.40x slower than one after another');
    expect(h).not.toMatch(/faster/);
  });

  test('within the noise, and below the bound, each said as such', () => {
    expect(headline(measured([seq([1_000, 1_300]), gather([1_100, 1_200])]))).toMatch(
      /no measurable difference from one after another \(within the \d+% these runs can tell apart\)$/,
    );
    expect(headline(measured([seq([10_400]), gather([95])]))).toContain('(95 ms, below the bound of 100 ms:');
  });

  test('failures are counted, and one request is singular', () => {
    const h = headline(measured([seq([100]), gather([100], { errors: ['boom'] })], { requests: 1 }));
    expect(h).toMatch(/^I\/O-bound, 1 request: Promise\.all took 100 ms .*\(1 of 1 failed\)/);
  });

  test('without sequential or Promise.all it names the quickest way', () => {
    expect(headline(measured([pool(10, [1_040]), pool(1, [10_400])]))).toBe(
      'I/O-bound, 100 requests: the quickest way, blocking, 10 threads, took 1.04 s',
    );
  });
});
