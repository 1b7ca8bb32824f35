/** "What we measured" for the CPU-bound notebook, written from the numbers of this run. */
import type { Comparison, Sweep } from '../../core/measure';
import { scalingPoints } from '../../charts/scaling';
import { formatMs, summarizeModes } from '../../core/summary';

/** The course's Python figures for 100 x cpu_bound_func(30), in seconds. */
export const COURSE_CPU_SECONDS = { sequential: 21, threads: 21.29, processes: 13 } as const;

const x = (v: number | undefined) => (v === undefined ? 'n/a' : `${v.toFixed(2)}x`);

/** Markdown that reads a CPU comparison (and optionally a sweep) and sets it beside the course. */
export function cpuFindings(result: Comparison, scaling?: Sweep): string {
  const s = Object.fromEntries(summarizeModes(result).map((m) => [m.mode, m]));
  const cores = result.env.cores;
  const lines: string[] = [
    `On this machine (${cores} cores, ${result.env.cpuModel}, Node ${result.env.node}), ${result.tasks} tasks:`,
    '',
  ];
  const row = (mode: string, what: string) => {
    const m = s[mode];
    if (m)
      lines.push(
        `- **${mode}**: ${formatMs(m.wall.median)} median (${x(m.speedup)} vs sequential${m.startupMs ? `; the pool took ${formatMs(m.startupMs)} to start, not counted` : ''}). ${what}`,
      );
  };
  const asyncGain = s.async?.speedup;
  row('sequential', 'One task after another on the main thread.');
  row(
    'async',
    asyncGain !== undefined && Math.abs(asyncGain - 1) < 0.15
      ? 'No gain, as expected: `Promise.all` only interleaves *waits*, and this function never waits, so each task runs to the end on the one event loop.'
      : `A ${x(asyncGain)} ratio here; with no waits to overlap, any difference from 1x is noise or JIT warm-up, not concurrency.`,
  );
  const t = s.threads;
  const p = s.processes;
  if (t) {
    row(
      'threads',
      t.speedup !== undefined && t.speedup > 1.3
        ? `A real gain, unlike Python's threads: worker threads each have their own V8 isolate and no global lock, so ${Math.min(t.workers, cores)} of them run JavaScript on ${cores} cores at once (ideal ${t.idealSpeedup}x).`
        : `Little gain here (ideal ${t.idealSpeedup}x): with ${cores} core(s) there is little room to run in parallel.`,
    );
  }
  if (p) {
    row(
      'processes',
      `Processes also run in parallel; each task's input and result cross a pipe, and each process started its own Node (${formatMs(p.startupMs)} for the pool).`,
    );
  }
  lines.push(
    '',
    `The course measured, in Python: sequential ${COURSE_CPU_SECONDS.sequential} s, ThreadPoolExecutor ${COURSE_CPU_SECONDS.threads} s (no gain: the GIL lets one thread run Python at a time), ProcessPoolExecutor ${COURSE_CPU_SECONDS.processes} s (${(COURSE_CPU_SECONDS.sequential / COURSE_CPU_SECONDS.processes).toFixed(2)}x).`,
  );
  if (t?.speedup !== undefined && t.speedup > 1.3) {
    lines.push(
      `Here threads got ${x(t.speedup)} where Python's got ${(COURSE_CPU_SECONDS.sequential / COURSE_CPU_SECONDS.threads).toFixed(2)}x: Node has no GIL, so its thread pool behaves like Python's *process* pool, without the pickling.`,
    );
  }
  if (t?.speedup !== undefined && t.speedup <= 1.3) {
    const perTask = (s.sequential?.wall.median ?? 0) / result.tasks;
    lines.push(
      `Here threads got only ${x(t.speedup)}. ${cores < 2 ? 'With one core there is nothing to run in parallel.' : `Each task took about ${formatMs(perTask)}, so handing it to a worker and back costs as much as the work itself: give the tasks more to do (a larger \`num\`) and the pool pulls ahead.`}`,
    );
  }
  if (scaling) {
    const sp = scalingPoints(scaling);
    const best = sp.points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
    lines.push(
      '',
      `Scaling: the best pool (${best.workers} workers) reached ${x(best.speedup)}; past ${cores} workers the ideal stays at ${cores}x, because there are only ${cores} cores to share. An Amdahl fit puts the serial share of this run at ${(sp.serialFraction * 100).toFixed(1)}%.`,
    );
    const last = sp.points[sp.points.length - 1]!;
    if (last.workers > cores && last.speedup < best.speedup * 0.95) {
      lines.push(
        `More workers than cores did not help: ${last.workers} workers got ${x(last.speedup)} against ${x(best.speedup)} for ${best.workers}. The extra threads take turns on the same cores, and each switch costs its caches; a pool of one worker per core is the usual choice for CPU work.`,
      );
    }
  }
  return lines.join('\n');
}
