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

type Ask = (question: 'records' | 'inflight', since?: number) => Promise<any>;

/** A running embedded server: its address, process, start-up time and options, what it saw, and `close`. */
export type IoServer = ReturnType<typeof handle>;

const CHILD_SCRIPT = path.join(__dirname, 'child.js');
const START_TIMEOUT_MS = 10_000;
const CLOSE_GRACE_MS = 2000;

/**
 * The server as its caller holds it, whichever process serves it, tracked by teardown until
 * closed. `records(since)`: every request it saw (since then); `close(force)` kills its process at once.
 */
function handle(
  port: number,
  pid: number,
  startedAt: number,
  options: ResolvedServerOptions,
  ask: Ask,
  stop: (force: boolean) => Promise<void>,
) {
  let closing: Promise<void> | undefined;
  const asking = (question: 'records' | 'inflight', since?: number) =>
    server.closed ? Promise.reject(new Error('the server is closed')) : ask(question, since);
  const server = {
    url: `http://${LOOPBACK}:${port}/`,
    port,
    pid,
    startupMs: now() - startedAt,
    options,
    closed: false,
    records: (since?: number): Promise<ServerRecord[]> => asking('records', since),
    inflight: (): Promise<number> => asking('inflight'),
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
