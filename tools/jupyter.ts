/**
 * Jupyter from Node: find a Python that has Jupyter (installing Debian's packages when
 * allowed), register the tslab kernel in a project-local folder, execute notebooks and
 * export them to HTML. The user's own Jupyter setup is never touched.
 */
import { spawnSync, type SpawnSyncOptionsWithStringEncoding } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { aptInstall, which } from './system';

/** The Debian packages that provide what the notebooks need. */
export const DEBIAN_PACKAGES = ['jupyter-notebook', 'python3-nbconvert', 'python3-nbclient', 'python3-ipykernel'];

/** One line on how to get Jupyter, for when it is missing. */
export const INSTALL_HINT =
  'Jupyter was not found: run `conda env create -f environment.yml && conda activate concurrency-lab`, ' +
  `or on Debian/Ubuntu \`sudo apt-get install -y ${DEBIAN_PACKAGES.join(' ')}\`, then try again`;

/** The project's root folder (the one holding notebooks/ and lib/). */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where the kernelspec is registered: a project-local Jupyter data folder. */
export const JUPYTER_PREFIX = path.join(ROOT, 'build', 'jupyter');

function run(command: string, args: string[], options: Omit<SpawnSyncOptionsWithStringEncoding, 'encoding'> = {}) {
  return spawnSync(command, args, { ...options, encoding: 'utf8' });
}

function hasJupyter(python: string): boolean {
  const r = run(python, ['-c', 'import jupyter_client, nbconvert, nbclient, IPython']);
  return r.status === 0;
}

/** Pythons worth trying, most specific first: $CLAB_PYTHON, the `jupyter` script's own, then python3s. */
export function pythonCandidates(): string[] {
  const out: string[] = [];
  if (process.env.CLAB_PYTHON) out.push(process.env.CLAB_PYTHON);
  const jupyter = which('jupyter');
  if (jupyter) {
    const shebang = fs.readFileSync(jupyter, 'utf8').split('\n')[0] ?? '';
    const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(shebang);
    if (match) out.push(match[1]!.endsWith('/env') && match[2] ? match[2] : match[1]!);
  }
  out.push('/usr/bin/python3');
  for (const name of ['python3', 'python']) {
    const found = which(name);
    if (found) out.push(found);
  }
  return [...new Set(out)];
}

/** The first Python that can run Jupyter, or undefined. */
export function findPython(): string | undefined {
  return pythonCandidates().find(hasJupyter);
}

/**
 * A Python with Jupyter. When there is none and we are root on Debian/Ubuntu, installs
 * Debian's packages (saying so first); otherwise throws a one-line error with the commands.
 */
export function ensureJupyter(log: (line: string) => void = console.log): string {
  const found = findPython();
  if (found) return found;
  aptInstall(DEBIAN_PACKAGES, 'Jupyter is missing', INSTALL_HINT, log);
  const python = findPython();
  if (!python) throw new Error(INSTALL_HINT);
  return python;
}

/** The environment under which Jupyter sees the project-local tslab kernel. */
export function jupyterEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const data = path.join(JUPYTER_PREFIX, 'share', 'jupyter');
  const existing = process.env.JUPYTER_PATH;
  return {
    ...process.env,
    JUPYTER_PATH: existing ? `${data}${path.delimiter}${existing}` : data,
    JUPYTER_PLATFORM_DIRS: '1',
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    ...extra,
  };
}

/** Registers the tslab kernel under build/jupyter with tslab's own installer; returns the kernelspec path. */
export function installKernel(python: string): string {
  const tslab = path.join(ROOT, 'node_modules', '.bin', 'tslab');
  if (!fs.existsSync(tslab)) throw new Error(`tslab is not installed at ${tslab}: run npm ci first`);
  const r = run(tslab, ['install', `--python=${python}`, `--binary=${tslab}`, `--prefix=${JUPYTER_PREFIX}`]);
  if (r.status !== 0) throw new Error(`registering the tslab kernel failed: ${(r.stderr || r.stdout).trim()}`);
  return path.join(JUPYTER_PREFIX, 'share', 'jupyter', 'kernels', 'tslab');
}

/** Options of `executeNotebook`. */
export interface ExecuteOptions {
  python: string;
  /** Folder for the executed .ipynb. */
  executedDir: string;
  /** Extra environment for the kernel (CLAB_PARAMS, CLAB_RESULTS_DIR ...). */
  env?: NodeJS.ProcessEnv;
  /** Seconds one cell may take. */
  cellTimeout?: number;
}

/** What executing one notebook produced. */
export interface Executed {
  name: string;
  ok: boolean;
  /** The executed copy (written only when every cell ran). */
  executed: string;
  seconds: number;
  /** nbconvert's last lines of output when it failed. */
  error?: string;
}

const NBCONVERT = ['-m', 'nbconvert', '--log-level=WARN'];

/** Executes a notebook with the tslab kernel (nbconvert), writing the executed copy to `executedDir`. */
export function executeNotebook(notebook: string, options: ExecuteOptions): Executed {
  const name = path.basename(notebook, '.ipynb');
  const env = jupyterEnv(options.env);
  // The kernel runs in notebooks/: a parameters file named relative to where we were started
  // must still be found there.
  if (env.CLAB_PARAMS_FILE && !path.isAbsolute(env.CLAB_PARAMS_FILE)) {
    env.CLAB_PARAMS_FILE = path.resolve(env.CLAB_PARAMS_FILE);
  }
  const started = Date.now();
  fs.mkdirSync(options.executedDir, { recursive: true });
  const executed = path.join(options.executedDir, `${name}.ipynb`);
  const exec = run(
    options.python,
    [
      ...NBCONVERT,
      '--to=notebook',
      '--execute',
      '--ExecutePreprocessor.kernel_name=tslab',
      `--ExecutePreprocessor.timeout=${options.cellTimeout ?? 1800}`,
      `--output-dir=${options.executedDir}`,
      `--output=${name}`,
      notebook,
    ],
    { env, cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (Date.now() - started) / 1000;
  if (exec.status !== 0) {
    const tail = `${exec.stderr}${exec.stdout}`.trim().split('\n').slice(-25).join('\n');
    return { name, ok: false, executed, seconds, error: tail };
  }
  return { name, ok: true, executed, seconds };
}

/**
 * Our nbconvert template (tools/templates/clab): JupyterLab's page without require.js,
 * MathJax, mermaid or the widgets' manager, so a page loads nothing from elsewhere, with the
 * site's links read from the notebook's metadata (see pages.ts).
 */
export const TEMPLATE_DIR = path.join(ROOT, 'tools', 'templates');
export const TEMPLATE = 'clab';

/** Exports an executed notebook to `<htmlDir>/<name>.html` with our template; the error's last lines when it fails. */
export function exportHtml(executed: string, python: string, htmlDir: string): { html: string; error?: string } {
  const name = path.basename(executed, '.ipynb');
  fs.mkdirSync(htmlDir, { recursive: true });
  const html = path.join(htmlDir, `${name}.html`);
  const exp = run(
    python,
    [
      ...NBCONVERT,
      '--to=html',
      `--template=${TEMPLATE}`,
      `--TemplateExporter.extra_template_basedirs=${TEMPLATE_DIR}`,
      `--output-dir=${htmlDir}`,
      `--output=${name}`,
      executed,
    ],
    { env: jupyterEnv(), cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
  );
  if (exp.status !== 0) return { html, error: `${exp.stderr}${exp.stdout}`.trim().split('\n').slice(-10).join('\n') };
  return { html };
}
