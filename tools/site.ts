/**
 * `npm start`: set up and run everything. Finds (or installs) Jupyter, registers the tslab
 * kernel in build/jupyter, executes every notebook (or --only some, with --set values) with
 * CLAB_RESULTS_DIR set to the site's folder, exports each to build/html/<notebook>.html beside
 * its downloads (<notebook>.ipynb, and .json and .csv when the run wrote them) and writes
 * build/html/index.html.
 *
 *   npm start -- --only 05-cpu-bound --set count=20 --set workers=4
 *   npm start -- --params my-params.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  CATALOG,
  checkFolder,
  coerceParam,
  environment,
  makeFolder,
  messageOf,
  notebookEntry,
  oneLine,
  ParameterError,
  readParamsFile,
  specOf,
} from 'concurrency-lab/tooling';
import { ensureJupyter, executeNotebook, installKernel, ROOT, type Executed } from './jupyter';
import { writeIndex, type SiteEntry } from './index-page';
import { exportPage, pagesIn, publishNotebook, refreshPages, removePage, removeResults } from './pages';
import { ensurePythonPeers, ensureRedis } from './system';

/** A bad command line: printed as one line, exit code 2, nothing run. */
export class UsageError extends Error {}

/** What `npm start` was asked to do. */
export interface SitePlan {
  notebooks: string[];
  /** Parameter values per notebook (only what was given). */
  params: Record<string, Record<string, unknown>>;
  outDir: string;
}

const NOTEBOOKS_DIR = path.join(ROOT, 'notebooks');

/** The notebooks in notebooks/, in reading order (file name order). */
export function listNotebooks(): string[] {
  return fs
    .readdirSync(NOTEBOOKS_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => f.slice(0, -'.ipynb'.length))
    .sort();
}

