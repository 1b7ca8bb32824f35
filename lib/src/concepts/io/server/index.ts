/**
 * The embedded loopback HTTP server, the default target of every I/O experiment: in its own
 * process by default, so the client's event loop is not also the server's; closed by an interrupt too.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { now } from '../../../core/clock';
import { track } from '../../../core/teardown';
import { listen, LOOPBACK, resolveServerOptions, type ResolvedServerOptions, type ServerOptions } from './http';
import type { ServerRecord } from './log';

type Question = 'records' | 'inflight' | 'reseed';

/** The server in whichever process serves it: its port and pid, asking it, stopping it, and its process's end. */
interface Served {
  port: number;
  pid: number;
  ask: (question: Question, since?: number) => Promise<any>;
  stop: (force: boolean) => Promise<void>;
  exited?: Promise<unknown>;
}

/** A running embedded server: its address, process, start-up time and options, what it saw, and `close`. */
export type IoServer = Awaited<ReturnType<typeof startServer>>;

const CHILD_SCRIPT = path.join(__dirname, 'child.js');
const START_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 2000;

async function startChild(options: ResolvedServerOptions): Promise<Served> {
  const child = fork(CHILD_SCRIPT, [JSON.stringify(options)], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  child.on('error', () => {}); // a send to a dead child: reported by the next call instead
  const started = once(child, 'message', { signal: AbortSignal.timeout(START_TIMEOUT_MS) });
  const died = exited.then((code) => {
    throw new Error(`the server exited with code ${code} before listening: ${stderr.trim() || 'no message'}`);
  });
  const port = await Promise.race([started.then(([m]) => (m as { port: number }).port), died]).catch(
    (error: unknown) => {
      child.kill('SIGKILL');
      if ((error as Error).name !== 'AbortError') throw error;
      throw new Error(`the server did not start within ${START_TIMEOUT_MS} ms`);
    },
  );
  // The child answers each question at once, in order: the first caller waiting gets the next answer.
  const waiting: ((value: unknown) => void)[] = [];
  child.on('message', (m: { value: unknown }) => waiting.shift()?.(m.value));
  void exited.then(() => waiting.splice(0).forEach((done) => done(undefined)));
  const ask = (question: Question, since?: number) =>
    new Promise((resolve, reject) => {
      waiting.push((value) => (value === undefined ? reject(new Error('the server exited')) : resolve(value)));
      child.send({ type: question, since });
    });
  const stop = async (force: boolean) => {
    if (force || !child.connected) child.kill('SIGKILL');
    else {
      child.send({ type: 'close' });
      setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS).unref();
    }
    await exited;
  };
  return { port, pid: child.pid ?? -1, ask, stop, exited };
}

async function startLocal(options: ResolvedServerOptions): Promise<Served> {
  const local = await listen(options);
  const ask = async (question: Question, since?: number) =>
    question === 'records' ? local.records(since) : local[question]();
  return { port: local.port, pid: process.pid, ask, stop: () => local.close() };
}

/**
 * Starts the embedded server on 127.0.0.1 and an ephemeral port, in its own process unless `inProcess`.
 * Options are checked before anything starts. Tracked by teardown until closed: close it when done, in a
 * `finally`. `records(since)`: every request it saw (since then); `close(force)` kills its process at once.
 */
export async function startServer(options: ServerOptions & { inProcess?: boolean } = {}) {
  const { inProcess = false, ...rest } = options ?? {};
  const resolved = resolveServerOptions(rest);
  const startedAt = now();
  const { port, pid, ask, stop, exited } = await (inProcess ? startLocal : startChild)(resolved);
  let closing: Promise<void> | undefined;
  const asking = (question: Question, since?: number) =>
    server.closed ? Promise.reject(new Error('the server is closed')) : ask(question, since);
  const server = {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    pid,
    startupMs: now() - startedAt,
    options: resolved,
    closed: false,
    records: (since?: number): Promise<ServerRecord[]> => asking('records', since),
    inflight: (): Promise<number> => asking('inflight'),
    reseed: (): Promise<boolean> => asking('reseed'),
    close: (force = false) =>
      (closing ??= stop(force).finally(() => {
        server.closed = true;
        release();
      })),
  };
  const release = track(server);
  void exited?.then(() => server.close());
  return server;
}
