/** Notebook 05's charts: wall time per row, who ran what (one run of each row), and scaling with the pool size. */
import type { Figure } from '../../charts/figure';
import { scalingChart } from '../../charts/scaling';
import { timelineChart } from '../../charts/timeline';
import { wallTimeChart } from '../../charts/wall';
import type { CpuMeasured } from './summary';

/** Every chart; the timeline has one run of every row (Node's warm rows, the Python programs), a lane per thread. */
export function cpuFigures({ result, scaling }: CpuMeasured): Figure[] {
  const first = result.runs.filter((r) => r.repeat === 0 && !(r.origin === 'node' && r.startupMs !== undefined));
  const timeline = timelineChart(first, { title: 'One run of each row: a bar per task, a lane per thread' });
  return [wallTimeChart(result), timeline, ...(scaling ? [scalingChart(scaling)] : [])];
}
