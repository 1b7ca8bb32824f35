/**
 * 02-threads' "what we measured" and headline, from results built by hand: every computed
 * sentence in the expected direction, the reverse, within noise, with one thread, one round
 * trip and one run, and with no lost update against some. (Nothing here has an ideal to
 * exceed, so there is no above-the-ideal case.)
 */
import { threads } from 'concurrency-lab';
import { bullet, comparison, env } from './helpers/results';
import { summarize } from '../lib/dist/core/stats';

type Measured = Parameters<typeof threads.report>[0];
type Race = Measured['race'];
type Costs = Measured['costs'];
type Mode = Race['summary'][number]['mode'];
type Method = Costs['samples'][number]['method'];

/** A counter race with these runs (lost updates and ms) per way: each way a row (a peer), each run a run of it. */
function race(
  runs: Partial<Record<Mode, { lost: number; ms: number }[]>>,
  options: { threads?: number; increments?: number; cores?: number } = {},
): Race {
  const { threads: count = 2, increments = 1_000_000, cores = 2 } = options;
  const expected = count * increments;
  const modes = Object.keys(runs) as Mode[];
  const all = modes.flatMap((mode) =>
    runs[mode]!.map((r, repeat) => ({ mode, repeat, threads: count, expected, final: expected - r.lost, ...r })),
  );
  const summary = modes.map((mode) => {
    const mine = all.filter((r) => r.mode === mode);
    return {
      mode,
      lost: summarize(mine.map((r) => r.lost)),
      ms: summarize(mine.map((r) => r.ms)),
      runsWithLosses: mine.filter((r) => r.lost > 0).length,
    };
  });
  const c = comparison(
    modes.map((mode) => ({
      mode: 'threads' as const,
      label: mode,
      workers: count,
      walls: runs[mode]!.map((r) => r.ms),
      detail: (repeat: number) => {
        const lost = runs[mode]![repeat]!.lost;
        return { final: expected - lost, expected, lost };
      },
    })),
    { cores, tasks: count, params: { threads: count, increments, repeats: runs[modes[0]!]!.length } },
  );
  return {
    threads: count,
    increments,
    repeats: runs[modes[0]!]!.length,
    runs: all,
    summary,
    comparison: c,
    env: env(cores),
  };
}

/** Message costs with these round trips (ms) per size (bytes) and method: each a row (a peer), each round trip a run. */
function costs(ms: Record<number, Record<Method, number[]>>): Costs {
  const sizes = Object.keys(ms).map(Number);
  const methods: Method[] = ['clone', 'transfer', 'shared'];
  const samples = sizes.flatMap((bytes) =>
    methods.flatMap((method) => ms[bytes]![method].map((value, repeat) => ({ method, bytes, repeat, ms: value }))),
  );
  const summary = sizes.flatMap((bytes) =>
    methods.map((method) => ({ method, bytes, ms: summarize(ms[bytes]![method]) })),
  );
  const label = (method: Method, bytes: number) => `${method} ${bytes} B`;
  const c = comparison(
    sizes.flatMap((bytes) =>
      methods.map((method) => ({
        mode: 'threads' as const,
        label: label(method, bytes),
        walls: ms[bytes]![method],
        tasks: 1,
        baseline: label('shared', bytes),
      })),
    ),
    { tasks: 1, params: { sizes, repeats: ms[sizes[0]!]!.clone.length } },
  );
  return { sizes, repeats: ms[sizes[0]!]!.clone.length, samples, summary, comparison: c, env: env() };
}

