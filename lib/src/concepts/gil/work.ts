/** CPU work cut into slices, so a thread can check the lock between two of them. */
import { bitLength } from '../cpu/workload';

/** Runs `units` steps of integer arithmetic (a fixed amount of work); returns a value so it is not optimised away. */
export function burn(units: number, seed = 1): number {
  let x = seed | 0;
  for (let k = 0; k < units; k++) x = (Math.imul(x, 1103515245) + 12345) | 0;
  return x;
}

/**
 * How many `burn` units this thread runs in one millisecond once the code is optimised:
 * a warm-up first (unoptimised code is many times slower), then the fastest of a few timed
 * runs (a slower one was interrupted by something else, not slower arithmetic).
 */
export function calibrate(clock: () => number = () => performance.now(), rounds = 5): number {
  let x = 1;
  const warmUntil = clock() + 40;
  while (clock() < warmUntil) x = burn(20_000, x);
  let units = 100_000;
  // Grow until one run takes at least 10 ms, so timer resolution does not matter.
  for (;;) {
    const t0 = clock();
    x = burn(units, x);
    if (clock() - t0 >= 10) break;
    units *= 2;
  }
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = clock();
    x = burn(units, x);
    best = Math.max(best, units / Math.max(clock() - t0, 1e-3));
  }
  return x === 0.5 ? best + 1 : best; // never true: keeps `x` (and the work) alive
}

/** Slice length of `spin` and `serial` work, in ms: short against any switch interval worth trying. */
export const SLICE_MS = 0.05;

/** About `ms` of CPU work at `unitsPerMs`, calling `between()` before every slice. */
export function spinSliced(ms: number, unitsPerMs: number, between: () => void): number {
  let left = Math.round(ms * unitsPerMs);
  const slice = Math.max(1, Math.round(SLICE_MS * unitsPerMs));
  let x = 1;
  while (left > 0) {
    between();
    const n = Math.min(slice, left);
    x = burn(n, x);
    left -= n;
  }
  return x;
}

/** The course's cpu(num) (see concepts/cpu/workload.ts), calling `between()` before each inner loop; returns the total's bits. */
export function cpuSliced(num: number, between: () => void): number {
  let total = 1n;
  for (let i = 1; i < num; i++) {
    for (let j = 1; j < num; j++) {
      between();
      for (let k = 1; k < num; k++) {
        total *= BigInt(i * j * k);
      }
    }
  }
  return bitLength(total);
}
