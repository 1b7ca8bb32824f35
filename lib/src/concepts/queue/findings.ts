/** "What we measured" for notebook 07 and its headline, from its summary. */
import { describeCores } from '../../core/environment';
import { runsOf } from '../../core/measure';
import type { Environment } from '../../core/records';
import { median } from '../../core/stats';
import { formatMs } from '../../core/summary';
import { compareTimes, count, percent, times, versus } from '../../core/words';
import { ms, PAPER_WORKERS, perSecond, type QueueMeasured, type QueueSummary } from './summary';
import { distributedModel, uslPeak, uslThroughput, type DistributedModel } from './usl';

const rate = (v: number) => perSecond(v, ' tasks/s');

/**
 * `lead` and the queue's throughput against the process pool's ("': the queue reached 84% of
 * ..."), or which side's every task failed: its time is how long failing took, nothing to compare.
 */
function reached(s: QueueSummary, m: QueueMeasured, lead: string): string {
  const c = m.comparison;
  const noWork = (mode: string) => {
    const row = c.rows.find(
      (r) => r.mode === mode && r.workers === s.workers && (mode !== 'queue' || r.origin === 'node'),
    );
    const runs = row ? runsOf(c, row.label) : [];
    return runs.length > 0 && runs.every((r) => r.tasks.length > 0 && r.tasks.failed().length === r.tasks.length);
  };
  const failed = noWork('queue') ? 'the queue' : noWork('processes') ? 'the process pool' : undefined;
  if (failed) return `: every task of ${failed} failed, so there is no throughput to compare`;
  const cmp = compareTimes(s.queueWalls, s.processWalls);
  const ratio = median(s.processWalls) / median(s.queueWalls);
  return cmp.direction === 'same'
    ? `${lead} about the process pool's throughput ${cmp.words.replace(/^no measurable difference /, '')}`
    : `${lead} ${ratio < 1 ? `${percent(ratio)} of` : times(ratio)} the process pool's throughput (${cmp.direction} beyond the runs' noise)`;
}

function tripLine(t: NonNullable<QueueSummary['trip']>): string {
  const [q, p, th] = [median(t.queue), median(t.processes), median(t.threads)];
  const c = compareTimes(t.queue, t.processes);
  const against =
    c.direction === 'same'
      ? `showed ${versus(t.queue, t.processes, 'the process pool')}`
      : `was ${c.words} than the process pool`;
  return (
    `- **What a task costs the queue.** A task that does nothing took ${ms(q)} through the queue, ${ms(p)} in the process pool ` +
    `and ${ms(th)} in the thread pool (one worker each, medians of ${count(t.queue.length, 'run')}): per task the queue ${against}. ` +
    `Of its time, Redis's one thread spent ${ms(t.brokerMsPerJob)} per job on BullMQ's scripts; the rest is the trips between ` +
    'worker, broker and this process, and the result coming back as an event.'
  );
}

function paperLine(model: DistributedModel): string {
  const paper = PAPER_WORKERS.map((n) => {
    const x = uslThroughput(model.usl, n);
    return `${n}: ${rate(x)} (${percent(x / (n * model.usl.lambda))} of ideal)`;
  }).join(', ');
  const n = model.stopsPaying;
  let stops = 'One more worker adds at least half a worker at every count we could compute.';
  if (Number.isFinite(n)) {
    const x = uslThroughput(model.usl, n);
    const busy = (x * (model.brokerBusyMs + model.brokerBusyPerWorkerMs * (n - 1))) / 1000;
    stops =
      `From ${count(n, 'worker')} on, one more adds less than half a worker's throughput: there the law puts each worker at ` +
      `${percent(x / (n * model.usl.lambda))} of ideal, with the broker's thread ${percent(Math.min(1, busy))} busy.`;
  }
  const small = distributedModel({ ...model, taskMs: 1 });
  const smallStops = Number.isFinite(small.stopsPaying) ? `${small.stopsPaying} workers` : 'no count we could compute';
  const growth =
    model.brokerBusyPerWorkerMs > 0
      ? `each extra worker adds ${ms(model.brokerBusyPerWorkerMs)} of broker time per job (κ = ${model.usl.kappa.toExponential(1)})`
      : 'more workers added no measurable broker time per job here (κ = 0)';
  return (
    `- **Beyond this machine, on paper.** One worker per machine, each task a cycle of ${ms(model.cycleMs)} (${ms(model.taskMs)} of work, ` +
    `the ${ms(model.brokerRoundTripMs)} broker round trip, a ${ms(model.networkRttMs)} network round trip): the broker's one thread is ` +
    `busy ${ms(model.brokerBusyMs)} per job, so σ = ${model.usl.sigma.toExponential(1)} and its ceiling is ${rate(model.brokerCeiling)}; ${growth}. ` +
    `Throughput at ${paper}. ${stops} With 1 ms tasks the same broker would reach that point at ${smallStops}: the shorter the task, ` +
    'the sooner the broker is the limit.'
  );
}

