/**
 * What the project needs from the operating system (Jupyter, the Python modules of the
 * course's programs, redis-server for the queue notebook, Chromium for the page tests),
 * found on PATH or, for root on Debian/Ubuntu, installed from Debian's packages, the way
 * `npm start` and `npm test` set themselves up. Anyone else gets one line with the commands.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { choosePython, findRedisServer, REDIS_INSTALL_HINT, REDIS_URL_ENV } from 'concurrency-lab/tooling';

/** The first executable called `command` on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, command);
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when this process may install Debian packages itself (root, with apt-get). */
export function canApt(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0 && which('apt-get') !== undefined;
}

/**
 * Installs Debian packages with apt-get, saying why first; throws `hint` (one line with the
 * commands) when this process may not, or when apt-get fails.
 */
export function aptInstall(packages: readonly string[], why: string, hint: string, log = console.log): void {
  if (!canApt()) throw new Error(hint);
  log(`${why}: installing Debian's ${packages.join(', ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', '--no-install-recommends', ...packages],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (r.status !== 0) throw new Error(`apt-get ${args[0]} failed (exit ${r.status}); ${hint}`);
  }
}

/** Where the page tests find Chromium ($CHROMIUM_PATH, else Debian's). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Chromium for the page tests: found, or installed from Debian as root, or a one-line error. */
export function ensureChromium(log = console.log): string {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const hint =
    `Chromium was not found at ${CHROMIUM}: on Debian/Ubuntu \`sudo apt-get install -y chromium\`, ` +
    'or set CHROMIUM_PATH to a Chromium or Chrome binary, then try again';
  aptInstall(['chromium'], 'Chromium is missing (the page tests open every exported page in it)', hint, log);
  if (!fs.existsSync(CHROMIUM)) throw new Error(hint);
  return CHROMIUM;
}

/** Debian's package with redis-server (7.0 on Debian 12; BullMQ needs 5.0 or later). */
export const REDIS_PACKAGE = 'redis-server';

/**
 * redis-server for the queue notebook and its tests: found (PATH, /usr/bin, or
 * $CLAB_REDIS_SERVER), or installed from Debian as root, or a one-line error with the apt and
 * conda commands. With $REDIS_URL set the runs use that Redis and need none of their own.
 */
export function ensureRedis(log = console.log): string | undefined {
  if (process.env[REDIS_URL_ENV]) return undefined;
  try {
    return findRedisServer();
  } catch {
    aptInstall([REDIS_PACKAGE], 'redis-server is missing (notebook 07 starts its own broker)', REDIS_INSTALL_HINT, log);
    return findRedisServer();
  }
}

/** The modules the course's Python programs import beyond the standard library, and Debian's packages of them. */
export const PEER_MODULES = ['aiohttp', 'requests'] as const;
export const PEER_PACKAGES = ['python3-aiohttp', 'python3-requests'];

/** The modules of `modules` that `python` cannot import. */
export function missingModules(python: string, modules: readonly string[]): string[] {
  const script =
    'import importlib.util, sys\nprint(",".join(m for m in sys.argv[1:] if importlib.util.find_spec(m) is None))';
  const r = spawnSync(python, ['-c', script, ...modules], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0) return [...modules];
  return r.stdout.trim().split(',').filter(Boolean);
}

/**
 * The Python modules of the course's programs (aiohttp, requests), checked with the
 * library's own choice of Python (choosePython: $CLAB_PYTHON, else the Python that runs
 * Jupyter, else /usr/bin/python3). When none has them and the Python they would run with
 * is Debian's, root installs Debian's packages; anyone else gets the library's one line with
 * the apt and conda commands. `jupyterPython` is the Python that runs Jupyter (ensureJupyter).
 */
export function ensurePythonPeers(jupyterPython: string, log = console.log): string {
  const choice = choosePython([PEER_MODULES]);
  if ('unavailable' in choice) throw new Error(choice.unavailable);
  const lacking = missingModules(choice.python, PEER_MODULES);
  if (lacking.length === 0) return choice.python;
  const hint = `the Python module${lacking.length === 1 ? '' : 's'} ${lacking.join(' and ')} ${lacking.length === 1 ? 'is' : 'are'} missing from ${choice.python} (${choice.why}): install with \`sudo apt-get install -y ${PEER_PACKAGES.join(' ')}\`, or \`conda env update -f environment.yml\``;
  // apt-get installs into Debian's own Python only, not a conda env, a venv or pyenv's.
  let real = choice.python;
  try {
    real = fs.realpathSync(choice.python);
  } catch {
    // not a path we can resolve: not Debian's
  }
  if (!/^\/usr\/bin\/python3(\.\d+)?$/.test(real)) throw new Error(hint);
  aptInstall(
    PEER_PACKAGES,
    `${hint.split(':')[0]} (the course's Python programs run with it; ${jupyterPython} runs Jupyter)`,
    hint,
    log,
  );
  if (missingModules(choice.python, PEER_MODULES).length) throw new Error(hint);
  return choice.python;
}
