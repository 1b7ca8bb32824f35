/** The numbers of notebook 05 and `concurrency-lab cpu`, which its charts and findings both read. */
import { meanWait, mostAtOnceOf, taskTimes } from '../../core/evidence';
import { runsOf, type Comparison } from '../../core/measure';
import { median } from '../../core/stats';
import { scalingPoints, summaries, type RowSummary } from '../../core/summary';

/** What the CPU experiment measured: every mode (and the Python programs), and optionally a pool-size sweep. */
export interface CpuMeasured {
  result: Comparison;
  scaling?: Comparison;
}

/** One row's numbers and what its task records show. */
export interface CpuRow extends RowSummary {
  walls: number[];
  /** Its baseline's wall times (empty without one). */
  baseWalls: number[];
  /** Tasks in progress at once, at most. */
  atOnce: number;
  /** Each task's time inside its worker. */
  taskMs: number[];
  /** Mean time a worker waited before each task. */
  waitMs: number;
  /** For a Python row: false when the Python that ran it is a free-threaded build (no GIL). */
  gilEnabled?: boolean;
}

/** The CPU experiment's numbers. */
export interface CpuSummary {
  /** "20 x cpu(30)", or "20 tasks". */
  work: string;
  tasks: number;
  cores: number;
  rows: CpuRow[];
  /** Rows that could not run here (a Python program), each with the one line that says why. */
  skipped: Comparison['skipped'];
  scaling?: ReturnType<typeof scalingPoints> & { rows: CpuRow[] };
}

/** "20 x cpu(30)" when the parameters name the input, else "20 tasks". */
export function workOf(c: Comparison): string {
  const num = c.params.num;
  return typeof num === 'number' ? `${c.tasks} x ${c.workload}(${num})` : `${c.tasks} task${c.tasks === 1 ? '' : 's'}`;
}

function rowsOf(c: Comparison): CpuRow[] {
  return summaries(c).map((s) => {
    const runs = runsOf(c, s.label);
    return {
      ...s,
      walls: runs.map((r) => r.wallMs),
      baseWalls: s.baseline ? runsOf(c, s.baseline).map((r) => r.wallMs) : [],
      atOnce: mostAtOnceOf(runs),
      taskMs: taskTimes(runs),
      waitMs: meanWait(runs),
      ...(runs.some((r) => r.detail?.gilEnabled === false) ? { gilEnabled: false } : {}),
    };
  });
}

/** Reads a CPU measurement. */
export function cpuSummary(m: CpuMeasured): CpuSummary {
  const rows = rowsOf(m.result);
  return {
    work: workOf(m.result),
    tasks: m.result.tasks,
    cores: m.result.env.cores,
    rows,
    skipped: m.result.skipped,
    ...(m.scaling ? { scaling: { ...scalingPoints(m.scaling), rows: rowsOf(m.scaling) } } : {}),
  };
}

/** The median task time of a row, or NaN without one. */
export function medianTask(row: Pick<CpuRow, 'taskMs'> | undefined): number {
  return row && row.taskMs.length ? median(row.taskMs) : NaN;
}
