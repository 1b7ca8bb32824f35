/** Notebook 05's charts: wall time per row, who ran what (one run of each row), and scaling with the pool size. */
import type { Figure } from '../../charts/figure';
import { scalingChart } from '../../charts/scaling';
import { timelineChart } from '../../charts/timeline';
import { wallTimeChart } from '../../charts/wall';
import type { Comparison } from '../../core/measure';
import type { CpuMeasured } from './summary';

/** One run of every row on one timeline (Node's warm rows and the Python programs), a lane per thread. */
function firstRunsChart(result: Comparison): Figure {
  const first = result.runs.filter((r) => r.repeat === 0 && !(r.origin === 'node' && r.startupMs !== undefined));
  return timelineChart(first, { title: 'One run of each row: a bar per task, a lane per thread' });
}

/** Every chart of the CPU experiment. */
export function cpuFigures(m: CpuMeasured): Figure[] {
  return [wallTimeChart(m.result), firstRunsChart(m.result), ...(m.scaling ? [scalingChart(m.scaling)] : [])];
}
