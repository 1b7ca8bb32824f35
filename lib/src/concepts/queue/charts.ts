/** The queue notebook's charts, each with its table: round trip, throughput against workers, the law on paper, a kill. */
import { baseLayout, COLORS, type Figure, type Trace } from '../../charts/figure';
import { sampleBars } from '../../charts/samples';
import { timelineChart } from '../../charts/timeline';
import type { Comparison } from '../../core/measure';
import { Tasks, type Run } from '../../core/records';
import { median, summarize } from '../../core/stats';
import { formatMs, textTable } from '../../core/summary';
import { compareTimes, count } from '../../core/words';
import type { JobTimeline } from './jobs';
import type { Recovery } from './recovery';
import { ms, PAPER_WORKERS, perSecond, queueSummary } from './summary';
import { onPaper, uslThroughput } from './usl';

function line(name: string, x: number[], y: number[] | ((n: number) => number), color: string, dash?: string): Trace {
  const ys = typeof y === 'function' ? x.map(y) : y;
  return { type: 'scatter', mode: dash ? 'lines' : 'lines+markers', name, x, y: ys, line: { color, dash } };
}

/** The round trip of a task that does nothing, per mode: median bars, every run, and the numbers. */
export function roundTripChart(tripRun: Comparison): Figure {
  const trip = queueSummary({ comparison: tripRun, trip: tripRun }).trip!;
  const modes = ['threads', 'processes', 'queue'] as const;
  const title = 'A task that does nothing, on one worker of each kind: time per task';
  const stats = modes.map((mode) => summarize(trip[mode]));
  const rows = modes.map((mode, i) => {
    const against = mode === 'processes' ? '-' : compareTimes(trip[mode], trip.processes).words;
    return [mode, ms(stats[i]!.median), ms(stats[i]!.min), ms(stats[i]!.max), against];
  });
  const bars = modes.map((m, i) => ({ name: m, values: trip[m], color: COLORS[m], text: ms(stats[i]!.median) }));
  return {
    title,
    data: sampleBars(bars, 'ms'),
    layout: baseLayout(title, tripRun.env, { yaxis: { title: { text: 'ms per task' }, rangemode: 'tozero' } }),
    table:
      `${textTable([['mode', 'median', 'min', 'max', 'against processes'], ...rows])}\n` +
      `the broker's own time (its one thread, INFO commandstats): ${ms(trip.brokerMsPerJob)} per job`,
  };
}

/**
 * Throughput against workers for the process pool and the queue, the ideal (one worker's
 * rate times min(workers, cores)), and the USL fitted to the queue's points.
 */
export function throughputChart(scaling: Comparison): Figure {
  const env = scaling.env;
  const { scale, fit } = queueSummary({ comparison: scaling, scaling });
  const x = scale.map((p) => p.workers);
  const one = scale.find((p) => p.workers === 1);
  const ideal = (n: number) => (one ? median(one.processes) : NaN) * Math.min(n, env.cores);
  const measured = (kind: 'processes' | 'queue', name: string): Trace => {
    const stats = scale.map((p) => summarize(p[kind]));
    const error_y = {
      type: 'data',
      symmetric: false,
      array: stats.map((st) => st.max - st.median),
      arrayminus: stats.map((st) => st.median - st.min),
    };
    const y = stats.map((st) => st.median);
    return { ...line(name, x, y, COLORS[kind]!), error_y };
  };
  const title = 'Throughput against the number of workers';
  const rows = scale.map((p) => {
    const [pr, q] = [median(p.processes), median(p.queue)];
    const usl = fit ? perSecond(uslThroughput(fit, p.workers)) : '-';
    const rates = [pr, q].map((v) => perSecond(v));
    return [
      String(p.workers),
      ...rates,
      `${(q / pr).toFixed(2)}x`,
      perSecond(ideal(p.workers)),
      usl,
      ms(p.brokerMsPerJob),
    ];
  });
  const data = [
    measured('processes', 'process pool'),
    measured('queue', 'queue workers'),
    line('ideal: one process x min(workers, cores)', x, ideal, COLORS.ideal!, 'dash'),
  ];
  const laws = fit ? `σ = ${fit.sigma.toFixed(3)}, κ = ${fit.kappa.toFixed(4)}` : '';
  if (fit) data.push(line(`USL fit to the queue: ${laws}`, x, (n) => uslThroughput(fit, n), '#999', 'dot'));
  const header = ['workers', 'processes', 'queue', 'queue / processes', 'ideal', 'USL fit', 'broker per job'];
  return {
    title,
    data,
    layout: baseLayout(title, env, {
      xaxis: { title: { text: 'workers' }, dtick: 1 },
      yaxis: { title: { text: 'tasks per second' }, rangemode: 'tozero' },
    }),
    table: `${textTable([header, ...rows])}${fit ? `\nUSL fit: λ = ${perSecond(fit.lambda)}, ${laws}` : ''}`,
  };
}

