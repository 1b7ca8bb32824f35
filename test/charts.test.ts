/**
 * The core charts, pure functions of a comparison's records (they read the cores from the
 * run's environment, not from this machine), and how they reach a notebook and a page.
 */
import {
  compare,
  type Comparison,
  scalingChart,
  show,
  summaries,
  sweep,
  timelineChart,
  wallTimeChart,
} from 'concurrency-lab';
import { resetPlotly } from 'concurrency-lab/tooling';
import { runsOf } from '../lib/dist/core/measure';
import { median } from '../lib/dist/core/stats';
import { page, render } from '../lib/dist/output/display';

let result: Comparison;
let scaling: Comparison;

const walls = (c: Comparison, label: string) => runsOf(c, label).map((r) => r.wallMs);
const medianS = (c: Comparison, label: string) => median(walls(c, label)) / 1000;

beforeAll(async () => {
  result = await compare({ workload: 'cpu', inputs: [10, 10, 10, 10], workers: 2, repeats: 2, warmup: 0 });
  scaling = await sweep({ workload: 'cpu', inputs: [9, 9, 9], workers: [1, 2], repeats: 2, warmup: 0 });
});

describe('the wall-time chart', () => {
  test('has one bar per row whose heights are the medians of its runs, in seconds', () => {
    const fig = wallTimeChart(result);
    const bars = fig.data.find((t) => t.type === 'bar')!;
    const labels = result.rows.map((r) => r.label);
    expect(labels).toEqual(['sequential', 'async', 'threads (1)', 'threads (2)', 'processes (1)', 'processes (2)']);
    expect(bars.x).toEqual(labels);
    (bars.y as number[]).forEach((y, i) => expect(y).toBeCloseTo(medianS(result, labels[i]!), 12));
  });

  test('labels each bar with its speedup over its baseline, the baseline none', () => {
    const bars = wallTimeChart(result).data[0]!;
    const text = bars.text as string[];
    expect(text[0]).toBe('');
    const speedup = median(walls(result, 'threads (1)')) / median(walls(result, 'threads (2)'));
    expect(text[3]).toBe(`${speedup.toFixed(2)}x`);
  });

  test("shows every run as a point and marks the ideal: the baseline's median / its ideal speedup", () => {
    const fig = wallTimeChart(result);
    const points = fig.data.find((t) => t.name === 'each run')!;
    expect((points.y as number[]).length).toBe(result.runs.length);
    expect(points.x).toEqual(result.runs.map((r) => r.label));
    const ideal = fig.data.find((t) => String(t.name).startsWith('ideal'))!;
    const y = ideal.y as (number | null)[];
    const cores = result.env.cores;
    expect(y[0]).toBeNull(); // sequential has no baseline
    expect(y[1]).toBeCloseTo(medianS(result, 'sequential'), 12); // async: no parallelism
    expect(y[3]).toBeCloseTo(medianS(result, 'threads (1)') / Math.min(2, cores, 4), 12);
    expect(y[5]).toBeCloseTo(medianS(result, 'processes (1)') / Math.min(2, cores, 4), 12);
  });

  test('states the cores in its title and carries a text table of the same numbers', () => {
    const fig = wallTimeChart(result);
    expect(JSON.stringify(fig.layout.title)).toContain(`${result.env.cores} core`);
    expect(fig.table).toMatch(/^row\s+workers\s+median/);
    for (const row of result.rows) expect(fig.table).toContain(row.label);
  });

  test("is drawn from the records alone: another machine's environment changes its title and ideal", () => {
    const elsewhere = { ...result, env: { ...result.env, cores: 1, logicalCpus: 1, physicalCores: 1 } };
    const fig = wallTimeChart(elsewhere);
    expect(JSON.stringify(fig.layout.title)).toContain('1 core<');
    const ideal = fig.data.find((t) => String(t.name).startsWith('ideal'))!;
    // On one core two workers can do no better than one: min(2 workers, 1 core, 4 tasks) = 1.
    expect((ideal.y as number[])[3]).toBeCloseTo(medianS(result, 'threads (1)'), 12);
    expect(summaries(elsewhere).find((s) => s.label === 'threads (2)')!.idealSpeedup).toBe(1);
  });
});

