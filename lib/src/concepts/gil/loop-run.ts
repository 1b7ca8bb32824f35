/**
 * The event loop as Node's GIL: the same CPU work three ways, one `compare`, while a watcher
 * keeps a heartbeat, keeps requests in flight to a loopback server and reads the loop's delay:
 * - async: all at once on the event loop (Promise.all over async functions), which blocks it;
 * - sequential: one task at a time, the loop getting a turn between tasks (setImmediate);
 * - threads (1): in a worker thread, so the loop stays free.
 * The server is the embedded one, in its own process, so its answers are on time whatever the
 * main loop does: any extra latency is the client's loop not reading them.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { now } from '../../core/clock';
import { compare, type Comparison, type Entry } from '../../core/measure';
import type { Progress } from '../../core/rounds';
import { onInterrupt, track } from '../../core/teardown';
import { InterruptedError } from '../../core/errors';
import * as check from '../../core/validate';
import { startServer } from '../io/server';
import { monitorLoop, type LoopTrace } from './loop-monitor';

/** The three rows, by label: where the work runs. */
export const LOOP_ROWS = {
  main: 'on the event loop (Promise.all)',
  yielding: 'on the event loop, yielding between tasks',
  worker: 'in a worker thread',
} as const;

/** Options of `blockTheLoop`. */
export interface LoopExperimentOptions {
  /** The work: `count` tasks of cpu(num) (defaults 10 and 30). */
  count?: number;
  num?: number;
  /** Heartbeat period, ms (default 10). */
  heartbeatMs?: number;
  /** Requests kept in flight to the loopback server (default 4; 0 = none). */
  concurrency?: number;
  /** How long the server takes to answer, ms (default 20). */
  latencyMs?: number;
  /** Quiet time watched before and after the work, ms (default 200). */
  quietMs?: number;
  params?: Record<string, unknown>;
  onProgress?: (progress: Progress) => void;
}

/** One request: when it was sent and answered (shared clock). */
export interface RequestRecord {
  start: number;
  end: number;
  ok: boolean;
}

/** What the watcher saw around one run (`detail.watch`). */
export interface LoopWatch {
  trace: LoopTrace;
  requests: RequestRecord[];
  /** The main loop's utilization while the work ran, 0 to 1. */
  utilization: number;
}

/** Keeps `concurrency` GETs in flight (each lane sends the next as soon as one is answered) until stopped. */
function requestLoad(port: number, concurrency: number): { stop: () => Promise<RequestRecord[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, concurrency) });
  const records: RequestRecord[] = [];
  let running = true;
  const get = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', agent }, (res) =>
          res.resume().on('end', resolve).on('error', reject),
        )
        .on('error', reject);
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
  let stopped: Promise<RequestRecord[]> | undefined;
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

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `count` x cpu(num) each way while the loop is watched and requests are in flight. */
export async function blockTheLoop(o: LoopExperimentOptions = {}): Promise<Comparison> {
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
      return {
        stop: async (): Promise<LoopWatch> => {
          const utilization = performance.eventLoopUtilization(elu).utilization;
          await pause(quietMs);
          const requests = (await load?.stop()) ?? [];
          const trace = monitor.stop();
          goOn();
          return { trace, requests, utilization };
        },
      };
    };
    const modes: Entry[] = [
      { mode: 'async', label: LOOP_ROWS.main, baseline: null },
      { mode: 'sequential', label: LOOP_ROWS.yielding, baseline: null },
      { mode: 'threads', workers: 1, label: LOOP_ROWS.worker, baseline: null },
    ];
    return await compare({
      workload: 'cpu',
      inputs: Array<number>(count).fill(num),
      modes,
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
