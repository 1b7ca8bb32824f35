/** "What we measured" for the I/O-bound notebook, written from the numbers of this run. */
import { COURSE_IO, type IoExperiment } from './run';
import { ioSummaries, type IoVariantSummary } from './summary';
import { formatMs } from '../../core/summary';

const s = (ms: number) => `${(ms / 1000).toFixed(ms < 1000 ? 3 : 2)} s`;
const x = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)}x`;
/** "3.2x faster" or, below 1, "1.1x slower". */
const faster = (ratio: number) => (ratio >= 1 ? `${x(ratio)} faster` : `${x(1 / ratio)} slower`);

function target(e: IoExperiment): string {
  return e.latencyMs === undefined
    ? `${e.requests} requests to ${e.urls.join(' and ')}`
    : `${e.requests} requests to the embedded server, which answers each after ${formatMs(e.latencyMs)}`;
}

function why(v: IoVariantSummary, seq: IoVariantSummary | undefined, requests: number, cores: number): string {
  const peak = v.peakInflight === undefined ? '' : ` The server saw at most ${v.peakInflight} in flight.`;
  if (v.label === 'sequential') return `Each request waits for the one before: ${v.concurrency} in flight.${peak}`;
  if (v.mode === 'async' && v.label.startsWith('blocking'))
    return (
      `No gain over sequential${seq ? ` (${x(seq.medianMs / v.medianMs)})` : ''}: the blocking client stops the thread inside each call, ` +
      `so \`Promise.all\` can only start the next request when the previous one has returned.${peak} ` +
      'It is `requests.get` called inside an asyncio coroutine.'
    );
  if (v.mode === 'async' && v.concurrency < requests)
    return `At most ${v.concurrency} in flight: undici opens no more connections than its limit, and the other requests queue for a free one.${peak}`;
  if (v.mode === 'async') {
    const over = v.boundMs === undefined ? 0 : v.medianMs - v.boundMs;
    const cpu =
      v.boundMs !== undefined && over > 0.2 * v.boundMs
        ? ` The ${formatMs(over)} above the bound is what the waiting does not cover: sending, parsing and answering ${v.concurrency} requests at once, at both ends, which share ${cores} core${cores === 1 ? '' : 's'}.`
        : '';
    const first = v.runsMs[0];
    const last = v.runsMs.at(-1);
    const warming =
      first !== undefined && last !== undefined && v.runsMs.length >= 2 && first > 1.08 * last
        ? ` Its runs took ${v.runsMs.map(formatMs).join(', ')}, the first ${x(first / last)} as long as the last: early runs in a fresh kernel also wait for V8 to compile the code every request goes through (the JIT), which later runs reuse; \`npm run bench\` times it warm.`
        : '';
    return `All ${v.concurrency} wait together on one thread: the event loop sends them all, then sleeps until answers come.${peak}${cpu}${warming}`;
  }
  const kind = v.mode === 'threads' ? 'thread' : 'process';
  return `${v.workers} ${kind}${v.workers === 1 ? '' : kind === 'thread' ? 's' : 'es'}, each blocked in one request at a time: ${v.concurrency} in flight.${peak}`;
}