const KB = 1024;
const MB = 1024 * 1024;
const TYPICAL_COSTS = costs({
  [KB]: { clone: [0.04, 0.041], transfer: [0.05, 0.051], shared: [0.04, 0.042] },
  [16 * MB]: { clone: [12, 12.5], transfer: [0.15, 0.16], shared: [0.17, 0.18] },
});
const TYPICAL_RACE = race({
  unsafe: [
    { lost: 500_000, ms: 140 },
    { lost: 600_000, ms: 141 },
    { lost: 700_000, ms: 142 },
  ],
  atomics: [
    { lost: 0, ms: 100 },
    { lost: 0, ms: 101 },
    { lost: 0, ms: 102 },
  ],
  lock: [
    { lost: 0, ms: 300 },
    { lost: 0, ms: 310 },
    { lost: 0, ms: 305 },
  ],
});
const SEEN: Measured['seen'] = { workerThreadId: 5, value: 42, mainShared: 42, mainCopied: 0 };
const kids = (...ids: number[]) => ids.map((threadId) => ({ pid: process.pid, threadId }));

const report = (
  reports: Measured['reports'] = kids(1, 2, 3),
  seen = SEEN,
  messageCosts = TYPICAL_COSTS,
  counterRace = TYPICAL_RACE,
) => threads.report({ reports, seen, costs: messageCosts, race: counterRace });
const findings = (reports?: Measured['reports'], seen?: Measured['seen'], messageCosts?: Costs, counterRace?: Race) =>
  report(reports, seen, messageCosts, counterRace).findings;
const headline = (counterRace: Race) => report(undefined, undefined, undefined, counterRace).headline;

describe('threads and sharing', () => {
  test("several threads: their ids and this kernel's pid", () => {
    expect(bullet(findings(), 'Threads')).toBe(
      `- **Threads.** 3 worker threads reported thread ids 1, 2, 3 and one pid, ${process.pid}, this kernel's own; the main thread is 0.`,
    );
  });

  test('one thread is "1 worker thread", "thread id", "pid", with no stray comma', () => {
    const line = bullet(findings(kids(7)), 'Threads');
    expect(line).toBe(
      `- **Threads.** 1 worker thread reported thread id 7 and pid ${process.pid}, this kernel's own; the main thread is 0.`,
    );
    expect(line).not.toMatch(/1 worker threads|thread ids|one pid|pid,/);
  });

  test('threads in several processes are counted as measured', () => {
    expect(
      bullet(
        findings([
          { pid: 1, threadId: 1 },
          { pid: 2, threadId: 2 },
        ]),
        'Threads',
      ),
    ).toContain('2 different pids (1, 2)');
  });

  test('only the shared buffer carried the change: said only when the numbers show it', () => {
    expect(bullet(findings(), 'Sharing')).toBe(
      '- **Sharing.** Worker thread 5 wrote 42 into both buffers; the main thread read 42 from the SharedArrayBuffer ' +
        'and 0 from the copy it had sent: only the shared memory carried the change.',
    );
    const both = bullet(findings(undefined, { ...SEEN, mainCopied: 42 }), 'Sharing');
    expect(both).toContain('and 42 from the copy it had sent.');
    expect(both).not.toContain('only the shared memory');
  });
});

