/**
 * The `gil` mode: worker threads that share one simulated global lock, on (a GIL, as CPython's)
 * or off (free-threaded). It is the thread pool with another worker entry (gil-thread.ts) and
 * the lock's cells handed to each thread; each run's `detail.gil` says what the lock did.
 *
 *   compare({ workload: 'cpu', inputs, modes: [{ mode: 'gil', workers: 4, options: { lock: false } }] })
 */
import path from 'node:path';
import { ParameterError } from '../../core/errors';
import { registerMode } from '../../core/modes';
import { PoolExecutor } from '../../core/pool';
import * as check from '../../core/validate';
import { CELL, createLockCells, DEFAULT_SWITCH_INTERVAL_MS, releaseDeadThread, resetLock } from './gil-lock';
import type { GilExtra } from './gil-thread';

declare module '../../core/records' {
  interface RegisteredModes {
    gil: true;
  }
}

/**
 * Options of the `gil` mode: the lock on (default, CPython with its GIL) or off (free-threaded), and how long
 * a waiter lets the holder run before asking for the lock (default 5 ms, sys.getswitchinterval()).
 */
type GilOptions = { lock?: boolean; switchIntervalMs?: number };

/** What one run under the `gil` mode adds to its record, as `detail.gil`. */
export interface GilDetail {
  lock: boolean;
  switchIntervalMs: number;
  /** Times the lock passed from one thread to another, and times a holder dropped it because it was asked to. */
  switches: number;
  forcedDrops: number;
  /** Summed over the tasks: time waiting for the lock, and holding it. */
  waitedMs: number;
  heldMs: number;
  /** Every stretch a thread held the lock, on the shared clock. */
  holds: { threadId: number; start: number; end: number }[];
}

/** Checks the mode's options; one line names what is wrong. */
function checkGilOptions(value: unknown): Required<GilOptions> {
  const o = (value ?? {}) as GilOptions;
  if (typeof o !== 'object' || Array.isArray(o))
    throw new ParameterError('gil options', 'an object like { lock, switchIntervalMs }', value);
  if (o.lock !== undefined && typeof o.lock !== 'boolean') throw new ParameterError('lock', 'true or false', o.lock);
  const switchIntervalMs = o.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS;
  return { lock: o.lock ?? true, switchIntervalMs: check.finite('switchIntervalMs', switchIntervalMs, 0.01, 60_000) };
}

registerMode({
  name: 'gil',
  pool: true,
  check: (value) => void checkGilOptions(value),
  create: (workers, workload, limits, modeOptions) => {
    const o = checkGilOptions(modeOptions);
    // An id from 1 per thread, a dead thread's given back (its lock released) for its replacement;
    // twice the ids, as workerpool starts a replacement before it says the dead thread is gone.
    const cells = createLockCells(2 * workers);
    const free = Array.from({ length: 2 * workers }, (_, i) => 2 * workers - i);
    const ids = new Map<unknown, number>();
    return PoolExecutor.start({
      mode: 'gil',
      workers,
      workload,
      ...limits,
      workerType: 'thread',
      script: path.join(__dirname, 'gil-thread.js'),
      setup: {
        onCreateWorker: (opts) => {
          const data = { cells, id: free.pop() ?? 2 * workers };
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
      beforeRun: () => resetLock(cells, o.lock, o.switchIntervalMs),
      detail: (extras) => {
        const done = extras.filter((e): e is GilExtra => e !== undefined);
        const holds = done.flatMap((e) => e.holds.map(([start, end]) => ({ threadId: e.threadId, start, end })));
        const gil: GilDetail = {
          ...o,
          switches: Atomics.load(cells, CELL.switches),
          forcedDrops: Atomics.load(cells, CELL.forcedDrops),
          waitedMs: done.reduce((s, e) => s + e.waitedMs, 0),
          heldMs: done.reduce((s, e) => s + e.heldMs, 0),
          holds: holds.sort((a, b) => a.start - b.start),
        };
        return { gil };
      },
    });
  },
});
