/**
 * The queue notebook's charts, each with its table: a task's round trip in each mode,
 * throughput against the number of workers (with the USL fitted), the law on paper for many
 * machines, and the run in which a worker was killed.
 */
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { timelineChart } from '../../charts/timeline';
import type { Run } from '../../core/records';
import { median, summarize } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { Tasks } from '../../core/records';
import { compareTimes, count } from '../../core/words';
import type { JobTimeline } from './executor';
import type { Recovery } from './recovery';
import type { Comparison } from '../../core/measure';
import { queueSummary } from './summary';
import { onPaper, uslThroughput } from './usl';

/** A time in ms, in µs when small. */
export const ms = (v: number) =>
  v !== 0 && Math.abs(v) < 0.1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
const perSecond = (v: number) => `${v >= 100 ? v.toFixed(0) : v.toFixed(1)}/s`;

/** The round trip of a task that does nothing, per mode: median bars, every run, and the numbers. */
export function roundTripChart(tripRun: Comparison): Figure {
  const env = tripRun.env;
  const trip = queueSummary({ comparison: tripRun, trip: tripRun }).trip!;
  const modes = ['threads', 'processes', 'queue'] as const;
  const title = 'A task that does nothing, on one worker of each kind: time per task';
  const rows = [['mode', 'median', 'min', 'max', 'against processes']];
  for (const mode of modes) {
    const st = summarize(trip[mode]);
    rows.push([
      mode,
      ms(st.median),
      ms(st.min),
      ms(st.max),
      mode === 'processes' ? '-' : compareTimes(trip[mode], trip.processes).words,
    ]);
  }
  return {
    title,
    data: sampleBars(
      modes.map((m) => ({ name: m, values: trip[m], color: COLORS[m], text: ms(median(trip[m])) })),
      'ms',
    ),
    layout: baseLayout(title, env, { yaxis: { title: { text: 'ms per task' }, rangemode: 'tozero' } }),
    table: `${textTable(rows)}
the broker's own time (its one thread, INFO commandstats): ${ms(trip.brokerMsPerJob)} per job`,
  };
}

/**
 * Throughput against workers for the process pool and the queue, the ideal (one worker's
 * rate times min(workers, cores)), and the USL fitted to the queue's points.
 */
export function throughputChart(scaling: Comparison): Figure {
  const env = scaling.env;
  const s = queueSummary({ comparison: scaling, scaling });
  const x = s.scale.map((p) => p.workers);
  const one = s.scale.find((p) => p.workers === 1);
  const base = one ? median(one.processes) : NaN;
  const line = (kind: 'processes' | 'queue', name: string): Trace => {
    const stats = s.scale.map((p) => summarize(p[kind]));
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x,
      y: stats.map((st) => st.median),
      error_y: {
        type: 'data',
        symmetric: false,
        array: stats.map((st) => st.max - st.median),
        arrayminus: stats.map((st) => st.median - st.min),
      },
      line: { color: COLORS[kind] },
    };
  };
  const fit = s.fit;
  const title = 'Throughput against the number of workers';
  const rows = [['workers', 'processes', 'queue', 'queue / processes', 'ideal', 'USL fit', 'broker per job']];
  for (const p of s.scale) {
    const [pr, q] = [median(p.processes), median(p.queue)];
    rows.push([
      String(p.workers),
      perSecond(pr),
      perSecond(q),
      `${(q / pr).toFixed(2)}x`,
      perSecond(base * Math.min(p.workers, env.cores)),
      fit ? perSecond(uslThroughput(fit, p.workers)) : '-',
      ms(p.brokerMsPerJob),
    ]);
  }
  const data = [
    line('processes', 'process pool'),
    line('queue', 'queue workers'),
    {
      type: 'scatter',
      mode: 'lines',
      name: 'ideal: one process x min(workers, cores)',
      x,
      y: x.map((n) => base * Math.min(n, env.cores)),
      line: { color: COLORS.ideal, dash: 'dash' },
    },
  ];
  if (fit)
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `USL fit to the queue: σ = ${fit.sigma.toFixed(3)}, κ = ${fit.kappa.toFixed(4)}`,
      x,
      y: x.map((n) => uslThroughput(fit, n)),
      line: { color: '#999', dash: 'dot' },
    });
  return {
    title,
    data,
    layout: baseLayout(title, env, {
      xaxis: { title: { text: 'workers' }, dtick: 1 },
      yaxis: { title: { text: 'tasks per second' }, rangemode: 'tozero' },
    }),
    table: `${textTable(rows)}${
      fit
        ? `
USL fit: λ = ${perSecond(fit.lambda)}, σ = ${fit.sigma.toFixed(3)}, κ = ${fit.kappa.toFixed(4)}`
        : ''
    }`,
  };
}

