/**
 * A lock (mutex) on one cell of a shared Int32Array: 0 = free, 1 = held, 2 = held with waiters, who sleep
 * in Atomics.wait (after Drepper, "Futexes are tricky"). Not on a browser's main thread, which cannot wait.
 */

/** Takes the lock in `cells[index]`, sleeping until it is free. */
export function lock(cells: Int32Array, index: number): void {
  let c = Atomics.compareExchange(cells, index, 0, 1);
  if (c === 0) return;
  if (c !== 2) c = Atomics.exchange(cells, index, 2);
  while (c !== 0) {
    Atomics.wait(cells, index, 2);
    c = Atomics.exchange(cells, index, 2);
  }
}

/** Releases the lock in `cells[index]` and wakes one waiting thread, if any. */
export function unlock(cells: Int32Array, index: number): void {
  if (Atomics.sub(cells, index, 1) !== 1) {
    Atomics.store(cells, index, 0);
    Atomics.notify(cells, index, 1);
  }
}
