/**
 * Our own redis-server: on 127.0.0.1 (elsewhere only with a password), a free port, no
 * persistence, a temporary directory. Tracked for teardown and behind a guard process
 * (guard.ts), it stops with the run, on interrupt, and when this process dies.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { now } from '../../core/clock';
import { messageOf, ParameterError } from '../../core/errors';
import { track } from '../../core/teardown';
import { exited, findExecutable, isExecutable, kill, stopChild } from './children';
import { connectBroker, connectionOf, probe, REDIS_URL_ENV, type Broker } from './redis';

export { connectBroker, parseRedisUrl, redactUrl, REDIS_URL_ENV } from './redis';

/** Names the redis-server binary to start (default: the one on PATH). */
const REDIS_SERVER_ENV = 'CLAB_REDIS_SERVER';

export const REDIS_INSTALL_HINT =
  'redis-server was not found: on Debian/Ubuntu `sudo apt-get install -y redis-server`, with conda ' +
  '`conda install -c conda-forge redis-server`, or set REDIS_URL to a Redis you run yourself';

const START_TIMEOUT_MS = 10_000;

/** Our redis-server's fixed settings: no persistence, no eviction (a lost job is a lost task). */
const REDIS_ARGS =
  '--protected-mode yes --appendonly no --daemonize no --maxmemory-policy noeviction --loglevel warning';

/**
 * Options of `openBroker`: `redisUrl` an existing Redis (default $REDIS_URL), else ours, on `bind` (default 127.0.0.1;
 * anything else needs a `password`, Redis's requirepass), from `redisServer` (default $CLAB_REDIS_SERVER, else PATH's).
 */
type OpenBrokerOptions = { redisUrl?: string; bind?: string; password?: string; redisServer?: string };

/** The redis-server to start: `given` ($CLAB_REDIS_SERVER), else the first in `dirs` (PATH); throws the install hint. */
export function findRedisServer(given = process.env[REDIS_SERVER_ENV], dirs?: readonly string[]): string {
  if (given && !isExecutable(given)) {
    throw new Error(`redis-server ${given} (from ${REDIS_SERVER_ENV}) is not an executable file`);
  }
  const found = given || findExecutable('redis-server', dirs);
  if (!found) throw new Error(REDIS_INSTALL_HINT);
  return found;
}

/** A port nobody listens on right now (the system picks it). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().unref().once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts redis-server on a free port behind its guard; resolves once it answers. */
async function startOnce(bin: string, bind: string, host: string, password?: string): Promise<Broker> {
  const port = await freePort(host);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-redis-'));
  const startedAt = now();
  const args = ['--port', String(port), '--bind', bind, '--dir', dir, '--save', '', ...REDIS_ARGS.split(' ')];
  const guard = spawn(process.execPath, [path.join(__dirname, 'guard.js'), bin, ...args], {
    // A process group of its own: Jupyter's interrupt (SIGINT to the kernel's group) must
    // not stop Redis under a running cell; the guard ends it when we are gone.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, ...(password ? { CLAB_REDIS_REQUIREPASS: password } : {}) },
  });
  const auth = password ? `:${encodeURIComponent(password)}@` : '';
  const url = `redis://${auth}${host.includes(':') ? `[${host}]` : host}:${port}`;
  const connection = connectionOf(url);
  let output = '';
  for (const stream of [guard.stdout, guard.stderr]) {
    stream?.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-4000)));
  }
  const lastOutput = () =>
    output
      .split('\n')
      .map((l) => l.replace(/^\d+:[A-Z] .*? [*#.-] /, '').trim())
      .filter(Boolean)
      .pop() ?? 'no output';
  let pid: number | undefined;
  let ended: string | undefined;
  let closing: Promise<void> | undefined;
  const listeners = new Set<(reason: string) => void>();
  const end = (how: string) => {
    if (ended) return;
    ended = how;
    const reason = `our redis-server (pid ${pid ?? '?'}, ${host}:${port}) exited (${how})`;
    if (!closing) for (const listener of [...listeners]) listener(reason);
  };
  guard.on('message', (m: { type?: string; pid?: number; code?: number | null; signal?: string | null }) => {
    if (m.type === 'started') pid = m.pid;
    if (m.type === 'exit') end(m.signal ? `signal ${m.signal}` : `exit code ${m.code}`);
  });
  void exited(guard).then(() => end('its guard process ended'));
  let release = () => {};
  const close = (force = false) =>
    (closing ??= (async () => {
      release();
      const ask = () => (guard.connected ? guard.send(force ? 'kill' : 'stop') : guard.kill('SIGTERM'));
      // The guard did not finish in time: end both ourselves.
      const killBoth = () => {
        if (pid && !ended) kill(pid);
        guard.kill('SIGKILL');
      };
      await stopChild(guard, ask, 3000, killBoth).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
    })());
  try {
    for (;;) {
      if (ended) throw new Error(`redis-server could not start (${ended}): ${lastOutput()}`);
      try {
        const version = await probe(connection, 'our redis-server');
        release = track({ close });
        return {
          url,
          host,
          port,
          version,
          dir,
          connection,
          get pid() {
            return pid;
          },
          describe: () =>
            `our redis-server ${version}, pid ${pid ?? '?'}, on ${host}:${port}, persistence off, in ${dir}`,
          onExit(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
          },
          close,
        };
      } catch (error) {
        if (/needs/.test(messageOf(error))) throw error;
        if (now() > startedAt + START_TIMEOUT_MS) {
          throw new Error(`redis-server did not answer within ${START_TIMEOUT_MS / 1000} s: ${lastOutput()}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } catch (error) {
    await close(true);
    throw error;
  }
}

/** Starts a redis-server of our own (see the file's comment); resolves once it answers, else throws one line. */
export async function startBroker(options: OpenBrokerOptions = {}): Promise<Broker> {
  // Checked as values of any type: a notebook may pass anything.
  const bind: unknown = options.bind ?? '127.0.0.1';
  const password: unknown = options.password;
  if (typeof bind !== 'string' || !/^[\w.:-]+$/.test(bind)) {
    throw new ParameterError('bind', 'an address to listen on, e.g. 127.0.0.1', bind);
  }
  if (password !== undefined && (typeof password !== 'string' || !/^[\x21-\x7e]{8,128}$/.test(password))) {
    throw new ParameterError('password', '8 to 128 printable characters without spaces', '(hidden)');
  }
  if (!['127.0.0.1', '::1', 'localhost'].includes(bind) && !password) {
    const why = `given when bind is not the loopback (${bind} lets other machines connect)`;
    throw new ParameterError('password', why, undefined);
  }
  const bin = findRedisServer(options.redisServer);
  const host = ['0.0.0.0', '::', 'localhost'].includes(bind) ? '127.0.0.1' : bind;
  // A port can be taken between our picking it and Redis binding it: try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(bin, bind, host, password);
    } catch (error) {
      if (attempt === 3 || !/Address already in use/i.test(messageOf(error))) throw error;
    }
  }
}

/** The user's Redis (`redisUrl`, else $REDIS_URL) if there is one, else a redis-server of our own. */
export async function openBroker(options: OpenBrokerOptions = {}): Promise<Broker> {
  if (options.redisUrl !== undefined) return connectBroker(options.redisUrl, 'redisUrl');
  const fromEnv = process.env[REDIS_URL_ENV];
  return fromEnv ? connectBroker(fromEnv, REDIS_URL_ENV) : startBroker(options);
}
