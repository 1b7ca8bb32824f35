/**
 * Showing results: in a tslab cell, each chart as one message with its plotly spec
 * (`application/vnd.plotly.v1+json`, drawn natively by VS Code and JupyterLab's plotly
 * renderer), the same chart as HTML with plotly inlined once per kernel (the exported page,
 * classic Notebook) and its numbers as text; outside a kernel, the text. Also standalone pages.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeTraces, type Figure } from '../charts/figure';
import { display, type MimeBundle } from '../core/kernel';
import { currentNotebook } from '../core/params';
import { writeResults, type Report } from './export';
import { escapeHtml, scriptJson } from './html';

let plotlySource: string | undefined;
let plotlySent = false;

/** The plotly.js basic bundle's source (bar and scatter charts), read once. */
export function plotlyBundle(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-basic-dist-min'), 'utf8');
  return plotlySource;
}

/**
 * A <script> that defines window.Plotly once per page. Classic Notebook loads require.js, and
 * a UMD bundle would then register with `define` instead of setting window.Plotly, so
 * `define` is hidden while the bundle runs.
 */
export function plotlyScript(): string {
  return (
    '<script>(function(){if(window.Plotly)return;var d=window.define;window.define=undefined;try{\n' +
    plotlyBundle().replace(/<\/script/gi, '<\\/script') +
    '\n}finally{window.define=d;}})();</script>'
  );
}

/** Forgets that plotly was sent, so the next chart inlines it again (a fresh page). */
export function resetPlotly(): void {
  plotlySent = false;
}

function chartHtml(figure: Figure): string {
  const id = `clab-${randomUUID()}`;
  const spec = scriptJson({ data: safeTraces(figure.data), layout: figure.layout });
  // Draw when plotly is there; if this page never loaded it (an output shown without the
  // first chart), say how to fix it instead of staying blank.
  const draw =
    `(function(){var el=document.getElementById(${scriptJson(id)});var spec=${spec};var tries=0;` +
    'function draw(){if(window.Plotly){window.Plotly.newPlot(el,spec.data,spec.layout,{responsive:true,displaylogo:false});return;}' +
    'if(++tries>100){el.textContent="This chart needs plotly, which this page has not loaded: run the notebook from the top (the first chart loads it).";return;}' +
    'setTimeout(draw,50);}draw();})();';
  return (
    `<div class="clab-figure">` +
    `<div id="${id}" class="clab-chart" data-title="${escapeHtml(figure.title)}" style="min-height:${Number(figure.layout.height) || 420}px"></div>` +
    `<script>${draw}</script>` +
    `<details class="clab-table"><summary>the numbers</summary><pre>${escapeHtml(figure.table)}</pre></details>` +
    `</div>`
  );
}

/** Notebook HTML for figures and text: plotly inlined the first time this process renders a chart. */
export function render(items: Figure | string | readonly (Figure | string)[]): string {
  const list = Array.isArray(items) ? items : [items];
  const parts = list.map((item) => (typeof item === 'string' ? `<pre>${escapeHtml(item)}</pre>` : chartHtml(item)));
  if (!plotlySent && list.some((item) => typeof item !== 'string')) {
    plotlySent = true;
    parts.unshift(plotlyScript());
  }
  return parts.join('\n');
}

/** A figure's message: its plotly spec, the same chart as HTML, and its numbers as text. */
export function figureBundle(figure: Figure): MimeBundle {
  return {
    'application/vnd.plotly.v1+json': { data: safeTraces(figure.data), layout: figure.layout },
    'text/html': render(figure),
    'text/plain': figure.table,
  };
}

/** A notebook's headline result in bold: `npm start` reads it back for the site's index page. */
export function headline(text: string): string {
  return `<p class="clab-headline"><strong>${escapeHtml(text)}</strong></p>`;
}

/** The messages that show a report: its charts, then its findings and headline (or only those two). */
function reportBundles(report: Report, part: 'all' | 'findings'): MimeBundle[] {
  const figures = part === 'all' ? report.figures.map(itemBundle) : [];
  return [
    ...figures,
    { 'text/markdown': report.findings, 'text/plain': report.findings.replace(/\*\*/g, '') },
    { 'text/html': headline(report.headline), 'text/plain': report.headline },
  ];
}

function itemBundle(item: Figure | string): MimeBundle {
  return typeof item === 'string' ? { 'text/plain': item } : figureBundle(item);
}

function isReport(value: unknown): value is Report {
  return typeof value === 'object' && value !== null && 'findings' in value && 'figures' in value;
}

/**
 * Shows charts, text and reports in the cell running now (outside a notebook, prints their
 * text): `show(wallTimeChart(result))`, `show(cpu.report(measured))`. With 'findings' last, a
 * report shows only its findings and headline (the closing cell, whose charts the notebook
 * showed as it went). A report shown in a notebook run by `npm start` also saves its results
 * (CLAB_RESULTS_DIR) for the site's downloads.
 */
export function show(...items: (Figure | string | Report | { display: unknown })[]): void {
  const only = items[items.length - 1] === 'findings' ? 'findings' : 'all';
  const list = items.filter(
    (i): i is Figure | string | Report => i !== 'findings' && !(typeof i === 'object' && 'display' in i),
  );
  for (const item of list) {
    const bundles = isReport(item) ? reportBundles(item, only) : [itemBundle(item)];
    for (const bundle of bundles) if (!display(bundle)) console.log(String(bundle['text/plain']));
    const dir = process.env.CLAB_RESULTS_DIR;
    const notebook = currentNotebook();
    if (isReport(item) && dir && notebook) writeResults(path.join(dir, notebook), item);
  }
}

/** A standalone HTML page of figures and text, with plotly inlined once in its head. */
export function page(title: string, items: readonly (Figure | string)[], findings = ''): string {
  const body = items.map((item) => (typeof item === 'string' ? `<pre>${escapeHtml(item)}</pre>` : chartHtml(item)));
  const text = findings ? `<pre class="clab-findings">${escapeHtml(findings.replace(/\*\*/g, ''))}</pre>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}pre{background:#f6f6f6;padding:.6em;overflow:auto;white-space:pre-wrap}</style>
${plotlyScript()}
</head><body><h1>${escapeHtml(title)}</h1>
${body.join('\n')}
${text}
</body></html>
`;
}
