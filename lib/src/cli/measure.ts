/** Runs a prepared experiment: the comparison of every chosen mode, then the pool-size sweep if asked for. */
import { compare, sweep, type Comparison, type Sweep } from '../core/measure';
import type { Prepared } from './experiment';
import type { CommonFlags } from './flags';
import type { ProgressReporter } from './progress';

/** What one command-line run measured. */
export interface Measured {
  comparison: Comparison;
  sweep?: Sweep;
}

/** Tasks the run will time in all (warm-up not counted): what the progress bar counts to. */
export function plannedTasks(prepared: Prepared, flags: CommonFlags): number {
  const perPass = prepared.inputs.length;
  const endToEnd = prepared.endToEnd ? flags.modes.filter((m) => m === 'threads' || m === 'processes').length : 0;
  const peers = (prepared.peers ?? []).filter((p) => !p.unavailable).length;
  const compared = (flags.modes.length + endToEnd + peers) * flags.repeats * perPass;
  const swept = flags.sweep ? (1 + flags.sweepWorkers.length) * flags.repeats * perPass : 0;
  return compared + swept;
}

/** Measures the experiment with its flags, reporting progress as it goes. */
export async function measureExperiment(
  prepared: Prepared,
  flags: CommonFlags,
  progress: ProgressReporter,
): Promise<Measured> {
  const common = {
    workload: prepared.workload,
    inputs: prepared.inputs,
    repeats: flags.repeats,
    warmup: flags.warmup,
    timeoutMs: flags.timeoutMs,
    modeOptions: prepared.modeOptions,
  };
  const comparison = await compare({
    ...common,
    modes: flags.modes,
    workers: flags.workers,
    ...(prepared.peers ? { peers: prepared.peers } : {}),
    ...(prepared.endToEnd ? { endToEnd: true } : {}),
    params: {
      ...prepared.params,
      modes: flags.modes,
      workers: flags.workers,
      repeats: flags.repeats,
      warmup: flags.warmup,
      ...(flags.timeoutMs === undefined ? {} : { timeoutMs: flags.timeoutMs }),
    },
    onProgress: progress.listener('compare'),
  });
  if (!flags.sweep) return { comparison };
  const scaling = await sweep({
    ...common,
    mode: flags.sweepMode,
    workers: flags.sweepWorkers,
    params: {
      ...prepared.params,
      sweepMode: flags.sweepMode,
      sweepWorkers: flags.sweepWorkers,
      repeats: flags.repeats,
    },
    onProgress: progress.listener('sweep'),
  });
  return { comparison, sweep: scaling };
}
