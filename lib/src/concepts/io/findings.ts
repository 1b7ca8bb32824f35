/**
 * "What we measured" for notebook 04, from this run's numbers; what never changes is in the
 * notebook's markdown. Every explanation comes only with its evidence: the server's own
 * in-flight count, the bound, the order of the runs.
 */
import { describeCores } from '../../core/environment';
import { formatMs } from '../../core/summary';
import { boundWords, compareTimes, count, times, versus } from '../../core/words';
import type { IoMeasured } from './run';
import { ioWays, type IoWay } from './summary';

/** What notebook 04 measured: every way of waiting, and optionally the connection knob and the faults run. */
export type IoReportInput = { main: IoMeasured; connections?: IoMeasured; faults?: IoMeasured };

/** Why a way ran below its bound: requests that failed before an answer could come, else a clock that disagrees. */
function below(v: IoWay, e: IoMeasured): string {
  const early = v.otherErrors + (e.timeoutMs < (e.latencyMs ?? 0) ? v.timeouts : 0);
  if (early) return `${count(early, 'request')} failed before an answer could come`;
  return 'the server answered some requests early, or its clock and this one disagree';
}

/** Every request of the way failed: its time is how long failing took, not a speed, so it is compared with nothing. */
const noWork = (v: IoWay) => v.total > 0 && v.failed >= v.total;

/** `versus` of two ways; undefined when either did not run or did no work. */
const versusWay = (a: IoWay | undefined, b: IoWay | undefined, name: string) =>
  a && b && !noWork(a) && !noWork(b) ? versus(a.runsMs, b.runsMs, name) : undefined;

function target(e: IoMeasured): string {
  const n = count(e.requests, 'request');
  if (e.latencyMs === undefined) return `${n} to ${e.urls.join(' and ')}`;
  const jitter = e.jitterMs ? ` ± up to ${formatMs(e.jitterMs)}` : '';
  return `${n} to the embedded server, which answers each after ${formatMs(e.latencyMs)}${jitter}`;
}

/** How many requests a way can have in flight, and why: a fact of its design. */
function design(v: IoWay, requests: number): string {
  if (v.mode === 'sequential') return 'One request in flight at a time: each starts when the one before has its answer';
  if (v.mode === 'async' && v.client === 'ioBlocking')
    return 'One request in flight at a time: the blocking client stops the thread inside each call, so `Promise.all` can start the next request only when the one before has returned';
  if (v.mode === 'async' && v.concurrency < requests) {
    const [who, wait] = v.origin === 'python' ? ["aiohttp's connector", 'wait'] : ['undici', 'queue'];
    return `Up to ${v.concurrency} in flight: ${who} opens at most ${count(v.concurrency, 'connection')}, and the other requests ${wait} for one`;
  }
  if (v.mode === 'async') {
    const one = v.concurrency === 1 && v.origin !== 'python';
    return one ? 'One request in flight' : `Up to ${v.concurrency} in flight at once, from one thread`;
  }
  const kind = v.mode === 'threads' ? count(v.workers, 'thread') : count(v.workers, 'process', 'processes');
  return v.workers === 1
    ? `${kind}, blocked in one request at a time: one in flight`
    : `${kind}, each blocked in one request at a time: up to ${v.concurrency} in flight`;
}

/** What the server saw beside what the way allows, with any gap flagged. */
function seen(peak: number | undefined, allowed: number): string {
  if (peak === undefined) return '';
  if (peak === allowed) return `; the server saw at most ${peak}, as allowed`;
  if (peak > allowed) return `; **the server saw up to ${peak} in flight, more than the ${allowed} allowed**`;
  return `; **the server saw at most ${peak} in flight, fewer than the ${allowed} allowed**: the requests reached it spread out over the run, not all together`;
}

