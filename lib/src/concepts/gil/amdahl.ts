/**
 * Amdahl's law measured: a workload with a set serial fraction on 1, 2, ... threads,
 * recorded as a sweep so the scaling chart and the Amdahl fit read it like any other.
 */
import { environment } from '../../core/environment';
import type { Sweep, SweepPoint } from '../../core/measure';
import type { Run } from '../../core/records';
import * as check from '../../core/validate';
import { checkSerialFraction, serialFractionTasks } from './serial';
import { GilTeam, MAX_GIL_THREADS } from './gil-team';

/** Options of `measureAmdahl`. */
export interface AmdahlOptions {
  /** The share of the work that must run one thread at a time, from 0 to 1. */
  serialFraction: number;
  /** Total CPU work in ms, the same at every thread count (default 400). */
  workMs?: number;
  /** Thread counts to try (default 1 to twice the number of cores). */
  workers?: readonly number[];
  /** Timed runs per thread count (default 2). */
  repeats?: number;
  params?: Record<string, unknown>;
}

/** A sweep of thread counts over work with a set serial fraction. */
export interface AmdahlSweep extends Sweep {
  /** The serial fraction the work was built with. */
  serialFraction: number;
  workMs: number;
}

/** Runs `workMs` of work with a set serial fraction on each thread count, after a one-thread baseline. */
export async function measureAmdahl(options: AmdahlOptions): Promise<AmdahlSweep> {
  const serialFraction = checkSerialFraction(options.serialFraction);
  const workMs = check.finite('workMs', options.workMs ?? 400, 1, 600_000);
  const env = environment();
  const sizes = check.nonEmptyList<unknown>(
    'workers',
    options.workers ?? Array.from({ length: 2 * env.cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, MAX_GIL_THREADS));
  const repeats = check.integer('repeats', options.repeats ?? 2, 1, 1000);
  const largest = Math.max(...(sizes as number[]));
  const team = await GilTeam.start(largest);
  const once = async (n: number, repeat: number): Promise<Run> => {
    const run = await team.run(serialFractionTasks(serialFraction, workMs, n), { gil: false, threads: n, repeat });
    const { mode, workers, cores, start, end, wallMs, tasks, results } = run;
    return { mode, workers, cores, repeat, start, end, wallMs, tasks, results };
  };
  try {
    await team.run(serialFractionTasks(serialFraction, Math.min(workMs, 50), largest), { gil: false }); // warm-up
    // Repeats are the outer loop, so a busy moment of the machine hits every thread count alike.
    const baseline: Run[] = [];
    const runs = new Map<number, Run[]>(sizes.map((n) => [n as number, []]));
    for (let r = 0; r < repeats; r++) {
      baseline.push(await once(1, r));
      for (const n of sizes as number[]) runs.get(n)!.push(await once(n, r));
    }
    const points: SweepPoint[] = (sizes as number[]).map((n) => ({
      workers: n,
      startupMs: team.startupMs,
      runs: runs.get(n)!,
    }));
    return {
      workload: `work with serial fraction ${serialFraction}`,
      mode: 'threads',
      tasks: largest,
      repeats,
      baseline,
      points,
      env,
      params: { ...options.params },
      serialFraction,
      workMs,
    };
  } finally {
    await team.close();
  }
}