describe('the timeline', () => {
  test('draws each task as a bar from its start to its end, on its pid · thread lane', () => {
    const [run] = runsOf(result, 'threads (2)');
    const fig = timelineChart(run!);
    const bars = fig.data.flatMap((t) =>
      (t.y as string[]).map((y, i) => ({ y, base: (t.base as number[])[i]!, x: (t.x as number[])[i]! })),
    );
    expect(bars).toHaveLength(run!.tasks.length);
    let i = 0;
    for (const task of run!.tasks) {
      expect(bars[i]!.y).toBe(`pid ${task.pid} · thread ${task.threadId}`);
      expect(bars[i]!.base).toBeCloseTo(task.start - run!.start, 6);
      expect(bars[i]!.x).toBeCloseTo(Math.max(task.end - task.start, 0.01), 6);
      i++;
    }
    expect(fig.title).toBe('Timeline: threads (2), one lane per thread');
  });

  test("gives several runs their own lanes, prefixed by the row's label", () => {
    const fig = timelineChart(result.runs.filter((r) => r.repeat === 0));
    const lanes = new Set(fig.data.flatMap((t) => t.y as string[]));
    expect([...lanes].some((l) => l.startsWith('sequential · '))).toBe(true);
    expect([...lanes].filter((l) => l.startsWith('processes (1) · '))).toHaveLength(1);
    const two = [...lanes].filter((l) => l.startsWith('processes (2) · '));
    expect(two.length).toBeGreaterThanOrEqual(1);
    expect(two.length).toBeLessThanOrEqual(2);
  });
});

describe('the scaling chart', () => {
  test("on a comparison, reads the first pool mode's warm rows against its own one worker, not sequential", () => {
    const y = scalingChart(result).data[0]!.y as number[];
    expect(y).toHaveLength(2);
    expect(y[0]).toBe(1);
    expect(y[1]).toBeCloseTo(medianS(result, 'threads (1)') / medianS(result, 'threads (2)'), 12);
  });

  test('plots the speedup over the one-worker pool per pool size, with the ideal and an Amdahl fit', () => {
    expect(scaling.rows.map((r) => r.label)).toEqual(['threads (1)', 'threads (2)']);
    const fig = scalingChart(scaling);
    const measured = fig.data[0]!;
    expect(measured.x).toEqual([1, 2]);
    const y = measured.y as number[];
    expect(y[0]).toBe(1);
    expect(y[1]).toBeCloseTo(medianS(scaling, 'threads (1)') / medianS(scaling, 'threads (2)'), 12);
    expect(fig.data[1]!.y).toEqual([1, Math.min(2, scaling.env.cores, 3)]);
    expect(String(fig.data[2]!.name)).toMatch(/^Amdahl fit: serial fraction \d+\.\d%$/);
    expect(fig.table).toMatch(/^workers\s+median\s+speedup\s+ideal/);
  });
});

describe('notebook output', () => {
  test('inlines plotly once, with require.js hidden while it loads', () => {
    resetPlotly();
    const first = render(wallTimeChart(result));
    const second = render(timelineChart(result.runs[0]!));
    expect(first.match(/plotly\.js \(basic - minified\)/g)).toHaveLength(1);
    expect(first).toContain('window.define=undefined');
    expect(second).not.toMatch(/plotly\.js \(basic - minified\)/);
    expect(second).toContain('class="clab-chart"');
  });

  test('escapes every string that reaches HTML', () => {
    render(wallTimeChart(result)); // plotly already sent: the next render is the chart alone
    const html = render(wallTimeChart(result, { title: '<img src=x onerror=alert(1)>' }));
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(render('<b>text</b>')).toBe('<pre>&lt;b&gt;text&lt;/b&gt;</pre>');
  });

  test('a standalone page holds plotly once in its head, every figure, and the findings as text', () => {
    const html = page('Results <1>', [wallTimeChart(result), scalingChart(scaling)], '- **found** <this>');
    expect(html.match(/plotly\.js \(basic - minified\)/g)).toHaveLength(1);
    expect(html.match(/class="clab-chart"/g)).toHaveLength(2);
    expect(html).toContain('<title>Results &lt;1&gt;</title>');
    expect(html).toContain('<pre class="clab-findings">- found &lt;this&gt;</pre>');
  });

  test("outside a notebook, show prints each chart's text table", () => {
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    try {
      show(wallTimeChart(result), 'a line of text');
    } finally {
      spy.mockRestore();
    }
    expect(printed).toEqual([wallTimeChart(result).table, 'a line of text']);
  });
});
