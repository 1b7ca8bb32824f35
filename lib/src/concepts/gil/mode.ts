/**
 * The `gil` mode: a pool of worker threads that share one simulated global lock, on (a GIL,
 * as CPython's) or off (free-threaded). It is the thread pool with another worker entry
 * (gil-thread.ts) and the lock's cells handed to each thread; each run's detail says what
 * the lock did: hand-offs, forced drops, and every stretch a thread held it.
 *
 *   compare({ workload: 'cpu', inputs, modes: [{ mode: 'gil', workers: 4, options: { lock: false } }] })
 */
import path from 'node:path';
import { ParameterError } from '../../core/errors';
import { registerMode } from '../../core/modes';
import { PoolExecutor } from '../../core/pool';
import * as check from '../../core/validate';
import {
  CELL,
  createLockCells,
  DEFAULT_SWITCH_INTERVAL_MS,
  readLock,
  releaseDeadThread,
  resetCounters,
} from './gil-lock';
import type { GilExtra, GilWorkerData } from './gil-thread';

declare module '../../core/records' {
  interface RegisteredModes {
    gil: true;
  }
}

/** Options of the `gil` mode. */
export interface GilOptions {
  /** The global lock on (default true, like CPython with its GIL) or off (like free-threaded CPython). */
  lock?: boolean;
  /** How long a waiting thread lets the holder run before asking for the lock, in ms (default 5, sys.getswitchinterval()). */
  switchIntervalMs?: number;
}

/** What one run under the `gil` mode adds to its record, as `detail.gil`. */
export interface GilDetail {
  lock: boolean;
  switchIntervalMs: number;
  /** Times the lock passed from one thread to another. */
  switches: number;
  /** Times a holder was asked to drop the lock and did (the switch interval at work). */
  forcedDrops: number;
  /** Summed over the tasks: time waiting for the lock, and holding it. */
  waitedMs: number;
  heldMs: number;
  /** Every stretch a thread held the lock: thread id, start and end on the shared clock. */
  holds: { threadId: number; start: number; end: number }[];
}

/** Checks the mode's options; one line names what is wrong. */
export function checkGilOptions(value: unknown): Required<GilOptions> {
  const o = (value ?? {}) as GilOptions;
  if (typeof o !== 'object' || Array.isArray(o))
    throw new ParameterError('gil options', 'an object like { lock, switchIntervalMs }', value);
  if (o.lock !== undefined && typeof o.lock !== 'boolean') throw new ParameterError('lock', 'true or false', o.lock);
  const switchIntervalMs = check.finite(
    'switchIntervalMs',
    o.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS,
    0.01,
    60_000,
  );
  return { lock: o.lock ?? true, switchIntervalMs };
}

const GIL_THREAD = path.join(__dirname, 'gil-thread.js');

registerMode({
  name: 'gil',
  pool: true,
  check: (value) => void checkGilOptions(value),
  create: (workers, workload, limits, modeOptions) => {
    const o = checkGilOptions(modeOptions);
    // Ids from 1 for each thread, a dead thread's given back (its lock released) for its replacement.
    // Twice the ids: workerpool starts a dead thread's replacement before it says the dead one is gone.
    const cells = createLockCells(2 * workers);
    const free = Array.from({ length: 2 * workers }, (_, i) => 2 * workers - i);
    const ids = new Map<unknown, number>();
    return PoolExecutor.start({
      mode: 'gil',
      workers,
      workload,
      ...limits,
      workerType: 'thread',
      script: GIL_THREAD,
      setup: {
        onCreateWorker: (opts) => {
          const data: GilWorkerData = { cells, id: free.pop() ?? 2 * workers };
          const workerThreadOpts = { ...opts.workerThreadOpts, workerData: data };
          ids.set(workerThreadOpts, data.id);
          return { ...opts, workerThreadOpts };
        },
        close: async () => {},
      },
      onTerminateWorker: (opts) => {
        const id = ids.get(opts.workerThreadOpts);
        if (id === undefined) return;
        releaseDeadThread(cells, id);
        free.push(id);
      },
      beforeRun: () => {
        resetCounters(cells);
        Atomics.store(cells, CELL.enabled, o.lock ? 1 : 0);
        Atomics.store(cells, CELL.intervalUs, Math.max(1, Math.round(o.switchIntervalMs * 1000)));
      },
      detail: (extras) => {
        const lock = readLock(cells, 2 * workers);
        const done = extras.filter((e): e is GilExtra => e !== undefined);
        const holds = done.flatMap((e) => e.holds.map(([start, end]) => ({ threadId: e.threadId, start, end })));
        const detail: GilDetail = {
          lock: o.lock,
          switchIntervalMs: o.switchIntervalMs,
          switches: lock.switches,
          forcedDrops: lock.forcedDrops,
          waitedMs: done.reduce((s, e) => s + e.waitedMs, 0),
          heldMs: done.reduce((s, e) => s + e.heldMs, 0),
          holds: holds.sort((a, b) => a.start - b.start),
        };
        return { gil: detail };
      },
    });
  },
});
