/** "What we measured" for the GIL-like limits notebook, written from the numbers of this run. */
import { loopRunSummary } from './charts';
import { scalingPoints } from '../../charts/scaling';
import type { AmdahlSweep } from './amdahl';
import { summarizeGil, type GilComparison, type GilVariantRun, type SwitchSweep } from './run';
import { median } from '../../core/stats';
import { COURSE_IO } from '../io/run';
import type { LoopComparison } from './loop-run';
import { formatMs } from '../../core/summary';
import { COURSE_CPU_SECONDS } from '../cpu/findings';

/** PEP 703 (free-threaded CPython), as its authors published it. */
export const PEP_703 = {
  url: 'https://peps.python.org/pep-0703/',
  singleThreadOverhead: 'about 5-8%',
};

/** Everything the notebook measured, for `gilFindings`; any part may be missing. */
export interface GilFindingsInput {
  loop?: LoopComparison;
  cpu?: GilComparison;
  io?: GilComparison;
  switches?: SwitchSweep;
  amdahl?: AmdahlSweep;
}

const x = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${v.toFixed(2)}x`);

/** Markdown that reads the notebook's results and sets them beside the course's Python figures and PEP 703's. */
export function gilFindings(m: GilFindingsInput): string {
  const lines: string[] = [];
  const env = m.cpu?.env ?? m.loop?.env ?? m.io?.env ?? m.amdahl?.env;
  if (env) lines.push(`On this machine (${env.cores} cores, ${env.cpuModel}, Node ${env.node}):`, '');
  if (m.loop) {
    const by = Object.fromEntries(m.loop.runs.map((r) => [r.place, loopRunSummary(r)]));
    const main = by.main;
    const worker = by.worker;
    const yielding = by['main-yielding'];
    if (main) {
      lines.push(
        `- **The event loop is Node's GIL.** ${m.loop.count} x cpu(${m.loop.num}) with Promise.all on the event loop took ${formatMs(main.workMs)} and kept the loop ${(main.utilization * 100).toFixed(0)}% busy: the ${m.loop.heartbeatMs} ms heartbeat came up to ${formatMs(main.maxLatenessMs)} late` +
          (main.requests
            ? `, and requests the server answers in ${m.loop.latencyMs} ms took up to ${formatMs(main.maxLatencyMs)}`
            : '') +
          '. Promise.all gave no speedup: there was one thread to run on, and nothing to wait for.',
      );
    }
    if (yielding) {
      lines.push(
        `- Yielding between tasks (setImmediate) cut the worst heartbeat to ${formatMs(yielding.maxLatenessMs)}: the loop's own "switch interval" is one task long.`,
      );
    }
    if (worker) {
      lines.push(
        `- In a worker thread the same work took ${formatMs(worker.workMs)} while the loop stayed free (${(worker.utilization * 100).toFixed(0)}% busy): worst heartbeat ${formatMs(worker.maxLatenessMs)} late` +
          (worker.requests ? `, worst request ${formatMs(worker.maxLatencyMs)}` : '') +
          '.',
      );
    }
  }
  const courseThreads = COURSE_CPU_SECONDS.sequential / COURSE_CPU_SECONDS.threads;
  const courseProcesses = COURSE_CPU_SECONDS.sequential / COURSE_CPU_SECONDS.processes;
  if (m.cpu) {
    const s = Object.fromEntries(summarizeGil(m.cpu).map((v) => [v.variant, v]));
    lines.push(
      `- **A simulated GIL.** ${m.cpu.tasks} CPU tasks on ${m.cpu.threads} threads that must hold one lock to run: ${x(s.gil?.speedup)} the speed of one thread (${Math.round(s.gil?.switches ?? 0)} hand-offs at a ${m.cpu.switchIntervalMs} ms switch interval). ` +
        `The course's ThreadPoolExecutor: ${COURSE_CPU_SECONDS.threads} s against ${COURSE_CPU_SECONDS.sequential} s sequential, ${x(courseThreads)}. ` +
        `The same threads without the lock: ${x(s.free?.speedup)} (ideal ${Math.min(m.cpu.threads, m.cpu.env.cores, m.cpu.tasks)}x on ${m.cpu.env.cores} cores), the course's ProcessPoolExecutor got ${x(courseProcesses)}.`,
    );
    const med = (variant: string, f: (r: GilVariantRun) => number) => {
      const runs = m.cpu!.runs.filter((r) => r.variant === variant);
      return runs.length ? median(runs.map(f)) : undefined;
    };
    const heldShare = med('gil', (r) => r.heldMs / r.wallMs);
    const seqHeld = med('sequential', (r) => r.heldMs);
    const gilHeld = med('gil', (r) => r.heldMs);
    if (s.gil?.speedup !== undefined && s.gil.speedup < 0.95 && heldShare !== undefined && seqHeld && gilHeld) {
      lines.push(
        `  Why a little below 1x: the lock was held ${(heldShare * 100).toFixed(0)}% of the run; the rest went to hand-offs, each waking the next thread` +
          (gilHeld > seqHeld
            ? `. And the same work took ${((gilHeld / seqHeld - 1) * 100).toFixed(0)}% longer while holding the lock than on one thread: a thread that gets the lock back starts with cold caches (and anything else running on the machine adds to that).`
            : '.'),
      );
    }
  }
  if (m.io) {
    const s = Object.fromEntries(summarizeGil(m.io).map((v) => [v.variant, v]));
    const course = COURSE_IO.sequentialMs / COURSE_IO.threadPoolMs;
    lines.push(
      `- **Waiting releases the lock.** ${m.io.tasks} tasks that mostly wait, on ${m.io.threads} threads: ${x(s.gil?.speedup)} with the lock, ${x(s.free?.speedup)} without: the waits overlap either way. ` +
        `The course: requests one after another ${COURSE_IO.sequentialMs / 1000} s, a ThreadPoolExecutor of ${COURSE_IO.threadPoolWorkers} ${COURSE_IO.threadPoolMs / 1000} s (${x(course)}), GIL and all.`,
    );
  }
  if (m.switches && m.switches.points.length) {
    const pts = m.switches.points;
    const short = pts.reduce((a, b) => (b.switchIntervalMs < a.switchIntervalMs ? b : a));
    const long = pts.reduce((a, b) => (b.switchIntervalMs > a.switchIntervalMs ? b : a));
    lines.push(
      `- **The switch interval is a trade.** At ${short.switchIntervalMs} ms the lock changed hands ${Math.round(short.switchesPerSecond)} times a second and the CPU threads took ${x(short.slowdown)} one thread's time; at ${long.switchIntervalMs} ms, ${Math.round(long.switchesPerSecond)} times a second, ${x(long.slowdown)}` +
        (long.ioDelayMs !== undefined && short.ioDelayMs !== undefined
          ? `, but a thread coming back from a 1 ms wait then waited ${formatMs(long.ioDelayMs)} for the lock (${formatMs(short.ioDelayMs)} at ${short.switchIntervalMs} ms).`
          : '.'),
    );
  }
  if (m.amdahl) {
    const sp = scalingPoints(m.amdahl);
    const best = sp.points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    const f = m.amdahl.serialFraction;
    lines.push(
      `- **Amdahl's law.** With ${(f * 100).toFixed(0)}% of the work serial, the best measured speedup was ${x(best.speedup)} on ${best.workers} thread${best.workers === 1 ? '' : 's'}; the law allows ${x(1 / (f + (1 - f) / best.effective))} on ${best.effective} core${best.effective === 1 ? '' : 's'} and never more than ${f > 0 ? x(1 / f) : 'any bound'}. Fitted from the data, the serial share is ${(sp.serialFraction * 100).toFixed(1)}%. A GIL is the limit case: a serial fraction of 100% for Python code.`,
    );
  }
  const spread = [m.cpu, m.io]
    .filter((c): c is GilComparison => c !== undefined && c.repeats > 1)
    .flatMap((c) => summarizeGil(c).map((v) => v.maxMs / v.minMs));
  if (spread.length && Math.max(...spread) > 1.25) {
    lines.push(
      '',
      `Note: the same run took up to ${((Math.max(...spread) - 1) * 100).toFixed(0)}% longer in one repeat than in another: something else was using the cores. Close other programs or add repeats before trusting small differences.`,
    );
  }
  lines.push(
    '',
    `Free-threaded CPython ([PEP 703](${PEP_703.url})) removes the GIL: its authors report ${PEP_703.singleThreadOverhead} single-thread overhead, and threads that then scale with the cores, which is what the "threads, no lock" bars show here.`,
  );
  return lines.join('\n');
}
