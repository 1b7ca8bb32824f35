/**
 * A blocking HTTP client, the role of Python's `requests`: each GET runs on a helper thread
 * (io-thread.ts) while the caller sleeps in `Atomics.wait`, freezing its event loop, which is the
 * point. A thread pool's threads share one I/O thread; any other caller gets its own, closed when idle.
 */
import path from 'node:path';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { track } from '../../core/teardown';
import type { PoolSetup } from '../../core/workload';
import type { IoResult } from './http';

/** A caller's end of a helper: its port, its wake-up flag, and the worker unless the pool owns it. */
interface Helper {
  port: MessagePort;
  flag: Int32Array;
  worker?: Worker;
  idle?: NodeJS.Timeout;
  release?: () => void;
}

const HELPER_SCRIPT = path.join(__dirname, 'io-thread.js');
const IDLE_MS = 1000;
/** Extra wait beyond the request's timeout before the caller gives up on a helper that went silent. */
const GRACE_MS = 2000;

/**
 * A process of a process pool keeps its helper as long as it lives (unref'd, it holds nothing open): closed
 * when idle, each of the pool's timed runs would begin by booting it again, cold, in every process.
 */
const IN_POOL_PROCESS = isMainThread && path.basename(require.main?.filename ?? '') === 'pool-worker.js';

let helper: Helper | undefined;
let nextId = 0;
let held = 0;

/** Keeps this thread's helper between calls until released: a measurement's rows take turns for longer than IDLE_MS. */
export function holdBlockingClient(): () => void {
  held++;
  return () => void held--;
}

function startWorker(): Worker {
  const worker = new Worker(HELPER_SCRIPT);
  worker.unref(); // the callers keep the process alive while they wait, not this
  worker.on('error', () => {}); // seen by the callers as missing answers
  return worker;
}

/** A new caller of a helper thread: the helper gets one end of a channel and the flag, the caller the other. */
function connect(worker: Worker): Helper {
  const { port1, port2 } = new MessageChannel();
  const flag = new Int32Array(new SharedArrayBuffer(4));
  worker.postMessage({ port: port2, flag }, [port2]);
  return { port: port1, flag };
}

/** A thread pool's one I/O thread: started with its first thread, each thread linked to it, stopped with the pool. */
export function poolIoThread(): PoolSetup {
  let worker: Worker | undefined;
  return {
    onCreateWorker: (o) => {
      const { port, flag } = connect((worker ??= startWorker()));
      const link = { workerData: { blockingIo: { port, flag } }, transferList: [port] };
      return { ...o, workerThreadOpts: { ...o.workerThreadOpts, ...link } };
    },
    close: async () => void (await worker?.terminate()),
  };
}

/** This thread's link to its pool's I/O thread, when it is a thread of a pool that has one. */
function poolLink(): Helper | undefined {
  const link = isMainThread ? undefined : (workerData as { blockingIo?: Helper } | null)?.blockingIo;
  link?.port.unref();
  return link;
}

function startHelper(): Helper {
  const worker = startWorker();
  const h: Helper = { ...connect(worker), worker };
  h.port.unref();
  worker.once('exit', () => {
    if (helper === h) helper = undefined;
    h.release?.();
  });
  // On the main thread an interrupt (teardown's closeAll) also stops the helper.
  if (isMainThread) h.release = track({ close: () => stopHelper(h) });
  return h;
}

async function stopHelper(h: Helper): Promise<void> {
  if (!h.worker) return; // a pool's I/O thread lives as long as its pool
  if (helper === h) helper = undefined;
  clearTimeout(h.idle);
  h.port.close();
  await h.worker.terminate();
}

/** Stops this thread's helper now (it restarts on the next request). */
export const closeBlockingClient = async (): Promise<void> => helper && stopHelper(helper);

/** GETs `url`, blocking the calling thread until the whole answer is in; throws on a network error or after `timeoutMs`. */
export function blockingGet(url: string, timeoutMs: number): IoResult {
  const h = (helper ??= poolLink() ?? startHelper());
  clearTimeout(h.idle);
  const id = nextId++;
  h.port.postMessage({ id, url, timeoutMs });
  const deadline = performance.now() + timeoutMs + GRACE_MS;
  try {
    for (;;) {
      const seen = Atomics.load(h.flag, 0);
      const received = receiveMessageOnPort(h.port);
      if (received) {
        const answer = received.message as IoResult & { id: number; error?: string };
        if (answer.id !== id) continue; // a late answer to an earlier, abandoned request
        if (answer.error !== undefined) throw new Error(answer.error);
        return { status: answer.status, bytes: answer.bytes };
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        void stopHelper(h);
        throw new Error(`GET ${url} timed out after ${timeoutMs} ms (the helper thread did not answer)`);
      }
      Atomics.wait(h.flag, 0, seen, left);
    }
  } finally {
    if (helper === h && h.worker && !IN_POOL_PROCESS && !held)
      h.idle = setTimeout(() => void stopHelper(h), IDLE_MS).unref();
  }
}
