/** "What we measured" and the headline of notebook 04, read from results built by hand. */
import { io, MODES } from 'concurrency-lab';

type Experiment = io.Experiment;
type VariantResult = Experiment['variants'][number];

const env = (cores = 2) => ({ cores, cpuModel: 'test CPU', node: 'v20.0.0', platform: 'linux', date: '2026-01-01' });

interface Spec {
  label: string;
  mode: (typeof MODES)[number];
  workload?: 'io' | 'ioBlocking';
  workers?: number;
  /** Requests it can have in flight. */
  concurrency: number;
  /** Each timed run's wall time, in order. */
  walls: number[];
  boundMs?: number;
  /** The server's peak in-flight count in every run (undefined: no server records, real URLs). */
  peak?: number;
  /** Error messages of the first run's first tasks (the others succeed). */
  errors?: string[];
  course?: string;
}

/** One variant's result: `requests` tasks a run, the first run's first ones failing with `errors`. */
function variant(spec: Spec, requests: number, cores = 2): VariantResult {
  const { label, mode, workload = 'io', workers = 1 } = spec;
  return {
    variant: { label, mode, workload, workers, ...(spec.course ? { course: spec.course } : {}) },
    concurrency: spec.concurrency,
    boundMs: spec.boundMs,
    serverRecords:
      spec.peak === undefined
        ? []
        : spec.walls.map(() =>
            Array.from({ length: spec.peak! }, () => ({ start: 0, end: 10, status: 200, outcome: 'ok' as const })),
          ),
    comparison: {
      workload,
      tasks: requests,
      modes: [mode],
      workers,
      repeats: spec.walls.length,
      startupMs: {},
      env: env(cores),
      params: {},
      runs: spec.walls.map((wallMs, repeat) => ({
        mode,
        workers,
        cores,
        repeat,
        start: 0,
        end: wallMs,
        wallMs,
        tasks: Array.from({ length: requests }, (_, index) => {
          const error = repeat === 0 ? spec.errors?.[index] : undefined;
          const record = { index, pid: 1, threadId: 0, start: 0, end: wallMs };
          return error === undefined ? { ...record, ok: true } : { ...record, ok: false, error };
        }),
        results: [],
      })),
    },
  };
}

function experiment(
  specs: Spec[],
  options: { requests?: number; latencyMs?: number; cores?: number } = {},
): Experiment {
  const requests = options.requests ?? 100;
  const latencyMs = 'latencyMs' in options ? options.latencyMs : 100;
  return {
    requests,
    latencyMs,
    urls: latencyMs === undefined ? ['https://example.test/'] : ['http://127.0.0.1:1/'],
    timeoutMs: 30_000,
    env: env(options.cores),
    variants: specs.map((s) => variant(s, requests, options.cores)),
  };
}

const seq = (walls: number[], more: Partial<Spec> = {}): Spec => ({
  label: 'sequential',
  mode: 'sequential',
  concurrency: 1,
  walls,
  boundMs: 10_000,
  peak: 1,
  ...more,
});
const gather = (walls: number[], more: Partial<Spec> = {}): Spec => ({
  label: 'Promise.all',
  mode: 'async',
  concurrency: 100,
  walls,
  boundMs: 100,
  peak: 100,
  ...more,
});
const blockingAll = (walls: number[], more: Partial<Spec> = {}): Spec => ({
  label: 'blocking in Promise.all',
  mode: 'async',
  workload: 'ioBlocking',
  concurrency: 1,
  walls,
  boundMs: 10_000,
  peak: 1,
  ...more,
});
const pool = (workers: number, walls: number[], more: Partial<Spec> = {}): Spec => ({
  label: `blocking, ${workers} thread${workers === 1 ? '' : 's'}`,
  mode: 'threads',
  workload: 'ioBlocking',
  workers,
  concurrency: workers,
  walls,
  boundMs: 10_000 / workers,
  peak: workers,
  course: workers === 10 ? 'requests in a ThreadPoolExecutor' : undefined,
  ...more,
});

/** Phrases that must never appear: a ratio below 1 said as a gain, a plural after 1. */
function expectWellSaid(text: string) {
  expect(text).not.toMatch(/\b0\.\d+x (faster|slower|sooner|as long)/);
  expect(text).not.toMatch(/\bx as long\b/);
  expect(text).not.toMatch(/(^|[^.\d])1 (requests|threads|processes|cores|connections|timeouts|runs|errors)\b/);
}

