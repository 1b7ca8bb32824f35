/** One thread's part of the counter race: wait at a gate until all threads are there, then add `increments` times. */
import { lock, unlock } from './lock';

export const CELLS = { counter: 0, lock: 1, arrived: 2 };

export const COUNT_MODES = ['unsafe', 'atomics', 'lock'] as const;
export type RaceTask = { cells: Int32Array; mode: (typeof COUNT_MODES)[number]; increments: number; threads: number };

/** The race as a workload of the pool modes (the pool's workers load this file). */
export const RACE = { name: 'race', fn: race, module: __filename, export: 'race' };

export function race({ cells, mode, increments, threads }: RaceTask): void {
  // Threads may be scheduled milliseconds apart: wait (briefly, busily) until all are here.
  Atomics.add(cells, CELLS.arrived, 1);
  const giveUp = performance.now() + 1000;
  while (Atomics.load(cells, CELLS.arrived) < threads && performance.now() < giveUp);
  const at = CELLS.counter;
  if (mode === 'unsafe') {
    // A read, then a write, each to memory (not kept in a register), but the pair not indivisible.
    for (let i = 0; i < increments; i++) Atomics.store(cells, at, Atomics.load(cells, at) + 1);
  } else if (mode === 'atomics') {
    for (let i = 0; i < increments; i++) Atomics.add(cells, at, 1);
  } else {
    for (let i = 0; i < increments; i++) {
      lock(cells, CELLS.lock);
      cells[at] = cells[at]! + 1; // nobody else can run this line now
      unlock(cells, CELLS.lock);
    }
  }
}
