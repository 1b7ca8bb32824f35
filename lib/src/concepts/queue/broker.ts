/**
 * The broker: a redis-server of our own, or a Redis the user points us at.
 *
 * Ours listens on 127.0.0.1 (unless asked otherwise, and then only with a password), on a
 * free port, with persistence off and a temporary directory; it is registered with teardown
 * while it runs and started through a small guard process, so it stops when the run ends, on
 * error, on interrupt, and when the process that started it dies (a kernel restart).
 * `REDIS_URL` (or `redisUrl`) points at an existing Redis instead: it is checked up front
 * (reachable, the password, the version BullMQ needs) and never stopped by us.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { now } from '../../core/clock';
import { describeNetworkError, messageOf, ParameterError } from '../../core/errors';
import { track } from '../../core/teardown';

/** BullMQ's own floor (RedisConnection.minimumVersion in bullmq 6.7); Debian 12 ships 7.0.15. */
export const MIN_REDIS_VERSION = '5.0.0';

/** The environment variable that points every run at an existing Redis. */
export const REDIS_URL_ENV = 'REDIS_URL';

/** The environment variable naming the redis-server binary to start (default: the one on PATH). */
export const REDIS_SERVER_ENV = 'CLAB_REDIS_SERVER';

/** One line on how to get redis-server, for when it is missing. */
export const REDIS_INSTALL_HINT =
  'redis-server was not found: on Debian/Ubuntu `sudo apt-get install -y redis-server`, with conda ' +
  '`conda install -c conda-forge redis-server`, or set REDIS_URL to a Redis you run yourself';

const START_TIMEOUT_MS = 10_000;
const CHECK_TIMEOUT_MS = 3000;
const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];
const DISCONNECT_TIMEOUT_MS = 100;

/** Connection options for BullMQ and ioredis (every BullMQ connection needs maxRetriesPerRequest null). */
export interface ConnectionOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  maxRetriesPerRequest: null;
  /** How long ioredis waits for a closing socket before destroying it (its default, 2 s, outlives a run). */
  disconnectTimeout: number;
}

/** A broker a run can use. */
export interface Broker {
  /** Its address, e.g. redis://127.0.0.1:41234 (with the password, if any: treat it as a secret). */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** True when we started this redis-server (and will stop it). */
  readonly ours: boolean;
  /** Our redis-server's process id (undefined for a Redis we were pointed at). */
  readonly pid?: number;
  /** Redis's version, as INFO reports it. */
  readonly version: string;
  /** Our redis-server's working directory (a temporary one, removed when it stops). */
  readonly dir?: string;
  /** Milliseconds from the call until it answered. */
  readonly startupMs: number;
  /** Options for `new Queue(name, { connection })`, `new Worker(...)` and ioredis. */
  readonly connection: ConnectionOptions;
  /** One line: what it is and where, without the password. */
  describe(): string;
  /** Calls `listener(reason)` if our redis-server ends before `close` (never for an outside Redis). */
  onExit(listener: (reason: string) => void): () => void;
  /** True once closed. */
  readonly closed: boolean;
  /** Stops our redis-server and removes its directory (nothing for an outside Redis). Safe to call twice. */
  close(force?: boolean): Promise<void>;
}

/** Options of `startBroker`. */
export interface StartBrokerOptions {
  /**
   * The address to listen on (default 127.0.0.1). Anything but the loopback lets other
   * machines connect, so it needs a `password`.
   */
  bind?: string;
  /** A password clients must give (Redis's requirepass). */
  password?: string;
  /** The redis-server binary (default: $CLAB_REDIS_SERVER, else redis-server on PATH). */
  redisServer?: string;
}

/** Options of `openBroker`: the user's Redis if named, else one of our own. */
export interface OpenBrokerOptions extends StartBrokerOptions {
  /** An existing Redis to use (default: $REDIS_URL); our own redis-server when neither is set. */
  redisUrl?: string;
}