const course = experiment([
  seq([10_400, 10_300, 10_500]),
  gather([130, 128, 131]),
  blockingAll([10_450, 10_380, 10_420]),
  pool(1, [10_500, 10_400, 10_450]),
  pool(10, [1_040, 1_050, 1_045]),
]);

describe('each way of waiting', () => {
  const text = io.findings(course);

  test('is read against its bound, direction first', () => {
    expect(text).toContain('- **sequential**: 10.4 s median of 3 runs, 1.04x the bound of 10000 ms.');
    expect(text).toContain('- **Promise.all**: 130 ms median of 3 runs, 1.30x the bound of 100 ms.');
    expectWellSaid(text);
  });

  test('a time below its bound is flagged, never read as a result', () => {
    const below = io.findings(experiment([seq([10_400]), gather([95])]));
    expect(below).toContain('below the bound of 100 ms, which no run can beat');
    expect(below).not.toMatch(/0\.95x/);
  });

  test('the server-side peak stands beside the concurrency the way allows, and a gap is flagged', () => {
    expect(text).toContain('Up to 100 in flight at once, from one thread; the server saw at most 100, as allowed.');
    const gap = io.findings(experiment([seq([10_400]), gather([900], { peak: 6 })]));
    expect(gap).toContain('**the server saw at most 6 in flight, fewer than the 100 allowed**');
    expect(gap).not.toMatch(/All 100 (wait|were)/);
    const over = io.findings(experiment([seq([10_400], { peak: 2 })]));
    expect(over).toContain('**the server saw up to 2 in flight, more than the 1 allowed**');
  });

  test('without a server (real URLs) there is no bound and no server-side count', () => {
    const real = io.findings(
      experiment(
        [
          seq([19_000], { boundMs: undefined, peak: undefined }),
          gather([2_400], { boundMs: undefined, peak: undefined }),
        ],
        {
          latencyMs: undefined,
        },
      ),
    );
    expect(real).toContain('100 requests to https://example.test/:');
    expect(real).not.toMatch(/bound|server saw/);
  });

  test('time above the bound is put down to the rest of each request only when the server had them all at once', () => {
    expect(text).toContain(
      'All 100 were on the server at once, so the 30 ms above the bound was not spent waiting for it',
    );
    expect(text).toContain('sharing 2 cores');
    const gap = io.findings(experiment([seq([10_400]), gather([900], { peak: 6 })]));
    expect(gap).not.toContain('was not spent waiting');
    const oneCore = io.findings(experiment([seq([10_400]), gather([200])], { cores: 1 }));
    expect(oneCore).toContain('sharing 1 core.');
  });

  test('the blocking client in Promise.all: no measurable difference from sequential, when there is none', () => {
    expect(text).toContain(
      '- **blocking in Promise.all**: 10.4 s median of 3 runs, 1.04x the bound of 10000 ms. One request in flight at a time: the blocking client stops the thread',
    );
    expect(text).toMatch(
      /Against sequential: no measurable difference from sequential \(the runs spread \d+%\), as one request/,
    );
    expect(text).not.toContain('No gain over sequential');
  });

  test('the blocking client in Promise.all, measurably faster or slower than sequential: said so, with where the time went', () => {
    const faster = io.findings(experiment([seq([16_700, 16_800]), blockingAll([10_000, 10_050])]));
    expect(faster).toContain('Against sequential: 1.67x faster than sequential. Both have the same bound');
    expect(faster).toContain('6.75 s above the bound for sequential, 25 ms here');
    const slower = io.findings(experiment([seq([10_000, 10_050]), blockingAll([16_700, 16_800])]));
    expect(slower).toContain('Against sequential: 1.67x slower than sequential.');
    expectWellSaid(faster + slower);
  });

  test('a pool of one thread or one process is said in the singular', () => {
    expect(text).toContain(
      '1 thread, blocked in one request at a time: one in flight; the server saw at most 1, as allowed.',
    );
    expect(text).toContain('10 threads, each blocked in one request at a time: up to 10 in flight');
    const proc = io.findings(
      experiment([
        {
          label: 'blocking, 1 process',
          mode: 'processes',
          workload: 'ioBlocking',
          workers: 1,
          concurrency: 1,
          walls: [10_500],
        },
      ]),
    );
    expect(proc).toContain('1 process, blocked in one request at a time');
    expectWellSaid(text + proc);
  });

  test('zero failures say nothing; some are counted, with the first error', () => {
    expect(text).not.toMatch(/failed/);
    const some = io.findings(
      experiment([
        seq([10_400]),
        gather([130], { errors: ['GET x answered HTTP 500', 'GET x timed out after 200 ms'] }),
      ]),
    );
    expect(some).toContain('; **2 of 100 requests failed**: GET x answered HTTP 500.');
  });

  test('runs that got faster one after another are named, in order, direction first', () => {
    const warming = io.findings(experiment([seq([10_400]), gather([150, 131, 120])]));
    expect(warming).toContain(
      'Its runs took 150 ms, 131 ms, 120 ms, each faster than the one before, the first 1.25x slower than the last',
    );
    expect(io.findings(experiment([seq([10_400]), gather([121, 118, 120])]))).not.toContain('Its runs took');
    expect(io.findings(experiment([seq([10_400]), gather([122, 121, 120])]))).not.toContain('Its runs took'); // within 3%
  });
});

