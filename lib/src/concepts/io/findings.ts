/**
 * "What we measured" for the I/O-bound notebook, written from the numbers of this run. Only
 * sentences that depend on those numbers are here; what never changes (how the course's own
 * figures came about, what the connection limit does, why a timeout hurts most one after
 * another) is in the notebook's markdown. Every explanation is given only with the measured
 * evidence for it: the server's own in-flight count, the bound, the order of the runs.
 */
import { describeCores } from '../../core/environment';
import { formatMs } from '../../core/summary';
import { boundWords, compareTimes, count, times, versus } from '../../core/words';
import type { IoMeasured } from './run';
import { ioWays, type IoWay } from './summary';

type Row = IoWay;
type IoExperiment = IoMeasured;
type IoVariantSummary = IoWay;
const rows = ioWays;
const ioSummaries = ioWays;

/** What a time below the bound means: the server's timing rules it out, so its clock or this one is off. */
const BELOW = 'the server answered some requests early, or its clock and this one disagree';

/** Why a way ran below its bound: requests that failed before an answer could come (lost, or timed out sooner than the latency), else `BELOW`. */
function below(v: IoVariantSummary, e: IoExperiment): string {
  const early = v.otherErrors + (e.timeoutMs < (e.latencyMs ?? 0) ? v.timeouts : 0);
  return early ? `${count(early, 'request')} failed before an answer could come` : BELOW;
}

/** A time as the table shows it: seconds. */
const s = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;

/** Every request of the way failed: its time is how long failing took, not a speed, so it is compared with nothing. */
const noWork = (v: IoVariantSummary) => v.total > 0 && v.failed >= v.total;

/** How many times shorter `v`'s bound is than `base`'s (undefined without a known latency). */
function boundRatio(v: IoVariantSummary, base: IoVariantSummary): number | undefined {
  return v.boundMs && base.boundMs ? base.boundMs / v.boundMs : undefined;
}

/** How far above its bound a variant ran, as a ratio (undefined without a bound). */
const aboveBound = (v: IoVariantSummary) => (v.boundMs ? v.medianMs / v.boundMs : undefined);

function target(e: IoExperiment): string {
  const n = count(e.requests, 'request');
  if (e.latencyMs === undefined) return `${n} to ${e.urls.join(' and ')}`;
  const jitter = e.jitterMs ? ` ± up to ${formatMs(e.jitterMs)}` : '';
  return `${n} to the embedded server, which answers each after ${formatMs(e.latencyMs)}${jitter}`;
}

/** How many requests a variant can have in flight, and why: a fact of its design. */
function design(v: Row, requests: number): string {
  if (v.mode === 'sequential') return 'One request in flight at a time: each starts when the one before has its answer';
  if (v.origin === 'python' && v.mode === 'async') {
    return v.concurrency < requests
      ? `Up to ${v.concurrency} in flight: aiohttp's connector opens at most ${count(v.concurrency, 'connection')}, and the other requests wait for one`
      : `Up to ${v.concurrency} in flight at once, from one thread`;
  }
  if (v.mode === 'async' && v.client === 'ioBlocking') {
    return (
      'One request in flight at a time: the blocking client stops the thread inside each call, ' +
      'so `Promise.all` can start the next request only when the one before has returned'
    );
  }
  if (v.mode === 'async' && v.concurrency < requests) {
    return `Up to ${v.concurrency} in flight: undici opens at most ${count(v.concurrency, 'connection')}, and the other requests queue for one`;
  }
  if (v.mode === 'async') {
    return v.concurrency === 1 ? 'One request in flight' : `Up to ${v.concurrency} in flight at once, from one thread`;
  }
  const kind = v.mode === 'threads' ? count(v.workers, 'thread') : count(v.workers, 'process', 'processes');
  return v.workers === 1
    ? `${kind}, blocked in one request at a time: one in flight`
    : `${kind}, each blocked in one request at a time: up to ${v.concurrency} in flight`;
}

/** What the server saw beside what the variant allows, with any gap flagged. */
function seen(peak: number | undefined, allowed: number): string {
  if (peak === undefined) return '';
  if (peak === allowed) return `; the server saw at most ${peak}, as allowed`;
  if (peak < allowed) {
    return (
      `; **the server saw at most ${peak} in flight, fewer than the ${allowed} allowed**: ` +
      'the requests reached it spread out over the run, not all together'
    );
  }
  return `; **the server saw up to ${peak} in flight, more than the ${allowed} allowed**`;
}

