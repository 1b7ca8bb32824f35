/**
 * The exported site's front page: the notebooks in order, each with its headline result from
 * this run and its downloads (the executed notebook, the results as JSON and CSV).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Environment } from 'concurrency-lab';
import { escapeHtml, notebookEntry } from 'concurrency-lab/tooling';
import type { Executed } from './jupyter';
import { downloadsIn } from './pages';

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

/** What the index remembers of one notebook's latest run (kept in site.json beside the pages). */
interface ManifestEntry {
  name: string;
  ok: boolean;
  title: string;
  headline: string;
  error?: string;
  params: Record<string, unknown>;
  date: string;
}

const MANIFEST = 'site.json';

function readManifest(dir: string): Record<string, ManifestEntry> {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST), 'utf8')) as Record<string, ManifestEntry>;
  } catch {
    return {};
  }
}

/**
 * Writes index.html into `dir` and returns its path. Notebooks run this time are listed
 * with what they just measured; ones from an earlier run into the same folder (npm start
 * -- --only ...) stay listed, marked with the date they ran.
 */
export function writeIndex(dir: string, entries: readonly SiteEntry[], env: Environment): string {
  fs.mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  for (const e of entries) {
    const info = e.ok ? readNotebook(e.executed) : {};
    manifest[e.name] = {
      name: e.name,
      ok: e.ok,
      title: info.title ?? notebookEntry(e.name)?.title ?? e.name,
      headline: info.headline ?? '',
      error: e.ok ? undefined : (e.error?.split('\n').pop() ?? 'failed'),
      params: e.params,
      date: env.date,
    };
  }
  fs.writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
  const listed = Object.values(manifest)
    .filter((m) => !m.ok || fs.existsSync(path.join(dir, `${m.name}.html`)))
    .sort((x, y) => x.name.localeCompare(y.name));
  const items = listed.map((m) => {
    const entry = notebookEntry(m.name);
    const params = Object.entries(m.params)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ');
    const earlier =
      m.date !== env.date
        ? ` <span class="earlier">(from an earlier run, ${escapeHtml(m.date.slice(0, 16).replace('T', ' '))} UTC)</span>`
        : '';
    const label = `${escapeHtml(m.name)}: ${escapeHtml(m.title)}`;
    // A failed run leaves no page: its name is listed without a link.
    const page = fs.existsSync(path.join(dir, `${m.name}.html`));
    const downloads = downloadsIn(dir, m.name)
      .map((d) => `<a class="clab-download" download href="${escapeHtml(d.href)}">${escapeHtml(d.text)}</a>`)
      .join(' ');
    return `<li class="${m.ok ? 'ok' : 'failed'}">
  ${page ? `<a href="${escapeHtml(`${m.name}.html`)}">${label}</a>` : `<span class="name">${label}</span>`}${earlier}
  ${entry ? `<div class="summary">${escapeHtml(entry.summary)}</div>` : ''}
  <div class="headline">${m.ok ? escapeHtml(m.headline) : `failed: ${escapeHtml(m.error ?? '')}`}</div>
  ${params ? `<div class="params">parameters changed: ${escapeHtml(params)}</div>` : ''}
  ${downloads ? `<div class="downloads">download: ${downloads}</div>` : ''}
</li>`;
  });
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>concurrency-lab: measured results</title>
<style>
body{font-family:system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;line-height:1.45}
li{margin:0 0 1em}.summary{color:#555}.headline{font-weight:600}.params{color:#777;font-size:.9em}
li.failed .headline{color:#b00}.earlier{color:#777;font-size:.9em}.downloads{font-size:.9em;color:#555}
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