describe('copying costs', () => {
  test('a copy that grows with the size and is the slowest: the textbook reading', () => {
    const line = bullet(findings(), 'Copying');
    expect(line).toContain(
      'Handing 16 MB to a thread, and a short answer back, took 12 ms as a copy, 0.15 ms transferred, 0.17 ms shared (medians of 2 round trips).',
    );
    expect(line).toContain('At 16 MB the copy was 70x slower than sharing and 79x slower than transferring.');
    expect(line).toContain("From 1 KB to 16 MB a copy's round trip went from 0.04 ms to 12 ms, 302x slower;");
    expect(line).toContain('A copy costs more the bigger it is');
  });

  test('a copy that was the cheapest is said so, never "a copy costs more"', () => {
    const line = bullet(
      findings(
        undefined,
        undefined,
        costs({
          [KB]: { clone: [0.04, 0.041], transfer: [0.05, 0.051], shared: [0.04, 0.042] },
          [MB]: { clone: [0.05, 0.051], transfer: [0.1, 0.11], shared: [0.1, 0.102] },
        }),
      ),
      'Copying',
    );
    expect(line).toContain('At 1 MB the copy was 2.0x faster than sharing and 2.1x faster than transferring.');
    expect(line).not.toMatch(/costs more|0\.\d+x/);
  });

  test('times inside the noise are "not measurably different", with the spread', () => {
    const line = bullet(
      findings(
        undefined,
        undefined,
        costs({ [MB]: { clone: [0.1, 0.14], transfer: [0.12, 0.13], shared: [0.11, 0.15] } }),
      ),
      'Copying',
    );
    expect(line).toMatch(
      /the copy was not measurably different from sharing \(within the \d+% these runs can tell apart\)/,
    );
    expect(line).not.toMatch(/costs more|From /);
  });

  test('one round trip of one size: "1 round trip", no growth sentence', () => {
    const line = bullet(
      findings(undefined, undefined, costs({ [MB]: { clone: [1], transfer: [0.1], shared: [0.1] } })),
      'Copying',
    );
    expect(line).toContain('(medians of 1 round trip)');
    expect(line).toContain('the copy was 10x slower than sharing');
    expect(line).not.toContain('From ');
  });
});

describe('the race', () => {
  test('losses in every run: the range and the median', () => {
    expect(bullet(findings(), 'Races')).toBe(
      '- **Races.** Reading then writing (no indivisible add), 2 threads adding 1 to one counter 1,000,000 times each ' +
        'lost 500,000 to 700,000 of 2,000,000 updates (median 600,000), with losses in 3 of 3 runs.',
    );
  });

  test('losses in some runs only: the others were luck', () => {
    const some = race({
      unsafe: [
        { lost: 0, ms: 1 },
        { lost: 10, ms: 1 },
        { lost: 0, ms: 1 },
      ],
    });
    const line = bullet(findings(undefined, undefined, undefined, some), 'Races');
    expect(line).toContain(
      'with losses in 1 of 3 runs; the other 2 lost nothing: the same code, so those runs were luck',
    );
  });

  test('no loss in any run: said as measured, and no talk of luck', () => {
    const none = race({
      unsafe: [
        { lost: 0, ms: 1 },
        { lost: 0, ms: 1 },
      ],
    });
    const line = bullet(findings(undefined, undefined, undefined, none), 'Races');
    expect(line).toMatch(/lost no update in 2 runs\.$/);
    expect(line).not.toContain('luck');
  });

  test('one thread, one run: "1 thread", "1 run", and nobody to race with', () => {
    const alone = race({ unsafe: [{ lost: 0, ms: 1 }] }, { threads: 1 });
    const line = bullet(findings(undefined, undefined, undefined, alone), 'Races');
    expect(line).toContain('1 thread adding 1');
    expect(line).toContain('lost no update in 1 run: one thread has nobody to race with.');
    expect(line).not.toMatch(/1 threads|1 runs|luck/);
  });
});