/** Parses and checks the command line; throws UsageError naming what is wrong. */
export function planFromArgs(argv: string[]): SitePlan {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        only: { type: 'string', multiple: true },
        set: { type: 'string', multiple: true },
        params: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(`${messageOf(error)}; allowed: --only, --set, --params, --out, --help`);
  }
  const { values } = parsed;
  if (values.help) throw new UsageError(HELP);
  const all = listNotebooks();
  const only = (values.only ?? []).flatMap((s) => s.split(',')).map((s) => s.trim().replace(/\.ipynb$/, ''));
  for (const name of only) {
    if (!all.includes(name)) throw new UsageError(`--only: no notebook named "${name}"; allowed: ${all.join(', ')}`);
  }
  const notebooks = only.length ? all.filter((n) => only.includes(n)) : all;
  const params: Record<string, Record<string, unknown>> = {};
  // The same check as parameters() in a cell and CLAB_PARAMS: own keys of the spec, coerceParam.
  const specsOf = (n: string) => notebookEntry(n)?.params ?? {};
  const assign = (source: string, key: string, raw: unknown) => {
    const owners = notebooks.filter((n) => specOf(specsOf(n), key));
    if (owners.length === 0) {
      const known = [...new Set(notebooks.flatMap((n) => Object.keys(notebookEntry(n)?.params ?? {})))];
      throw new UsageError(
        `${source}: unknown parameter ${JSON.stringify(key)}; allowed: ${known.join(', ') || 'none'}`,
      );
    }
    for (const n of owners) {
      try {
        (params[n] ??= {})[key] = coerceParam(key, specOf(specsOf(n), key)!, raw);
      } catch (error) {
        throw new UsageError(`${source}: ${messageOf(error)}`);
      }
    }
  };
  if (values.params) {
    let json: unknown;
    try {
      json = JSON.parse(readParamsFile('--params', values.params));
    } catch (error) {
      const why = error instanceof ParameterError ? `it must be ${error.allowed}` : messageOf(error);
      throw new UsageError(`--params: cannot read ${JSON.stringify(values.params)} as JSON (${why})`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new UsageError(`--params: "${values.params}" must hold a JSON object of name: value`);
    }
    for (const [key, raw] of Object.entries(json)) assign('--params', key, raw);
  }
  for (const item of values.set ?? []) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set: expected name=value (got "${item}")`);
    assign('--set', item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  let outDir = path.join(ROOT, 'build', 'html');
  if (values.out !== undefined) {
    try {
      outDir = checkFolder('--out', values.out);
      checkFolder('--out', path.join(path.dirname(outDir), 'executed'));
    } catch (error) {
      throw new UsageError(messageOf(error));
    }
  }
  return { notebooks, params, outDir };
}

const HELP = `npm start -- [options]
  --only NAME[,NAME]   run only these notebooks (default: all, in order)
  --set NAME=VALUE     set a parameter in every selected notebook that has it (repeatable)
  --params FILE        a JSON file of {"name": value} parameters, like --set
  --out DIR            where the HTML pages go (default: build/html)
notebooks: ${CATALOG.map((e) => e.name).join(', ')}`;

/** The environment variable that tells the library where to write a notebook's results. */
export const RESULTS_DIR_ENV = 'CLAB_RESULTS_DIR';

/** Options of `buildPage`. */
export interface PageOptions {
  python: string;
  /** The site's folder: the page, its downloads, and where the run writes its results. */
  outDir: string;
  /** Where the executed notebooks go. */
  executedDir: string;
  /** The notebooks the site will have pages for, for the previous and next links. */
  pages: readonly string[];
  /** Extra environment for the kernel (CLAB_PARAMS ...). */
  env?: NodeJS.ProcessEnv;
  /** Seconds one cell may take. */
  cellTimeout?: number;
}

/**
 * One notebook's page: executes it with CLAB_RESULTS_DIR set to the site's folder, then
 * exports it with its links and downloads. A notebook that fails leaves no page or download
 * behind (an earlier run's would describe other numbers than the index).
 */
export function buildPage(name: string, options: PageOptions): Executed & { html: string } {
  const html = path.join(options.outDir, `${name}.html`);
  fs.mkdirSync(options.outDir, { recursive: true });
  removeResults(options.outDir, name);
  const result = executeNotebook(path.join(NOTEBOOKS_DIR, `${name}.ipynb`), {
    python: options.python,
    executedDir: options.executedDir,
    env: { ...options.env, [RESULTS_DIR_ENV]: path.resolve(options.outDir) },
    cellTimeout: options.cellTimeout,
  });
  if (result.ok) {
    publishNotebook(result.executed, options.outDir);
    const page = exportPage(result.executed, { python: options.python, dir: options.outDir, pages: options.pages });
    if (!page.error) return { ...result, html };
    Object.assign(result, { ok: false, error: `exporting the page failed: ${page.error}` });
  }
  removePage(options.outDir, name);
  return { ...result, html };
}

/**
 * Completes the site after the runs: exports again the pages whose links changed (a
 * neighbour from an earlier run, a notebook that failed) and writes the index. Returns the
 * index's path; a page that cannot be exported again is reported through `log`.
 */
export function finishSite(
  outDir: string,
  executedDir: string,
  python: string,
  entries: readonly SiteEntry[],
  log: (line: string) => void = console.log,
): string {
  const { errors } = refreshPages(outDir, executedDir, python);
  for (const [name, error] of Object.entries(errors)) log(`  exporting ${name} again failed:\n${error}`);
  return writeIndex(outDir, entries, environment());
}

/**
 * The environment that hands a notebook its parameters: a file in `dir` named by
 * CLAB_PARAMS_FILE, not the values in CLAB_PARAMS, since Linux caps one environment variable
 * at 128 KB and the file may hold up to 1 MB (PARAMS_FILE_LIMIT, checked when it was read).
 */
export function handOff(name: string, params: Record<string, unknown> | undefined, dir: string): NodeJS.ProcessEnv {
  if (!params) return {};
  const file = path.join(dir, `${name}.params.json`);
  fs.writeFileSync(file, JSON.stringify({ [name]: params }));
  return { CLAB_PARAMS_FILE: path.resolve(file) };
}

/** Runs the plan: executes and exports each notebook, then writes the index. Returns the failures. */
export function runSite(plan: SitePlan, log: (line: string) => void = console.log): Executed[] {
  // One level at a time, before anything starts: a recursive mkdir spins for ever under /proc.
  const executedDir = path.join(path.dirname(plan.outDir), 'executed');
  try {
    makeFolder('--out', plan.outDir);
    makeFolder('--out', executedDir);
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  const python = ensureJupyter(log);
  // The course's Python programs for I/O import aiohttp and requests; 07 starts its own redis-server.
  if (plan.notebooks.includes('04-io-bound')) ensurePythonPeers(python, log);
  if (plan.notebooks.includes('07-beyond-one-machine')) ensureRedis(log);
  installKernel(python);
  // Pages from an earlier run into the same folder stay, and are linked from their neighbours.
  const pages = [...new Set([...pagesIn(plan.outDir, executedDir), ...plan.notebooks])].sort();
  const entries: SiteEntry[] = [];
  for (const name of plan.notebooks) {
    log(`running ${name} ...`);
    const params = plan.params[name];
    const result = buildPage(name, {
      python,
      outDir: plan.outDir,
      executedDir,
      pages,
      env: handOff(name, params, executedDir),
    });
    log(
      result.ok
        ? `  ${result.html} (${result.seconds.toFixed(0)} s)`
        : `  FAILED after ${result.seconds.toFixed(0)} s:\n${result.error}`,
    );
    entries.push({ ...result, params: params ?? {} });
  }
  const index = finishSite(plan.outDir, executedDir, python, entries, log);
  log('\ntime per notebook:');
  const width = Math.max(...entries.map((e) => e.name.length));
  for (const e of entries)
    log(`  ${e.name.padEnd(width)}  ${e.seconds.toFixed(0).padStart(4)} s${e.ok ? '' : '  FAILED'}`);
  const total = entries.reduce((sum, e) => sum + e.seconds, 0);
  log(`  ${'total'.padEnd(width)}  ${total.toFixed(0).padStart(4)} s`);
  log(`\nopen ${index}`);
  return entries.filter((e) => !e.ok);
}

function main(): void {
  let plan: SitePlan;
  try {
    plan = planFromArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(error.message === HELP ? HELP : oneLine(error.message));
      process.exit(error.message === HELP ? 0 : 2);
    }
    throw error;
  }
  try {
    const failed = runSite(plan);
    if (failed.length) {
      console.error(`${failed.length} notebook(s) failed: ${failed.map((f) => f.name).join(', ')}`);
      process.exit(1);
    }
  } catch (error) {
    console.error(messageOf(error));
    process.exit(error instanceof UsageError ? 2 : 1);
  }
}

if (require.main === module) main();