/** One bullet per way: time, bound, failures, in flight by design and as the server saw it, and what else the evidence shows. */
function wayLine(v: IoWay, seq: IoWay | undefined, e: IoMeasured): string {
  const out = [`${design(v, e.requests)}${seen(v.peakInflight, v.concurrency)}.`];
  // Time above the bound although the server had every request at once: not spent waiting for it.
  const undiciAll = v.origin !== 'python' && v.mode === 'async' && v.client === 'io' && v.concurrency === e.requests;
  const over = v.medianMs - (v.boundMs ?? 0);
  // With jitter some answers came later than the bound assumes: part of the time above it was waiting.
  const allOn = undiciAll && !e.jitterMs && v.concurrency > 1 && (v.peakInflight ?? 0) >= v.concurrency;
  if (allOn && v.boundMs !== undefined && over > 0.2 * v.boundMs) {
    out.push(
      `All ${v.concurrency} were on the server at once, so the ${formatMs(over)} above the bound was not spent waiting for it: it went to the rest of each request's life (sending it, answering it, reading the answer), on both sides, sharing ${count(e.comparison.env.cores, 'core')}.`,
    );
  }
  // Runs that got faster one after another (as printed, too), the first measurably slower than the rest: still warming up.
  const [runs, printed] = [v.runsMs, v.runsMs.map(formatMs)];
  const falling = runs.every((r, i) => i === 0 || (r < runs[i - 1]! && printed[i] !== printed[i - 1]));
  if (runs.length >= 3 && falling && compareTimes([runs[0]!], runs.slice(1)).direction === 'slower') {
    out.push(
      `Its runs took ${printed.join(', ')}, each faster than the one before: something was still warming up (compiled code, connections, caches, on either side); \`npm run bench\` times many warm runs.`,
    );
  }
  // The blocking client on the event loop against sequential: the same one request at a time.
  if (seq && v.mode === 'async' && v.client === 'ioBlocking' && !noWork(v) && !noWork(seq)) {
    const text = `Against sequential: ${versus(v.runsMs, seq.runsMs, 'sequential')}`;
    if (compareTimes(v.runsMs, seq.runsMs).direction === 'same')
      out.push(`${text}, as one request at a time in both predicts.`);
    else if (v.boundMs !== undefined && seq.boundMs === v.boundMs && Math.min(v.medianMs, seq.medianMs) >= v.boundMs) {
      out.push(
        `${text}. Both have the same bound (one request at a time), so the difference is time outside the waiting: ${formatMs(seq.medianMs - seq.boundMs)} above the bound for sequential, ${formatMs(over)} here.`,
      );
    } else out.push(`${text}.`);
  }
  const runsN = v.runsMs.length > 1 ? ` of ${count(v.runsMs.length, 'run')}` : '';
  const bound = v.boundMs === undefined ? '' : `, ${boundWords(v.medianMs, v.boundMs, below(v, e))}`;
  const failed = v.failed ? `; **${v.failed} of ${count(v.total, 'request')} failed**: ${v.firstError}` : '';
  return `- **${v.label}**: ${formatMs(v.medianMs)} median${runsN}${bound}${failed}. ${out.join(' ')}`;
}

