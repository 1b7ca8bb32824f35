/** "What we measured" for notebook 07, written from the numbers of this run. */
import type { Comparison } from '../../core/measure';
import { summarize } from '../../core/stats';
import { formatMs } from '../../core/summary';
import { compareTimes, count, times } from '../../core/words';
import { PAPER_WORKERS, throughputPoints } from './charts';
import type { QueueScaling, Recovery, RoundTrip } from './run';
import { distributedModel, uslPeak, uslThroughput, type DistributedModel, type Usl } from './usl';

/** Everything the notebook measured, for its findings. */
export interface QueueMeasurements {
  /** The CPU tasks in the process pool and on queue workers (and sequential, if run). */
  comparison: Comparison;
  trip: RoundTrip;
  scaling: QueueScaling;
  /** The USL fitted to the queue's throughput here. */
  fit: Usl;
  /** The law on paper for many machines. */
  model: DistributedModel;
  recovery?: Recovery;
}

const ms = (v: number) =>
  v !== 0 && Math.abs(v) < 0.1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const rate = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} tasks/s`;
/** A throughput ratio as the reader says it: "96% of" below 1, "1.2x" above. */
const share = (ratio: number) => (ratio < 1 ? `${(100 * ratio).toFixed(0)}% of` : times(ratio));
const medianOf = (values: readonly number[]) => summarize(values).median;

/** Per-task time of a task that does nothing: queue against the process pool, as numbers and words. */
export function roundTripSummary(trip: RoundTrip): {
  queueMs: number;
  processesMs: number;
  threadsMs: number;
  words: string;
} {
  const queueMs = medianOf(trip.perTaskMs.queue);
  const processesMs = medianOf(trip.perTaskMs.processes);
  const threadsMs = medianOf(trip.perTaskMs.threads);
  const words = compareTimes({ runs: trip.perTaskMs.queue }, { runs: trip.perTaskMs.processes }).words;
  return { queueMs, processesMs, threadsMs, words };
}

/** The CPU comparison: queue throughput over the process pool's at the same worker count. */
export function throughputRatio(comparison: Comparison): { ratio: number; words: string; workers: number } {
  const walls = (mode: string) => comparison.runs.filter((r) => r.mode === mode).map((r) => r.wallMs);
  const q = walls('queue');
  const p = walls('processes');
  const c = compareTimes({ runs: q }, { runs: p });
  return {
    ratio: medianOf(p) / medianOf(q),
    words: c.direction === 'same' ? c.words.replace(/ \((.*)\)$/, ': $1') : `the queue was ${c.words}`,
    workers: comparison.workers,
  };
}

/** "100 x cpu(30)": the tasks of a comparison, with the input when every task had the same one. */
function tasksOf(comparison: Comparison): string {
  const num = comparison.params.num;
  return `${comparison.tasks} x ${comparison.workload}${typeof num === 'number' ? `(${num})` : ''}`;
}

/** Markdown that reads every part of the notebook, from this run's numbers. */
export function queueFindings(m: QueueMeasurements): string {
  const { comparison, trip, scaling, fit, model, recovery } = m;
  const env = comparison.env;
  const lines: string[] = [
    `On this machine (${count(env.cores, 'core')}, ${env.cpuModel}, Node ${env.node}), with the broker on the same machine:`,
    '',
  ];
  const t = roundTripSummary(trip);
  const busy = trip.brokerBusy[0]!;
  lines.push(
    `- **What a task costs the queue.** A task that does nothing took ${ms(t.queueMs)} through the queue, ` +
      `${ms(t.processesMs)} in the process pool and ${ms(t.threadsMs)} in the thread pool (one worker each, the median ` +
      `of ${count(trip.perTaskMs.queue.length, 'run')}): the queue was ${t.words} than the process pool per task. ` +
      `Of that, Redis's one thread spent ${ms(busy.msPerJob)} per job on BullMQ's scripts; the rest is the trips ` +
      'between worker, broker and this process, and the result coming back as an event.',
  );
  const r = throughputRatio(comparison);
  lines.push(
    `- **The same CPU work.** ${tasksOf(comparison)} on ${count(r.workers, 'worker')}: ` +
      `the queue reached ${share(r.ratio)} the process pool's throughput (${r.words}). ` +
      `Each task's work took ${ms(scaling.taskMs)}, so the queue's ${ms(t.queueMs)} per task is ` +
      `${((100 * t.queueMs) / (scaling.taskMs + t.queueMs)).toFixed(1)}% of it.`,
  );
  const sizes = scaling.queue.points.map((p) => p.workers);
  const measured = throughputPoints(scaling.queue);
  const best = measured.reduce((a, b) => (b.x > a.x ? b : a)).n;
  const peak = uslPeak(fit);
  lines.push(
    `- **Scaling here.** On 1 to ${Math.max(...sizes)} queue workers the USL fits with σ = ${fit.sigma.toFixed(3)} ` +
      `(contention) and κ = ${fit.kappa.toFixed(4)} (coherency), λ = ${rate(fit.lambda)} for one worker. ` +
      `These workers share ${count(env.cores, 'core')} with each other, Redis and this kernel, so past ${env.cores} ` +
      `they take turns: that is most of what σ and κ measure here${
        Number.isFinite(peak) ? `, and why the fitted curve peaks near ${peak.toFixed(1)} workers` : ''
      }. The most throughput was measured at ${count(best, 'worker')}.`,
  );
  const paper = PAPER_WORKERS.map((n) => {
    const x = uslThroughput(model.usl, n);
    return `${n}: ${rate(x)} (${((100 * x) / (n * model.usl.lambda)).toFixed(0)}% of ideal)`;
  }).join(', ');
  const small = distributedModel({ ...model, taskMs: 1 });
  const stops = (v: number) => (Number.isFinite(v) ? `${v} workers` : 'no worker count we could compute');
  lines.push(
    `- **Beyond this machine, on paper.** One worker per machine, each task a cycle of ${ms(model.cycleMs)} ` +
      `(${ms(model.taskMs)} of work, the ${ms(model.brokerRoundTripMs)} broker round trip, a ${ms(model.networkRttMs)} ` +
      `network round trip): the broker's one thread is busy ${ms(model.brokerBusyMs)} per job, so σ = ` +
      `${model.usl.sigma.toExponential(1)} and its ceiling is ${rate(model.brokerCeiling)}; ${
        model.brokerBusyPerWorkerMs > 0
          ? `each extra worker adds ${ms(model.brokerBusyPerWorkerMs)} of broker time per job (κ = ${model.usl.kappa.toExponential(1)})`
          : 'more workers added no measurable broker time per job here (κ = 0; a larger sweep may find some)'
      }. ` +
      `Throughput at ${paper}. Adding machines stops paying (one more adds less than half a worker) at ` +
      `${stops(model.stopsPaying)}: beyond that the workers mostly wait for the one broker thread, not for work. ` +
      `The same broker with 1 ms tasks would stop paying at ${stops(small.stopsPaying)}: the shorter the task, the ` +
      'sooner the broker is the bottleneck. Bigger tasks, or several queues on several brokers, move the limit out.',
  );
  if (recovery) {
    const k = recovery.killed;
    const again =
      recovery.delayMs === undefined
        ? ''
        : `, and another worker started it again ${formatMs(recovery.delayMs)} after the kill`;
    const complete = recovery.completed === recovery.tasks && recovery.countedOnce;
    lines.push(
      `- **A worker killed mid-task.** Worker pid ${k.pid} was killed with SIGKILL while it ran task ${k.index}. Its job ` +
        `stayed "active" until its lock ran out; BullMQ's stalled check then put it back on the queue${again}. ` +
        `${recovery.completed} of ${count(recovery.tasks, 'task')} completed; ${
          recovery.ranTwice.length ? `task ${recovery.ranTwice.join(', ')} ran twice` : 'no task ran twice'
        } and ${recovery.countedOnce ? 'each is counted once' : 'some were counted twice'}${complete ? ': nothing was lost' : ''}. ` +
        'The delay is the price of not knowing a worker is dead: the lock (stallMs) is how long the broker waits for a heartbeat.',
    );
  }
  lines.push(
    '',
    `These are one run's numbers on a machine that may be doing other things; the spread between repeats is in each ` +
      "chart's table. Where two results overlap, the text says there is no measurable difference.",
  );
  return lines.join('\n');
}

/** One line for the index page. */
export function queueHeadline(m: Pick<QueueMeasurements, 'comparison' | 'trip'>): string {
  const t = roundTripSummary(m.trip);
  const r = throughputRatio(m.comparison);
  return (
    `BullMQ on Redis: a task's round trip cost ${ms(t.queueMs)} against ${ms(t.processesMs)} in the process pool; ` +
    `${count(r.workers, 'queue worker')} ran ${tasksOf(m.comparison)} at ${share(r.ratio)} the ` +
    `process pool's throughput, on ${count(m.comparison.env.cores, 'core')}`
  );
}
