/** Workloads that take a set time: one waits (I/O-like), one keeps a core busy. */
import { defineWorkload } from './workload';

/** Waits `ms` milliseconds without using the CPU, like a network call; returns `ms`. */
export function sleep(ms: number): Promise<number> {
  return new Promise((resolve) => setTimeout(() => resolve(ms), ms));
}

/** Keeps the calling thread busy for `ms` milliseconds; returns the loop count. */
export function spin(ms: number): number {
  const until = performance.now() + ms;
  let loops = 0;
  while (performance.now() < until) loops++;
  return loops;
}

defineWorkload({ name: 'sleep', fn: sleep, module: __filename, export: 'sleep' });
defineWorkload({ name: 'spin', fn: spin, module: __filename, export: 'spin' });
