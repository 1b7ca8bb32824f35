/**
 * The event loop as Node's GIL: the same CPU work all at once on the loop, one task at a time, and
 * in a worker thread, while a watcher keeps a heartbeat and requests in flight to the loopback
 * server (in its own process, so any extra latency is this loop not reading its answers).
 */
import { performance } from 'node:perf_hooks';
import { now } from '../../core/clock';
import { InterruptedError } from '../../core/errors';
import { compare } from '../../core/measure';
import { onInterrupt, track } from '../../core/teardown';
import * as check from '../../core/validate';
import { createDispatcher, get } from '../io/http';
import { startServer } from '../io/server';
import { monitorLoop, type LoopTrace } from './loop-monitor';
import type { Common } from './run';

/** What the watcher saw around one run (`detail.watch`): each request, and the loop's utilization during the work. */
export type LoopWatch = {
  trace: LoopTrace;
  requests: { start: number; end: number; ok: boolean }[];
  utilization: number;
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps `concurrency` GETs in flight (each lane sends the next as soon as one is answered) until stopped. */
function requestLoad(url: string, concurrency: number) {
  const agent = createDispatcher(undefined, concurrency);
  const records: LoopWatch['requests'] = [];
  let running = true;
  const lane = async () => {
    while (running) {
      const start = now();
      // No deadline: the server answers each in `latencyMs`, and a forced stop ends those in flight.
      const ok = await get(agent, url, check.MAX_TIMER_MS).then(
        () => true,
        () => pause(10).then(() => false),
      );
      records.push({ start, end: now(), ok });
    }
  };
  const lanes = Array.from({ length: concurrency }, lane);
  let stopped: Promise<LoopWatch['requests']> | undefined;
  // `force` (an interrupt): end the requests in flight at once instead of letting them finish.
  const stop = async (force = false) => {
    running = false;
    release();
    if (force) void agent.destroy();
    await Promise.all(lanes);
    await agent.destroy();
    return records.sort((a, b) => a.start - b.start);
  };
  const release = track({ close: async () => void (await (stopped ??= stop(true))) });
  return { stop: () => (stopped ??= stop()) };
}

type LoopOptions = Partial<Record<'count' | 'num' | 'heartbeatMs' | 'concurrency' | 'latencyMs' | 'quietMs', number>>;

/**
 * Runs `count` x cpu(num) (defaults 10 and 30) each way, watched with a heartbeat every `heartbeatMs`
 * (default 10) and `concurrency` requests (default 4; 0 = none) to a server answering in `latencyMs`
 * (default 20), from `quietMs` (default 200) before the work to as long after.
 */
export async function blockTheLoop(o: LoopOptions & Omit<Common, 'repeats'> = {}) {
  const count = check.integer('count', o.count ?? 10, 1, 10_000);
  const num = check.integer('num', o.num ?? 30, 2, 200);
  const heartbeatMs = check.finite('heartbeatMs', o.heartbeatMs ?? 10, 1, 60_000);
  const concurrency = check.integer('concurrency', o.concurrency ?? 4, 0, 256);
  const latencyMs = check.finite('latencyMs', o.latencyMs ?? 20, 0, 60_000);
  const quietMs = check.finite('quietMs', o.quietMs ?? 200, 0, 60_000);
  // The rows on the main thread notice an interrupt only during their work: this catches the rest.
  let stopped: string | undefined;
  const unsubscribe = onInterrupt((reason) => (stopped = reason));
  const goOn = () => {
    if (stopped !== undefined) throw new InterruptedError(stopped);
  };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = concurrency > 0 ? await startServer({ latencyMs }) : undefined;
    goOn();
    const watch = async () => {
      goOn();
      const monitor = monitorLoop({ heartbeatMs });
      const load = server && requestLoad(server.url, concurrency);
      await pause(quietMs);
      goOn();
      const elu = performance.eventLoopUtilization();
      const stop = async (): Promise<LoopWatch> => {
        const { utilization } = performance.eventLoopUtilization(elu);
        await pause(quietMs);
        const requests = (await load?.stop()) ?? [];
        const trace = monitor.stop();
        goOn();
        return { trace, requests, utilization };
      };
      return { stop };
    };
    return await compare({
      workload: 'cpu',
      inputs: Array<number>(count).fill(num),
      modes: [
        { mode: 'async', label: 'on the event loop (Promise.all)', baseline: null },
        { mode: 'sequential', label: 'on the event loop, yielding between tasks', baseline: null },
        { mode: 'threads', workers: 1, label: 'in a worker thread', baseline: null },
      ],
      oneWorker: false,
      repeats: 1,
      watch,
      onProgress: o.onProgress,
      params: { ...o.params, count, num, heartbeatMs, concurrency, latencyMs, quietMs },
    });
  } finally {
    unsubscribe();
    await server?.close();
  }
}
