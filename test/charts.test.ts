import {
  compare,
  type Comparison,
  page,
  render,
  scalingChart,
  sweep,
  type Sweep,
  timelineChart,
  toCSV,
  toJSON,
  wallTimeChart,
} from 'concurrency-lab';
import { resetPlotly } from 'concurrency-lab/tooling';

let result: Comparison;
let scaling: Sweep;

beforeAll(async () => {
  result = await compare({ workload: 'cpu', inputs: [10, 10, 10, 10], workers: 2, repeats: 2, warmup: 0 });
  scaling = await sweep({ workload: 'cpu', inputs: [9, 9, 9], workers: [1, 2], repeats: 2, warmup: 0 });
});

describe('the wall-time chart', () => {
  test('has one bar per mode whose heights are the medians of the runs, in seconds', () => {
    const fig = wallTimeChart(result);
    const bars = fig.data.find((t) => t.type === 'bar')!;
    expect(bars.x).toEqual(['sequential', 'async', 'threads (2)', 'processes (2)']);
    const medians = result.modes.map((mode) => {
      const w = result.runs.filter((r) => r.mode === mode).map((r) => r.wallMs);
      return (w[0]! + w[1]!) / 2 / 1000;
    });
    (bars.y as number[]).forEach((y, i) => expect(y).toBeCloseTo(medians[i]!, 9));
  });

  test('shows every run as a point and marks the ideal: sequential / min(workers, cores, tasks)', () => {
    const fig = wallTimeChart(result);
    const points = fig.data.find((t) => t.name === 'each run')!;
    expect((points.y as number[]).length).toBe(result.runs.length);
    const ideal = fig.data.find((t) => String(t.name).startsWith('ideal'))!;
    const seq = (fig.data[0]!.y as number[])[0]!;
    const cores = result.env.cores;
    expect((ideal.y as number[])[2]).toBeCloseTo(seq / Math.min(2, cores, 4), 9);
    expect((ideal.y as number[])[1]).toBeCloseTo(seq, 9);
  });

  test('states the cores in its title and carries a text table of the same numbers', () => {
    const fig = wallTimeChart(result);
    expect(JSON.stringify(fig.layout.title)).toContain(`${result.env.cores} core`);
    expect(fig.table).toMatch(/^mode\s+workers\s+median/);
    for (const mode of result.modes) expect(fig.table).toContain(mode);
  });
});

describe('the timeline', () => {
  test('draws each task as a bar from its start to its end, on its pid · thread lane', () => {
    const run = result.runs.find((r) => r.mode === 'threads')!;
    const fig = timelineChart(run);
    const bars = fig.data.flatMap((t) =>
      (t.y as string[]).map((y, i) => ({ y, base: (t.base as number[])[i]!, x: (t.x as number[])[i]! })),
    );
    expect(bars).toHaveLength(run.tasks.length);
    run.tasks.forEach((task, i) => {
      expect(bars[i]!.y).toBe(`pid ${task.pid} · thread ${task.threadId}`);
      expect(bars[i]!.base).toBeCloseTo(task.start - run.start, 6);
      expect(bars[i]!.x).toBeCloseTo(Math.max(task.end - task.start, 0.01), 6);
    });
  });

  test('gives several runs their own lanes, prefixed by mode', () => {
    const fig = timelineChart(result.runs.filter((r) => r.repeat === 0));
    const lanes = new Set(fig.data.flatMap((t) => t.y as string[]));
    expect([...lanes].some((l) => l.startsWith('sequential · '))).toBe(true);
    expect([...lanes].filter((l) => l.startsWith('processes (2) · ')).length).toBe(2);
  });
});

describe('the scaling chart', () => {
  test('plots the speedup over the sequential median per pool size, with the ideal', () => {
    const fig = scalingChart(scaling);
    const measured = fig.data[0]!;
    expect(measured.x).toEqual([1, 2]);
    const base = scaling.baseline.map((r) => r.wallMs).reduce((a, b) => a + b) / 2;
    const p1 = scaling.points[0]!.runs.map((r) => r.wallMs).reduce((a, b) => a + b) / 2;
    expect((measured.y as number[])[0]).toBeCloseTo(base / p1, 9);
    expect(fig.data[1]!.y).toEqual([1, Math.min(2, scaling.env.cores)]);
    expect(String(fig.data[2]!.name)).toMatch(/^Amdahl fit: serial fraction \d+\.\d%$/);
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
    const fig = wallTimeChart(result, { title: '<img src=x onerror=alert(1)>' });
    const html = render(fig, { plotly: false });
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(render('<b>text</b>', { plotly: false })).toBe('<pre>&lt;b&gt;text&lt;/b&gt;</pre>');
  });

  test('a standalone page holds plotly once in its head and every figure', () => {
    const html = page('Results <1>', [wallTimeChart(result), scalingChart(scaling)]);
    expect(html.match(/plotly\.js \(basic - minified\)/g)).toHaveLength(1);
    expect(html.match(/class="clab-chart"/g)).toHaveLength(2);
    expect(html).toContain('<title>Results &lt;1&gt;</title>');
  });
});

describe('saving results', () => {
  test('CSV has a header and one row per task of every run', () => {
    const lines = toCSV(result).trim().split('\n');
    expect(lines[0]).toBe('mode,workers,repeat,index,pid,threadId,startMs,endMs,durationMs,ok,error');
    expect(lines).toHaveLength(1 + result.runs.length * 4);
  });

  test('JSON round-trips the runs and the environment', () => {
    const back = JSON.parse(toJSON(result));
    expect(back.runs).toHaveLength(result.runs.length);
    expect(back.env.cores).toBe(result.env.cores);
  });
});
