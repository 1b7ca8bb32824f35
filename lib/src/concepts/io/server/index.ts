/**
 * The embedded loopback HTTP server, the default target of every I/O experiment. It runs in
 * its own child process by default, so the client's event loop is not also the server's;
 * it is registered with teardown while it runs, so an interrupt closes it too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { now } from '../../../core/clock';
import { track } from '../../../core/teardown';
import { listen, LOOPBACK, resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './http';
import type { ServerRecord } from './log';

export {
  LOOPBACK,
  SERVER_DEFAULTS,
  resolveServerOptions,
  seededRandom,
  type ResolvedServerOptions,
  type ServerOptions,
} from './http';
export {
  inflightSeries,
  meanInflight,
  peakInflight,
  type InflightPoint,
  type ServerOutcome,
  type ServerRecord,
} from './log';

/** Options of `startServer`: how the server behaves, and where it runs. */
export interface StartServerOptions extends ServerOptions {
  /** Run the server on this process's event loop instead of its own process (default false). */
  inProcess?: boolean;
}

/** A running embedded server. */
export interface IoServer {
  /** Its address, e.g. http://127.0.0.1:41234/ */
  readonly url: string;
  readonly port: number;
  /** The process serving (this one when started inProcess). */
  readonly pid: number;
  /** Milliseconds from the call until the server was listening. */
  readonly startupMs: number;
  readonly options: ResolvedServerOptions;
  /** Every request the server saw so far (or since a time, on the shared clock), on the shared clock. */
  records(since?: number): Promise<ServerRecord[]>;
  /** Requests open on the server right now. */
  inflight(): Promise<number>;
  /** True once closed. */
  readonly closed: boolean;
  /** Stops the server; `force` kills its process at once. Safe to call twice. */
  close(force?: boolean): Promise<void>;
}

const CHILD_SCRIPT = path.join(__dirname, 'child.js');
const START_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 2000;

class ChildServer implements IoServer {
  closed = false;
  private nextId = 0;
  private readonly waiting = new Map<number, (value: any) => void>();
  private readonly exited: Promise<void>;
  private readonly release: () => void;

  constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    readonly options: ResolvedServerOptions,
    readonly startupMs: number,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    child.on('message', (m: { type: string; id?: number }) => {
      const done = m.id === undefined ? undefined : this.waiting.get(m.id);
      if (done) {
        this.waiting.delete(m.id!);
        done(m);
      }
    });
    child.once('exit', () => {
      this.closed = true;
      this.release();
      for (const done of this.waiting.values()) done(undefined);
      this.waiting.clear();
    });
    this.release = track(this);
  }

  get url(): string {
    return `http://${LOOPBACK}:${this.port}/`;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  private ask(type: 'records' | 'inflight', since?: number): Promise<any> {
    if (this.closed) return Promise.reject(new Error('the server is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => (m ? resolve(m) : reject(new Error('the server exited'))));
      this.child.send({ type, id, since });
    });
  }

  async records(since?: number): Promise<ServerRecord[]> {
    return (await this.ask('records', since)).records;
  }

  async inflight(): Promise<number> {
    return (await this.ask('inflight')).inflight;
  }

  async close(force = false): Promise<void> {
    if (!this.closed) {
      if (force || !this.child.connected) this.child.kill('SIGKILL');
      else {
        this.child.send({ type: 'close' });
        const timer = setTimeout(() => this.child.kill('SIGKILL'), CLOSE_GRACE_MS);
        await this.exited;
        clearTimeout(timer);
      }
    }
    await this.exited;
  }
}

async function startChild(options: ResolvedServerOptions, startedAt: number): Promise<IoServer> {
  const child = fork(CHILD_SCRIPT, [JSON.stringify(options)], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms`)),
        START_TIMEOUT_MS,
      );
      child.once('message', (m: { type: string; port: number }) => {
        clearTimeout(timer);
        if (m.type === 'listening') resolve(m.port);
        else reject(new Error(`the server sent ${JSON.stringify(m.type)} before it was listening`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited with code ${code} before listening: ${stderr.trim() || 'no message'}`));
      });
    });
    child.removeAllListeners('exit');
    child.removeAllListeners('error');
    child.on('error', () => {}); // a send to a dead child: reported by the next call instead
    return new ChildServer(child, port, options, now() - startedAt);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

async function startLocal(options: ResolvedServerOptions, startedAt: number): Promise<IoServer> {
  const server = await listen(options);
  let closing: Promise<void> | undefined;
  const handle: IoServer = {
    url: `http://${LOOPBACK}:${server.port}/`,
    port: server.port,
    pid: process.pid,
    startupMs: now() - startedAt,
    options,
    closed: false,
    records: async (since?: number) => server.records(since),
    inflight: async () => server.inflight(),
    close: () => {
      closing ??= server.close().finally(() => {
        (handle as { closed: boolean }).closed = true;
        release();
      });
      return closing;
    },
  };
  const release = track(handle);
  return handle;
}

/**
 * Starts the embedded server on 127.0.0.1 and an ephemeral port, in its own process unless
 * `inProcess`. Options are checked before anything starts. Close it when done, in a
 * `finally`, or use `withServer`.
 */
export async function startServer(options: StartServerOptions = {}): Promise<IoServer> {
  const { inProcess = false, ...rest } = options ?? {};
  const resolved = resolveServerOptions(rest);
  const startedAt = now();
  return inProcess ? startLocal(resolved, startedAt) : startChild(resolved, startedAt);
}

/** Starts a server, runs `fn` with it, and always closes it, also when `fn` throws. */
export async function withServer<T>(options: StartServerOptions, fn: (server: IoServer) => Promise<T>): Promise<T> {
  const server = await startServer(options);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
