/**
 * The simulated-GIL speed goal: CPU tasks on one thread, on N threads sharing one global
 * lock, and on N threads without it (N = the cores, at least 2). Medians of interleaved
 * repeats. On 2 cores the goal is a locked speedup within 0.9-1.15x and an unlocked one >= 1.8x.
 * `node lib/dist/tools/bench-gil.js` prints the result as one JSON line.
 */
import { gil } from 'concurrency-lab';
import { cores, DEFAULT_SWITCH_INTERVAL_MS } from 'concurrency-lab/tooling';

const round = (v: number, digits = 2) => Number(v.toFixed(digits));

/** Runs the GIL benchmark: `count` x cpu(num) per run (default 8 per thread), `repeats` runs per variant. */
export async function benchGil(
  options: { threads?: number; count?: number; num?: number; repeats?: number; switchIntervalMs?: number } = {},
): Promise<{
  threads: number;
  switchIntervalMs: number;
  sequentialMs: number;
  lockedMs: number;
  unlockedMs: number;
  speedupLocked: number;
  speedupUnlocked: number;
}> {
  const threads = options.threads ?? Math.max(2, cores());
  const switchIntervalMs = options.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS;
  const result = await gil.compare({
    tasks: gil.cpuTasks(options.count ?? 8 * threads, options.num ?? 30),
    threads,
    switchIntervalMs,
    repeats: options.repeats ?? 5,
  });
  const s = Object.fromEntries(gil.summarize(result).map((v) => [v.variant, v]));
  return {
    threads,
    switchIntervalMs,
    sequentialMs: round(s.sequential!.medianMs, 1),
    lockedMs: round(s.gil!.medianMs, 1),
    unlockedMs: round(s.free!.medianMs, 1),
    speedupLocked: round(s.gil!.speedup!, 3),
    speedupUnlocked: round(s.free!.speedup!, 3),
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