/** The findings of a queue measurement, in markdown, and its headline. */
export function queueFindings(s: QueueSummary, m: QueueMeasured, env: Environment) {
  const lines = [
    `On this machine (${describeCores(env)}, ${env.cpuModel}, Node ${env.node}), with the broker on the same machine:`,
    '',
  ];
  if (s.trip) lines.push(tripLine(s.trip));
  const work = `${m.comparison.tasks} x ${m.comparison.workload}${typeof m.comparison.params.num === 'number' ? `(${m.comparison.params.num})` : ''}`;
  const both = s.queueWalls.length > 0 && s.processWalls.length > 0;
  if (both) {
    const overhead = s.trip ? median(s.trip.queue) : undefined;
    const share =
      overhead !== undefined && s.taskMs > 0
        ? ` A task's work took ${ms(s.taskMs)}; the queue's own ${ms(overhead)} per task is ${percent(overhead / s.taskMs)} on top of it.`
        : '';
    lines.push(
      `- **The same CPU work.** ${work} on ${count(s.workers, 'worker')}${reached(s, m, ': the queue reached')}.${share}`,
    );
  }
  if (s.scale.length && s.fit) {
    const best = s.scale.reduce((a, b) => (median(b.queue) > median(a.queue) ? b : a)).workers;
    const peak = uslPeak(s.fit);
    const most = Math.max(...s.scale.map((p) => p.workers));
    const turns =
      most > env.cores
        ? ` Past ${count(env.cores, 'worker')} these workers take turns on ${count(env.cores, 'core')} with each other, Redis and this process, which the fit counts as contention and coherency too.`
        : '';
    lines.push(
      `- **Scaling here.** On ${most === 1 ? 'one queue worker' : `1 to ${most} queue workers`} the USL fits with σ = ${s.fit.sigma.toFixed(3)} and κ = ${s.fit.kappa.toFixed(4)}, ` +
        `λ = ${rate(s.fit.lambda)} for one worker${Number.isFinite(peak) ? `; the fitted curve peaks near ${peak.toFixed(1)} workers` : ''}. ` +
        `The most throughput was measured at ${count(best, 'worker')}.${turns}`,
    );
  }
  if (s.model && Number.isFinite(s.model.cycleMs)) lines.push(paperLine(s.model));
  for (const r of [m.recovery, m.cut]) {
    if (!r) continue;
    const { pid, host, index, how } = r.killed;
    const what =
      how === 'cut'
        ? `**A host cut off mid-task.** ${host}'s link went down while its worker (pid ${pid}) ran task ${index}.`
        : `**A worker killed mid-task.** Worker pid ${pid} was killed with SIGKILL while it ran task ${index}.`;
    const again =
      r.delayMs === undefined
        ? ' It was not seen starting again.'
        : ` Another worker started it again ${formatMs(r.delayMs)} after the ${how === 'cut' ? 'cut' : 'kill'}.`;
    const twice = r.ranTwice.length ? `task ${r.ranTwice.join(', ')} ran twice` : 'no task ran twice';
    lines.push(
      `- ${what}${again} ` +
        `${r.completed} of ${count(r.tasks, 'task')} completed; ${twice}, and ${r.countedOnce ? 'each task has exactly one record' : 'some tasks do not have exactly one record'}` +
        `${r.completed === r.tasks && r.countedOnce ? ': nothing was lost' : ''}.`,
    );
  }
  const head = `BullMQ on Redis, on ${count(env.cores, 'core')}`;
  const trip = s.trip
    ? `: a task's round trip cost ${ms(median(s.trip.queue))} against ${ms(median(s.trip.processes))} in the process pool`
    : '';
  const ran = both ? `${trip ? ';' : ':'} ${count(s.workers, 'queue worker')} ran ${work}${reached(s, m, ' at')}` : '';
  return { findings: lines.join('\n'), headline: `${head}${trip}${ran}` };
}
