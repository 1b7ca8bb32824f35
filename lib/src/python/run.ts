/**
 * Running the course's Python programs (the .py files beside this one), each the leader of its own process
 * group, which is stopped whole (a process pool's children too) on a timeout, an interrupt or `closeAll`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { attempt, InterruptedError } from '../core/errors';
import { formatMs } from '../core/summary';
import { onInterrupt, track } from '../core/teardown';

/** lib/src/python, from lib/dist/python as from lib/src/python. */
const PYTHON_DIR = path.resolve(__dirname, '..', '..', 'src', 'python');

const INSTALL_HINT =
  '`sudo apt-get install -y python3-aiohttp python3-requests`, or `conda env update -f environment.yml`';

const PYTHON_ENV = { PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' };

/** Default limit on one run: long enough for the course's slowest program at full size on a slow machine. */
export const PYTHON_TIMEOUT_MS = 600_000;

function onPath(name: string): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const runnable = (file: string) =>
    attempt(() => {
      fs.accessSync(file, fs.constants.X_OK);
      return true;
    });
  return dirs.map((dir) => path.join(dir, name)).find(runnable);
}

/**
 * Pythons worth trying, most specific first: $CLAB_PYTHON alone when it is set; else the
 * Python that runs Jupyter (its script's shebang), Debian's /usr/bin/python3, then python3 on PATH.
 */
function pythonCandidates(): { python: string; why: string }[] {
  if (process.env.CLAB_PYTHON) return [{ python: process.env.CLAB_PYTHON, why: 'CLAB_PYTHON' }];
  const jupyter = onPath('jupyter');
  const head = jupyter && attempt(() => fs.readFileSync(jupyter, 'utf8').split('\n')[0]);
  const [, interpreter, arg] = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(head ?? '') ?? [];
  const fromJupyter = interpreter?.endsWith('/env') && arg ? arg : interpreter;
  const found = onPath('python3');
  const out = [
    ...(fromJupyter ? [{ python: fromJupyter, why: 'Jupyter' }] : []),
    { python: '/usr/bin/python3', why: 'Debian' },
    ...(found ? [{ python: found, why: 'PATH' }] : []),
  ];
  return out.filter((c, i) => out.findIndex((o) => o.python === c.python) === i);
}

const probes = new Map<string, { runs: boolean; version?: string; missing: string[] }>();

/** Asks a Python (once per Python and module list) whether it runs as 3.8 or newer, and which modules it lacks. */
function probe(python: string, modules: readonly string[]) {
  const key = `${python}\0${modules.join(',')}`;
  if (!probes.has(key)) {
    const script =
      'import importlib.util, sys\n' +
      'print("%d.%d.%d" % sys.version_info[:3])\n' +
      'print(",".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))';
    const r = spawnSync(python, ['-c', script, ...modules], { encoding: 'utf8', timeout: 20_000 });
    const [version = '', missing = ''] = (r.stdout ?? '').split('\n');
    const [major, minor = 0] = version.split('.').map(Number);
    const runs = r.status === 0 && major === 3 && minor >= 8;
    probes.set(key, runs ? { runs, version, missing: missing.split(',').filter(Boolean) } : { runs, missing: [] });
  }
  return probes.get(key)!;
}

/**
 * The one Python that runs every program of a set (each program's modules a list): the first
 * candidate that has every module any of them needs, else the first that runs at all; or the
 * one line that says no Python 3.8 or newer was found.
 */
export function choosePython(
  needs: readonly (readonly string[])[] = [[]],
): { python: string; version: string; why: string } | { unavailable: string } {
  const all = [...new Set(needs.flat())];
  const candidates = pythonCandidates();
  const running = candidates.filter((c) => probe(c.python, all).runs);
  const chosen = running.find((c) => probe(c.python, all).missing.length === 0) ?? running[0];
  if (chosen) return { ...chosen, version: probe(chosen.python, all).version! };
  const which = process.env.CLAB_PYTHON
    ? `CLAB_PYTHON=${process.env.CLAB_PYTHON} does not run as Python 3.8 or newer`
    : `no Python 3.8 or newer was found (tried ${candidates.map((c) => c.python).join(', ')})`;
  return { unavailable: `${which}: install python3 or set CLAB_PYTHON to one` };
}

/** One line saying which of `modules` the chosen Python lacks and how to install them, or undefined when it has them all. */
export function missingModules(
  choice: { python: string; why: string },
  modules: readonly string[],
): string | undefined {
  const missing = probe(choice.python, modules).missing;
  if (!missing.length) return undefined;
  const what =
    missing.length === 1 ? `the Python module ${missing[0]} is` : `the Python modules ${missing.join(' and ')} are`;
  return `${what} missing from ${choice.python} (${choice.why}): install with ${INSTALL_HINT}`;
}

/**
 * Runs `program` (a file in PYTHON_DIR) with `args` and returns the JSON it printed last on stdout. Its
 * process group is killed when it ends, runs over `timeoutMs` (default PYTHON_TIMEOUT_MS) or is
 * interrupted. Rejects with one line (and the tail of its stderr) when it fails, hangs or prints no JSON.
 */
export function runPython(
  program: string,
  args: readonly string[],
  options: { python: string; timeoutMs?: number },
): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? PYTHON_TIMEOUT_MS;
  const name = `${path.basename(options.python)} ${program}`;
  return new Promise((resolve, reject) => {
    // CLAB_PARENT_PID: the program watches this process, not its parent (a wrapper's shell, maybe).
    const env = { ...process.env, ...PYTHON_ENV, CLAB_PARENT_PID: String(process.pid) };
    const child = spawn(options.python, [path.join(PYTHON_DIR, program), ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    });
    const killGroup = () => attempt(() => child.pid && process.kill(-child.pid, 'SIGKILL'));
    let stdout = '';
    let stderr = '';
    let stopped: string | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-32_000)));
    const stop = (why: string) => {
      stopped ??= why;
      killGroup();
    };
    const release = track({ close: async () => stop('interrupted') });
    const unsubscribe = onInterrupt(stop);
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      release();
      killGroup(); // whatever it started and left behind
    };
    child.once('error', (error) => {
      finish();
      reject(new Error(`${name} could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      finish();
      if (stopped && stopped !== 'timeout') return reject(new InterruptedError(stopped));
      const last = stderr.trim().split('\n').slice(-3).join(' | '); // the tail of its stderr, on one line
      const err = last ? `: ${last.length > 600 ? `...${last.slice(-600)}` : last}` : '';
      const why = stopped
        ? `did not finish within ${formatMs(timeoutMs)}; it was stopped with every process it started`
        : code !== 0
          ? `failed (${code === null ? `signal ${signal}` : `exit code ${code}`})`
          : undefined;
      if (why) return reject(new Error(`${name} ${why}${err}`));
      const json = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(json));
      } catch {
        reject(new Error(`${name} printed no JSON result (got ${JSON.stringify(json.slice(0, 80))})${err}`));
      }
    });
  });
}
