/**
 * The helper thread of the blocking client (blocking.ts): does each GET (http.ts) on its own
 * event loop, posts the answer, and wakes the blocked caller.
 *
 * It serves one caller given in workerData (a thread's own helper), and any number more
 * sent to it later as `{ port, flag }` (the one I/O thread of a thread pool). Each caller
 * has at most one request in flight; all of them share one undici Agent, so connections
 * are kept alive and reused per origin across callers.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { Dispatcher } from 'undici';
import { createDispatcher, get } from './http';

/** A blocked caller: where its requests come from and its answers go, and its wake-up flag. */
interface Caller {
  port: MessagePort;
  flag: Int32Array;
}

let dispatcher: Dispatcher | undefined;

function serve({ port, flag }: Caller): void {
  dispatcher ??= createDispatcher();
  const d = dispatcher;
  const answer = (message: object) => {
    port.postMessage(message);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on('message', ({ id, url, timeoutMs }: { id: number; url: string; timeoutMs: number }) => {
    get(d, url, timeoutMs).then(
      (result) => answer({ id, ...result }),
      (error: unknown) => answer({ id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

const first = workerData as Partial<Caller> | null;
if (first?.port && first.flag) serve(first as Caller);
parentPort?.on('message', (caller: Caller) => serve(caller));
