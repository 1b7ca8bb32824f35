/** `concurrency-lab gil`: notebook 06's measurements, from its parameters. */
import { environment } from '../../core/environment';
import type { ParamValues } from '../../core/params';
import type { Experiment } from '../../core/report';
import { blockTheLoop } from './loop-run';
import { GIL_PARAMS } from './params';
import { report } from './report';
import { compareGil, gilPythonPeers, measureAmdahl, sweepSwitchInterval } from './run';
import type { GilMeasured } from './summary';
import { ioTasks } from './work';

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
    const cpu = await compareGil({
      ...common,
      inputs: Array<number>(count).fill(num),
      threads,
      switchIntervalMs,
      peers,
    });
    const inputs = ioTasks(v.ioCount, v.ioWaitMs);
    const io = await compareGil({ ...common, workload: 'steps', inputs, threads: v.ioThreads, switchIntervalMs });
    const switches = await sweepSwitchInterval({
      ...common,
      count: v.sweepCount,
      num,
      threads: 2,
      intervals: v.intervals,
    });
    const sizes = Array.from({ length: v.amdahlMax || 2 * environment().cores }, (_, i) => i + 1);
    const amdahl = await measureAmdahl({
      ...common,
      serialFraction: v.serialFraction,
      workMs: v.amdahlWorkMs,
      workers: sizes,
    });
    return { loop, cpu, io, switches, amdahl };
  },
  report,
};
