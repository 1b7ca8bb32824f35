/** The exported site's front page: the notebooks in order, each with its headline result from this run. */
import fs from 'node:fs';
import path from 'node:path';
import { notebookEntry } from '../catalog';
import { escapeHtml } from '../html';
import type { Environment } from '../records';
import type { Executed } from './jupyter';

/** One executed notebook as the index lists it. */
export interface SiteEntry extends Executed {
  params: Record<string, unknown>;
}

interface NotebookJson {
  cells: { cell_type: string; source: string | string[]; outputs?: { data?: Record<string, string | string[]> }[] }[];
}

const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join('') : (s ?? ''));

function unescapeHtml(s: string): string {
  return s
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The notebook's title (its first markdown heading) and its headline result, read from the executed copy. */
export function readNotebook(file: string): { title?: string; headline?: string } {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
  } catch {
    return {};
  }
  let title: string | undefined;
  let headline: string | undefined;
  for (const cell of nb.cells) {
    if (!title && cell.cell_type === 'markdown') title = /^#\s+(.+)$/m.exec(text(cell.source))?.[1]?.trim();
    for (const out of cell.outputs ?? []) {
      const html = text(out.data?.['text/html']);
      const m = /<p class="clab-headline">([\s\S]*?)<\/p>/.exec(html);
      if (m) headline = unescapeHtml(m[1]!).trim();
    }
  }
  return { title, headline };
}

/** Writes index.html into `dir`; returns its path. */
export function writeIndex(dir: string, entries: readonly SiteEntry[], env: Environment): string {
  fs.mkdirSync(dir, { recursive: true });
  const items = entries.map((e) => {
    const info = e.ok ? readNotebook(e.executed) : {};
    const entry = notebookEntry(e.name);
    const title = info.title ?? entry?.title ?? e.name;
    const params = Object.entries(e.params)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ');
    return `<li class="${e.ok ? 'ok' : 'failed'}">
  <a href="${escapeHtml(`${e.name}.html`)}">${escapeHtml(e.name)}: ${escapeHtml(title)}</a>
  ${entry ? `<div class="summary">${escapeHtml(entry.summary)}</div>` : ''}
  <div class="headline">${e.ok ? escapeHtml(info.headline ?? '') : `failed: ${escapeHtml(e.error?.split('\n').pop() ?? '')}`}</div>
  ${params ? `<div class="params">parameters changed: ${escapeHtml(params)}</div>` : ''}
</li>`;
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>concurrency-lab: measured results</title>
<style>
body{font-family:system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;line-height:1.45}
li{margin:0 0 1em}.summary{color:#555}.headline{font-weight:600}.params{color:#777;font-size:.9em}
li.failed .headline{color:#b00}
</style></head><body>
<h1>concurrency-lab: concurrency vs parallelism, measured</h1>
<p class="machine">Run on ${escapeHtml(env.cores)} cores (${escapeHtml(env.cpuModel)}), Node ${escapeHtml(env.node)}, ${escapeHtml(env.platform)}, ${escapeHtml(env.date.slice(0, 16).replace('T', ' '))} UTC.</p>
<ol>
${items.join('\n')}
</ol>
</body></html>
`;
  const file = path.join(dir, 'index.html');
  fs.writeFileSync(file, html);
  return file;
}