describe('here, against the course', () => {
  test('all at once and the pool against sequential, beside the course and the bounds', () => {
    const text = io.findings(course);
    expect(text).toContain(
      '**Here**, all at once: 80x faster than sequential (the course: 7.9x faster; the bounds: 100x);',
    );
    expect(text).toContain(
      '10 blocking threads: 10x faster than sequential (the course: 4.6x faster; the bounds: 10x).',
    );
    expect(text).toContain(
      '`Promise.all`, on one thread, was 8.0x faster than the pool of 10 threads: the server saw up to 100 of its requests at once, against 10 from the pool. What counted',
    );
    expect(text).toContain('| one after another | requests: 19 s | 10.40 s |');
  });

  test('the reverse direction is a slowdown, never "0.x faster"', () => {
    const text = io.findings(experiment([seq([1_000, 1_010]), gather([1_400, 1_410]), pool(10, [1_400, 1_410])]));
    expect(text).toContain('all at once: 1.40x slower than sequential');
    expect(text).toContain('against the pool of 10 threads: no measurable difference');
    expect(text).not.toContain('What counted');
    expectWellSaid(text);
  });

  test('within the noise: no measurable difference, with the spread', () => {
    const text = io.findings(experiment([seq([1_000, 1_300]), gather([1_100, 1_200]), pool(10, [900, 1_250])]));
    expect(text).toMatch(/all at once: no measurable difference from sequential \(the runs spread \d+%\)/);
  });

  test('more than the ratio of the bounds is said with where it came from', () => {
    const text = io.findings(experiment([seq([13_000, 13_100]), gather([101, 102]), pool(10, [1_300, 1_310])]));
    expect(text).toContain(
      'the bounds: 100x, less than measured because sequential ran further above its bound (1.30x) than this did',
    );
  });

  test('a single blocking thread is singular', () => {
    const text = io.findings(experiment([seq([10_400]), gather([130]), pool(1, [10_500])]));
    expect(text).toContain('1 blocking thread: no measurable difference from sequential');
    expect(text).toContain('| pool of 10 threads | ThreadPoolExecutor + requests: 4.1 s | 10.50 s (1 thread) |');
    expectWellSaid(text);
  });
});

