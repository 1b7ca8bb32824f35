/**
 * The site's notebook pages: what each page links to (the index, the previous and the next
 * notebook in reading order, its downloads) and the files it offers. The links travel to our
 * nbconvert template (tools/templates/clab) in the executed notebook's metadata, under
 * `clab_site`, which nbconvert 6.5 and 7.x both hand to a template as `nb.metadata`.
 *
 * Beside `<name>.html` in the site's folder: `<name>.ipynb` (the executed notebook) and, when
 * the library wrote them for this run (CLAB_RESULTS_DIR), `<name>.json` and `<name>.csv`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { notebookEntry } from 'concurrency-lab/tooling';
import { exportHtml } from './jupyter';

/** The metadata key our template reads. */
export const SITE_KEY = 'clab_site';

/** A link on a page. */
export interface Link {
  href: string;
  text: string;
}

/** What one page links to. */
export interface PageLinks {
  index: Link;
  prev: Link | null;
  next: Link | null;
  downloads: Link[];
}

/** The files a page offers for download, in the order they are listed, with their labels. */
export const DOWNLOADS = [
  { ext: 'ipynb', text: 'notebook (.ipynb)' },
  { ext: 'json', text: 'results (JSON)' },
  { ext: 'csv', text: 'results (CSV)' },
] as const;

/** The results the library writes into CLAB_RESULTS_DIR: `<name>.json` and `<name>.csv`. */
export const RESULT_EXTS = ['json', 'csv'] as const;

/** A notebook's title for links: its catalog title, else its name. */
export function titleOf(name: string): string {
  const entry = notebookEntry(name);
  const number = /^\d+/.exec(name)?.[0];
  return entry ? `${number ? `${number} ` : ''}${entry.title}` : name;
}

/** The downloads of a notebook that exist in `dir`. */
export function downloadsIn(dir: string, name: string): Link[] {
  return DOWNLOADS.filter((d) => fs.existsSync(path.join(dir, `${name}.${d.ext}`))).map((d) => ({
    href: `${name}.${d.ext}`,
    text: d.text,
  }));
}

/** A page's links: its neighbours among `pages` in reading order (file name order), and its downloads in `dir`. */
export function linksFor(name: string, pages: readonly string[], dir: string): PageLinks {
  const order = [...new Set([...pages, name])].sort();
  const at = order.indexOf(name);
  const link = (n: string | undefined): Link | null => (n ? { href: `${n}.html`, text: titleOf(n) } : null);
  return {
    index: { href: 'index.html', text: 'All notebooks' },
    prev: link(order[at - 1]),
    next: link(order[at + 1]),
    downloads: downloadsIn(dir, name),
  };
}

/** The notebooks that have a page in `dir` and an executed copy in `executedDir` (so it can be exported again). */
export function pagesIn(dir: string, executedDir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.html') && f !== 'index.html')
    .map((f) => f.slice(0, -'.html'.length))
    .filter((n) => fs.existsSync(path.join(executedDir, `${n}.ipynb`)))
    .sort();
}

/** Removes a notebook's results from `dir` (before a run, so that only this run's are linked). */
export function removeResults(dir: string, name: string): void {
  for (const ext of RESULT_EXTS) fs.rmSync(path.join(dir, `${name}.${ext}`), { force: true });
}

/** Removes a notebook's page and every download of it from `dir` (its run failed: nothing stale is left linked). */
export function removePage(dir: string, name: string): void {
  for (const ext of ['html', ...DOWNLOADS.map((d) => d.ext)])
    fs.rmSync(path.join(dir, `${name}.${ext}`), { force: true });
}

interface NotebookJson {
  metadata: Record<string, unknown>;
}

function readJson(file: string): NotebookJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
}

/** Copies the executed notebook into `dir` as its download, without the site's links. */
export function publishNotebook(executed: string, dir: string): string {
  const nb = readJson(executed);
  delete nb.metadata[SITE_KEY];
  const file = path.join(dir, path.basename(executed));
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + '\n');
  return file;
}

/** The links a page was last exported with (from its executed copy), or undefined. */
export function linksOf(executed: string): PageLinks | undefined {
  try {
    return readJson(executed).metadata[SITE_KEY] as PageLinks | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Exports one executed notebook to `<dir>/<name>.html` with the site's links: writes them into
 * the executed copy's metadata, then runs nbconvert with our template. Returns the page, or
 * nbconvert's error.
 */
export function exportPage(
  executed: string,
  options: { python: string; dir: string; pages: readonly string[] },
): { html: string; error?: string } {
  const name = path.basename(executed, '.ipynb');
  if (!fs.existsSync(path.join(options.dir, `${name}.ipynb`))) publishNotebook(executed, options.dir);
  const nb = readJson(executed);
  nb.metadata[SITE_KEY] = linksFor(name, options.pages, options.dir);
  fs.writeFileSync(executed, JSON.stringify(nb, null, 1) + '\n');
  return exportHtml(executed, options.python, options.dir);
}

/**
 * Exports again every page in `dir` whose links changed (a neighbour appeared or went, a
 * download appeared), so that every page's links lead to pages and files that exist.
 * Returns the pages exported, and the errors of any that failed.
 */
export function refreshPages(
  dir: string,
  executedDir: string,
  python: string,
): { exported: string[]; errors: Record<string, string> } {
  const pages = pagesIn(dir, executedDir);
  const exported: string[] = [];
  const errors: Record<string, string> = {};
  for (const name of pages) {
    const executed = path.join(executedDir, `${name}.ipynb`);
    const want = linksFor(name, pages, dir);
    if (JSON.stringify(linksOf(executed)) === JSON.stringify(want)) continue;
    const r = exportPage(executed, { python, dir, pages });
    if (r.error) errors[name] = r.error;
    else exported.push(name);
  }
  return { exported, errors };
}
