/**
 * The helper thread of the blocking client (io-blocking.ts): does each GET with node:http
 * or node:https on its own event loop, posts the answer, and wakes the blocked caller.
 *
 * It serves one caller given in workerData (a thread's own helper), and any number more
 * sent to it later as `{ port, flag }` (the one I/O thread of a thread pool). Each caller
 * has at most one request in flight, so each needs at most one connection per origin.
 */
import http from 'node:http';
import https from 'node:https';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { describeNetworkError } from './errors';

/** A blocked caller: where its requests come from and its answers go, and its wake-up flag. */
interface Caller {
  port: MessagePort;
  flag: Int32Array;
}

const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

function serve({ port, flag }: Caller): void {
  const reply = (answer: { id: number; status?: number; bytes?: number; error?: string }) => {
    port.postMessage(answer);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on('message', ({ id, url, timeoutMs }: { id: number; url: string; timeoutMs: number }) => {
    const signal = AbortSignal.timeout(timeoutMs);
    let answered = false;
    const once = (answer: Parameters<typeof reply>[0]) => {
      if (!answered) {
        answered = true;
        reply(answer);
      }
    };
    const fail = (error: unknown) =>
      once({
        id,
        error: signal.aborted
          ? `GET ${url} timed out after ${timeoutMs} ms`
          : `GET ${url} failed: ${describeNetworkError(error)}`,
      });
    try {
      const protocol = new URL(url).protocol as 'http:' | 'https:';
      const client = protocol === 'https:' ? https : http;
      const req = client.get(url, { agent: agents[protocol], signal }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => once({ id, status: res.statusCode ?? 0, bytes }));
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('the connection closed mid-answer')));
      });
      req.on('error', fail);
    } catch (error) {
      fail(error);
    }
  });
}

const first = workerData as Partial<Caller> | null;
if (first?.port && first.flag) serve(first as Caller);
parentPort?.on('message', (caller: Caller) => serve(caller));
