/**
 * The event loop as Node's GIL: the same CPU work three ways, one `compare`, while a watcher
 * keeps a heartbeat and requests in flight to a loopback server and reads the loop's delay:
 * all at once on the event loop (Promise.all over async functions), which blocks it; one task
 * at a time, the loop getting a turn between tasks; in a worker thread, the loop left free.
 * The server runs in its own process, so its answers are on time whatever this loop does: any
 * extra latency is this loop not reading them.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { now } from '../../core/clock';
import { InterruptedError } from '../../core/errors';
import { compare } from '../../core/measure';
import { onInterrupt, track } from '../../core/teardown';
import * as check from '../../core/validate';
import { startServer } from '../io/server';
import { monitorLoop, type LoopTrace } from './loop-monitor';
import type { Common } from './run';

/** The three rows, by label: where the work runs. */
const LOOP_ROWS = {
  main: 'on the event loop (Promise.all)',
  yielding: 'on the event loop, yielding between tasks',
  worker: 'in a worker thread',
} as const;

/** What the watcher saw around one run (`detail.watch`): each request, and the loop's utilization during the work. */
export type LoopWatch = {
  trace: LoopTrace;
  requests: { start: number; end: number; ok: boolean }[];
  utilization: number;
};

/** Keeps `concurrency` GETs in flight (each lane sends the next as soon as one is answered) until stopped. */
function requestLoad(port: number, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const records: LoopWatch['requests'] = [];
  let running = true;
  const get = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) =>
        res.resume().on('end', resolve).on('error', reject),
      );
      req.on('error', reject);
    });
  const lane = async () => {
    while (running) {
      const start = now();
      const ok = await get().then(
        () => true,
        () => new Promise<boolean>((r) => setTimeout(() => r(false), 10)),
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
    if (force) agent.destroy();
    await Promise.all(lanes);
    agent.destroy();
    return records.sort((a, b) => a.start - b.start);
  };
  const release = track({ close: async () => void (await (stopped ??= stop(true))) });
  return { stop: () => (stopped ??= stop()) };
}

type LoopOptions = Partial<Record<'count' | 'num' | 'heartbeatMs' | 'concurrency' | 'latencyMs' | 'quietMs', number>>;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `count` x cpu(num) (defaults 10 and 30) each way while the loop is watched (a heartbeat
 * every `heartbeatMs`, default 10) and `concurrency` requests (default 4; 0 = none) are in
 * flight to a server answering in `latencyMs` (default 20); `quietMs` (default 200) is watched
 * before and after the work.
 */
export async function blockTheLoop(o: LoopOptions & Omit<Common, 'repeats'> = {}) {
  const count = check.integer('count', o.count ?? 10, 1, 10_000);
  const num = check.integer('num', o.num ?? 30, 2, 200);
  const heartbeatMs = check.finite('heartbeatMs', o.heartbeatMs ?? 10, 1, 60_000);
  const concurrency = check.integer('concurrency', o.concurrency ?? 4, 0, 256);
  const latencyMs = check.finite('latencyMs', o.latencyMs ?? 20, 0, 60_000);
  const quietMs = check.finite('quietMs', o.quietMs ?? 200, 0, 60_000);
  // An interrupt while no pool runs (the server starting, the quiet time around each run) must
  // still stop the experiment: the rows on the main thread only notice one during their work.
  let stopped: string | undefined;
  const unsubscribe = onInterrupt((reason) => (stopped = reason));
  const goOn = () => {
    if (stopped !== undefined) throw new InterruptedError(stopped);
  };
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = concurrency > 0 ? await startServer({ latencyMs }) : undefined;
    goOn();
    const port = server?.port;
    const watch = async () => {
      goOn();
      const monitor = monitorLoop({ heartbeatMs });
      const load = port === undefined ? undefined : requestLoad(port, concurrency);
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
        { mode: 'async', label: LOOP_ROWS.main, baseline: null },
        { mode: 'sequential', label: LOOP_ROWS.yielding, baseline: null },
        { mode: 'threads', workers: 1, label: LOOP_ROWS.worker, baseline: null },
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