/** Markdown that reads the main experiment (and optionally the sweep and the faults run) beside the course. */
function findingsOf(main: IoMeasured, sweep?: IoMeasured, faults?: IoMeasured): string {
  const all = ioWays(main);
  const [seq, gather] = [all.find((v) => v.label === 'sequential'), all.find((v) => v.label === 'Promise.all')];
  const pools = all.filter((v) => v.mode === 'threads' && v.origin !== 'python').sort((a, b) => b.workers - a.workers);
  const [pyRequests, pyGather, pyThreads] = ['sequential', 'async', 'threads'].map((mode) =>
    all.find((v) => v.origin === 'python' && v.mode === mode),
  );
  const pool = pools.find((v) => v.workers === (pyThreads?.workers ?? 10)) ?? pools[0];
  // Python's pool is set against Node's of the same size only.
  const pyPool = pyThreads?.workers === pool?.workers ? pyThreads : undefined;
  // A table cell: the way's time in seconds, as the course's table shows it.
  const cell = (v: IoWay | undefined, name: string) =>
    v ? `${name}: ${(v.medianMs / 1000).toFixed(v.medianMs < 1000 ? 3 : 2)} s` : 'not run';
  const against = (node: IoWay | undefined, python: IoWay | undefined) => versusWay(node, python, 'Python') ?? 'n/a';
  const { env } = main.comparison;
  const lines = [`On this machine (${describeCores(env)}, Node ${env.node}), ${target(main)}:`, ''];
  lines.push(...all.map((v) => wayLine(v, seq, main)), '');
  if (pyRequests || pyGather || pyThreads) {
    lines.push(
      "| | Python here (the course's programs) | Node here | Node against Python |",
      '| --- | --- | --- | --- |',
      `| one after another | ${cell(pyRequests, 'requests')} | ${cell(seq, 'sequential')} | ${against(seq, pyRequests)} |`,
      `| all at once | ${cell(pyGather, 'aiohttp + asyncio.gather')} | ${cell(gather, 'Promise.all')} | ${against(gather, pyGather)} |`,
      `| a pool of threads | ${cell(pyThreads, pyThreads?.label ?? 'ThreadPoolExecutor')} | ${cell(pool, pool?.label ?? 'blocking in a pool')} | ${pyThreads && pool && !pyPool ? 'n/a: pools of other sizes' : against(pool, pyPool)} |`,
      '',
    );
  }
  for (const k of main.comparison.skipped) lines.push(`- **${k.label}** did not run: ${k.reason}`);
  if (main.comparison.skipped.length) lines.push('');
  if (seq && gather && pool && ![seq, gather, pool].some(noWork))
    lines.push(here(seq, gather, pool, [pyRequests, pyGather, pyPool]), '');
  if (sweep) lines.push(connectionLimit(sweep), '');
  if (faults) lines.push(withFaults(faults));
  return lines.join('\n').trimEnd();
}

/**
 * "the bounds: 4.0x", the most `v` can gain on `base` by their bounds (empty without them);
 * when `v` gained more, where it came from: `base` ran further above its own bound.
 */
function boundsNote(v: IoWay, base: IoWay, names: [string, string]): string {
  if (!v.boundMs || !base.boundMs) return '';
  const ratio = base.boundMs / v.boundMs;
  const c = compareTimes(v.runsMs, base.runsMs);
  const [baseAbove, above] = [times(base.medianMs / base.boundMs), times(v.medianMs / v.boundMs)];
  const more = c.direction === 'faster' && c.factor > ratio * 1.03 && times(c.factor) !== times(ratio);
  if (noWork(v) || noWork(base) || !more || baseAbove === above) return `the bounds: ${times(ratio)}`;
  return `the bounds: ${times(ratio)}, less than measured because ${names[1]} ran further above its bound (${baseAbove}) than ${names[0]} did (${above})`;
}

/** One way against one after another, beside Python's same way against its own, and the ratio of the bounds. */
function versusSequential(v: IoWay, seq: IoWay, pyV: IoWay | undefined, pySeq: IoWay | undefined): string {
  const python = versusWay(pyV, pySeq, 'requests one after another');
  const notes = [python && `Python's ${python}`, boundsNote(v, seq, ['this', 'sequential'])].filter(Boolean).join('; ');
  return `${versus(v.runsMs, seq.runsMs, 'sequential')}${notes ? ` (${notes})` : ''}`;
}