describe('the fixes and their price', () => {
  test('a lock slower than Atomics.add: direction first, then the reason', () => {
    const line = bullet(findings(), 'The fixes');
    expect(line).toContain('Atomics.add lost no update in 3 runs; the lock lost no update in 3 runs.');
    expect(line).toContain('Median times: reading then writing 141 ms, Atomics.add 101 ms, the lock 305 ms.');
    expect(line).toContain(
      'Atomics.add was 1.40x faster than reading then writing; the lock was 3.0x slower than Atomics.add:',
    );
    expect(line).toContain('the price of protecting any number of steps');
  });

  test('a lock quicker than Atomics.add is "faster", never "0.5x as long", and gets no "price" reason', () => {
    const quick = race({
      atomics: [
        { lost: 0, ms: 200 },
        { lost: 0, ms: 202 },
      ],
      lock: [
        { lost: 0, ms: 100 },
        { lost: 0, ms: 101 },
      ],
    });
    const line = bullet(findings(undefined, undefined, undefined, quick), 'The fixes');
    expect(line).toMatch(/The lock was 2\.0x faster than Atomics\.add\.$/);
    expect(line).not.toMatch(/as long|0\.\d+x|price of/);
  });

  test('a lock within the noise of Atomics.add is not measurably different', () => {
    const even = race({
      atomics: [
        { lost: 0, ms: 100 },
        { lost: 0, ms: 130 },
      ],
      lock: [
        { lost: 0, ms: 110 },
        { lost: 0, ms: 120 },
      ],
    });
    const line = bullet(findings(undefined, undefined, undefined, even), 'The fixes');
    expect(line).toMatch(
      /The lock was not measurably different from Atomics\.add \(within the \d+% these runs can tell apart\)\.$/,
    );
  });

  test('a fix that lost updates is reported as such', () => {
    const broken = race({
      atomics: [
        { lost: 0, ms: 1 },
        { lost: 3, ms: 1 },
        { lost: 0, ms: 1 },
      ],
    });
    expect(bullet(findings(undefined, undefined, undefined, broken), 'The fixes')).toContain(
      'Atomics.add lost updates in 1 of 3 runs (up to 3)',
    );
  });

  test('no fixes run: no bullet', () => {
    const onlyUnsafe = race({ unsafe: [{ lost: 1, ms: 1 }] });
    expect(bullet(findings(undefined, undefined, undefined, onlyUnsafe), 'The fixes')).toBe('');
  });
});

describe('headline', () => {
  test('what the unsafe way lost, what the fixes lost, and the lock against Atomics.add', () => {
    expect(headline(TYPICAL_RACE)).toBe(
      'Reading then writing, 2 threads lost up to 700,000 of 2,000,000 updates, in 3 of 3 runs; ' +
        'Atomics.add and the lock lost none; the lock was 3.0x slower than Atomics.add (2 cores)',
    );
  });

  test('a ratio below 1 never prints "faster": a slower lock is "slower"', () => {
    const text = headline(TYPICAL_RACE);
    expect(text).not.toMatch(/faster|0\.\d+x|as long/);
  });

  test('a quicker lock is "faster", said with its direction', () => {
    const quick = race(
      {
        unsafe: [{ lost: 0, ms: 50 }],
        atomics: [{ lost: 0, ms: 200 }],
        lock: [{ lost: 0, ms: 100 }],
      },
      { threads: 1, cores: 1 },
    );
    expect(headline(quick)).toBe(
      'Reading then writing, 1 thread lost no update in 1 run; Atomics.add and the lock lost none; ' +
        'the lock was 2.0x faster than Atomics.add (1 core)',
    );
  });

  test('within noise it names no winner, and a fix that lost is not "none"', () => {
    const text = headline(
      race({
        atomics: [
          { lost: 0, ms: 100 },
          { lost: 2, ms: 130 },
        ],
        lock: [
          { lost: 0, ms: 110 },
          { lost: 0, ms: 120 },
        ],
      }),
    );
    expect(text).toContain('Atomics.add lost up to 2, in 1 of 2 runs; the lock lost none;');
    expect(text).toMatch(
      /the times of the lock and Atomics.add showed no measurable difference \(within the \d+% these runs can tell apart\)/,
    );
  });
});

test('no sentence says "0.x faster", "as long" or counts "1 <plural>"', () => {
  const alone = race(
    { unsafe: [{ lost: 0, ms: 1 }], atomics: [{ lost: 0, ms: 2 }], lock: [{ lost: 0, ms: 1 }] },
    { threads: 1, cores: 1 },
  );
  for (const text of [findings(), findings(kids(4), undefined, undefined, alone), headline(alone)]) {
    expect(text).not.toMatch(/\b0\.\d+x\b|as long as/);
    expect(text).not.toMatch(/\b1 (threads|worker threads|runs|cores|round trips)\b/);
  }
});
