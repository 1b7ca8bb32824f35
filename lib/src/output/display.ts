/**
 * Showing results: in a tslab cell, each chart as one message with its plotly spec, the same chart as
 * HTML (plotly inlined once per kernel) and its numbers as text; outside a kernel, the text.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { safeTraces, type Figure } from '../charts/figure';
import { display, type MimeBundle } from '../core/kernel';
import { currentNotebook } from '../core/params';
import { writeResults, type Report } from './export';
import { escapeHtml, scriptJson } from './html';

/** The plotly.js basic bundle's source (bar and scatter charts), read once. */
let plotlySource: string | undefined;
let plotlySent = false;

/**
 * A <script> that defines window.Plotly once per page. Under classic Notebook's require.js a UMD
 * bundle would register with `define` instead of setting window.Plotly: `define` is hidden meanwhile.
 */
function plotlyScript(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-basic-dist-min'), 'utf8');
  return (
    '<script>(function(){if(window.Plotly)return;var d=window.define;window.define=undefined;try{\n' +
    plotlySource.replace(/<\/script/gi, '<\\/script') +
    '\n}finally{window.define=d;}})();</script>'
  );
}

/** Forgets that plotly was sent, so the next chart inlines it again (a fresh page). */
export function resetPlotly(): void {
  plotlySent = false;
}

function itemHtml(item: Figure | string): string {
  if (typeof item === 'string') return `<pre>${escapeHtml(item)}</pre>`;
  const id = `clab-${randomUUID()}`;
  const spec = scriptJson({ data: safeTraces(item.data), layout: item.layout });
  // Draw when plotly is there; if this page never loaded it, say how to fix it instead of staying blank.
  const draw =
    `(function(){var el=document.getElementById(${scriptJson(id)});var spec=${spec};var tries=0;` +
    'function draw(){if(window.Plotly){window.Plotly.newPlot(el,spec.data,spec.layout,{responsive:true,displaylogo:false});return;}' +
    'if(++tries>100){el.textContent="This chart needs plotly, which this page has not loaded: run the notebook from the top (the first chart loads it).";return;}' +
    'setTimeout(draw,50);}draw();})();';
  return (
    `<div class="clab-figure">` +
    `<div id="${id}" class="clab-chart" data-title="${escapeHtml(item.title)}" style="min-height:${Number(item.layout.height) || 420}px"></div>` +
    `<script>${draw}</script>` +
    `<details class="clab-table"><summary>the numbers</summary><pre>${escapeHtml(item.table)}</pre></details>` +
    `</div>`
  );
}

/** Notebook HTML for figures and text: plotly inlined the first time this process renders a chart. */
export function render(item: Figure | string): string {
  if (plotlySent || typeof item === 'string') return itemHtml(item);
  plotlySent = true;
  return `${plotlyScript()}\n${itemHtml(item)}`;
}

/** A notebook's headline result in bold: `npm start` reads it back for the site's index page. */
export function headline(text: string): string {
  return `<p class="clab-headline"><strong>${escapeHtml(text)}</strong></p>`;
}

/** The messages that show a report: its charts (unless `findingsOnly`), then its findings and headline. */
function reportBundles(report: Report, findingsOnly: boolean): MimeBundle[] {
  return [
    ...(findingsOnly ? [] : report.figures.map(itemBundle)),
    { 'text/markdown': report.findings, 'text/plain': report.findings.replace(/\*\*/g, '') },
    { 'text/html': headline(report.headline), 'text/plain': report.headline },
  ];
}

/** Text as itself; a figure as its plotly spec, the same chart as HTML, and its numbers as text. */
function itemBundle(item: Figure | string): MimeBundle {
  if (typeof item === 'string') return { 'text/plain': item };
  return {
    'application/vnd.plotly.v1+json': { data: safeTraces(item.data), layout: item.layout },
    'text/html': render(item),
    'text/plain': item.table,
  };
}

function isReport(value: unknown): value is Report {
  return typeof value === 'object' && value !== null && 'findings' in value && 'figures' in value;
}

/**
 * Shows charts, text and reports in the cell running now (else prints their text); with 'findings' last, a report
 * shows only its findings and headline. A report shown under `npm start` also saves its results (CLAB_RESULTS_DIR).
 */
export function show(...items: (Figure | string | Report | { display: unknown })[]): void {
  const findingsOnly = items[items.length - 1] === 'findings';
  const list = items.filter(
    (i): i is Figure | string | Report => i !== 'findings' && !(typeof i === 'object' && 'display' in i),
  );
  for (const item of list) {
    const bundles = isReport(item) ? reportBundles(item, findingsOnly) : [itemBundle(item)];
    for (const bundle of bundles) if (!display(bundle)) console.log(String(bundle['text/plain']));
    const dir = process.env.CLAB_RESULTS_DIR;
    const notebook = currentNotebook();
    if (isReport(item) && dir && notebook) writeResults(path.join(dir, notebook), item);
  }
}

/** A standalone HTML page of figures and text, with plotly inlined once in its head. */
export function page(title: string, items: readonly (Figure | string)[], findings = ''): string {
  const body = items.map(itemHtml);
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