/** Further sentences on one variant, each only with the evidence for it. */
function reading(v: Row, seq: Row | undefined, e: IoExperiment): string[] {
  const out: string[] = [];
  const undiciAll =
    v.origin !== 'python' &&
    v.mode === 'async' &&
    v.client === 'io' &&
    v.concurrency === e.requests &&
    v.concurrency > 1;
  // Time above the bound although the server had every request at once: not spent waiting for it.
  if (undiciAll && v.boundMs !== undefined && v.peakInflight !== undefined && v.peakInflight >= v.concurrency) {
    const over = v.medianMs - v.boundMs;
    if (over > 0.2 * v.boundMs) {
      out.push(
        `All ${v.concurrency} were on the server at once, so the ${formatMs(over)} above the bound was not spent waiting for it: ` +
          `it went to the rest of each request's life (sending it, answering it, reading the answer), on both sides, sharing ${count(e.comparison.env.cores, 'core')}.`,
      );
    }
  }
  // Runs that got faster one after another (as printed, too), the first measurably slower than the rest: something was still warming up.
  const runs = v.runsMs;
  const printed = runs.map(formatMs);
  if (runs.length >= 3 && runs.every((r, i) => i === 0 || (r < runs[i - 1]! && printed[i] !== printed[i - 1]))) {
    const c = compareTimes([runs[0]!], runs.slice(1));
    if (c.direction === 'slower') {
      out.push(
        `Its runs took ${printed.join(', ')}, each faster than the one before: something was still warming up ` +
          '(compiled code, connections, caches, on either side); `npm run bench` times many warm runs.',
      );
    }
  }
  // The blocking client on the event loop against sequential: the same one request at a time.
  if (seq && v.mode === 'async' && v.client === 'ioBlocking' && !noWork(v) && !noWork(seq)) {
    const c = compareTimes(v.runsMs, seq.runsMs);
    const text = versus(v.runsMs, seq.runsMs, 'sequential');
    if (c.direction === 'same') {
      out.push(`Against sequential: ${text}, as one request at a time in both predicts.`);
    } else if (
      v.boundMs !== undefined &&
      seq.boundMs === v.boundMs &&
      Math.min(v.medianMs, seq.medianMs) >= v.boundMs
    ) {
      out.push(
        `Against sequential: ${text}. Both have the same bound (one request at a time), so the difference is time outside the waiting: ` +
          `${formatMs(seq.medianMs - seq.boundMs)} above the bound for sequential, ${formatMs(v.medianMs - v.boundMs)} here.`,
      );
    } else {
      out.push(`Against sequential: ${text}.`);
    }
  }
  return out;
}

/** One bullet per variant: time, bound, failures, in flight by design and as the server saw it. */
function variantLine(v: Row, seq: Row | undefined, e: IoExperiment): string {
  const runs = v.runsMs.length > 1 ? ` of ${count(v.runsMs.length, 'run')}` : '';
  const bound = v.boundMs === undefined ? '' : `, ${boundWords(v.medianMs, v.boundMs, below(v, e))}`;
  const failed = v.failed ? `; **${v.failed} of ${count(v.total, 'request')} failed**: ${v.firstError}` : '';
  const why = [`${design(v, e.requests)}${seen(v.peakInflight, v.concurrency)}.`, ...reading(v, seq, e)];
  return `- **${v.label}**: ${formatMs(v.medianMs)} median${runs}${bound}${failed}. ${why.join(' ')}`;
}

/** What notebook 04 measured: every way of waiting, and optionally the connection knob and the faults run. */
export interface IoReportInput {
  main: IoMeasured;
  connections?: IoMeasured;
  faults?: IoMeasured;
}

