/**
 * The simulated-GIL speed goal: CPU tasks on one thread, on N threads sharing one global
 * lock, and on N threads without it (N = the cores, at least 2). Medians of interleaved
 * repeats. `node build/tools/bench-gil.js` prints the result as one JSON line.
 */
import { gil } from 'concurrency-lab';
import { cores, DEFAULT_SWITCH_INTERVAL_MS } from 'concurrency-lab/tooling';
import { rowOf, round } from './bench-rows';

/** Runs the GIL benchmark: `count` x cpu(num) per run (default 8 per thread), `repeats` runs per row. */
export async function benchGil(
  options: { threads?: number; count?: number; num?: number; repeats?: number; switchIntervalMs?: number } = {},
) {
  const threads = options.threads ?? Math.max(2, cores());
  const switchIntervalMs = options.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS;
  const result = await gil.compare({
    inputs: Array(options.count ?? 8 * threads).fill(options.num ?? 30),
    threads,
    switchIntervalMs,
    repeats: options.repeats ?? 5,
  });
  const [one, locked, free] = ['one thread', 'threads + global lock', 'threads, no lock'].map((l) => rowOf(result, l)!);
  return {
    threads,
    switchIntervalMs,
    sequentialMs: round(one!.ms),
    lockedMs: round(locked!.ms),
    unlockedMs: round(free!.ms),
    speedupLocked: round(one!.ms / locked!.ms, 3),
    speedupUnlocked: round(one!.ms / free!.ms, 3),
  };
}

if (require.main === module) {
  benchGil().then(
    (result) => console.log(JSON.stringify({ cores: cores(), gil: result })),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
