/**
 * A simulated global interpreter lock on one shared Int32Array, modelled on CPython's
 * "new GIL" (Python 3.2+, Python/ceval_gil.c):
 * - a thread must hold the lock to run a slice of work;
 * - a thread that wants it waits up to the switch interval, then sets a drop request;
 * - the holder checks the request between slices, drops the lock and waits until another
 *   thread has taken it (forced switching), so one thread cannot starve the others;
 * - a thread that blocks (simulated I/O) drops the lock first, and takes it back after.
 * Waiting threads sleep in Atomics.wait: they use no CPU, as a thread waiting on the GIL.
 * Holders are numbered from 1 (worker ids); the host thread only inspects and repairs.
 */

/** Cell indexes of the lock's Int32Array. */
export const CELL = {
  /** 0 = free, 1 = held. */
  locked: 0,
  /** The id of the holder (0 = none). */
  owner: 1,
  /** Threads waiting to take the lock. */
  waiters: 2,
  /** Times the lock passed to a different thread. */
  switches: 3,
  /** The id of the thread that held the lock last. */
  lastOwner: 4,
  /** 1 when a waiter has waited a whole switch interval and asks the holder to drop. */
  dropRequest: 5,
  /** Times a holder dropped the lock because it was asked to (forced switches). */
  forcedDrops: 6,
  /** Times the lock was taken. */
  acquisitions: 7,
  /** A plain counter that tasks increment non-atomically, to test mutual exclusion. */
  counter: 8,
  /** 1 = the global lock is on (simulated GIL), 0 = off (free-threaded). */
  enabled: 9,
  /** The switch interval in microseconds. */
  intervalUs: 10,
  /** First of the per-thread states, indexed by worker id. */
  states: 16,
} as const;

/** A thread's state in its cell: idle, waiting for the lock, or holding it. */
export const STATE = { idle: 0, waiting: 1, holding: 2 } as const;

/** Python's default switch interval, sys.getswitchinterval(): 5 ms. */
export const DEFAULT_SWITCH_INTERVAL_MS = 5;

/** Allocates the cells of a lock for worker ids 1..maxThreads. */
export function createLockCells(maxThreads: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (CELL.states + maxThreads + 1)));
}

/** One thread's handle on the lock: take, drop, and the check between slices. */
export class GilHandle {
  /** When this thread last took the lock (shared clock), or -1 while not holding. */
  private heldSince = -1;
  /** Milliseconds this thread spent waiting for the lock, and holding it. */
  waitedMs = 0;
  heldMs = 0;
  /** The intervals this thread held the lock, [start, end] on the shared clock (capped). */
  readonly holds: [number, number][] = [];

  constructor(
    readonly cells: Int32Array,
    readonly id: number,
    private readonly clock: () => number,
    private readonly maxHolds = 20_000,
  ) {}

  /** True while this thread holds the lock. */
  get holding(): boolean {
    return this.heldSince >= 0;
  }

  /** Takes the lock, waiting as CPython's take_gil does. Returns at once if already held. */
  take(): void {
    if (this.holding) return;
    const c = this.cells;
    const t0 = this.clock();
    if (Atomics.compareExchange(c, CELL.locked, 0, 1) !== 0) {
      Atomics.store(c, CELL.states + this.id, STATE.waiting);
      Atomics.add(c, CELL.waiters, 1);
      for (;;) {
        const switches = Atomics.load(c, CELL.switches);
        const interval = Atomics.load(c, CELL.intervalUs) / 1000;
        const woke = Atomics.wait(c, CELL.locked, 1, interval);
        if (Atomics.compareExchange(c, CELL.locked, 0, 1) === 0) break;
        // A whole interval passed and the lock did not change hands: ask the holder to drop it.
        if (woke === 'timed-out' && Atomics.load(c, CELL.switches) === switches) {
          Atomics.store(c, CELL.dropRequest, 1);
        }
      }
      Atomics.sub(c, CELL.waiters, 1);
    }
    Atomics.store(c, CELL.owner, this.id);
    Atomics.store(c, CELL.states + this.id, STATE.holding);
    Atomics.store(c, CELL.dropRequest, 0);
    Atomics.add(c, CELL.acquisitions, 1);
    if (Atomics.exchange(c, CELL.lastOwner, this.id) !== this.id) {
      Atomics.add(c, CELL.switches, 1);
      Atomics.notify(c, CELL.switches);
    }
    this.heldSince = this.clock();
    this.waitedMs += this.heldSince - t0;
  }

