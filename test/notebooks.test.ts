/**
 * Every notebook, executed by the real tslab kernel with small parameters
 * (test/notebook-params.json), then exported to HTML and opened in headless Chromium.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { ensureJupyter, executeNotebook, installKernel, type Executed } from '../build/tools/jupyter';
import { listNotebooks } from '../build/tools/site';
import { launch, openAndInspect } from './helpers/browser';
import { newTag, tagged } from './helpers/processes';

const OUT = path.join(__dirname, '..', 'build', 'test', 'notebooks');
const PARAMS = path.join(__dirname, 'notebook-params.json');
const notebooks = listNotebooks();

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}
const join = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));

let python: string;
let browser: Browser;

beforeAll(async () => {
  python = ensureJupyter();
  installKernel(python);
  browser = await launch();
}, 600_000);

afterAll(async () => {
  await browser?.close();
});

test('there are notebooks, each with small test parameters', () => {
  expect(notebooks.length).toBeGreaterThan(0);
  const params = JSON.parse(fs.readFileSync(PARAMS, 'utf8'));
  for (const name of notebooks) expect(Object.keys(params)).toContain(name);
});

describe.each(notebooks)('%s', (name) => {
  let run: Executed;
  let outputs: Output[];
  const tag = newTag();

  beforeAll(() => {
    run = executeNotebook(path.join(__dirname, '..', 'notebooks', `${name}.ipynb`), {
      python,
      executedDir: path.join(OUT, 'executed'),
      htmlDir: path.join(OUT, 'html'),
      env: { ...tag, CLAB_PARAMS_FILE: PARAMS },
      cellTimeout: 300,
    });
    outputs = run.ok
      ? JSON.parse(fs.readFileSync(run.executed, 'utf8')).cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? [])
      : [];
  }, 900_000);

  test('is committed without outputs', () => {
    const nb = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'notebooks', `${name}.ipynb`), 'utf8'));
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code') continue;
      expect(cell.outputs).toEqual([]);
      expect(cell.execution_count).toBeNull();
    }
    expect(nb.metadata.kernelspec.name).toBe('tslab');
  });

  test('executes through the tslab kernel without an error', () => {
    expect(run.error ?? '').toBe('');
    expect(run.ok).toBe(true);
    const errors = outputs.filter(
      (o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'),
    );
    expect(errors.map((o) => `${o.ename ?? ''} ${o.evalue ?? ''} ${join(o.text)}`.trim())).toEqual([]);
  });

  test('shows its parameters, charts with plotly inlined once, and a headline result', () => {
    const html = outputs.map((o) => join(o.data?.['text/html'])).join('\n');
    expect(html.match(/class="clab-chart"/g)?.length ?? 0).toBeGreaterThan(0);
    expect(html.match(/plotly\.js \(basic - minified\)/g)?.length).toBe(1);
    expect(html).toMatch(/class="clab-headline"/);
    const text = outputs.map((o) => join(o.text)).join('\n');
    expect(text).toMatch(/ = /); // describeParams printed name = value lines
  });

  test('leaves no kernel, worker or server process running after the kernel shut down', async () => {
    expect(await tagged(tag)).toEqual([]);
  });

  test('renders every chart in Chromium, offline, without page errors', async () => {
    expect(run.ok).toBe(true);
    const html = fs.readFileSync(run.html, 'utf8');
    expect(html.length).toBeLessThan(2 * 1024 * 1024);
    const report = await openAndInspect(browser, pathToFileURL(run.html).href);
    expect(report.pageErrors).toEqual([]);
    expect(report.charts.length).toBe(html.match(/class="clab-chart"/g)?.length);
    for (const chart of report.charts) {
      expect({ title: chart.title, rendered: chart.rendered }).toEqual({ title: chart.title, rendered: true });
      expect(chart.traces).toBeGreaterThan(0);
    }
  }, 120_000);
});
