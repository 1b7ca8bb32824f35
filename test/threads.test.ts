/**
 * 02-threads' measurements on real worker threads: what handing data to a thread costs, as
 * peers of one comparison; the counter race and its fixes; the lock; bad input; and nothing
 * left running. (The notebook's own cells start the threads that report their ids and write
 * into shared memory: the mechanism is in the chapter, tested with the notebooks.)
 */
import { threads } from 'concurrency-lab';
import { openResources } from '../lib/dist/core/teardown';
import { threadCount } from './helpers/processes';

type Costs = Awaited<ReturnType<typeof threads.messageCosts>>;
type Race = Awaited<ReturnType<typeof threads.counterRace>>;

const MB = 1 << 20;

describe('message costs', () => {
  let costs: Costs;
  beforeAll(async () => {
    costs = await threads.messageCosts({ sizes: [1024, 16 * MB], repeats: 5 });
  });

  test('times each method at each size, each a row of one comparison read against sharing', () => {
    expect(costs.samples).toHaveLength(2 * 3 * 5);
    expect(costs.summary.map((s) => `${s.method}@${s.bytes}`)).toEqual([
      'clone@1024',
      'transfer@1024',
      'shared@1024',
      `clone@${16 * MB}`,
      `transfer@${16 * MB}`,
      `shared@${16 * MB}`,
    ]);
    const rows = costs.comparison.rows.map((r) => [r.label, r.baseline]);
    expect(rows).toEqual([
      ['clone 1 KB', 'shared 1 KB'],
      ['transfer 1 KB', 'shared 1 KB'],
      ['shared 1 KB', undefined],
      ['clone 16 MB', 'shared 16 MB'],
      ['transfer 16 MB', 'shared 16 MB'],
      ['shared 16 MB', undefined],
    ]);
    expect(costs.comparison.runs).toHaveLength(30);
  });

  test('every way hands the worker all the bytes: 16 MB copied, moved or shared, each round trip', () => {
    for (const run of costs.comparison.runs) {
      const bytes = run.label.endsWith('16 MB') ? 16 * MB : 1024;
      expect(run.results).toEqual([bytes]);
      expect(run.tasks.at(0).ok).toBe(true);
    }
  });

  test('copying 16 MB costs more than sharing it, even in the best of five round trips of each', () => {
    // The copy's round trip cannot beat copying 16 MB twice (out and in); sharing copies nothing.
    // Load on the machine stretches both, so the best of each is compared, not a median.
    const best = (method: string) =>
      Math.min(...costs.samples.filter((s) => s.method === method && s.bytes === 16 * MB).map((s) => s.ms));
    expect(best('clone')).toBeGreaterThan(best('shared'));
  });

  test('the chart draws a line per method over the sizes, with a table', () => {
    const figure = threads.messageCostChart(costs);
    expect(figure.data).toHaveLength(3);
    expect(figure.data[0]!.x).toEqual([1024, 16 * MB]);
    expect(figure.table).toContain('16 MB');
  });
});

describe('the counter race', () => {
  let race: Race;
  beforeAll(async () => {
    race = await threads.counterRace({ threads: 2, increments: 200_000, repeats: 3 });
  });

  test('Atomics.add and threads.lock lose no update; no way counts past the expected total', () => {
    for (const run of race.runs) {
      expect(run.expected).toBe(400_000);
      expect(run.final).toBeLessThanOrEqual(run.expected);
      expect(run.lost).toBe(run.expected - run.final);
      if (run.mode !== 'unsafe') expect(run.lost).toBe(0);
    }
    expect(race.runs).toHaveLength(9);
    expect(race.comparison.rows.map((r) => r.label)).toEqual(['unsafe', 'atomics', 'lock']);
    for (const run of race.comparison.runs) expect(new Set([...run.tasks].map((t) => t.threadId)).size).toBe(2);
  });

  test('plain counter = counter + 1 from two threads loses updates', async () => {
    const unsafe = await threads.counterRace({ threads: 2, increments: 2_000_000, repeats: 3, modes: ['unsafe'] });
    expect(Math.max(...unsafe.runs.map((r) => r.lost))).toBeGreaterThan(0);
  });

  test('the chart shows lost updates and time per way, and the report quotes them', async () => {
    const figure = threads.counterRaceChart(race);
    expect(figure.table).toContain('atomics');
    expect(figure.table).toContain('400,000');
    const costs = await threads.messageCosts({ sizes: [1024], repeats: 1 });
    const r = threads.report({
      reports: [{ pid: process.pid, threadId: 1 }],
      seen: { workerThreadId: 1, value: 7, mainShared: 7, mainCopied: 0 },
      costs,
      race,
    });
    expect(r.findings).toContain('Atomics.add lost no update in 3 runs');
    expect(r.findings).toContain('Handing 1 KB to a thread, and a short answer back, took');
    expect(Object.keys(r.results)).toEqual(['messages', 'race']);
    expect(r.params).toMatchObject({ threads: 2, increments: 200_000, sizes: [1024] });
  });
});

test('threads.lock takes and frees its cell', () => {
  const cells = new Int32Array(new SharedArrayBuffer(8));
  threads.lock(cells, 1);
  expect(cells[1]).toBe(1);
  threads.unlock(cells, 1);
  expect(cells[1]).toBe(0);
});

test('bad parameters are one-line errors that name the parameter', async () => {
  await expect(threads.counterRace({ threads: 0 })).rejects.toThrow('threads must be an integer from 1 to 64 (got 0)');
  await expect(threads.counterRace({ modes: ['fast' as never] })).rejects.toThrow(
    'modes[0] must be one of unsafe, atomics, lock',
  );
  await expect(threads.messageCosts({ sizes: [] })).rejects.toThrow(
    'sizes must be a non-empty list (got an empty list)',
  );
  await expect(threads.messageCosts({ sizes: [0] })).rejects.toThrow(/^sizes\[0\] must be an integer from 1/);
});

test('leaves no worker thread or tracked resource behind', async () => {
  expect(openResources()).toBe(0);
  await new Promise((r) => setTimeout(r, 200));
  expect(threadCount()).toBeLessThan(20);
});
