/**
 * The embedded loopback HTTP server, the default target of every I/O experiment: in its own
 * child process by default, so the client's event loop is not also the server's. It is
 * registered with teardown while it runs, so an interrupt closes it too.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { now } from '../../../core/clock';
import { track } from '../../../core/teardown';
import { listen, LOOPBACK, resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './http';
import type { ServerRecord } from './log';

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
  /** Every request the server saw so far (or since a time), on the shared clock. */
  records(since?: number): Promise<ServerRecord[]>;
  /** Requests open on the server right now. */
  inflight(): Promise<number>;
  readonly closed: boolean;
  /** Stops the server; `force` kills its process at once. Safe to call twice. */
  close(force?: boolean): Promise<void>;
}

type Ask = (question: 'records' | 'inflight', since?: number) => Promise<any>;

const CHILD_SCRIPT = path.join(__dirname, 'child.js');
const START_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 2000;

/** The server as its caller holds it, whichever process serves it; tracked by teardown until closed. */
function handle(
  port: number,
  pid: number,
  startedAt: number,
  options: ResolvedServerOptions,
  ask: Ask,
  stop: (force: boolean) => Promise<void>,
) {
  let closing: Promise<void> | undefined;
  const server = {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    pid,
    startupMs: now() - startedAt,
    options,
    closed: false,
    records: (since?: number) =>
      server.closed ? Promise.reject(new Error('the server is closed')) : ask('records', since),
    inflight: () => (server.closed ? Promise.reject(new Error('the server is closed')) : ask('inflight')),
    close: (force = false) =>
      (closing ??= stop(force).finally(() => {
        server.closed = true;
        release();
      })),
  };
  const release = track(server);
  return server;
}

async function startChild(options: ResolvedServerOptions, startedAt: number): Promise<IoServer> {
  const child = fork(CHILD_SCRIPT, [JSON.stringify(options)], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`the server did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.on('error', fail); // later, a send to a dead child: reported by the next call instead
    child.once('message', (m: { port: number }) => {
      clearTimeout(timer);
      resolve(m.port);
    });
    void exited.then((code) =>
      fail(new Error(`the server exited with code ${code} before listening: ${stderr.trim() || 'no message'}`)),
    );
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  // The child answers each question at once, in order: the first caller waiting gets the next answer.
  const waiting: ((value: unknown) => void)[] = [];
  child.on('message', (m: { value: unknown }) => waiting.shift()?.(m.value));
  const ask: Ask = (question, since) =>
    new Promise((resolve, reject) => {
      waiting.push((value) => (value === undefined ? reject(new Error('the server exited')) : resolve(value)));
      child.send({ type: question, since });
    });
  const server = handle(port, child.pid ?? -1, startedAt, options, ask, async (force) => {
    if (force || !child.connected) child.kill('SIGKILL');
    else {
      child.send({ type: 'close' });
      setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS).unref();
    }
    await exited;
  });
  void exited.then(() => {
    waiting.splice(0).forEach((done) => done(undefined));
    void server.close();
  });
  return server;
}

async function startLocal(options: ResolvedServerOptions, startedAt: number): Promise<IoServer> {
  const local = await listen(options);
  const ask: Ask = async (question, since) => (question === 'records' ? local.records(since) : local.inflight());
  return handle(local.port, process.pid, startedAt, options, ask, () => local.close());
}

/**
 * Starts the embedded server on 127.0.0.1 and an ephemeral port, in its own process unless
 * `inProcess`. Options are checked before anything starts. Close it when done, in a `finally`.
 */
export async function startServer(options: ServerOptions & { inProcess?: boolean } = {}): Promise<IoServer> {
  const { inProcess = false, ...rest } = options ?? {};
  return (inProcess ? startLocal : startChild)(resolveServerOptions(rest), now());
}