/** Connection options for a redis:// URL (the URL itself is checked by `parseRedisUrl`). */
export function connectionOf(url: string): ConnectionOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : undefined;
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(db !== undefined ? { db } : {}),
    maxRetriesPerRequest: null,
    disconnectTimeout: DISCONNECT_TIMEOUT_MS,
  };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/** Checks a Redis URL up front: redis://[user:password@]host[:port][/db]. */
export function parseRedisUrl(name: string, value: unknown): string {
  const allowed = 'a URL like redis://host:6379 or redis://:password@host:6379/0';
  if (typeof value !== 'string' || value.trim() === '') throw new ParameterError(name, allowed, value);
  let u: URL;
  try {
    u = new URL(value.trim());
  } catch {
    throw new ParameterError(name, allowed, value);
  }
  if (u.protocol !== 'redis:' || !u.hostname) throw new ParameterError(name, allowed, redactUrl(value));
  if (u.pathname.length > 1 && !/^\/\d{1,2}$/.test(u.pathname)) {
    throw new ParameterError(name, `${allowed} (the database is a number from 0 to 15)`, redactUrl(value));
  }
  return value.trim();
}

/** Where redis-server is looked for: PATH, then where Debian and most installs put it. */
export function searchPath(): string[] {
  return [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin'].filter(Boolean);
}

/** The redis-server to start: `given` ($CLAB_REDIS_SERVER), else the first in `dirs`; throws the install hint. */
export function findRedisServer(given = process.env[REDIS_SERVER_ENV], dirs = searchPath()): string {
  if (given) {
    try {
      fs.accessSync(given, fs.constants.X_OK);
      return given;
    } catch {
      throw new Error(`redis-server ${given} (from ${REDIS_SERVER_ENV}) is not an executable file`);
    }
  }
  for (const dir of dirs) {
    const file = path.join(dir, 'redis-server');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(REDIS_INSTALL_HINT);
}

/** "7.0.15" >= "5.0.0"? */
export function versionAtLeast(version: string, floor: string): boolean {
  const a = version.split('.').map(Number);
  const b = floor.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** A port nobody listens on right now (the system picks it). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** What a broker's answer says when it did not come from Redis: one line, or undefined when it looks like Redis's. */
function notRedis(text: string): string | undefined {
  // redis-parser's words: 'Unknown RESP type 72 "H". Please report this.', or 'Protocol error, got "H" ...'.
  const got = /(?:Unknown RESP type \d+|Protocol error, got) "(.*?)"/i.exec(text);
  if (!got && !/ParserError|Protocol error/i.test(text)) return undefined;
  const first = got?.[1] && /^[\x21-\x7e]$/.test(got[1]) ? `"${got[1]}..."` : 'something else';
  return `does not speak Redis's protocol (it answered ${first}): is it a Redis at all?`;
}

/**
 * Asks Redis for PING and its version, once, without retrying, every step bounded (the
 * connect, each command, and all of it together); throws a one-line error that names `what`:
 * unreachable, silent, not Redis, a password wanted or refused, too old.
 */
async function probe(connection: ConnectionOptions, what: string): Promise<string> {
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    commandTimeout: CHECK_TIMEOUT_MS,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let connectError: unknown;
  client.on('error', (error) => (connectError ??= error)); // the cause, for the message below
  let timer: NodeJS.Timeout | undefined;
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`gave no answer within ${(2 * CHECK_TIMEOUT_MS) / 1000} s`)),
      2 * CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([silent, ask(client, what)]);
  } catch (error) {
    const cause =
      connectError && /Connection is closed|Command timed out/i.test(messageOf(error)) ? connectError : error;
    const text = /Command timed out/i.test(messageOf(cause))
      ? `it gave no answer within ${CHECK_TIMEOUT_MS / 1000} s`
      : describeNetworkError(cause);
    if (/NOAUTH/i.test(text)) {
      throw new Error(`${what} needs a password, and none was given: put it in the URL, redis://:password@host:port`);
    }
    if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
      throw new Error(`${what} refused the password given (WRONGPASS)`);
    }
    if (/needs|runs Redis|at all\?/.test(text)) throw error;
    const other = notRedis(text);
    throw new Error(other ? `${what} ${other}` : `${what} cannot be reached: ${text}`);
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

async function ask(client: Redis, what: string): Promise<string> {
  await client.connect();
  await client.ping();
  const info = await client.info('server');
  const version = /redis_version:([\d.]+)/.exec(info)?.[1];
  if (version === undefined) throw new Error(`${what} answered INFO without a redis_version: is it a Redis at all?`);
  if (!versionAtLeast(version, MIN_REDIS_VERSION)) {
    throw new Error(`${what} runs Redis ${version}; BullMQ needs ${MIN_REDIS_VERSION} or later`);
  }
  return version;
}

/** A Redis we were pointed at: checked, never stopped by us. */
class OutsideBroker implements Broker {
  readonly ours = false;
  closed = false;
  readonly connection: ConnectionOptions;
  readonly host: string;
  readonly port: number;
  constructor(
    readonly url: string,
    readonly version: string,
    readonly startupMs: number,
  ) {
    this.connection = connectionOf(url);
    this.host = this.connection.host;
    this.port = this.connection.port;
  }
  describe(): string {
    return `Redis ${this.version} at ${redactUrl(this.url)} (not started by us: left running)`;
  }
  onExit(): () => void {
    return () => {};
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Our own redis-server, behind its guard process. */
class OwnBroker implements Broker {
  readonly ours = true;
  closed = false;
  pid?: number;
  version = '';
  startupMs = 0;
  readonly url: string;
  readonly connection: ConnectionOptions;
  private readonly exitListeners = new Set<(reason: string) => void>();
  private readonly exited: Promise<void>;
  private release: () => void = () => {};
  private output = '';
  /** Why redis-server ended, once it has. */
  ended?: string;

  constructor(
    private readonly guard: ChildProcess,
    readonly host: string,
    readonly port: number,
    readonly dir: string,
    password: string | undefined,
  ) {
    const auth = password ? `:${encodeURIComponent(password)}@` : '';
    this.url = `redis://${auth}${host.includes(':') ? `[${host}]` : host}:${port}`;
    this.connection = {
      host,
      port,
      ...(password ? { password } : {}),
      maxRetriesPerRequest: null,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
    };
    for (const stream of [guard.stdout, guard.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output = (this.output + chunk).slice(-4000);
      });
    }
    guard.on('message', (m: { type?: string; pid?: number; code?: number | null; signal?: string | null }) => {
      if (m.type === 'started') this.pid = m.pid;
      if (m.type === 'exit') this.noteEnd(m.signal ? `signal ${m.signal}` : `exit code ${m.code}`);
    });
    this.exited = new Promise((resolve) => {
      if (guard.exitCode !== null || guard.signalCode !== null) resolve();
      else guard.once('exit', () => resolve());
    });
    void this.exited.then(() => this.noteEnd('its guard process ended'));
  }

  private noteEnd(how: string): void {
    if (this.ended) return;
    this.ended = how;
    if (this.closed) return;
    const reason = `our redis-server (pid ${this.pid ?? '?'}, ${this.host}:${this.port}) exited (${how})`;
    for (const listener of [...this.exitListeners]) listener(reason);
  }

  /** The last line redis-server printed, for errors. */
  lastOutput(): string {
    const lines = this.output
      .split('\n')
      .map((l) => l.replace(/^\d+:[A-Z] .*? [*#.-] /, '').trim())
      .filter(Boolean);
    return lines[lines.length - 1] ?? 'no output';
  }

  /** Waits until redis-server answers PING (or ended, or START_TIMEOUT_MS passed). */
  async ready(startedAt: number): Promise<void> {
    const deadline = startedAt + START_TIMEOUT_MS;
    for (;;) {
      if (this.ended) {
        throw new Error(`redis-server could not start (${this.ended}): ${this.lastOutput()}`);
      }
      try {
        this.version = await probe(this.connection, 'our redis-server');
        this.startupMs = now() - startedAt;
        this.release = track(this);
        return;
      } catch (error) {
        if (/needs/.test(messageOf(error))) throw error;
        if (now() > deadline) {
          throw new Error(`redis-server did not answer within ${START_TIMEOUT_MS / 1000} s: ${this.lastOutput()}`);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  describe(): string {
    return (
      `our redis-server ${this.version}, pid ${this.pid ?? '?'}, on ${this.host}:${this.port}, ` +
      `persistence off, in ${this.dir}`
    );
  }

  onExit(listener: (reason: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  async close(force = false): Promise<void> {
    if (this.closed) return this.exited;
    this.closed = true;
    this.release();
    try {
      if (this.guard.connected) this.guard.send(force ? 'kill' : 'stop');
      else this.guard.kill('SIGTERM');
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      // The guard did not finish in time: end both ourselves.
      if (this.pid && !this.ended) {
        try {
          process.kill(this.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      this.guard.kill('SIGKILL');
    }, 3000);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
      fs.rmSync(this.dir, { recursive: true, force: true });
    }
  }
}

function checkBind(bind: unknown, password: unknown): string {
  if (typeof bind !== 'string' || !/^[\w.:-]+$/.test(bind)) {
    throw new ParameterError('bind', 'an address to listen on, e.g. 127.0.0.1', bind);
  }
  if (password !== undefined && (typeof password !== 'string' || !/^[\x21-\x7e]{8,128}$/.test(password))) {
    throw new ParameterError('password', '8 to 128 printable characters without spaces', '(hidden)');
  }
  if (!LOOPBACK.includes(bind) && !password) {
    throw new ParameterError(
      'password',
      `given when bind is not the loopback (${bind} lets other machines connect)`,
      undefined,
    );
  }
  return bind;
}

/**
 * Starts a redis-server of our own: 127.0.0.1, a free port, no persistence, a temporary
 * directory. Resolves once it answers; a missing or failing redis-server is a one-line error.
 */
export async function startBroker(options: StartBrokerOptions = {}): Promise<Broker> {
  const bind = checkBind(options.bind ?? '127.0.0.1', options.password);
  const bin = findRedisServer(options.redisServer);
  const host = bind === '0.0.0.0' || bind === '::' ? '127.0.0.1' : bind === 'localhost' ? '127.0.0.1' : bind;
  let lastError: unknown;
  // A port can be taken between our picking it and Redis binding it: try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort(host);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-redis-'));
    const args = [
      '--port',
      String(port),
      '--bind',
      bind,
      '--protected-mode',
      'yes',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--daemonize',
      'no',
      '--maxmemory-policy',
      'noeviction',
      '--loglevel',
      'warning',
    ];
    const startedAt = now();
    const guard = spawn(process.execPath, [path.join(__dirname, 'guard.js'), bin, ...args], {
      // A process group of its own: Jupyter's interrupt (SIGINT to the kernel's group) must
      // not stop Redis under a running cell; the guard ends it when we are gone.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, ...(options.password ? { CLAB_REDIS_REQUIREPASS: options.password } : {}) },
    });
    const broker = new OwnBroker(guard, host, port, dir, options.password);
    try {
      await broker.ready(startedAt);
      return broker;
    } catch (error) {
      lastError = error;
      await broker.close(true);
      if (!/Address already in use/i.test(messageOf(error))) break;
    }
  }
  throw new Error(messageOf(lastError));
}

/** Checks an existing Redis (reachable, password, version) and returns it as a broker we never stop. */
export async function connectBroker(url: string, name = 'redisUrl'): Promise<Broker> {
  const checked = parseRedisUrl(name, url);
  const startedAt = now();
  const version = await probe(connectionOf(checked), `the Redis at ${redactUrl(checked)} (${name})`);
  return new OutsideBroker(checked, version, now() - startedAt);
}

/** The user's Redis (`redisUrl`, else $REDIS_URL) if there is one, else a redis-server of our own. */
export async function openBroker(options: OpenBrokerOptions = {}): Promise<Broker> {
  if (options.redisUrl !== undefined) return connectBroker(options.redisUrl, 'redisUrl');
  const fromEnv = process.env[REDIS_URL_ENV];
  if (fromEnv) return connectBroker(fromEnv, REDIS_URL_ENV);
  return startBroker(options);
}
