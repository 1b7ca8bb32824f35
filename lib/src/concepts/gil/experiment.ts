/** `concurrency-lab gil`: notebook 06's measurements, from its parameters. */
import { environment } from '../../core/environment';
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
  async measure(v, o) {
    const common = { repeats: v.repeats as number, params: v, onProgress: o.onProgress };
    const [count, num, threads, switchIntervalMs] = [v.count, v.num, v.threads, v.switchIntervalMs] as number[];
    const loop = await blockTheLoop({ count: v.loopCount as number, num, params: v, onProgress: o.onProgress });
    const peers =
      v.python && threads! > 1 ? gilPythonPeers({ count: count!, num: num!, threads: threads!, switchIntervalMs }) : [];
    const cpu = await compareGil({
      ...common,
      inputs: Array<number>(count!).fill(num!),
      threads,
      switchIntervalMs,
      peers,
    });
    const io = await compareGil({
      ...common,
      workload: 'steps',
      inputs: ioTasks(v.ioCount as number, v.ioWaitMs as number),
      threads: v.ioThreads as number,
      switchIntervalMs,
    });
    const switches = await sweepSwitchInterval({
      ...common,
      count: v.sweepCount as number,
      num: num!,
      threads: 2,
      intervals: v.intervals as number[],
    });
    const most = (v.amdahlMax as number) || 2 * environment().cores;
    const amdahl = await measureAmdahl({
      ...common,
      serialFraction: v.serialFraction as number,
      workMs: v.amdahlWorkMs as number,
      workers: Array.from({ length: most }, (_, i) => i + 1),
    });
    return { loop, cpu, io, switches, amdahl };
  },
  report,
};
