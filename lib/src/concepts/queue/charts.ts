/**
 * The queue notebook's charts, each with its table: a task's round trip in each mode,
 * throughput against the number of workers (with the USL fitted), the law on paper for many
 * machines, and the run in which a worker was killed.
 */
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { timelineChart } from '../../charts/timeline';
import { summarize } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { times } from '../../core/words';
import type { Sweep } from '../../core/measure';
import type { Run } from '../../core/records';
import type { QueueScaling, Recovery, RoundTrip } from './run';
import { fitUsl, uslThroughput, type DistributedModel, type Usl } from './usl';

const ms = (v: number) =>
  v !== 0 && Math.abs(v) < 0.1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const perSecond = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}/s`;

/** The round trip of a task that does nothing, per mode: median bars, every run, and the numbers. */
export function roundTripChart(trip: RoundTrip): Figure {
  const modes = ['threads', 'processes', 'queue'] as const;
  const title = `A task that does nothing, ${trip.tasks} times on one worker: time per task`;
  const medians = Object.fromEntries(modes.map((m) => [m, summarize(trip.perTaskMs[m]).median]));
  const rows = [['mode', 'median', 'min', 'max', 'against processes']];
  for (const mode of modes) {
    const s = summarize(trip.perTaskMs[mode]);
    const ratio = s.median / medians.processes!;
    rows.push([
      mode,
      ms(s.median),
      ms(s.min),
      ms(s.max),
      mode === 'processes' ? '-' : ratio >= 1 ? `${times(ratio)} slower` : `${times(1 / ratio)} faster`,
    ]);
  }
  const busy = trip.brokerBusy
    .map((b) => `${b.workers} worker${b.workers === 1 ? '' : 's'}: ${ms(b.msPerJob)} per job`)
    .join('; ');
  return {
    title,
    data: sampleBars(
      modes.map((m) => ({ name: m, values: trip.perTaskMs[m], color: COLORS[m], text: ms(medians[m]!) })),
      'ms',
    ),
    layout: baseLayout(title, trip.env.cores, { yaxis: { title: { text: 'ms per task' }, rangemode: 'tozero' } }),
    table: `${textTable(rows)}\nthe broker's own time (its one thread, INFO commandstats): ${busy}`,
  };
}

/** Tasks per second of every run of a sweep point: tasks / wall time. */
function throughputs(sweep: Sweep, workers: number): number[] {
  const point = sweep.points.find((p) => p.workers === workers);
  return point ? point.runs.map((r) => (1000 * sweep.tasks) / r.wallMs) : [];
}

/** The measured (workers, throughput) points of a sweep, medians, for fitting. */
export function throughputPoints(sweep: Sweep): { n: number; x: number }[] {
  return sweep.points.map((p) => ({ n: p.workers, x: summarize(throughputs(sweep, p.workers)).median }));
}

/**
 * Throughput against workers for the process pool and the queue, the ideal (the sequential
 * rate times min(workers, cores)), and the USL fitted to the queue's points.
 */
export function throughputChart(scaling: QueueScaling, fit: Usl = fitUsl(throughputPoints(scaling.queue))): Figure {
  const { processes, queue, env } = scaling;
  const x = queue.points.map((p) => p.workers);
  const sequential = (1000 * queue.tasks) / summarize(queue.baseline.map((r) => r.wallMs)).median;
  const line = (sweep: Sweep, name: string, color: string | undefined): Trace => {
    const stats = x.map((n) => summarize(throughputs(sweep, n)));
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x,
      y: stats.map((s) => s.median),
      error_y: {
        type: 'data',
        symmetric: false,
        array: stats.map((s) => s.max - s.median),
        arrayminus: stats.map((s) => s.median - s.min),
      },
      line: { color },
    };
  };
  const ideal = x.map((n) => sequential * Math.min(n, env.cores, queue.tasks));
  const title = `${queue.tasks} tasks of ${queue.workload}: throughput against the number of workers`;
  const rows = [['workers', 'processes', 'queue', 'queue / processes', 'ideal', 'USL fit', 'broker per job']];
  for (const n of x) {
    const p = summarize(throughputs(processes, n)).median;
    const q = summarize(throughputs(queue, n)).median;
    rows.push([
      String(n),
      perSecond(p),
      perSecond(q),
      `${(q / p).toFixed(2)}x`,
      perSecond(sequential * Math.min(n, env.cores, queue.tasks)),
      perSecond(uslThroughput(fit, n)),
      ms(scaling.brokerBusy.find((b) => b.workers === n)?.msPerJob ?? NaN),
    ]);
  }
  return {
    title,
    data: [
      line(processes, 'process pool', COLORS.processes),
      line(queue, 'queue workers', COLORS.queue),
      {
        type: 'scatter',
        mode: 'lines',
        name: 'ideal: sequential rate x min(workers, cores)',
        x,
        y: ideal,
        line: { color: COLORS.ideal, dash: 'dash' },
      },
      {
        type: 'scatter',
        mode: 'lines',
        name: `USL fit to the queue: σ = ${fit.sigma.toFixed(3)}, κ = ${fit.kappa.toFixed(4)}`,
        x,
        y: x.map((n) => uslThroughput(fit, n)),
        line: { color: '#999', dash: 'dot' },
      },
    ],
    layout: baseLayout(title, env.cores, {
      xaxis: { title: { text: 'workers' }, dtick: 1 },
      yaxis: { title: { text: 'tasks per second' }, rangemode: 'tozero' },
    }),
    table:
      `${textTable(rows)}\nsequential: ${perSecond(sequential)}; USL fit: λ = ${perSecond(fit.lambda)}, ` +
      `σ = ${fit.sigma.toFixed(3)}, κ = ${fit.kappa.toFixed(4)}`,
  };
}

