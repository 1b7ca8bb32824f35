/**
 * The event loop as Node's GIL: run CPU work while a heartbeat ticks and requests to a
 * loopback server are in flight, and watch the loop. Three places for the same work:
 * - main: all at once on the event loop (Promise.all over async functions), which blocks it;
 * - main-yielding: one task at a time, giving the loop a turn between tasks (setImmediate);
 * - worker: in a worker thread, so the loop stays free.
 * The server is the embedded one (server/), in its own process, so its answers are on time
 * whatever the main loop does: any extra latency is the client's loop not reading them.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { now } from '../../core/clock';
import { environment } from '../../core/environment';
import { monitorLoop, type LoopMonitor, type LoopTrace } from './loop-monitor';
import { InterruptedError } from '../../core/errors';
import { createExecutor } from '../../core/modes';
import type { Environment, TaskRecord } from '../../core/records';
import { runTimed } from '../../core/task';
import { onInterrupt, track } from '../../core/teardown';
import * as check from '../../core/validate';
import { resolveWorkload } from '../../core/workload';
import { cpu } from '../cpu/workload';
import { startServer } from '../io/server';

/** Where the CPU work runs. */
export const LOOP_PLACES = ['main', 'main-yielding', 'worker'] as const;
export type LoopPlace = (typeof LOOP_PLACES)[number];

/** How each place is described in charts. */
export const PLACE_LABELS: Record<LoopPlace, string> = {
  main: 'on the event loop (Promise.all)',
  'main-yielding': 'on the event loop, yielding between tasks',
  worker: 'in a worker thread',
};

/** Options of `blockTheLoop`. */
export interface LoopExperimentOptions {
  /** Places to run the work (default all three). */
  places?: readonly LoopPlace[];
  /** The work: `count` tasks of cpu(num) (defaults 10 and 30). */
  count?: number;
  num?: number;
  /** Heartbeat period, ms (default 10). */
  heartbeatMs?: number;
  /** Requests kept in flight to the loopback server (default 4; 0 = none). */
  concurrency?: number;
  /** How long the server takes to answer, ms (default 20). */
  latencyMs?: number;
  /** Quiet time before and after the work, ms (default 200). */
  quietMs?: number;
  params?: Record<string, unknown>;
}

/** One request: when it was sent and answered (shared clock). */
export interface RequestRecord {
  start: number;
  end: number;
  ok: boolean;
}

/** The work in one place, and what the loop, the heartbeat and the requests saw meanwhile. */
export interface LoopRun {
  place: LoopPlace;
  start: number;
  workStart: number;
  workEnd: number;
  end: number;
  /** The work's wall time, ms. */
  workMs: number;
  /** The main loop's utilization while the work ran, 0 to 1. */
  utilization: number;
  trace: LoopTrace;
  requests: RequestRecord[];
  tasks: TaskRecord[];
}

/** Every place's run, with the settings. */
export interface LoopComparison {
  count: number;
  num: number;
  heartbeatMs: number;
  concurrency: number;
  latencyMs: number;
  runs: LoopRun[];
  env: Environment;
  params: Record<string, unknown>;
}

/** Keeps `concurrency` GETs in flight (each lane sends the next as soon as one is answered) until stopped. */
function requestLoad(port: number, concurrency: number): { stop: () => Promise<RequestRecord[]> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(1, concurrency) });
  const records: RequestRecord[] = [];
  let running = true;
  const get = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          res.resume();
          res.on('end', resolve);
          res.on('error', reject);
        })
        .on('error', reject);
    });
  const lane = async () => {
    while (running) {
      const start = now();
      let ok = true;
      try {
        await get();
      } catch {
        ok = false;
        await new Promise((r) => setTimeout(r, 10));
      }
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
  // Registered, so that an interrupt stops the lanes too, not only the server they call.
  const release = track({ close: async () => void (await (stopped ??= stop(true))) });
  return { stop: () => (stopped ??= stop()) };
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs cpu(num) tasks one at a time on this thread, giving the loop a turn between two tasks. */
async function yielding(inputs: number[]): Promise<TaskRecord[]> {
  const records: TaskRecord[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const { pid, threadId, start, end, ok, error } = (await runTimed(cpu, inputs[index], index)).record;
    records.push(
      error === undefined ? { index, pid, threadId, start, end, ok } : { index, pid, threadId, start, end, ok, error },
    );
    await new Promise((r) => setImmediate(r)); // timers and I/O run before the next task
  }
  return records;
}

/**
 * Runs `count` x cpu(num) in each place while the loop is watched and requests are in flight.
 * The worker's pool is started before the watch begins and is always closed; so is the server.
 */
export async function blockTheLoop(options: LoopExperimentOptions = {}): Promise<LoopComparison> {
  const places = check.subsetOf('places', options.places ?? [...LOOP_PLACES], LOOP_PLACES);
  const count = check.integer('count', options.count ?? 10, 1, 10_000);
  const num = check.integer('num', options.num ?? 30, 2, 200);
  const heartbeatMs = check.finite('heartbeatMs', options.heartbeatMs ?? 10, 1, 60_000);
  const concurrency = check.integer('concurrency', options.concurrency ?? 4, 0, 256);
  const latencyMs = check.finite('latencyMs', options.latencyMs ?? 20, 0, 60_000);
  const quietMs = check.finite('quietMs', options.quietMs ?? 200, 0, 60_000);
  const inputs = Array<number>(count).fill(num);
  cpu(num); // compile once on this thread, so no run pays for it
  let stopped: string | undefined;
  const unsubscribe = onInterrupt((reason) => (stopped = reason));
  // Between two steps: an interrupt (which has already closed everything) ends the experiment.
  const go = () => {
    if (stopped) throw new InterruptedError(stopped);
  };
  const server = concurrency > 0 ? await startServer({ latencyMs, inProcess: false }) : undefined;
  const runs: LoopRun[] = [];
  try {
    for (const place of places) {
      go();
      // The pool (a worker thread, or none for the event loop) starts and warms up before the watch.
      const executor =
        place === 'main-yielding'
          ? undefined
          : await createExecutor(place === 'main' ? 'async' : 'threads', 1, resolveWorkload('cpu'));
      let monitor: LoopMonitor | undefined;
      let load: ReturnType<typeof requestLoad> | undefined;
      try {
        await executor?.run(inputs.slice(0, 1));
        monitor = monitorLoop({ heartbeatMs });
        load = server ? requestLoad(server.port, concurrency) : undefined;
        const start = now();
        await pause(quietMs);
        go();
        const elu0 = performance.eventLoopUtilization();
        const workStart = now();
        const tasks = executor ? (await executor.run(inputs)).map((r) => r.record) : await yielding(inputs);
        const workEnd = now();
        const utilization = performance.eventLoopUtilization(elu0).utilization;
        go();
        await pause(quietMs);
        go();
        const requests = (await load?.stop()) ?? [];
        const trace = monitor.stop();
        const end = now();
        runs.push({
          place,
          start,
          workStart,
          workEnd,
          end,
          workMs: workEnd - workStart,
          utilization,
          trace,
          requests,
          tasks,
        });
      } finally {
        monitor?.stop();
        await load?.stop();
        await executor?.close();
      }
    }
  } finally {
    unsubscribe();
    await server?.close();
  }
  return { count, num, heartbeatMs, concurrency, latencyMs, runs, env: environment(), params: { ...options.params } };
}
