/**
 * A blocking HTTP client from Node's own pieces, the role of Python's `requests`.
 *
 * Node has no blocking socket API, so the request itself runs on a small helper thread
 * (io-helper.ts: undici's `request` through a keep-alive Agent that follows redirects and
 * decodes compressed bodies, as requests does) while the calling thread sleeps in
 * `Atomics.wait` on a SharedArrayBuffer until the helper posts the answer and wakes it; the
 * answer is then read synchronously with `receiveMessageOnPort`. To the caller this is
 * exactly a blocking call: its thread runs nothing else (no timers, no promises, no other
 * requests) until the answer.
 *
 * Which helper: the threads of a thread pool running the blocking client share one I/O
 * thread, which the pool starts (`PoolIoThread`; as in Python, where a pool's threads share
 * one interpreter). Any other caller (the main thread, a pool process, a thread of your
 * own) gets a helper of its own, started on first use and closed after a second idle.
 * Starting one is mostly loading undici (~160 ms of CPU on the 2-core VM under load,
 * against ~15 ms for the small hand-written client it replaced): the first GET on a new
 * helper took 180-390 ms there, against 55-120 ms before, measured side by side. Ten pool
 * threads with ten helpers were twenty threads on two cores, each with its own cold copy
 * of the HTTP code, all waking together at the end of every round of requests; with one
 * shared I/O thread, 10 threads x 10 requests at 100 ms took about 10 ms less (1035
 * against 1045 ms, measured on raw threads on the 2-core machine).
 *
 * Limits: one request at a time per calling thread, and the answer is copied once between
 * threads; HTTP/1.1 only. On the main thread it freezes the event loop, which is the point.
 */
import path from 'node:path';
import {
  isMainThread,
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  workerData,
  type MessagePort,
  type WorkerOptions,
} from 'node:worker_threads';
import { track } from '../../core/teardown';

interface Helper {
  /** Undefined for the I/O thread of a pool, which the pool owns and stops. */
  worker?: Worker;
  port: MessagePort;
  flag: Int32Array;
  idle?: NodeJS.Timeout;
  release?: () => void;
}

const HELPER_SCRIPT = path.join(__dirname, 'io-thread.js');
/** The helper is closed after this long without a request. */
export const BLOCKING_IDLE_MS = 1000;
/** Extra wait beyond the request's timeout before the caller gives up on a helper that went silent. */
const GRACE_MS = 2000;

let helper: Helper | undefined;
let nextId = 0;

/** What a pool thread is given to reach its pool's I/O thread (workerData.blockingIo). */
interface PoolLink {
  port: MessagePort;
  flag: Int32Array;
}

/** This thread's link to its pool's I/O thread, when it is a thread of a pool that has one. */
function poolLink(): Helper | undefined {
  if (isMainThread) return undefined;
  const link = (workerData as { blockingIo?: PoolLink } | null)?.blockingIo;
  if (!link) return undefined;
  link.port.unref();
  return { port: link.port, flag: link.flag };
}

/**
 * The one I/O thread of a thread pool (see the top of this file): the pool asks for a link
 * for each thread it creates, and stops the I/O thread with the pool.
 */
export class PoolIoThread {
  private worker: Worker | undefined;

  /** Options for a new pool thread: its end of a channel to the I/O thread (started on first call). */
  link(): Pick<WorkerOptions, 'workerData' | 'transferList'> {
    if (!this.worker) {
      this.worker = new Worker(HELPER_SCRIPT);
      this.worker.unref(); // the pool's threads keep the process alive while they run, not this
      this.worker.on('error', () => {}); // seen by the callers as missing answers
    }
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(4));
    this.worker.postMessage({ port: port1, flag }, [port1]);
    return { workerData: { blockingIo: { port: port2, flag } satisfies PoolLink }, transferList: [port2] };
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

function startHelper(): Helper {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(HELPER_SCRIPT, { workerData: { port: port2, flag }, transferList: [port2] });
  worker.unref();
  port1.unref();
  worker.on('error', () => {}); // seen by the caller as a missing answer
  const h: Helper = { worker, port: port1, flag };
  worker.once('exit', () => {
    if (helper === h) helper = undefined;
    h.release?.();
  });
  // On the main thread an interrupt (teardown.closeAll) also stops the helper.
  if (isMainThread) h.release = track({ close: () => stopHelper(h) });
  return h;
}

async function stopHelper(h: Helper): Promise<void> {
  if (!h.worker) return; // a pool's I/O thread lives as long as its pool
  if (helper === h) helper = undefined;
  if (h.idle) clearTimeout(h.idle);
  h.port.close();
  await h.worker.terminate();
}

/** Stops this thread's helper now (it restarts on the next request). */
export async function closeBlockingClient(): Promise<void> {
  if (helper) await stopHelper(helper);
}

/**
 * GETs `url` and blocks the calling thread until the whole answer is in; returns its status
 * and body size. Throws on a network error or after `timeoutMs`.
 */
export function blockingGet(url: string, timeoutMs: number): { status: number; bytes: number } {
  const h = (helper ??= poolLink() ?? startHelper());
  if (h.idle) clearTimeout(h.idle);
  const id = nextId++;
  h.port.postMessage({ id, url, timeoutMs });
  const deadline = performance.now() + timeoutMs + GRACE_MS;
  try {
    for (;;) {
      const seen = Atomics.load(h.flag, 0);
      const received = receiveMessageOnPort(h.port);
      if (received) {
        const answer = received.message;
        if (answer.id !== id) continue; // a late answer to an earlier, abandoned request
        if (answer.error !== undefined) throw new Error(answer.error);
        return { status: answer.status!, bytes: answer.bytes! };
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        void stopHelper(h);
        throw new Error(`GET ${url} timed out after ${timeoutMs} ms (the helper thread did not answer)`);
      }
      Atomics.wait(h.flag, 0, seen, left);
    }
  } finally {
    if (helper === h && h.worker) {
      h.idle = setTimeout(() => void stopHelper(h), BLOCKING_IDLE_MS);
      h.idle.unref();
    }
  }
}
