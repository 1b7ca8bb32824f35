/**
 * A worker's watch on its broker. BullMQ's commands have no deadline, and on a cut link TCP only
 * retransmits, further and further apart: a cut-off worker would wait for many minutes. So the worker
 * PINGs the broker; no answer in time and the broker is lost: it says so and drops the connection, and
 * ioredis reconnects with bounded timeouts (RECONNECT), so the rejoin comes within a connect timeout of
 * the link's return. The broker then refuses what was pending (the job's lock is gone); the worker says so.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { now } from '../../core/clock';
import { messageOf } from '../../core/errors';

/** Bounded connecting for a worker's connections: each attempt 2 s at most, the next 0.1 to 1 s later. */
export const RECONNECT = { connectTimeout: 2000, retryStrategy: (times: number) => Math.min(100 * times, 1000) };

/** What the watch sees. Times are this process's clock (ms since the epoch). */
export type BrokerEvent =
  | { type: 'lost'; at: number; silentMs: number }
  | { type: 'back'; at: number; awayMs: number }
  | { type: 'refused'; at: number; jobId: string; message: string };

/** How often the worker asks, and how long it waits for an answer before it calls the broker lost (ms). */
const [EVERY_MS, WITHIN_MS] = [500, 1000];

/** Watches `worker`'s connection to the broker until the returned function is called. */
export function watchBroker(worker: Worker, onEvent: (event: BrokerEvent) => void): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lostAt: number | undefined;
  const sleep = (ms: number) => new Promise<void>((resolve) => (timer = setTimeout(resolve, ms).unref()));
  // A job's lock that was gone when the worker's pending commands finally arrived (once per job).
  const refused = new Set<string>();
  const onError = (error: unknown) => {
    const message = messageOf(error);
    const jobId = /(?:lock for job|Lock mismatch for job) (\S+?)\.?(?:\s|$)/i.exec(message)?.[1];
    if (jobId && !refused.has(jobId)) {
      refused.add(jobId);
      onEvent({ type: 'refused', at: now(), jobId, message });
    }
  };
  worker.on('error', onError);
  const loop = async () => {
    const client = (await worker.getBackend().client) as unknown as Pick<Redis, 'status' | 'ping' | 'disconnect'>;
    while (!stopped) {
      const sentAt = now();
      const answer = client.ping().then(
        () => true,
        () => false,
      );
      for (;;) {
        const answered = await Promise.race([answer, sleep(WITHIN_MS).then(() => undefined)]);
        clearTimeout(timer);
        if (stopped || answered === false) return; // closed under us: nothing left to watch
        if (answered) break;
        if (lostAt === undefined) {
          lostAt = sentAt;
          onEvent({ type: 'lost', at: now(), silentMs: now() - sentAt });
        }
        // Drop a connection that has a socket but no answers; never one between attempts
        // (ioredis would forget its retry timer: BullMQ #4585). The PING is sent again after.
        if (client.status === 'ready' || client.status === 'connect') client.disconnect(true);
      }
      if (lostAt !== undefined) onEvent({ type: 'back', at: now(), awayMs: now() - lostAt });
      lostAt = undefined;
      await sleep(EVERY_MS);
    }
  };
  void loop().catch(() => {}); // the worker closing under it: nothing left to watch
  return () => {
    stopped = true;
    clearTimeout(timer);
    worker.off('error', onError);
  };
}
