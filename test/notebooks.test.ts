/**
 * Every notebook, executed by the real tslab kernel with small parameters
 * (test/notebook-params.json), then exported as `npm start` exports it (our template, the
 * site's links, the downloads) and opened in headless Chromium; then the site as a whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import type { SiteEntry } from '../build/tools/index-page';
import { ensureJupyter, installKernel, type Executed } from '../build/tools/jupyter';
import { buildPage, finishSite, listNotebooks } from '../build/tools/site';
import { launch, missingTargets, openAndInspect, type PageReport } from './helpers/browser';
import { newTag, tagged } from './helpers/processes';

const OUT = path.join(__dirname, '..', 'build', 'test', 'notebooks');
const HTML = path.join(OUT, 'html');
const EXECUTED = path.join(OUT, 'executed');
const PARAMS = path.join(__dirname, 'notebook-params.json');
const notebooks = listNotebooks();

const entries: SiteEntry[] = [];
const reports = new Map<string, PageReport>();

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
}
const join = (s: unknown) => (Array.isArray(s) ? s.join('') : typeof s === 'string' ? s : '');

let python: string;
let browser: Browser;

beforeAll(async () => {
  fs.rmSync(OUT, { recursive: true, force: true });
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
  let run: Executed & { html: string };
  let outputs: Output[];
  const tag = newTag();

  beforeAll(() => {
    run = buildPage(name, {
      python,
      outDir: HTML,
      executedDir: EXECUTED,
      pages: notebooks,
      env: { ...tag, CLAB_PARAMS_FILE: PARAMS },
      cellTimeout: 300,
    });
    entries.push({ ...run, params: {} });
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
    // The parameters cell shows its values (a display of text), name = value.
    const text = outputs.map((o) => join(o.text ?? o.data?.['text/plain'])).join('\n');
    expect(text).toMatch(/^\w+\s+= \S/m);
  });

  test('sends each chart as one message: its plotly spec, the same chart as HTML, and its numbers as text', () => {
    const charts = outputs.filter((o) => join(o.data?.['text/html']).includes('class="clab-chart"'));
    expect(charts.length).toBeGreaterThan(0);
    for (const o of charts) {
      expect(o.output_type).toBe('display_data');
      expect(Object.keys(o.data!).sort()).toEqual(['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
      const spec = o.data!['application/vnd.plotly.v1+json'] as { data: unknown[]; layout: { title?: unknown } };
      expect(spec.data.length).toBeGreaterThan(0);
      expect(spec.layout.title).toBeDefined();
      expect(join(o.data!['text/plain']).trim()).not.toBe('');
    }
  });

  test('leaves no kernel, worker or server process running after the kernel shut down', async () => {
    expect(await tagged(tag)).toEqual([]);
  });

  test('renders every chart in Chromium and requests nothing but the page itself', async () => {
    expect(run.ok).toBe(true);
    const html = fs.readFileSync(run.html, 'utf8');
    expect(html.length).toBeLessThan(2 * 1024 * 1024);
    const report = await openAndInspect(browser, pathToFileURL(run.html).href);
    reports.set(name, report);
    expect(report.pageErrors).toEqual([]);
    expect(report.outside).toEqual([]);
    expect(report.charts.length).toBe(html.match(/class="clab-chart"/g)?.length);
    for (const chart of report.charts) {
      expect({ title: chart.title, rendered: chart.rendered }).toEqual({ title: chart.title, rendered: true });
      expect(chart.traces).toBeGreaterThan(0);
    }
  }, 120_000);

  test('links to the index and its neighbours in reading order, and offers the executed notebook', () => {
    const report = reports.get(name)!;
    const at = notebooks.indexOf(name);
    const want = [
      ...(at > 0 ? [{ rel: 'prev', href: `${notebooks[at - 1]}.html` }] : []),
      { rel: 'index', href: 'index.html' },
      ...(at < notebooks.length - 1 ? [{ rel: 'next', href: `${notebooks[at + 1]}.html` }] : []),
    ];
    // The same links at the top and at the foot of the page.
    expect(report.links).toEqual([...want, ...want]);
    expect(report.downloads).toContain(`${name}.ipynb`);
    expect(missingTargets(run.html, report.downloads)).toEqual([]);
    const offered = JSON.parse(fs.readFileSync(path.join(HTML, `${name}.ipynb`), 'utf8'));
    expect(offered.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []).length).toBe(outputs.length);
    expect(offered.metadata.clab_site).toBeUndefined();
  });

  test('writes its results as JSON and CSV, offered on its page', () => {
    for (const ext of ['json', 'csv']) {
      const file = path.join(HTML, `${name}.${ext}`);
      expect({ file, exists: fs.existsSync(file) }).toEqual({ file, exists: true });
      expect(fs.statSync(file).size).toBeGreaterThan(0);
      expect(reports.get(name)!.downloads).toContain(`${name}.${ext}`);
    }
    // hyperfine's shape: results[] with a command and its times in seconds.
    const json = JSON.parse(fs.readFileSync(path.join(HTML, `${name}.json`), 'utf8'));
    expect(json.results.length).toBeGreaterThan(0);
    for (const r of json.results) expect(typeof r.command === 'string' && Array.isArray(r.times)).toBe(true);
  });
});

describe('the exported site', () => {
  let index: string;
  beforeAll(() => {
    index = finishSite(HTML, EXECUTED, python, entries, () => undefined);
  }, 120_000);

  test("every page's links and downloads lead to files that exist", () => {
    expect(reports.size).toBe(notebooks.length);
    for (const [name, report] of reports) {
      const page = path.join(HTML, `${name}.html`);
      expect({
        name,
        missing: missingTargets(page, [...report.links.map((l) => l.href), ...report.downloads]),
      }).toEqual({
        name,
        missing: [],
      });
    }
  });

  test('the index links every page and its downloads, and requests nothing but itself', async () => {
    const report = await openAndInspect(browser, pathToFileURL(index).href, 1000);
    expect(report.pageErrors).toEqual([]);
    expect(report.outside).toEqual([]);
    const html = fs.readFileSync(index, 'utf8');
    for (const name of notebooks) {
      expect(html).toContain(`href="${name}.html"`);
      expect(html).toContain(`href="${name}.ipynb"`);
    }
    expect(missingTargets(index, report.downloads)).toEqual([]);
    expect(report.downloads.length).toBeGreaterThanOrEqual(notebooks.length);
  }, 60_000);
});