/** Markdown that reads the main experiment (and optionally the sweep and the faults run) beside the course. */
function findingsOf(main: IoExperiment, sweep?: IoExperiment, faults?: IoExperiment): string {
  const all = rows(main);
  const by = (label: string) => all.find((v) => v.label === label);
  const seq = by('sequential');
  const gather = by('Promise.all');
  const pools = all.filter((v) => v.mode === 'threads' && v.origin !== 'python').sort((a, b) => b.workers - a.workers);
  const py = (mode: string) => all.find((v) => v.origin === 'python' && v.mode === mode);
  const [pyRequests, pyGather, pyPool] = [py('sequential'), py('async'), py('threads')];
  const cell = (v: Row | undefined, name: string) => (v ? `${name}: ${s(v.medianMs)}` : 'not run');
  const against = (node: Row | undefined, python: Row | undefined) =>
    node && python && !noWork(node) && !noWork(python) ? versus(node.runsMs, python.runsMs, 'Python') : 'n/a';
  const pool = pools.find((v) => v.workers === 10) ?? pools[0];
  const lines = [
    `On this machine (${describeCores(main.comparison.env)}, Node ${main.comparison.env.node}), ${target(main)}:`,
    '',
    ...all.map((v) => variantLine(v, seq, main)),
    '',
  ];
  if (pyRequests || pyGather || pyPool) {
    lines.push(
      "| | Python here (the course's programs) | Node here | Node against Python |",
      '| --- | --- | --- | --- |',
      `| one after another | ${cell(pyRequests, 'requests')} | ${cell(seq, 'sequential')} | ${against(seq, pyRequests)} |`,
      `| all at once | ${cell(pyGather, 'aiohttp + asyncio.gather')} | ${cell(gather, 'Promise.all')} | ${against(gather, pyGather)} |`,
      `| a pool of threads | ${cell(pyPool, pyPool?.label ?? 'ThreadPoolExecutor')} | ${cell(pool, pool?.label ?? 'blocking in a pool')} | ${against(pool, pyPool)} |`,
      '',
    );
  }
  for (const k of main.comparison.skipped) lines.push(`- **${k.label}** did not run: ${k.reason}`);
  if (main.comparison.skipped.length) lines.push('');
  if (seq && gather && pool && ![seq, gather, pool].some(noWork))
    lines.push(here(seq, gather, pool, { requests: pyRequests, gather: pyGather, pool: pyPool }), '');
  if (sweep) lines.push(connectionLimit(sweep), '');
  if (faults) lines.push(withFaults(faults));
  return lines.join('\n').trimEnd();
}

/**
 * "; the bounds: 4.0x", the most `v` can gain on `base` by their bounds; when `v` gained
 * more, where it came from: `base` ran further above its own bound.
 */
function boundsNote(v: IoVariantSummary, base: IoVariantSummary, names: [string, string]): string {
  const ratio = boundRatio(v, base);
  if (ratio === undefined) return '';
  const c = compareTimes(v.runsMs, base.runsMs);
  const [baseAbove, above] = [times(aboveBound(base)!), times(aboveBound(v)!)];
  if (
    noWork(v) ||
    noWork(base) ||
    c.direction !== 'faster' ||
    c.factor <= ratio * 1.03 ||
    times(c.factor) === times(ratio) ||
    baseAbove === above
  ) {
    return `; the bounds: ${times(ratio)}`;
  }
  return (
    `; the bounds: ${times(ratio)}, less than measured because ${names[1]} ran further above its bound ` +
    `(${baseAbove}) than ${names[0]} did (${above})`
  );
}

/** The course's Python programs measured here, by the way they wait (any may be missing). */
interface PythonRows {
  requests?: Row;
  gather?: Row;
  pool?: Row;
}

/** One way against one after another, beside Python's same way against its own, and the ratio of the bounds. */
function versusSequential(v: Row, seq: Row, pyV: Row | undefined, pySeq: Row | undefined): string {
  const python =
    pyV && pySeq && !noWork(pyV) && !noWork(pySeq)
      ? `Python's ${versus(pyV.runsMs, pySeq.runsMs, 'requests one after another')}`
      : '';
  const bounds = boundsNote(v, seq, ['this', 'sequential']).replace(/^; /, '');
  const notes = [python, bounds].filter(Boolean).join('; ');
  return `${versus(v.runsMs, seq.runsMs, 'sequential')}${notes ? ` (${notes})` : ''}`;
}

/** The course's ratios beside this run's, and what the in-flight counts did, when the evidence says so. */
function here(seq: Row, gather: Row, pool: Row, py: PythonRows): string {
  const threads = count(pool.workers, 'blocking thread');
  const parts = [
    `**Node**, all at once: ${versusSequential(gather, seq, py.gather, py.requests)}; ` +
      `${threads}: ${versusSequential(pool, seq, py.pool, py.requests)}.`,
  ];
  const poolName = `the pool of ${count(pool.workers, 'thread')}`;
  const vsPool = compareTimes(gather.runsMs, pool.runsMs);
  const peaks = gather.peakInflight !== undefined && pool.peakInflight !== undefined;
  if (
    vsPool.direction === 'faster' &&
    (peaks ? gather.peakInflight! > pool.peakInflight! : gather.concurrency > pool.concurrency)
  ) {
    const why = peaks
      ? `: the server saw up to ${gather.peakInflight} of its requests at once, against ${pool.peakInflight} from the pool`
      : `: up to ${gather.concurrency} of its requests in flight at once, against ${pool.concurrency}`;
    parts.push(
      `\`Promise.all\`, on one thread, was ${versus(gather.runsMs, pool.runsMs, poolName)}${why}. ` +
        'What counted was how many requests were in flight at once.',
    );
  } else {
    parts.push(`\`Promise.all\`, on one thread, against ${poolName}: ${vsPool.words}.`);
  }
  return parts.join(' ');
}

