/** `concurrency-lab cpu`: the course's triple loop in every mode, as notebook 05 measures it. */
import { compare, sweep } from '../../core/measure';
import type { Mode } from '../../core/records';
import type { Experiment } from '../../core/report';
import { cpuPeers } from '../../python/peers';
import { CPU_PARAMS } from './params';
import { report } from './report';
import type { CpuMeasured } from './summary';

/** The CPU experiment: `count` x cpu(num) in every mode, with the Python programs and a sweep when asked. */
export const experiment: Experiment<CpuMeasured> = {
  name: 'cpu',
  notebook: '05-cpu-bound',
  summary: "the course's CPU-bound triple loop (BigInt), as in notebook 05-cpu-bound",
  params: CPU_PARAMS,
  cliDefaults: { python: false, repeats: 3 },
  compares: true,
  async measure(v, o) {
    const inputs = Array.from({ length: v.count as number }, () => v.num as number);
    const runs = v.repeats ? { repeats: v.repeats as number } : { budgetMs: v.budgetMs as number };
    const common = {
      workload: 'cpu',
      timeoutMs: o.timeoutMs,
      warmup: o.warmup,
      minRuns: o.minRuns,
      maxRuns: o.maxRuns,
      onProgress: o.onProgress,
    };
    const python = v.python as boolean;
    const result = await compare({
      ...common,
      ...runs,
      inputs,
      workers: v.workers as number,
      ...(o.modes ? { modes: o.modes as Mode[] } : {}),
      endToEnd: python,
      peers: python ? cpuPeers({ count: v.count as number, num: v.num as number, workers: v.workers as number }) : [],
      params: v,
    });
    if (!o.sweep) return { result };
    const scaling = await sweep({
      ...common,
      inputs: Array.from({ length: v.sweepCount as number }, () => v.num as number),
      mode: o.sweep.mode as Mode,
      workers: o.sweep.workers,
      repeats: v.sweepRepeats as number,
      params: v,
    });
    return { result, scaling };
  },
  report,
};