  /**
   * Drops the lock and wakes one waiter. `forced`: then waits until another thread has
   * taken it (CPython's FORCE_SWITCHING), so this thread does not simply take it back.
   */
  drop(forced = false): void {
    if (!this.holding) return;
    const c = this.cells;
    const switches = Atomics.load(c, CELL.switches);
    const end = this.clock();
    this.heldMs += end - this.heldSince;
    if (this.holds.length < this.maxHolds) this.holds.push([this.heldSince, end]);
    this.heldSince = -1;
    Atomics.store(c, CELL.owner, 0);
    Atomics.store(c, CELL.states + this.id, STATE.idle);
    Atomics.store(c, CELL.locked, 0);
    Atomics.notify(c, CELL.locked, 1);
    if (!forced) return;
    Atomics.add(c, CELL.forcedDrops, 1);
    // Bounded waits: a waiter that died is taken off the count by the host, ending this loop.
    while (Atomics.load(c, CELL.switches) === switches && Atomics.load(c, CELL.waiters) > 0) {
      Atomics.wait(c, CELL.switches, switches, 2);
    }
  }

  /** Between two slices of work: if another thread asked for the lock, hand it over and take it back. */
  checkpoint(): void {
    if (this.heldSince >= 0 && Atomics.load(this.cells, CELL.dropRequest) === 1) {
      this.drop(true);
      this.take();
    }
  }
}

/** The lock's state, read from the host. */
export interface LockState {
  locked: boolean;
  owner: number;
  waiters: number;
  switches: number;
  forcedDrops: number;
  acquisitions: number;
  counter: number;
  /** Worker ids whose cell says they still hold or wait for the lock. */
  busy: number[];
}

/** Reads the lock's cells (host side). */
export function readLock(cells: Int32Array, maxThreads: number): LockState {
  const busy: number[] = [];
  for (let id = 1; id <= maxThreads; id++) if (Atomics.load(cells, CELL.states + id) !== STATE.idle) busy.push(id);
  return {
    locked: Atomics.load(cells, CELL.locked) !== 0,
    owner: Atomics.load(cells, CELL.owner),
    waiters: Atomics.load(cells, CELL.waiters),
    switches: Atomics.load(cells, CELL.switches),
    forcedDrops: Atomics.load(cells, CELL.forcedDrops),
    acquisitions: Atomics.load(cells, CELL.acquisitions),
    counter: Atomics.load(cells, CELL.counter),
    busy,
  };
}

/**
 * Cleans up after a thread that ended (it exited or was terminated): if it held the lock,
 * the lock is released and a waiter woken; if it was waiting, it is taken off the count.
 * Only call this once the thread has really stopped.
 */
export function releaseDeadThread(cells: Int32Array, id: number): void {
  const state = Atomics.exchange(cells, CELL.states + id, STATE.idle);
  if (state === STATE.waiting) {
    Atomics.sub(cells, CELL.waiters, 1);
    Atomics.notify(cells, CELL.switches);
  }
  if (state === STATE.holding || Atomics.load(cells, CELL.owner) === id) {
    Atomics.store(cells, CELL.owner, 0);
    Atomics.store(cells, CELL.locked, 0);
    Atomics.notify(cells, CELL.locked, 1);
  }
}

/** Resets the per-run counters (not the lock itself) before a run. */
export function resetCounters(cells: Int32Array): void {
  for (const cell of [CELL.switches, CELL.forcedDrops, CELL.acquisitions, CELL.counter, CELL.dropRequest]) {
    Atomics.store(cells, cell, 0);
  }
  Atomics.store(cells, CELL.lastOwner, 0);
}
