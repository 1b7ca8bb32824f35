/**
 * The `gil` mode: a thread pool (gil-thread.ts) sharing one simulated global lock, on (as
 * CPython's GIL) or off (free-threaded); each run's `detail.gil` says what the lock did.
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

/** What one run under the `gil` mode adds to its record, as `detail.gil`. */
export type GilDetail = ReturnType<typeof gilDetail>;

/** The mode's options checked: the lock (default on) and the switch interval (default 5 ms, as Python's). */
function checkGilOptions(value: unknown) {
  const o = (value ?? {}) as { lock?: boolean; switchIntervalMs?: number };
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
      detail: (extras) => ({ gil: gilDetail(o, cells, extras) }),
    });
  },
});

/** The lock's counters (hand-offs, drops on request), the tasks' time waiting for it and holding it, and every hold. */
function gilDetail(o: ReturnType<typeof checkGilOptions>, cells: Int32Array, extras: readonly unknown[]) {
  const done = extras.filter((e): e is GilExtra => e !== undefined);
  const holds = done.flatMap((e) => e.holds.map(([start, end]) => ({ threadId: e.threadId, start, end })));
  return {
    ...o,
    switches: Atomics.load(cells, CELL.switches),
    forcedDrops: Atomics.load(cells, CELL.forcedDrops),
    waitedMs: done.reduce((s, e) => s + e.waitedMs, 0),
    heldMs: done.reduce((s, e) => s + e.heldMs, 0),
    holds: holds.sort((a, b) => a.start - b.start),
  };
}