/** The law on paper for workers on many machines: the ideal, the curve, the broker's ceiling. */
export function paperChart(scaling: Comparison, trip: Comparison, rttMs: number): Figure {
  const model = onPaper(scaling, trip, rttMs);
  const { lambda, sigma, kappa } = model.usl;
  const x = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512];
  const title = 'On paper: one worker per machine, one broker, a network between them';
  const rows = [1, ...PAPER_WORKERS].map((n) => {
    const got = uslThroughput(model.usl, n);
    return [String(n), perSecond(n * lambda), perSecond(got), `${((100 * got) / (n * lambda)).toFixed(0)}%`];
  });
  const usl = (n: number) => uslThroughput(model.usl, n);
  const data: Trace[] = [
    line('ideal: N x one worker', x, (n) => n * lambda, COLORS.ideal!, 'dash'),
    line(`USL: σ = ${sigma.toFixed(4)}, κ = ${kappa.toExponential(1)}`, x, usl, COLORS.queue!),
  ];
  if (Number.isFinite(model.brokerCeiling)) {
    const name = `the broker's ceiling: 1 / ${ms(model.brokerBusyMs)} per job`;
    data.push(line(name, x, () => model.brokerCeiling, COLORS.failed!, 'dot'));
  }
  const stops = Number.isFinite(model.stopsPaying) ? String(model.stopsPaying) : 'never, up to a million';
  const peak = Number.isFinite(model.peak) ? model.peak.toFixed(0) : 'no finite count';
  return {
    title,
    data,
    layout: baseLayout(title, scaling.env, {
      xaxis: { title: { text: 'workers, each on a machine of its own' }, type: 'log' },
      yaxis: { title: { text: 'tasks per second' }, type: 'log' },
    }),
    table:
      `${textTable([['workers', 'ideal', 'USL', 'efficiency'], ...rows])}\none worker's cycle: ${ms(model.taskMs)} of work + ` +
      `${ms(model.brokerRoundTripMs)} broker round trip + ${ms(model.networkRttMs)} network = ${ms(model.cycleMs)}; the broker: ` +
      `${ms(model.brokerBusyMs)} per job, +${ms(model.brokerBusyPerWorkerMs)} per extra worker\none more worker adds less ` +
      `than half a worker from ${stops} workers on; the peak is at ${peak}`,
  };
}

/**
 * The run in which a worker was killed: a lane per worker process, the killed attempt in red
 * on the dead worker's lane, the kill marked.
 */
export function recoveryChart(rec: Recovery): Figure {
  const jobs = rec.run.detail?.jobs as JobTimeline | undefined;
  const { killed } = rec;
  const lost = rec.lost ? [{ ...rec.lost, index: rec.run.tasks.length }] : [];
  const run: Run = { ...rec.run, tasks: Tasks.of([...rec.run.tasks, ...lost]) };
  const cut = killed.how === 'cut';
  const what = cut ? 'cut off' : 'killed';
  const figure = timelineChart(run, {
    title: `${rec.tasks} tasks, ${cut ? "a host's link cut" : 'a worker killed'} mid-task: every task on the lane of the process that finished it`,
    lane: (t) => `${t.host ?? ''} · pid ${t.pid}${t.pid === killed.pid ? ` (${what})` : ''}`,
    label: (t) => {
      if (t.index >= rec.tasks) return `task ${killed.index} (${what})`;
      const attempts = jobs?.attempts[t.index] ?? 1;
      return `task ${t.index}${attempts > 1 ? ` (attempt ${attempts})` : ''}`;
    },
  });
  const at = killed.at - run.start;
  const dotted = { color: COLORS.failed, dash: 'dot' };
  const mark = { type: 'line', x0: at, x1: at, y0: 0, y1: 1, yref: 'paper', line: dotted };
  const note = { x: at, y: 1, yref: 'paper', text: cut ? 'link down' : 'SIGKILL', showarrow: false, yanchor: 'bottom' };
  const layout = { ...figure.layout, shapes: [mark], annotations: [note] };
  const lines = [
    figure.table,
    `${what}: ${cut ? `${killed.host}, ` : ''}pid ${killed.pid} at ${formatMs(at)}, running task ${killed.index}`,
    rec.restart !== undefined
      ? `task ${killed.index} started again at ${formatMs(rec.restart - run.start)} on another worker, ` +
        `${formatMs(rec.delayMs!)} after the ${cut ? 'cut' : 'kill'}`
      : `task ${killed.index} was not seen starting again`,
  ];
  return { ...figure, layout, table: lines.join('\n') };
}

/** A queue run's timeline, a lane per host · pid · thread; its table ends with the first jobs' times (ms from the run's start). */
export function queueTimeline(run: Run): Figure {
  const figure = timelineChart(run, {
    title: `The queue: ${count(run.workers, 'worker')}, a lane per host · pid · thread`,
  });
  const jobs = run.detail?.jobs as JobTimeline | undefined;
  const at = (t: number | null | undefined) => (t === undefined || t === null ? '-' : (t - run.start).toFixed(1));
  const first = [...run.tasks].slice(0, 5).map((t) => {
    const i = t.index;
    const times = [jobs?.enqueued[i], jobs?.started[i], t.start, t.end, jobs?.finished[i]];
    return [String(i), `${t.host ?? 'here'} · ${t.pid}`, ...times.map(at)];
  });
  const header = ['task', 'worker', 'enqueued', 'taken', 'ran from', 'to', 'finished'];
  return {
    ...figure,
    table: `${figure.table}\n\nthe first jobs, ms from the run's start:\n${textTable([header, ...first])}`,
  };
}
