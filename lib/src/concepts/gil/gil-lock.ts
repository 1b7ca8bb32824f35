/**
 * A simulated global interpreter lock on one shared Int32Array, modelled on CPython's "new GIL"
 * (Python/ceval_gil.c): a thread that wants the lock waits up to the switch interval, then
 * requests a drop; the holder checks between slices of work, drops the lock and waits until
 * another thread has taken it (forced switching); a thread that blocks drops it first. Waiters
 * sleep in Atomics.wait. Holders are numbered from 1; the host only inspects and repairs.
 */
import { now } from '../../core/clock';

/** Cell indexes of the lock's Int32Array (owner 0 = none; intervalUs in µs; from `states` on, each thread's STATE). */
export const CELL = {
  locked: 0,
  owner: 1,
  lastOwner: 2,
  waiters: 3,
  switches: 4,
  forcedDrops: 5,
  dropRequest: 6,
  enabled: 7,
  intervalUs: 8,
  states: 16,
} as const;

const STATE = { idle: 0, waiting: 1, holding: 2 } as const;
const MAX_HOLDS = 20_000;

/** Python's default switch interval, sys.getswitchinterval(): 5 ms. */
export const DEFAULT_SWITCH_INTERVAL_MS = 5;

/** Allocates the cells of a lock for thread ids 1..maxThreads. */
export function createLockCells(maxThreads: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (CELL.states + maxThreads + 1)));
}

/** One thread's handle on the lock: take, drop, and the check between slices. */
export class GilHandle {
  /** When this thread took the lock, or -1 while not holding. */
  private heldSince = -1;
  waitedMs = 0;
  heldMs = 0;
  /** The stretches this thread held the lock, [start, end]. */
  readonly holds: [number, number][] = [];

  constructor(
    readonly cells: Int32Array,
    readonly id: number,
  ) {}

  /** Takes the lock, waiting as CPython's take_gil does; returns at once if this thread holds it. */
  take(): void {
    if (this.heldSince >= 0) return;
    const c = this.cells;
    const t0 = now();
    if (Atomics.compareExchange(c, CELL.locked, 0, 1) !== 0) {
      Atomics.store(c, CELL.states + this.id, STATE.waiting);
      Atomics.add(c, CELL.waiters, 1);
      for (;;) {
        const switches = Atomics.load(c, CELL.switches);
        const woke = Atomics.wait(c, CELL.locked, 1, Atomics.load(c, CELL.intervalUs) / 1000);
        if (Atomics.compareExchange(c, CELL.locked, 0, 1) === 0) break;
        // A whole interval passed and the lock did not change hands: ask the holder to drop it.
        if (woke === 'timed-out' && Atomics.load(c, CELL.switches) === switches) Atomics.store(c, CELL.dropRequest, 1);
      }
      Atomics.sub(c, CELL.waiters, 1);
    }
    Atomics.store(c, CELL.owner, this.id);
    Atomics.store(c, CELL.states + this.id, STATE.holding);
    Atomics.store(c, CELL.dropRequest, 0);
    if (Atomics.exchange(c, CELL.lastOwner, this.id) !== this.id) {
      Atomics.add(c, CELL.switches, 1);
      Atomics.notify(c, CELL.switches);
    }
    this.heldSince = now();
    this.waitedMs += this.heldSince - t0;
  }

  /** Drops the lock and wakes a waiter; `forced`: then waits until another thread has taken it (FORCE_SWITCHING). */
  drop(forced = false): void {
    if (this.heldSince < 0) return;
    const c = this.cells;
    const switches = Atomics.load(c, CELL.switches);
    const end = now();
    this.heldMs += end - this.heldSince;
    if (this.holds.length < MAX_HOLDS) this.holds.push([this.heldSince, end]);
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

/**
 * After a thread has really stopped (exited or terminated): if it held the lock, releases it
 * and wakes a waiter; if it was waiting, takes it off the count.
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

/** Before a run: zeroes its counters (not the lock itself), and sets the lock on or off and its interval. */
export function resetLock(cells: Int32Array, lock: boolean, switchIntervalMs: number): void {
  for (const cell of [CELL.switches, CELL.forcedDrops, CELL.dropRequest, CELL.lastOwner]) Atomics.store(cells, cell, 0);
  Atomics.store(cells, CELL.enabled, lock ? 1 : 0);
  Atomics.store(cells, CELL.intervalUs, Math.max(1, Math.round(switchIntervalMs * 1000)));
}
