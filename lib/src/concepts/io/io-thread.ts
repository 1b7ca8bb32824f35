/**
 * The helper thread of the blocking client (io-blocking.ts): does each GET on its own event
 * loop (http-get.ts, over node:net and node:tls), posts the answer, and wakes the blocked
 * caller.
 *
 * It serves one caller given in workerData (a thread's own helper), and any number more
 * sent to it later as `{ port, flag }` (the one I/O thread of a thread pool). Each caller
 * has at most one request in flight, so each needs at most one connection per origin.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { GetClient } from './http-get';

/** A blocked caller: where its requests come from and its answers go, and its wake-up flag. */
interface Caller {
  port: MessagePort;
  flag: Int32Array;
}

const client = new GetClient();

function serve({ port, flag }: Caller): void {
  port.on('message', ({ id, url, timeoutMs }: { id: number; url: string; timeoutMs: number }) => {
    client.get(url, timeoutMs, (error, result) => {
      port.postMessage(error ? { id, error: error.message } : { id, ...result });
      Atomics.add(flag, 0, 1);
      Atomics.notify(flag, 0);
    });
  });
}

const first = workerData as Partial<Caller> | null;
if (first?.port && first.flag) serve(first as Caller);
parentPort?.on('message', (caller: Caller) => serve(caller));
