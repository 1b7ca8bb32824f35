import { openResources, threads } from 'concurrency-lab';
import { threadCount } from './helpers/processes';

test('worker threads share this pid and have distinct ids above 0', async () => {
  const reports = await threads.threadReports(3);
  expect(new Set(reports.map((r) => r.pid))).toEqual(new Set([process.pid]));
  const ids = reports.map((r) => r.threadId);
  expect(new Set(ids).size).toBe(3);
  for (const r of reports) {
    expect(r.threadId).toBeGreaterThan(0);
    expect(r.line).toBe(`${process.pid} process | ${r.threadId} thread`);
  }
});

test("a worker's write shows in shared memory and not in a copy", async () => {
  const seen = await threads.whoSeesTheChange(42);
  expect(seen).toMatchObject({ value: 42, mainShared: 42, mainCopied: 0 });
  expect(seen.workerThreadId).toBeGreaterThan(0);
});

describe('message costs', () => {
  let costs: threads.MessageCosts;
  beforeAll(async () => {
    costs = await threads.messageCosts({ sizes: [1024, 1 << 22], repeats: 2 });
  });

  test('times each method at each size', () => {
    expect(costs.samples).toHaveLength(2 * 3 * 2);
    expect(costs.summary.map((s) => `${s.method}@${s.bytes}`)).toEqual([
      'clone@1024',
      'transfer@1024',
      'shared@1024',
      `clone@${1 << 22}`,
      `transfer@${1 << 22}`,
      `shared@${1 << 22}`,
    ]);
  });

  test('copying 4 MB costs more than sharing it', () => {
    const at = (m: string) => costs.summary.find((s) => s.method === m && s.bytes === 1 << 22)!.ms.median;
    expect(at('clone')).toBeGreaterThan(at('shared'));
  });

  test('the chart draws a line per method over the sizes, with a table', () => {
    const figure = threads.messageCostChart(costs);
    expect(figure.data).toHaveLength(3);
    expect(figure.data[0]!.x).toEqual([1024, 1 << 22]);
    expect(figure.table).toContain('4 MB');
  });
});

describe('the counter race', () => {
  let race: threads.CounterRace;
  beforeAll(async () => {
    race = await threads.counterRace({ threads: 2, increments: 200_000, repeats: 3 });
  });

  test('Atomics.add and the threads.lock lose no update; no way counts past the expected total', () => {
    for (const run of race.runs) {
      expect(run.expected).toBe(400_000);
      expect(run.final).toBeLessThanOrEqual(run.expected);
      if (run.mode !== 'unsafe') expect(run.lost).toBe(0);
    }
    expect(race.runs).toHaveLength(9);
  });

  test('plain counter = counter + 1 from two threads loses updates', async () => {
    const unsafe = await threads.counterRace({ threads: 2, increments: 2_000_000, repeats: 3, modes: ['unsafe'] });
    expect(Math.max(...unsafe.runs.map((r) => r.lost))).toBeGreaterThan(0);
  });

  test('the chart shows lost updates and time per way, and the findings quote them', async () => {
    const figure = threads.counterRaceChart(race);
    expect(figure.table).toContain('atomics');
    expect(figure.table).toContain('400,000');
    const reports = await threads.threadReports(2);
    const seen = await threads.whoSeesTheChange(7);
    const costs = await threads.messageCosts({ sizes: [1024], repeats: 1 });
    const text = threads.findings(reports, seen, costs, race);
    expect(text).toContain(`read 7 from the SharedArrayBuffer and 0 from the copy`);
    expect(text).toContain('Atomics.add lost no update in 3 runs');
  });
});

test('the threads.lock takes and frees its cell', () => {
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
  await expect(threads.threadReports(-1)).rejects.toThrow('threads must be an integer from 1 to 256 (got -1)');
});

test('leaves no worker thread or tracked resource behind', async () => {
  expect(openResources()).toBe(0);
  await new Promise((r) => setTimeout(r, 200));
  expect(threadCount()).toBeLessThan(20);
});
