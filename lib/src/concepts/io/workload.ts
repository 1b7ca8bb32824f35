/**
 * The I/O workloads, one HTTP GET per task: `io` awaits undici (many in flight on one thread);
 * `ioBlocking` stops the calling thread until the answer is in, as Python's `requests` does.
 */
import type { Dispatcher } from 'undici';
import { describeValue } from '../../core/errors';
import * as check from '../../core/validate';
import { defineWorkload } from '../../core/workload';
import { blockingGet, closeBlockingClient, poolIoThread } from './blocking';
import type { IoResult } from './http';

/** One request: an http(s) URL, the timeout from the call in ms (default 30000), undici's connection limit (0 = none). */
export interface IoInput {
  url: string;
  timeoutMs?: number;
  connections?: number;
}

export const IO_TIMEOUT_MS = 30_000;

/** A task input as a checked request (the GET itself checks the URL). */
function requestOf(input: IoInput | string): Required<IoInput> {
  const given = typeof input === 'string' ? { url: input } : input;
  if (given === null || typeof given !== 'object')
    throw new Error(`an io input must be a URL or { url } (got ${describeValue(input)})`);
  const { url, timeoutMs = IO_TIMEOUT_MS, connections = 0 } = given;
  check.positive('timeoutMs', timeoutMs);
  return { url, timeoutMs, connections: check.integer('connections', connections, 0) };
}

function answered(url: string, result: IoResult): IoResult {
  if (result.status >= 400) throw new Error(`GET ${url} answered HTTP ${result.status}`);
  return result;
}

/** This thread's agents by connection limit, kept for keep-alive. */
const agents = new Map<number, Dispatcher>();
let http: typeof import('./http') | undefined;

/** An HTTP GET with undici, awaited: the event loop is free while it waits. */
export async function io(input: IoInput | string): Promise<IoResult> {
  const { url, timeoutMs, connections } = requestOf(input);
  http ??= require('./http') as typeof import('./http'); // on first use: workers that do no I/O never load undici
  let agent = agents.get(connections);
  if (!agent) agents.set(connections, (agent = http.createDispatcher(undefined, connections || null)));
  return answered(url, await http.get(agent, url, timeoutMs));
}

/** A blocking HTTP GET: the calling thread is stopped until the answer (or the timeout). */
export function ioBlocking(input: IoInput | string): IoResult {
  const { url, timeoutMs } = requestOf(input);
  return answered(url, blockingGet(url, timeoutMs));
}

/** Closes this thread's undici agents and blocking client helper; the next request opens new ones. */
export async function closeClients(): Promise<void> {
  const list = [...agents.values()];
  agents.clear();
  await Promise.allSettled([...list.map((a) => a.destroy()), closeBlockingClient()]);
}

defineWorkload({ name: 'io', fn: io, module: __filename, export: 'io' });

defineWorkload({
  name: 'ioBlocking',
  fn: ioBlocking,
  module: __filename,
  export: 'ioBlocking',
  // A thread pool's threads share one I/O thread (blocking.ts); anything else gets a helper of its own.
  pool: (mode) => (mode === 'threads' ? poolIoThread() : undefined),
});
