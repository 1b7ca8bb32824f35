/**
 * Turning figures into output: notebook HTML (plotly inlined once per kernel, offline, safe
 * under classic Notebook's require.js) and standalone pages. Nothing here measures anything.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { safeTraces, type Figure } from '../charts/figure';
import { escapeHtml, scriptJson } from './html';

let plotlySource: string | undefined;
let plotlySent = false;

/** The plotly.js basic bundle's source (bar and scatter charts), read once. */
export function plotlyBundle(): string {
  plotlySource ??= fs.readFileSync(require.resolve('plotly.js-basic-dist-min'), 'utf8');
  return plotlySource;
}

/**
 * A <script> that defines window.Plotly once per page. Notebook (classic) loads require.js,
 * and a UMD bundle would then register with `define` instead of setting window.Plotly, so
 * `define` is hidden while the bundle runs.
 */
export function plotlyScript(): string {
  return (
    '<script>(function(){if(window.Plotly)return;var d=window.define;window.define=undefined;try{\n' +
    plotlyBundle().replace(/<\/script/gi, '<\\/script') +
    '\n}finally{window.define=d;}})();</script>'
  );
}

/** Options of `render`. */
export interface RenderOptions {
  /** Inline plotly: 'auto' (default) does so only for the first chart this process renders. */
  plotly?: 'auto' | boolean;
}

/** Forgets that plotly was sent, so the next chart inlines it again (a fresh page). */
export function resetPlotly(): void {
  plotlySent = false;
}

function chartHtml(figure: Figure): string {
  const id = `clab-${randomUUID()}`;
  const spec = scriptJson({ data: safeTraces(figure.data), layout: figure.layout });
  // Draw when plotly is there; if this page never loaded it (a reloaded page, an output
  // shown without the first chart), say how to fix it instead of staying blank.
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

/** Notebook output for figures and text: one HTML string, plotly inlined the first time. */
export function render(items: Figure | string | readonly (Figure | string)[], options: RenderOptions = {}): string {
  const list = Array.isArray(items) ? items : [items];
  const parts = list.map((item) => (typeof item === 'string' ? `<pre>${escapeHtml(item)}</pre>` : chartHtml(item)));
  const include = options.plotly === undefined || options.plotly === 'auto' ? !plotlySent : options.plotly;
  if (include && list.some((item) => typeof item !== 'string')) {
    plotlySent = true;
    parts.unshift(plotlyScript());
  }
  return parts.join('\n');
}

/** What a cell passes as `tslab`: only its display is used. */
export interface NotebookDisplay {
  display: { html(html: string): void };
}

/** Shows figures (and text) in a tslab cell: `show(tslab, wallTimeChart(result))`. */
export function show(tslab: NotebookDisplay, ...items: (Figure | string)[]): void {
  tslab.display.html(render(items));
}

/** A standalone HTML page of figures and text, with plotly inlined once in its head. */
export function page(title: string, items: readonly (Figure | string)[]): string {
  const body = items.map((item) => (typeof item === 'string' ? `<pre>${escapeHtml(item)}</pre>` : chartHtml(item)));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}pre{background:#f6f6f6;padding:.6em;overflow:auto}</style>
${plotlyScript()}
</head><body><h1>${escapeHtml(title)}</h1>
${body.join('\n')}
</body></html>
`;
}

/**
 * A notebook's headline result, shown in bold and read back by `npm start` for the site's
 * index page: `tslab.display.html(headline(\`threads: ${speedup.toFixed(2)}x faster\`))`.
 */
export function headline(text: string): string {
  return `<p class="clab-headline"><strong>${escapeHtml(text)}</strong></p>`;
}
