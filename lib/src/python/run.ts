/**
 * Running the course's Python programs (the .py files beside this one, shipped with the
 * package in src/python): finding a Python that has what a program needs, starting it as
 * the leader of its own process group, and stopping that whole group (a process pool's
 * children too) on a timeout, an interrupt or `closeAll`. Nothing here is Python-specific
 * to the core: the runs come back as records on the shared clock.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { InterruptedError } from '../core/errors';
import { formatMs } from '../core/summary';
import { onInterrupt, track } from '../core/teardown';

/** Where the Python programs are: lib/src/python, from lib/dist/python as from lib/src/python. */
export const PYTHON_DIR = path.resolve(__dirname, '..', '..', 'src', 'python');

/** The Debian packages and the conda file that provide the modules the programs import. */
export const PYTHON_INSTALL_HINT =
  '`sudo apt-get install -y python3-aiohttp python3-requests`, or `conda env update -f environment.yml`';

/** Default limit on one run of a program: long enough for the course's slowest at full size on a slow machine. */
export const PYTHON_TIMEOUT_MS = 600_000;

/** The first executable called `name` on PATH. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Pythons worth trying, most specific first: $CLAB_PYTHON alone when it is set; else the
 * Python that runs Jupyter (the `jupyter` script's own), Debian's /usr/bin/python3, then
 * python3 on PATH (the same order as the site tools use to find Jupyter).
 */
export function pythonCandidates(): { python: string; why: string }[] {
  if (process.env.CLAB_PYTHON) return [{ python: process.env.CLAB_PYTHON, why: 'CLAB_PYTHON' }];
  const out: { python: string; why: string }[] = [];
  const jupyter = onPath('jupyter');
  if (jupyter) {
    try {
      const shebang = fs.readFileSync(jupyter, 'utf8').split('\n')[0] ?? '';
      const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(shebang);
      if (match) out.push({ python: match[1]!.endsWith('/env') && match[2] ? match[2] : match[1]!, why: 'Jupyter' });
    } catch {
      // not readable: skip it
    }
  }
  out.push({ python: '/usr/bin/python3', why: 'Debian' });
  const found = onPath('python3');
  if (found) out.push({ python: found, why: 'PATH' });
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.python) && seen.add(c.python));
}

/** What one Python has: whether it runs (3.8 or newer), and which of the asked modules it lacks. */
interface Probe {
  runs: boolean;
  version?: string;
  missing: string[];
}

const probes = new Map<string, Probe>();

/** Asks a Python (once per Python and module list) for its version and which modules it cannot find. */
function probe(python: string, modules: readonly string[]): Probe {
  const key = `${python}\0${modules.join(',')}`;
  let known = probes.get(key);
  if (!known) {
    const script =
      'import importlib.util, sys\n' +
      'print("%d.%d.%d" % sys.version_info[:3])\n' +
      'print(",".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))';
    const r = spawnSync(python, ['-c', script, ...modules], { encoding: 'utf8', timeout: 20_000 });
    const [version, missing] = (r.stdout ?? '').split('\n');
    const [major, minor] = (version ?? '').split('.').map(Number);
    const runs = r.status === 0 && major === 3 && (minor ?? 0) >= 8;
    known = {
      runs,
      version: runs ? version : undefined,
      missing: runs ? (missing ?? '').split(',').filter(Boolean) : [],
    };
    probes.set(key, known);
  }
  return known;
}

/** A Python to run a program with, or the one line that says why there is none. */
export type PythonChoice = { python: string; version: string; why: string } | { unavailable: string };

/**
 * The one Python that runs every program of a set (each program's modules a list): the first
 * candidate (see pythonCandidates) that has every module any of them needs, else the first
 * that runs at all; or the one line that says no Python 3.8 or newer was found.
 */
export function choosePython(needs: readonly (readonly string[])[] = [[]]): PythonChoice {
  const all = [...new Set(needs.flat())];
  const candidates = pythonCandidates();
  const running = candidates.filter((c) => probe(c.python, all).runs);
  const chosen = running.find((c) => probe(c.python, all).missing.length === 0) ?? running[0];
  if (chosen) return { python: chosen.python, version: probe(chosen.python, all).version!, why: chosen.why };
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
  return `${what} missing from ${choice.python} (${choice.why}): install with ${PYTHON_INSTALL_HINT}`;
}

/** Options of `runPython`. */
export interface RunPythonOptions {
  /** The Python to run it with (see choosePython). */
  python: string;
  /** Stop the program (and every process it started) after this many ms (default PYTHON_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** The last few lines of a program's stderr, on one line. */
function tail(text: string, lines = 3): string {
  const last = text.trim().split('\n').slice(-lines).join(' | ');
  return last.length > 600 ? `...${last.slice(-600)}` : last;
}

/** Kills a process group; quiet when it is gone already. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

/**
 * Runs `program` (a file in PYTHON_DIR) with `args` and returns the JSON object it printed
 * last on stdout. The program leads its own process group, which is killed when it ends,
 * when it runs over the timeout, and on an interrupt: nothing it started is left running.
 * Rejects with one line (and the tail of its stderr) when it fails, hangs or prints no JSON.
 */
export function runPython(program: string, args: readonly string[], options: RunPythonOptions): Promise<unknown> {
  const timeoutMs = options.timeoutMs ?? PYTHON_TIMEOUT_MS;
  const file = path.join(PYTHON_DIR, program);
  const name = `${path.basename(options.python)} ${program}`;
  return new Promise((resolve, reject) => {
    const child = spawn(options.python, [file, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // CLAB_PARENT_PID: the program watches this process, not its parent (a wrapper's shell, maybe).
      env: {
        ...process.env,
        PYTHONDONTWRITEBYTECODE: '1',
        PYTHONUNBUFFERED: '1',
        CLAB_PARENT_PID: String(process.pid),
      },
    });
    let stdout = '';
    let stderr = '';
    let stopped: string | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    });
    const stop = (why: string) => {
      stopped ??= why;
      killGroup(child.pid);
    };
    const release = track({ close: async () => stop('interrupted') });
    const unsubscribe = onInterrupt((reason) => stop(reason));
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      unsubscribe();
      release();
      killGroup(child.pid); // whatever it started and left behind
    };
    child.once('error', (error) => {
      finish();
      reject(new Error(`${name} could not start: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      finish();
      const err = stderr ? `: ${tail(stderr)}` : '';
      if (stopped === 'timeout') {
        reject(
          new Error(
            `${name} did not finish within ${formatMs(timeoutMs)}; it was stopped with every process it started${err}`,
          ),
        );
      } else if (stopped) {
        reject(new InterruptedError(stopped));
      } else if (code !== 0) {
        reject(new Error(`${name} failed (${code === null ? `signal ${signal}` : `exit code ${code}`})${err}`));
      } else {
        const last = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(last));
        } catch {
          reject(new Error(`${name} printed no JSON result (got ${JSON.stringify(last.slice(0, 80))})${err}`));
        }
      }
    });
  });
}
