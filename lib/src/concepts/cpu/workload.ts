import { defineWorkload } from '../../core/workload';
/**
 * The course's CPU-bound function: a triple loop over range(1, num) that multiplies a
 * running total by i * j * k. Python's integers grow without bound, so the total is a
 * BigInt here too; it has thousands of digits, and that big-number arithmetic is what
 * makes the loop slow. Only the digit count travels back across threads and processes.
 */
export function cpu(num: number): number {
  let total = 1n;
  for (let i = 1; i < num; i++) {
    for (let j = 1; j < num; j++) {
      for (let k = 1; k < num; k++) {
        total *= BigInt(i * j * k);
      }
    }
  }
  return total.toString().length;
}

/** `workload: 'cpu'` in every mode; pool workers load this file by path. */
export const cpuWorkload = defineWorkload({ name: 'cpu', fn: cpu, module: __filename, export: 'cpu' });
