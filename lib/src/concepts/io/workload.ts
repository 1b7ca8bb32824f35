/**
 * The I/O workloads: one HTTP GET per task, the same GET (http.ts: redirects followed and
 * bodies decoded as Python's `requests` does) waited on two ways.
 * - `io`: undici's own `request` through an Agent with a connection limit (not Node 20's
 *   bundled fetch); it waits without blocking, so many can be in flight on one thread.
 * - `ioBlocking`: a blocking GET, the role of Python's `requests`: the calling thread
 *   sleeps until the answer is in (see io-blocking.ts for how, and its limits).
 * Both take `{ url, timeoutMs, connections }` (or just a URL), return `{ status, bytes }`,
 * and throw one clear line on a timeout, an unreachable target or an HTTP error status.
 */
import type { Dispatcher } from 'undici';
import { describeValue } from '../../core/errors';
import { defineWorkload, type PoolSetup } from '../../core/workload';
import { blockingGet, PoolIoThread } from './blocking';

/** One request: where to, how long to wait at most, and the undici connection limit. */
export interface IoInput {
  /** An http(s) URL. */
  url: string;
  /** Give up after this many ms, counted from the call, time waiting for a free connection included (default 30000). */
  timeoutMs?: number;
  /** Most connections `io` opens to one origin, in this thread or process; 0 = no limit (default 0). */
  connections?: number;
}

/** What a request returns: the HTTP status and the body's size. */
export interface IoResult {
  status: number;
  bytes: number;
}

/** Default per-request timeout. */
export const IO_TIMEOUT_MS = 30_000;

/** Reads a task input into a checked request; throws one line naming what is wrong. */
export function ioRequest(input: IoInput | string): Required<IoInput> {
  const given = typeof input === 'string' ? { url: input } : input;
  if (given === null || typeof given !== 'object')
    throw new Error(`an io input must be a URL or { url } (got ${describeValue(input)})`);
  const { url, timeoutMs = IO_TIMEOUT_MS, connections = 0 } = given;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`url must be an http(s) URL (got ${JSON.stringify(url)})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new Error(`url must be an http(s) URL (got ${JSON.stringify(url)})`);
  }
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0))
    throw new Error(`timeoutMs must be a number > 0 (got ${timeoutMs})`);
  if (!Number.isInteger(connections) || connections < 0) {
    throw new Error(`connections must be an integer >= 0 (got ${connections})`);
  }
  return { url, timeoutMs, connections };
}

const agents = new Map<number, Dispatcher>();
let http: typeof import('./http') | undefined;

/** The client (undici), loaded on first use, so workers that never do I/O start without it. */
function client(): typeof import('./http') {
  return (http ??= require('./http') as typeof import('./http'));
}

/** The client for a connection limit, one per thread or process, kept for reuse (keep-alive). */
function agentFor(connections: number): Dispatcher {
  let agent = agents.get(connections);
  if (!agent) {
    agent = client().createDispatcher(undefined, connections || null);
    agents.set(connections, agent);
  }
  return agent;
}

/** An HTTP GET with undici, awaited: the event loop is free while it waits. */
export async function io(input: IoInput | string): Promise<IoResult> {
  const { url, timeoutMs, connections } = ioRequest(input);
  const result = await client().get(agentFor(connections), url, timeoutMs);
  if (result.status >= 400) throw new HttpStatusError(url, result.status);
  return result;
}

/** A blocking HTTP GET: the calling thread is stopped until the answer (or the timeout). */
export function ioBlocking(input: IoInput | string): IoResult {
  const { url, timeoutMs } = ioRequest(input);
  const result = blockingGet(url, timeoutMs);
  if (result.status >= 400) throw new HttpStatusError(url, result.status);
  return result;
}

/** Closes this thread's undici agents (their kept-alive connections); the next request opens new ones. */
export async function closeIoClients(): Promise<void> {
  const list = [...agents.values()];
  agents.clear();
  await Promise.allSettled(list.map((a) => a.destroy()));
}

/** An answer with an error status: the request reached the server, which said no. */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url} answered HTTP ${status}`);
  }
}

/** `workload: 'io'`: undici on the event loop of whichever thread runs it. */
export const ioWorkload = defineWorkload({ name: 'io', fn: io, module: __filename, export: 'io' });

/** A thread pool's threads share one I/O thread (blocking.ts); anything else gets a helper of its own. */
function sharedIoThread(mode: 'threads' | 'processes'): PoolSetup | undefined {
  if (mode !== 'threads') return undefined;
  const thread = new PoolIoThread();
  return {
    onCreateWorker: (o) => ({ ...o, workerThreadOpts: { ...o.workerThreadOpts, ...thread.link() } }),
    close: () => thread.close(),
  };
}

/** `workload: 'ioBlocking'`: the blocking client, the role of Python's `requests`. */
export const ioBlockingWorkload = defineWorkload({
  name: 'ioBlocking',
  fn: ioBlocking,
  module: __filename,
  export: 'ioBlocking',
  pool: sharedIoThread,
});