/** Markdown that reads the main experiment (and optionally the sweep and the faults run) beside the course. */
export function ioFindings(main: IoExperiment, sweep?: IoExperiment, faults?: IoExperiment): string {
  const all = ioSummaries(main);
  const by = (label: string) => all.find((v) => v.label === label);
  const seq = by('sequential');
  const gather = by('Promise.all');
  const pools = all.filter((v) => v.mode === 'threads').sort((a, b) => b.workers - a.workers);
  const pool = pools.find((v) => v.course === 'requests in a ThreadPoolExecutor') ?? pools[0];
  const lines = [`On this machine (${main.env.cores} cores, Node ${main.env.node}), ${target(main)}:`, ''];
  for (const v of all) {
    const bound =
      v.boundMs === undefined ? '' : `, bound ${formatMs(v.boundMs)} (${(v.medianMs / v.boundMs).toFixed(2)}x of it)`;
    const failed = v.failed ? `; **${v.failed} of ${v.total} failed**: ${v.firstError}` : '';
    lines.push(
      `- **${v.label}**: ${formatMs(v.medianMs)} median${bound}${failed}. ${why(v, seq, main.requests, main.env.cores)}`,
    );
  }
  lines.push(
    '',
    '| | the course (Python, over the internet) | here |',
    '| --- | --- | --- |',
    `| one after another | requests: ${COURSE_IO.sequentialMs / 1000} s | ${seq ? s(seq.medianMs) : 'n/a'} |`,
    `| all at once | aiohttp + asyncio.gather: ${COURSE_IO.gatherMs / 1000} s | ${gather ? s(gather.medianMs) : 'n/a'} |`,
    `| pool of ${COURSE_IO.threadPoolWorkers} threads | ThreadPoolExecutor + requests: ${COURSE_IO.threadPoolMs / 1000} s | ${pool ? `${s(pool.medianMs)} (${pool.workers} thread${pool.workers === 1 ? '' : 's'})` : 'n/a'} |`,
    '',
  );
  const perRequest = COURSE_IO.sequentialMs / COURSE_IO.requests;
  lines.push(
    `**Why the course's numbers were what they were.** ${COURSE_IO.sequentialMs / 1000} s for ${COURSE_IO.requests} requests one after another is ${perRequest} ms each: ` +
      "the round trip to google.com and apple.com over the internet (name lookup, TCP and TLS handshakes, distance, the servers' own time). " +
      `All at once took ${COURSE_IO.gatherMs / 1000} s, not ${perRequest} ms: a hundred handshakes at once, two real servers and a network taking a burst, ` +
      'one Python thread doing all the parsing and TLS, and the slowest answer setting the time. ' +
      `The thread pool had ${COURSE_IO.threadPoolWorkers} requests in flight at a time, so at best ${COURSE_IO.requests / COURSE_IO.threadPoolWorkers} rounds of ${perRequest} ms = ${((COURSE_IO.requests / COURSE_IO.threadPoolWorkers) * perRequest) / 1000} s; ` +
      `it took ${COURSE_IO.threadPoolMs / 1000} s, so each request took about ${COURSE_IO.threadPoolMs / (COURSE_IO.requests / COURSE_IO.threadPoolWorkers)} ms when ten ran at once (the GIL makes the threads take turns for the Python part, and real servers answer slower under load).`,
    '',
  );
  if (seq && gather && pool) {
    lines.push(
      `**Here** the server answers in a set time on the same machine, so the times sit near their bounds and the ratios are much larger: ` +
        `all at once was ${faster(seq.medianMs / gather.medianMs)} than one after another (the course: ${x(COURSE_IO.sequentialMs / COURSE_IO.gatherMs)}; the bound: ${x(main.requests)}), ` +
        `and ${pool.workers} blocking thread${pool.workers === 1 ? ' was' : 's were'} ${faster(seq.medianMs / pool.medianMs)} (the course: ${x(COURSE_IO.sequentialMs / COURSE_IO.threadPoolMs)}; the bound: ${x(Math.min(main.requests, pool.workers))}). ` +
        'The lesson is the same: for waiting, what counts is how many requests are in flight at once, not how many cores there are. ' +
        `Threads help only because a blocked thread lets another one wait too; \`Promise.all\` gets the same from one thread, ${pool.medianMs > gather.medianMs ? `and here it was ${faster(pool.medianMs / gather.medianMs)} than the pool, since all ${gather.concurrency} waited at once instead of ${pool.concurrency}` : 'as the pool here did'}.`,
      '',
    );
  }
  if (sweep) {
    const points = ioSummaries(sweep).sort((a, b) => a.concurrency - b.concurrency);
    const steps = points.slice(1).map((v, k) => {
      const prev = points[k]!;
      const bound = prev.boundMs && v.boundMs ? `; the bound: ${x(prev.boundMs / v.boundMs)}` : '';
      return `from ${prev.concurrency} to ${v.concurrency} connections the time fell ${x(prev.medianMs / v.medianMs)} (${formatMs(prev.medianMs)} → ${formatMs(v.medianMs)}${bound})`;
    });
    lines.push(
      `**The connection limit** is the same knob inside one client, \`Promise.all\` through undici's pool: ${steps.join('; ') || `${points[0]?.concurrency} connections: ${formatMs(points[0]?.medianMs ?? NaN)}`}. ` +
        'More connections help as long as requests are waiting for one; past the number of requests they change nothing.',
      '',
    );
  }
  if (faults) {
    const rows = ioSummaries(faults).map(
      (v) =>
        `${v.label}: ${v.failed} of ${v.total} failed (${v.httpErrors} HTTP errors, ${v.timeouts} timeouts, ${v.otherErrors} other) in ${formatMs(v.medianMs)}`,
    );
    lines.push(
      `**With faults injected** (${faults.server?.options.failShare ?? 0} of the answers 500, ${faults.server?.options.hangShare ?? 0} never answered, timeout ${formatMs(faults.timeoutMs)}): ${rows.join('; ')}. ` +
        'Every failure is counted, none dropped; a request that never answers costs a whole timeout, which hurts most where requests wait one after another.',
    );
  }
  return lines.join('\n');
}