/** Each step of the connection limit, direction first, beside the ratio of its bounds. */
function connectionLimit(sweep: IoExperiment): string {
  const points = ioSummaries(sweep).sort((a, b) => a.concurrency - b.concurrency);
  const gap = (v: IoVariantSummary) =>
    v.peakInflight !== undefined && v.peakInflight !== v.concurrency
      ? ` (**the server saw at most ${v.peakInflight} in flight with ${count(v.concurrency, 'connection')}**)`
      : '';
  const steps = points.slice(1).map((v, k) => {
    const prev = points[k]!;
    const bounds = boundsNote(v, prev, [`${v.concurrency}`, count(prev.concurrency, 'connection')]);
    const words =
      noWork(v) || noWork(prev)
        ? 'not compared, as every request of one of them failed'
        : compareTimes(v.runsMs, prev.runsMs).words;
    return (
      `${count(v.concurrency, 'connection')} against ${prev.concurrency}: ${words} ` +
      `(${formatMs(prev.medianMs)} → ${formatMs(v.medianMs)}${bounds})${gap(v)}`
    );
  });
  const first = points[0];
  const only = first ? `${count(first.concurrency, 'connection')}: ${formatMs(first.medianMs)}${gap(first)}` : '';
  return `**The connection limit**, \`Promise.all\` through undici's pool: ${steps.join('; ') || only}.`;
}

/** Failures by kind per variant, and what the timeouts cost where requests wait one after another. */
function withFaults(faults: IoExperiment): string {
  const all = ioSummaries(faults);
  const described = all.map((v) => {
    const kinds = (
      [
        [v.httpErrors, 'HTTP error', 'HTTP errors'],
        [v.timeouts, 'timeout', 'timeouts'],
        [v.otherErrors, 'other error', 'other errors'],
      ] as const
    )
      .filter(([n]) => n > 0)
      .map(([n, one, many]) => count(n, one, many))
      .join(', ');
    const failed = v.failed === 0 ? `none of ${v.total} failed` : `${v.failed} of ${v.total} failed (${kinds})`;
    return `${v.label}: ${failed}, in ${formatMs(v.medianMs)}`;
  });
  const options = faults.server?.options;
  const lines = [
    `**With faults injected** (a share of ${options?.failShare ?? 0} of the answers are 500s and ${options?.hangShare ?? 0} never come; ` +
      `timeout ${formatMs(faults.timeoutMs)}): ${described.join('; ')}.`,
  ];
  const seq = all.find((v) => v.mode === 'sequential');
  if (seq && seq.timeouts > 0) {
    const total = seq.runsMs.reduce((a, b) => a + b, 0);
    const over = seq.runsMs.length > 1 ? ` over ${count(seq.runsMs.length, 'run')}` : '';
    lines.push(
      `In **${seq.label}** the requests wait one after another, so its ${count(seq.timeouts, 'timeout')} cost ` +
        `at least ${formatMs(seq.timeouts * faults.timeoutMs)} of its ${formatMs(total)}${over}, waiting for answers that never came.`,
    );
  }
  return lines.join(' ');
}

/** One plain sentence for the index page: Promise.all against one after another, read from this run. */
function headlineOf(main: IoExperiment): string {
  const all = ioSummaries(main);
  const seq = all.find((v) => v.label === 'sequential');
  const gather = all.find((v) => v.label === 'Promise.all');
  const head = `I/O-bound, ${count(main.requests, 'request')}`;
  const failed = (v: IoVariantSummary) => (v.failed ? ` (${v.failed} of ${v.total} failed)` : '');
  if (!seq || !gather) {
    const worked = all.filter((v) => !noWork(v));
    const fastest = (worked.length ? worked : all).reduce((a, b) => (b.medianMs < a.medianMs ? b : a));
    return `${head}: the quickest way, ${fastest.label}, took ${formatMs(fastest.medianMs)}${failed(fastest)}`;
  }
  const bound =
    gather.boundMs === undefined ? '' : ` (${boundWords(gather.medianMs, gather.boundMs, below(gather, main))})`;
  const against =
    noWork(gather) || noWork(seq)
      ? `; every request of ${noWork(gather) ? 'Promise.all' : 'one after another'} failed, so there is no speed to compare`
      : `, ${versus(gather.runsMs, seq.runsMs, 'one after another')}`;
  return `${head}: Promise.all took ${formatMs(gather.medianMs)}${bound}${failed(gather)}${against}`;
}

/** The findings of notebook 04 and its headline, from the same numbers. */
export function ioFindings(m: IoReportInput): { findings: string; headline: string } {
  return { findings: findingsOf(m.main, m.connections, m.faults), headline: headlineOf(m.main) };
}
