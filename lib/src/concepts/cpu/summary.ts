/** The numbers of notebook 05 and `concurrency-lab cpu`, which its charts and findings both read. */
import { meanWait, mostAtOnceOf, taskTimes } from '../../core/evidence';
import { runsOf, type Comparison } from '../../core/measure';
import { median } from '../../core/stats';
import { scalingPoints, summaries } from '../../core/summary';
import { count } from '../../core/words';

/** What the CPU experiment measured: every mode (and the Python programs), and optionally a pool-size sweep. */
export type CpuMeasured = { result: Comparison; scaling?: Comparison };

/** The CPU experiment's numbers: the work ("20 x cpu(30)", or "20 tasks"), its rows, those that could not run. */
export type CpuSummary = ReturnType<typeof cpuSummary>;

/** One row's numbers and what its task records show. */
export type CpuRow = CpuSummary['rows'][number];

/** Each row with its wall times, its baseline's, the most tasks at once, task times and median, waits, Python's GIL. */
function rowsOf(c: Comparison) {
  return summaries(c).map((s) => {
    const runs = runsOf(c, s.label);
    const taskMs = taskTimes(runs);
    return {
      ...s,
      walls: runs.map((r) => r.wallMs),
      baseWalls: s.baseline ? runsOf(c, s.baseline).map((r) => r.wallMs) : [],
      atOnce: mostAtOnceOf(runs),
      taskMs,
      taskMedian: taskMs.length ? median(taskMs) : NaN,
      waitMs: meanWait(runs),
      gilEnabled: !runs.some((r) => r.detail?.gilEnabled === false),
    };
  });
}

export function cpuSummary({ result, scaling }: CpuMeasured) {
  const num = result.params.num;
  return {
    work: typeof num === 'number' ? `${result.tasks} x ${result.workload}(${num})` : count(result.tasks, 'task'),
    cores: result.env.cores,
    rows: rowsOf(result),
    skipped: result.skipped,
    scaling: scaling && { ...scalingPoints(scaling), rows: rowsOf(scaling) },
  };
}
