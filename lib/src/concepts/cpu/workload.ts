import { interpreter } from '../../core/interpreter';
import { defineWorkload } from '../../core/workload';
/** The course's triple loop: total *= i * j * k in a BigInt, as in Python (slow arithmetic); returns its bit length. */
export function cpu(num: number): number {
  let total = 1n;
  for (let i = 1; i < num; i++) {
    for (let j = 1; j < num; j++) {
      interpreter.checkpoint(); // where a simulated GIL may pass to another thread (a no-op elsewhere)
      for (let k = 1; k < num; k++) total *= BigInt(i * j * k);
    }
  }
  return bitLength(total);
}

/** A positive BigInt's bits (Python's `int.bit_length()`), from its hex text: the decimal costs a fifth of cpu(30). */
function bitLength(n: bigint): number {
  if (n <= 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

// `workload: 'cpu'` in every mode; pool workers load this file by path.
defineWorkload({ name: 'cpu', fn: cpu, module: __filename, export: 'cpu' });
