/** Notebook 06 as one report, and `concurrency-lab gil`: its measurements, from its parameters. */
import { runsOf } from '../../core/measure';
import type { ParamValues } from '../../core/params';
import type { Experiment, Report } from '../../core/report';
import { amdahlChart, gilChart, lockTimelineChart, switchSweepChart } from './charts';
import { gilFindings } from './findings';
import { loopCharts, loopSummaryChart } from './loop-charts';
import { blockTheLoop } from './loop-run';
import { GIL_PARAMS } from './params';
import { compareGil, GIL_ROWS, gilPythonPeers, measureAmdahl, sweepSwitchInterval } from './run';
import type { GilMeasured } from './summary';
import { ioTasks } from './work';

/** Everything a reader sees of notebook 06's measurements (`show(gil.report({ loop, cpu, io, switches, amdahl }))`). */
export function report(m: GilMeasured): Report {
  const any = m.cpu ?? m.loop ?? m.io ?? m.switches ?? m.amdahl;
  if (!any) throw new Error('gil.report needs at least one measurement');
  const first = m.cpu && runsOf(m.cpu, GIL_ROWS.locked)[0];
  return {
    name: 'gil',
    title: 'GIL-like limits: the event loop, a simulated global lock, Amdahl',
    ...gilFindings(m),
    figures: [
      ...(m.loop ? [...loopCharts(m.loop), loopSummaryChart(m.loop)] : []),
      ...(m.cpu ? [gilChart(m.cpu)] : []),
      ...(first ? [lockTimelineChart(first)] : []),
      ...(m.io ? [gilChart(m.io, { io: true })] : []),
      ...(m.switches ? [switchSweepChart(m.switches)] : []),
      ...(m.amdahl ? [amdahlChart(m.amdahl)] : []),
    ],
    results: Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)),
    env: any.env,
    params: any.params,
  };
}

/** Everything notebook 06 measures: the loop, the lock on CPU and on waiting tasks, the switch interval, Amdahl. */
export const experiment: Experiment<GilMeasured> = {
  name: 'gil',
  notebook: '06-gil-like-limits',
  summary: "a simulated global lock that reproduces Python's result, as in notebook 06-gil-like-limits",
  params: GIL_PARAMS,
  // Its tasks cannot be bounded one by one: --timeout-ms bounds the whole run.
  runTimeout: true,
  cliDefaults: { python: false },
  async measure(p, o) {
    const v = p as ParamValues<typeof GIL_PARAMS>;
    const common = { repeats: v.repeats, params: v, onProgress: o.onProgress };
    const { count, num, threads, switchIntervalMs } = v;
    const loop = await blockTheLoop({ count: v.loopCount, num, params: v, onProgress: o.onProgress });
    const peers = v.python && threads > 1 ? gilPythonPeers({ count, num, threads, switchIntervalMs }) : [];
    const cpu = await compareGil({ ...common, inputs: Array(count).fill(num), threads, switchIntervalMs, peers });
    const inputs = ioTasks(v.ioCount, v.ioWaitMs);
    const io = await compareGil({ ...common, workload: 'steps', inputs, threads: v.ioThreads, switchIntervalMs });
    const { sweepCount, intervals, serialFraction, amdahlWorkMs: workMs } = v;
    const switches = await sweepSwitchInterval({ ...common, count: sweepCount, num, threads, intervals });
    const sizes = v.amdahlMax ? Array.from({ length: v.amdahlMax }, (_, i) => i + 1) : undefined; // 0: 1 to 2 x cores
    const amdahl = await measureAmdahl({ ...common, serialFraction, workMs, workers: sizes });
    return { loop, cpu, io, switches, amdahl };
  },
  report,
};