describe('the connection limit', () => {
  const limit = (connections: number, walls: number[], peak = connections): Spec => ({
    label: `${connections} connection${connections === 1 ? '' : 's'}`,
    mode: 'async',
    concurrency: connections,
    walls,
    boundMs: Math.ceil(12 / connections) * 100,
    peak,
  });

  test('each step, direction first, beside the ratio of its bounds', () => {
    const text = io.findings(
      course,
      experiment([limit(1, [1_210]), limit(4, [310]), limit(12, [112])], { requests: 12 }),
    );
    expect(text).toContain('4 connections against 1: 3.9x faster (1.21 s → 310 ms; the bounds: 4.0x)');
    expect(text).toContain('12 connections against 4: 2.8x faster (310 ms → 112 ms; the bounds: 3.0x)');
  });

  test('a step that gained more than its bounds allow says where it came from', () => {
    const text = io.findings(course, experiment([limit(1, [1_600]), limit(4, [350])], { requests: 12 }));
    expect(text).toContain(
      '4 connections against 1: 4.6x faster (1.60 s → 350 ms; the bounds: 4.0x, less than measured because 1 connection ran further above its bound (1.33x) than 4 did (1.17x))',
    );
  });

  test('a step that got slower is "slower", never "fell 0.67x"', () => {
    const text = io.findings(course, experiment([limit(1, [1_000]), limit(4, [1_500])], { requests: 12 }));
    expect(text).toContain('4 connections against 1: 1.50x slower (1.00 s → 1.50 s; the bounds: 4.0x)');
    expect(text).not.toMatch(/fell|0\.67x/);
  });

  test('a step within the noise is no measurable difference; a server-side gap is flagged', () => {
    const text = io.findings(course, experiment([limit(4, [310, 400]), limit(12, [320, 390], 5)], { requests: 12 }));
    expect(text).toMatch(/12 connections against 4: no measurable difference \(the runs spread \d+%\)/);
    expect(text).toContain('(**the server saw at most 5 in flight with 12 connections**)');
  });

  test('one point: its time, in the singular', () => {
    const text = io.findings(course, experiment([limit(1, [1_210])], { requests: 12 }));
    expect(text).toContain("**The connection limit**, `Promise.all` through undici's pool: 1 connection: 1.21 s.");
  });
});

describe('with faults injected', () => {
  const faulty = (errors: { seq: string[]; all: string[] }) => {
    const e = experiment([seq([1_500], { errors: errors.seq }), gather([220], { errors: errors.all })], {
      requests: 12,
    });
    return {
      ...e,
      timeoutMs: 200,
      server: { pid: 1, startupMs: 50, options: { failShare: 0.2, hangShare: 0.1 } },
    };
  };
  const http500 = 'GET x answered HTTP 500';
  const timeout = 'GET x timed out after 200 ms';

  test('counts every failure by kind, in the singular where there is one', () => {
    const text = io.findings(course, undefined, faulty({ seq: [http500, http500, timeout], all: [] }));
    expect(text).toContain('(a share of 0.2 of the answers are 500s and 0.1 never come; timeout 200 ms)');
    expect(text).toContain('sequential: 3 of 12 failed (2 HTTP errors, 1 timeout), in 1.50 s');
    expect(text).toContain('Promise.all: none of 12 failed, in 220 ms');
    expect(text).toContain(
      'In **sequential** the requests wait one after another, so its 1 timeout cost at least 200 ms of its 1.50 s, waiting for answers that never came.',
    );
    expectWellSaid(text);
  });

  test('without timeouts in sequential, nothing is said about sitting them out', () => {
    const text = io.findings(course, undefined, faulty({ seq: [http500], all: [timeout, timeout] }));
    expect(text).toContain('sequential: 1 of 12 failed (1 HTTP error)');
    expect(text).toContain('Promise.all: 2 of 12 failed (2 timeouts)');
    expect(text).not.toContain('timeout cost');
  });
});

describe('the headline', () => {
  test('Promise.all against one after another, direction first, with its bound', () => {
    expect(io.headline(course)).toBe(
      'I/O-bound, 100 requests: Promise.all took 130 ms (1.30x the bound of 100 ms), 80x faster than one after another',
    );
  });

  test('a ratio below 1 never prints "faster"', () => {
    const h = io.headline(experiment([seq([1_000, 1_010]), gather([1_400, 1_410])]));
    expect(h).toContain('1.40x slower than one after another');
    expect(h).not.toMatch(/faster/);
  });

  test('within the noise, and below the bound, each said as such', () => {
    const same = io.headline(experiment([seq([1_000, 1_300]), gather([1_100, 1_200])]));
    expect(same).toMatch(/no measurable difference from one after another \(the runs spread \d+%\)$/);
    expect(io.headline(experiment([seq([10_400]), gather([95])]))).toContain('(below the bound of 100 ms');
  });

  test('failures are counted, and one request is singular', () => {
    const h = io.headline(experiment([seq([100]), gather([100], { errors: ['boom'] })], { requests: 1 }));
    expect(h).toMatch(/^I\/O-bound, 1 request: Promise.all took 100 ms .*\(1 of 1 failed\)/);
  });

  test('without sequential or Promise.all it names the quickest way', () => {
    expect(io.headline(experiment([pool(10, [1_040]), pool(1, [10_400])]))).toBe(
      'I/O-bound, 100 requests: the quickest way, blocking, 10 threads, took 1.04 s',
    );
  });
});