/** The course's ratios beside this run's, and what the in-flight counts did, when the evidence says so. */
function here(seq: IoWay, gather: IoWay, pool: IoWay, py: (IoWay | undefined)[]): string {
  const [pyRequests, pyGather, pyPool] = py;
  const parts = [
    `**Node**, all at once: ${versusSequential(gather, seq, pyGather, pyRequests)}; ${count(pool.workers, 'blocking thread')}: ${versusSequential(pool, seq, pyPool, pyRequests)}.`,
  ];
  const poolName = `the pool of ${count(pool.workers, 'thread')}`;
  const vsPool = compareTimes(gather.runsMs, pool.runsMs);
  const peaks = gather.peakInflight !== undefined && pool.peakInflight !== undefined;
  const more = peaks ? gather.peakInflight! > pool.peakInflight! : gather.concurrency > pool.concurrency;
  if (vsPool.direction === 'faster' && more) {
    const why = peaks
      ? `: the server saw up to ${gather.peakInflight} of its requests at once, against ${pool.peakInflight} from the pool`
      : `: up to ${gather.concurrency} of its requests in flight at once, against ${pool.concurrency}`;
    parts.push(
      `\`Promise.all\`, on one thread, was ${versus(gather.runsMs, pool.runsMs, poolName)}${why}. What counted was how many requests were in flight at once.`,
    );
  } else parts.push(`\`Promise.all\`, on one thread, against ${poolName}: ${vsPool.words}.`);
  return parts.join(' ');
}

/** Each step of the connection limit, direction first, beside the ratio of its bounds. */
function connectionLimit(sweep: IoMeasured): string {
  const points = ioWays(sweep).sort((a, b) => a.concurrency - b.concurrency);
  const gap = (v: IoWay) =>
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
    return `${count(v.concurrency, 'connection')} against ${prev.concurrency}: ${words} (${formatMs(prev.medianMs)} → ${formatMs(v.medianMs)}${bounds && `; ${bounds}`})${gap(v)}`;
  });
  const first = points[0];
  const only = first ? `${count(first.concurrency, 'connection')}: ${formatMs(first.medianMs)}${gap(first)}` : '';
  return `**The connection limit**, \`Promise.all\` through undici's pool: ${steps.join('; ') || only}.`;
}

/** Failures by kind per way, and what the timeouts cost where requests wait one after another. */
function withFaults(faults: IoMeasured): string {
  const all = ioWays(faults);
  const described = all.map((v) => {
    const kinds = Object.entries({ 'HTTP error': v.httpErrors, timeout: v.timeouts, 'other error': v.otherErrors })
      .filter(([, n]) => n > 0)
      .map(([what, n]) => count(n, what))
      .join(', ');
    const failed = v.failed === 0 ? `none of ${v.total} failed` : `${v.failed} of ${v.total} failed (${kinds})`;
    return `${v.label}: ${failed}, in ${formatMs(v.medianMs)}`;
  });
  const options = faults.server?.options;
  const lines = [
    `**With faults injected** (a share of ${options?.failShare ?? 0} of the answers are 500s and ${options?.hangShare ?? 0} never come; timeout ${formatMs(faults.timeoutMs)}): ${described.join('; ')}.`,
  ];
  const seq = all.find((v) => v.mode === 'sequential');
  if (seq && seq.timeouts > 0) {
    const total = seq.runsMs.reduce((a, b) => a + b, 0);
    const over = seq.runsMs.length > 1 ? ` over ${count(seq.runsMs.length, 'run')}` : '';
    lines.push(
      `In **${seq.label}** the requests wait one after another, so its ${count(seq.timeouts, 'timeout')} cost at least ${formatMs(seq.timeouts * faults.timeoutMs)} of its ${formatMs(total)}${over}, waiting for answers that never came.`,
    );
  }
  return lines.join(' ');
}

/** One plain sentence for the index page: Promise.all against one after another, read from this run. */
function headlineOf(main: IoMeasured): string {
  const all = ioWays(main);
  const [seq, gather] = [all.find((v) => v.label === 'sequential'), all.find((v) => v.label === 'Promise.all')];
  const head = `I/O-bound, ${count(main.requests, 'request')}`;
  const failed = (v: IoWay) => (v.failed ? ` (${v.failed} of ${v.total} failed)` : '');
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