/** Worker counts the paper model is read at. */
export const PAPER_WORKERS = [8, 32, 128] as const;

/** The law on paper for workers on many machines: the ideal, the curve, the broker's ceiling. */
export function paperChart(model: DistributedModel, cores: number): Figure {
  const x = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
  const title = 'On paper: one worker per machine, one broker, a network between them';
  const rows = [['workers', 'ideal', 'USL', 'efficiency']];
  for (const n of [1, ...PAPER_WORKERS]) {
    const ideal = n * model.usl.lambda;
    const got = uslThroughput(model.usl, n);
    rows.push([String(n), perSecond(ideal), perSecond(got), `${((100 * got) / ideal).toFixed(0)}%`]);
  }
  const data: Trace[] = [
    {
      type: 'scatter',
      mode: 'lines',
      name: 'ideal: N x one worker',
      x,
      y: x.map((n) => n * model.usl.lambda),
      line: { color: COLORS.ideal, dash: 'dash' },
    },
    {
      type: 'scatter',
      mode: 'lines+markers',
      name: `USL: σ = ${model.usl.sigma.toFixed(4)}, κ = ${model.usl.kappa.toExponential(1)}`,
      x,
      y: x.map((n) => uslThroughput(model.usl, n)),
      line: { color: COLORS.queue },
    },
  ];
  if (Number.isFinite(model.brokerCeiling)) {
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `the broker's ceiling: 1 / ${ms(model.brokerBusyMs)} per job`,
      x,
      y: x.map(() => model.brokerCeiling),
      line: { color: COLORS.failed, dash: 'dot' },
    });
  }
  const stops = Number.isFinite(model.stopsPaying) ? String(model.stopsPaying) : 'never, up to a million';
  return {
    title,
    data,
    layout: baseLayout(title, cores, {
      xaxis: { title: { text: 'workers, each on a machine of its own' }, type: 'log' },
      yaxis: { title: { text: 'tasks per second' }, type: 'log' },
    }),
    table:
      `${textTable(rows)}\none worker's cycle: ${ms(model.taskMs)} of work + ${ms(model.brokerRoundTripMs)} broker ` +
      `round trip + ${ms(model.networkRttMs)} network = ${ms(model.cycleMs)}; the broker: ${ms(model.brokerBusyMs)} per job, ` +
      `+${ms(model.brokerBusyPerWorkerMs)} per extra worker\none more worker adds less than half a worker from ${stops} ` +
      `workers on; the peak is at ${Number.isFinite(model.peak) ? model.peak.toFixed(0) : 'no finite count'}`,
  };
}

/**
 * The run in which a worker was killed: a lane per worker process, the killed attempt in red
 * on the dead worker's lane, the kill marked.
 */
export function recoveryChart(rec: Recovery): Figure {
  const run = { ...rec.run, tasks: rec.lost ? [...rec.run.tasks, rec.lost] : rec.run.tasks };
  const figure = timelineChart(run, {
    title: `${rec.tasks} tasks, a worker killed mid-task: every task on the lane of the process that finished it`,
    lane: (t) => `${t.host ?? ''} · pid ${t.pid}${t.pid === rec.killed.pid ? ' (killed)' : ''}`,
    label: (t) => `task ${t.index}${(t.attempts ?? 1) > 1 ? ` (attempt ${t.attempts})` : ''}`,
  });
  const at = rec.killed.at - run.start;
  const layout = {
    ...figure.layout,
    shapes: [
      { type: 'line', x0: at, x1: at, y0: 0, y1: 1, yref: 'paper', line: { color: COLORS.failed, dash: 'dot' } },
    ],
    annotations: [{ x: at, y: 1, yref: 'paper', text: 'SIGKILL', showarrow: false, yanchor: 'bottom' }],
  };
  const lines = [
    figure.table,
    `killed: pid ${rec.killed.pid} at ${formatMs(at)}, running task ${rec.killed.index}`,
    rec.restart !== undefined
      ? `task ${rec.killed.index} started again at ${formatMs(rec.restart - run.start)} on another worker, ` +
        `${formatMs(rec.delayMs!)} after the kill`
      : `task ${rec.killed.index} was not seen starting again`,
  ];
  return { ...figure, layout, table: lines.join('\n') };
}

/** The first `rows` tasks of a queue run as a table: worker, and each of the job's times (ms from the run's start). */
export function jobTimesTable(run: Run, rows = 5): string {
  const at = (t: number | undefined) => (t === undefined ? '-' : (t - run.start).toFixed(1));
  const body = run.tasks
    .slice(0, rows)
    .map((t) => [
      String(t.index),
      `${t.host ?? 'here'} · ${t.pid}`,
      at(t.enqueued),
      at(t.started),
      at(t.start),
      at(t.end),
      at(t.finished),
    ]);
  return textTable([['task', 'worker', 'enqueued', 'taken', 'ran from', 'to', 'finished'], ...body]);
}
