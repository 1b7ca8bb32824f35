import { openResources, ParameterError, processes } from 'concurrency-lab';
import { childPids } from './helpers/processes';

test('whoAmI prints the course line for this process and the main thread', () => {
  const me = processes.whoAmI();
  expect(me.pid).toBe(process.pid);
  expect(me.threadId).toBe(0);
  expect(me.line).toBe(`${process.pid} process | 0 thread`);
});

test.each(['fork', 'spawn'] as const)(
  '%s: every child is its own process, a child of this one, on its thread 0',
  async (method) => {
    const reports = await processes.childReports(3, method);
    expect(reports.map((r) => r.index)).toEqual([0, 1, 2]);
    const pids = new Set(reports.map((r) => r.pid));
    expect(pids.size).toBe(3);
    expect(pids.has(process.pid)).toBe(false);
    for (const r of reports) {
      expect(r.ppid).toBe(process.pid);
      expect(r.threadId).toBe(0);
      expect(r.line).toBe(`${r.pid} process | 0 thread`);
      expect(r.ms).toBeGreaterThan(0);
    }
  },
);

test("a child's change to its counter is not seen by the parent", async () => {
  const m = await processes.isolatedMemory(41, 1);
  expect(m).toMatchObject({
    parentPid: process.pid,
    parentBefore: 41,
    childBefore: 41,
    childAfter: 42,
    parentAfter: 41,
  });
  expect(m.childPid).not.toBe(process.pid);
});

describe('start-up costs', () => {
  let costs: processes.StartupCosts;
  beforeAll(async () => {
    costs = await processes.startupCosts({ repeats: 2 });
  });

  test('times every kind the given number of times, each start positive', () => {
    expect(costs.kinds).toEqual(['spawn true', 'spawn node', 'fork node', 'worker thread']);
    expect(costs.samples).toHaveLength(2 * costs.kinds.length);
    for (const s of costs.samples) expect(s.ms).toBeGreaterThan(0);
    for (const s of costs.summary) expect(s.ms.n).toBe(2);
  });

  test('a Node process takes longer to start than a program that does nothing', () => {
    const median = (kind: string) => costs.summary.find((s) => s.kind === kind)!.ms.median;
    expect(median('fork node')).toBeGreaterThan(median('spawn true'));
  });

  test('the chart has a bar per kind and the same numbers as a table', () => {
    const figure = processes.startupChart(costs);
    expect(figure.data[0]!.x).toEqual(costs.kinds);
    for (const kind of costs.kinds) expect(figure.table).toContain(kind);
    expect(JSON.stringify(figure.layout)).toMatch(/\d+ cores?/);
  });

  test('the findings quote the measured pids and medians', async () => {
    const reports = await processes.childReports(2);
    const m = await processes.isolatedMemory(7, 3);
    const memory = {
      child: { pid: m.childPid, received: m.childBefore, counter: m.childAfter },
      parentAfter: m.parentAfter,
    };
    const text = processes.findings(reports, memory, costs);
    for (const r of reports) expect(text).toContain(String(r.pid));
    expect(text).toContain('received the counter as 7 and changed its copy to 10');
    expect(text).toContain('worker thread');
  });
});

test('bad parameters are one-line errors that name the parameter', async () => {
  await expect(processes.childReports(0)).rejects.toThrow(
    new ParameterError('children', 'an integer from 1 to 256', 0),
  );
  await expect(processes.childReports(2, 'clone')).rejects.toThrow('method must be one of spawn, fork (got "clone")');
  await expect(processes.startupCosts({ repeats: -1 })).rejects.toThrow(
    'repeats must be an integer from 1 to 1000 (got -1)',
  );
});

test('leaves no child process or tracked resource behind', async () => {
  expect(openResources()).toBe(0);
  expect(await childPids()).toEqual([]);
});