/** Worker counts the paper model is read at. */
export const PAPER_WORKERS = [8, 32, 128] as const;

/** The law on paper for workers on many machines: the ideal, the curve, the broker's ceiling. */
export function paperChart(scaling: Comparison, trip: Comparison, rttMs: number): Figure {
  const env = scaling.env;
  const model = onPaper(scaling, trip, rttMs);
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
    layout: baseLayout(title, env, {
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
  const jobs = rec.run.detail?.jobs as JobTimeline | undefined;
  const records = [...rec.run.tasks, ...(rec.lost ? [{ ...rec.lost, index: rec.run.tasks.length }] : [])];
  const run: Run = { ...rec.run, tasks: Tasks.of(records) };
  const cut = rec.killed.how === 'cut';
  const what = cut ? 'cut off' : 'killed';
  const figure = timelineChart(run, {
    title: `${rec.tasks} tasks, ${cut ? "a host's link cut" : 'a worker killed'} mid-task: every task on the lane of the process that finished it`,
    lane: (t) => `${t.host ?? ''} · pid ${t.pid}${t.pid === rec.killed.pid ? ` (${what})` : ''}`,
    label: (t) =>
      t.index >= rec.tasks
        ? `task ${rec.killed.index} (${what})`
        : `task ${t.index}${(jobs?.attempts[t.index] ?? 1) > 1 ? ` (attempt ${jobs!.attempts[t.index]})` : ''}`,
  });
  const at = rec.killed.at - run.start;
  const layout = {
    ...figure.layout,
    shapes: [
      { type: 'line', x0: at, x1: at, y0: 0, y1: 1, yref: 'paper', line: { color: COLORS.failed, dash: 'dot' } },
    ],
    annotations: [
      { x: at, y: 1, yref: 'paper', text: cut ? 'link down' : 'SIGKILL', showarrow: false, yanchor: 'bottom' },
    ],
  };
  const lines = [
    figure.table,
    `${what}: ${cut ? `${rec.killed.host}, ` : ''}pid ${rec.killed.pid} at ${formatMs(at)}, running task ${rec.killed.index}`,
    rec.restart !== undefined
      ? `task ${rec.killed.index} started again at ${formatMs(rec.restart - run.start)} on another worker, ` +
        `${formatMs(rec.delayMs!)} after the ${cut ? 'cut' : 'kill'}`
      : `task ${rec.killed.index} was not seen starting again`,
  ];
  return { ...figure, layout, table: lines.join('\n') };
}

/** A queue run's timeline, a lane per host · pid · thread, its table followed by the first jobs' times. */
export function queueTimeline(run: Run, options: { title?: string } = {}): Figure {
  const figure = timelineChart(run, {
    title: options.title ?? `The queue: ${count(run.workers, 'worker')}, a lane per host · pid · thread`,
  });
  return { ...figure, table: `${figure.table}\n\nthe first jobs, ms from the run's start:\n${jobTimesTable(run)}` };
}

/** The first `rows` tasks of a queue run as a table: worker, and each of the job's times (ms from the run's start). */
function jobTimesTable(run: Run, rows = 5): string {
  const jobs = run.detail?.jobs as JobTimeline | undefined;
  const at = (t: number | null | undefined) => (t === undefined || t === null ? '-' : (t - run.start).toFixed(1));
  const body = [...run.tasks]
    .slice(0, rows)
    .map((t) => [
      String(t.index),
      `${t.host ?? 'here'} · ${t.pid}`,
      at(jobs?.enqueued[t.index]),
      at(jobs?.started[t.index]),
      at(t.start),
      at(t.end),
      at(jobs?.finished[t.index]),
    ]);
  return textTable([['task', 'worker', 'enqueued', 'taken', 'ran from', 'to', 'finished'], ...body]);
}
