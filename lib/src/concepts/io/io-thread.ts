/**
 * The blocking client's helper thread (blocking.ts): for each caller sent as `{ port, flag }`,
 * does each GET on its event loop, posts the answer and wakes the caller. All callers share one
 * undici Agent, so connections are kept alive across them.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { Dispatcher } from 'undici';
import { createDispatcher, get } from './http';

let dispatcher: Dispatcher | undefined;

parentPort?.on('message', ({ port, flag }: { port: MessagePort; flag: Int32Array }) => {
  const d = (dispatcher ??= createDispatcher());
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
});
