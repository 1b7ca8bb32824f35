/** Notebook 01's probes: who am I, child processes that report back, what starting one costs. */
import { ParameterError, processes } from 'concurrency-lab';
import { runsOf } from '../lib/dist/core/measure';
import { openResources } from '../lib/dist/core/teardown';
import { childPids } from './helpers/processes';

type StartupCosts = Awaited<ReturnType<typeof processes.startupCosts>>;

test('whoAmI prints the course line for this process and the main thread', () => {
  const me = processes.whoAmI();
  expect(me.pid).toBe(process.pid);
  expect(me.threadId).toBe(0);
  expect(me.line).toBe(`${process.pid} process | 0 thread`);
});

test('coreInfo says how many CPUs this process has and how many cores CPU work can use', () => {
  const info = processes.coreInfo();
  expect(info.cores).toBeGreaterThanOrEqual(1);
  expect(info.logical).toBeGreaterThanOrEqual(info.cores);
  expect(info.line).toMatch(new RegExp(`^${info.logical} logical CPUs?.*; CPU work can use ${info.cores} cores?`));
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

describe('start-up costs', () => {
  let costs: StartupCosts;
  beforeAll(async () => {
    costs = await processes.startupCosts({ repeats: 2 });
  });

  test('times every kind the given number of times, each start positive', () => {
    expect(costs.kinds).toEqual(['spawn true', 'spawn node', 'fork node', 'worker thread']);
    expect(costs.samples).toHaveLength(2 * costs.kinds.length);
    for (const s of costs.samples) expect(s.ms).toBeGreaterThan(0);
    for (const s of costs.summary) expect(s.ms.n).toBe(2);
  });

  test('is measured by the one engine: a row per kind, the kinds taking turns', () => {
    const c = costs.comparison;
    expect(c.rows.map((r) => r.label)).toEqual(costs.kinds);
    for (const kind of costs.kinds) {
      expect(runsOf(c, kind).map((r) => r.wallMs)).toEqual(
        costs.samples.filter((s) => s.kind === kind).map((s) => s.ms),
      );
    }
    const order = [...c.runs].sort((a, b) => a.start - b.start).map((r) => r.label);
    expect(order.slice(0, costs.kinds.length).sort()).toEqual([...costs.kinds].sort());
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

  test('the report quotes the measured pids and medians, and holds the start-up comparison', async () => {
    const reports = await processes.childReports(2);
    // What the notebook's memory cell saw (its fork and message are in the notebook itself).
    const memory = { child: { pid: reports[0]!.pid, received: 7, counter: 10 }, parentAfter: 7 };
    const report = processes.report({ reports, memory, startup: costs });
    for (const r of reports) expect(report.findings).toContain(String(r.pid));
    expect(report.findings).toContain('received the counter as 7 and changed its copy to 10');
    for (const s of costs.summary) expect(report.findings).toContain(s.kind);
    expect(report.results).toEqual({ startup: costs.comparison });
    expect(report.figures).toHaveLength(1);
    expect(report.headline).toMatch(/^A worker thread /);
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
