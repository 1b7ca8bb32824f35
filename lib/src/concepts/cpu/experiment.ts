/** The CPU experiment (notebook 05, `concurrency-lab cpu`): the course's triple loop in every mode, and its report. */
import { compare, sweep } from '../../core/measure';
import type { Mode } from '../../core/records';
import type { Experiment, Report } from '../../core/report';
import { cpuPeers } from '../../python/peers';
import { cpuFigures } from './charts';
import { cpuFindings } from './findings';
import { CPU_PARAMS } from './params';
import { cpuSummary, type CpuMeasured } from './summary';

/** Everything a reader sees of a CPU measurement (`show(cpu.report({ result, scaling }))`). */
export function report(m: CpuMeasured): Report {
  return {
    name: 'cpu',
    title: `CPU-bound work in every mode: ${m.result.tasks} tasks`,
    ...cpuFindings(cpuSummary(m), m.result.env),
    figures: cpuFigures(m),
    results: { compare: m.result, ...(m.scaling && { scaling: m.scaling }) },
    env: m.result.env,
    params: m.result.params,
  };
}

/** The CPU experiment: `count` x cpu(num) in every mode, with the Python programs and a sweep when asked. */
export const experiment: Experiment<CpuMeasured> = {
  name: 'cpu',
  notebook: '05-cpu-bound',
  summary: "the course's CPU-bound triple loop (BigInt), as in notebook 05-cpu-bound",
  params: CPU_PARAMS,
  cliDefaults: { python: false, repeats: 3 },
  compares: true,
  async measure(v, o) {
    const [count, num, workers] = [v.count as number, v.num as number, v.workers as number];
    const { timeoutMs, warmup, minRuns, maxRuns, onProgress } = o;
    const common = { workload: 'cpu', timeoutMs, warmup, minRuns, maxRuns, onProgress, params: v };
    const result = await compare({
      ...common,
      ...(v.repeats ? { repeats: v.repeats as number } : { budgetMs: v.budgetMs as number }),
      inputs: Array<number>(count).fill(num),
      workers,
      ...(o.modes && { modes: o.modes as Mode[] }),
      endToEnd: v.python as boolean,
      peers: v.python ? cpuPeers({ count, num, workers }) : [],
    });
    if (!o.sweep) return { result };
    const [inputs, repeats] = [Array<number>(v.sweepCount as number).fill(num), v.sweepRepeats as number];
    const scaling = await sweep({ ...common, inputs, mode: o.sweep.mode as Mode, workers: o.sweep.workers, repeats });
    return { result, scaling };
  },
  report,
};
