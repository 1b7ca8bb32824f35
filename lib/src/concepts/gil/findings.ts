/**
 * "What we measured" for the GIL-like limits notebook, written from the numbers of this run.
 * Only sentences that depend on those numbers are here; the course's figures and PEP 703's
 * are in the notebook's markdown. Every explanation is given only with the measured evidence
 * for it (the lock's own records of who held it when), and a result past a limit (a global
 * lock that let threads go faster than one) is named as such.
 */
import { loopRunSummary } from './charts';
import { scalingPoints } from '../../charts/scaling';
import type { AmdahlSweep } from './amdahl';
import { summarizeGil, type GilComparison, type GilVariant, type GilVariantRun, type SwitchSweep } from './run';
import { median } from '../../core/stats';
import type { LoopComparison } from './loop-run';
import { formatMs } from '../../core/summary';
import { compareTimes, count, speedupWords, spreadOf, times, versus } from '../../core/words';
import type { GilRun, Hold } from './gil-team';

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

const walls = (runs: readonly GilVariantRun[]) => runs.map((r) => r.wallMs);
const runsOf = (c: GilComparison, variant: GilVariant) => c.runs.filter((r) => r.variant === variant);

/**
 * Holds that began before an earlier hold (of any thread) had ended: two threads holding at
 * once. Threads read one clock to within microseconds, so overlaps under 0.05 ms do not count.
 */
export function overlappingHolds(holds: readonly Hold[]): number {
  const sorted = [...holds].sort((a, b) => a.start - b.start);
  let overlaps = 0;
  let lastEnd = -Infinity;
  for (const h of sorted) {
    if (h.start < lastEnd - 0.05) overlaps++;
    lastEnd = Math.max(lastEnd, h.end);
  }
  return overlaps;
}

/** "**2 of 24 tasks failed** (first: ...)" over every run of a comparison, or '' when none did. */
function failures(c: GilComparison): string {
  const tasks = c.runs.flatMap((r) => r.tasks);
  const failed = tasks.filter((t) => !t.ok);
  if (!failed.length) return '';
  return ` **${failed.length} of ${count(tasks.length, 'task')} failed** (the first: ${failed[0]!.error ?? 'failed'}).`;
}

/** The ideal speedup of threads without the lock: no more than the threads, the cores or the tasks. */
const idealOf = (c: GilComparison) => Math.min(c.threads, c.env.cores, c.tasks);

function loopLines(loop: LoopComparison): string[] {
  const lines: string[] = [];
  const by = Object.fromEntries(loop.runs.map((r) => [r.place, loopRunSummary(r)]));
  const main = by.main;
  const yielding = by['main-yielding'];
  const worker = by.worker;
  const work = `${loop.count} x cpu(${loop.num})`;
  if (main) {
    const requests = main.requests
      ? `, and requests the server answers in ${formatMs(loop.latencyMs)} took up to ${formatMs(main.maxLatencyMs)}`
      : '';
    const stalled =
      main.maxLatenessMs >= 0.5 * main.workMs
        ? ' The heartbeat waited out most of the work: while it ran, the loop ran nothing else.'
        : '';
    lines.push(
      `- **The event loop.** ${work} all at once with \`Promise.all\` on the event loop took ${formatMs(main.workMs)} ` +
        `and kept the loop ${(main.utilization * 100).toFixed(0)}% busy; the ${formatMs(loop.heartbeatMs)} heartbeat came up to ` +
        `${formatMs(main.maxLatenessMs)} late${requests}.${stalled}`,
    );
  }
  if (yielding) {
    const perTask = yielding.workMs / loop.count;
    const parts = [
      `- One task at a time, yielding to the loop between tasks (\`setImmediate\`): ${formatMs(yielding.workMs)}, ` +
        `the heartbeat up to ${formatMs(yielding.maxLatenessMs)} late.`,
    ];
    if (main && yielding.maxLatenessMs < 0.8 * main.maxLatenessMs) {
      const oneTask =
        yielding.maxLatenessMs <= 1.5 * perTask + loop.heartbeatMs
          ? `, about one task (${formatMs(perTask)} each)`
          : '';
      parts.push(
        `The longest stall shrank from ${formatMs(main.maxLatenessMs)} to ${formatMs(yielding.maxLatenessMs)}${oneTask}.`,
      );
    }
    if (main) {
      const c = compareTimes({ runs: [main.workMs] }, { runs: [yielding.workMs] });
      const text = versus([main.workMs], [yielding.workMs], 'one task at a time');
      parts.push(
        c.direction === 'same'
          ? `\`Promise.all\`: ${text}. Work that never waits has nothing to overlap, and there is one thread to run it on.`
          : `\`Promise.all\`: ${text}.`,
      );
    }
    lines.push(parts.join(' '));
  }
  if (worker) {
    const requests = worker.requests ? `, requests up to ${formatMs(worker.maxLatencyMs)}` : '';
    const free =
      main && worker.maxLatenessMs < 0.5 * main.maxLatenessMs
        ? ` The loop kept running: its worst heartbeat was ${formatMs(worker.maxLatenessMs)} late, against ${formatMs(main.maxLatenessMs)} with \`Promise.all\`.`
        : '';
    lines.push(
      `- In a worker thread the same work took ${formatMs(worker.workMs)} while the loop was ${(worker.utilization * 100).toFixed(0)}% busy: ` +
        `the heartbeat up to ${formatMs(worker.maxLatenessMs)} late${requests}.${free}`,
    );
  }
  return lines;
}

/** Sum of holds over the runs of a variant against their wall time: the share of the run the lock was held. */
function heldShare(runs: readonly GilRun[]): number | undefined {
  return runs.length ? median(runs.map((r) => r.heldMs / r.wallMs)) : undefined;
}

/**
 * Why threads ran faster than `ideal` (1x under one lock; the cores' count without it), from
 * the lock's records: holds that overlapped (the lock failed); time the one-thread run spent
 * outside the lock (handing tasks over), which threads overlap, allowing up to ideal / share;
 * else noise. `locked`: the runs under the lock, whose holds are checked.
 */
function aboveIdeal(factor: number, ideal: number, seq: readonly GilRun[], locked?: readonly GilRun[]): string {
  const head = locked ? '**Above the 1x one lock allows**' : `**Above the ideal of ${times(ideal)}**`;
  const overlaps = locked ? median(locked.map((r) => overlappingHolds(r.holds))) : 0;
  if (overlaps > 0) {
    return (
      `${head}, and the lock's records show why: ${count(overlaps, 'hold')} overlapped another thread's, ` +
      'so the lock did not keep the threads apart.'
    );
  }
  const kept = locked ? 'no two holds overlapped, but ' : '';
  const share = heldShare(seq)!;
  if (share < 0.97) {
    const limit = ideal / share;
    const outside =
      `${head}: ${kept}on one thread the lock was held only ${(share * 100).toFixed(0)}% of the run. ` +
      `The rest (handing each task to its thread and its result back) is not the work, and threads overlap it, which allows up to ${times(limit)}`;
    return factor <= limit * 1.03
      ? `${outside}.`
      : `${outside}; the rest of the ${times(factor)} is noise in the run times.`;
  }
  const apart = locked ? 'no two holds overlapped, so the lock kept the threads apart, and ' : '';
  return `${head}: ${apart}the difference is noise in the run times; read it as about ${times(ideal)}.`;
}

function cpuLines(cpu: GilComparison): string[] {
  const lines: string[] = [];
  const [seq, locked, free] = [runsOf(cpu, 'sequential'), runsOf(cpu, 'gil'), runsOf(cpu, 'free')];
  const summary = Object.fromEntries(summarizeGil(cpu).map((v) => [v.variant, v]));
  const threads = count(cpu.threads, 'thread');
  if (locked.length && seq.length) {
    const c = compareTimes({ runs: walls(locked) }, { runs: walls(seq) });
    const switches = Math.round(summary.gil?.switches ?? 0);
    const parts = [
      `- **A simulated GIL.** ${count(cpu.tasks, 'CPU task')} on ${threads} that must hold one lock to run ` +
        `(it changed hands ${count(switches, 'time')} at a ${formatMs(cpu.switchIntervalMs)} switch interval): ` +
        `${versus(walls(locked), walls(seq), 'one thread')}.`,
    ];
    const [seqShare, lockedShare] = [heldShare(seq)!, heldShare(locked)!];
    if (c.direction === 'faster') {
      parts.push(aboveIdeal(c.factor, 1, seq, locked));
    } else if (c.direction === 'slower') {
      const seqHeld = median(seq.map((r) => r.heldMs));
      const lockedHeld = median(locked.map((r) => r.heldMs));
      const where: string[] = [];
      if (lockedShare < seqShare - 0.05) {
        where.push(
          `the lock was held ${(lockedShare * 100).toFixed(0)}% of the run, against ${(seqShare * 100).toFixed(0)}% on one thread` +
            (switches > 0 ? ': between holds it waited for the next thread to wake' : ''),
        );
      }
      if (lockedHeld > 1.05 * seqHeld) {
        where.push(
          `the work under the lock took ${((lockedHeld / seqHeld - 1) * 100).toFixed(0)}% longer than on one thread`,
        );
      }
      if (where.length) parts.push(`Where the time went: ${where.join('; and ')}.`);
    }
    lines.push(parts.join(' ') + failures(cpu));
  }
  if (free.length && seq.length) {
    const ideal = idealOf(cpu);
    const c = compareTimes({ runs: walls(free) }, { runs: walls(seq) });
    const above = c.direction === 'faster' && c.factor > ideal * 1.03;
    const parts = [
      `- The same ${threads} without the lock (the ideal: ${times(ideal)} on ${count(cpu.env.cores, 'core')}): ` +
        `${versus(walls(free), walls(seq), 'one thread')}${above ? `, above the ideal of ${times(ideal)}` : ''}.`,
    ];
    if (above) parts.push(aboveIdeal(c.factor, ideal, seq));
    if (ideal === 1) {
      const only = cpu.env.cores === 1 ? 'one core' : cpu.threads === 1 ? 'one thread' : 'one task';
      if (!above) parts.push(`With ${only} there is nothing to run side by side.`);
    } else if (c.direction === 'faster' && c.factor >= 0.75 * ideal) {
      parts.push(`They ran side by side, as free-threaded Python ([PEP 703](${PEP_703.url})) lets threads do.`);
    } else if (c.direction !== 'faster') {
      parts.push(
        `They did not run measurably faster than one thread here, though ${count(cpu.env.cores, 'core')} allow ${times(ideal)}.`,
      );
    }
    lines.push(parts.join(' '));
  }
  return lines;
}

function ioLines(io: GilComparison): string[] {
  const [seq, locked, free] = [runsOf(io, 'sequential'), runsOf(io, 'gil'), runsOf(io, 'free')];
  if (!seq.length || (!locked.length && !free.length)) return [];
  const ideal = Math.min(io.threads, io.tasks); // waiting needs no core
  const parts = [
    `- **Waiting releases the lock.** ${count(io.tasks, 'task')} that mostly wait, on ${count(io.threads, 'thread')}:`,
  ];
  const said: string[] = [];
  if (locked.length) said.push(`with the lock, ${versus(walls(locked), walls(seq), 'one thread', ideal)}`);
  if (free.length) said.push(`without it, ${versus(walls(free), walls(seq), 'one thread', ideal)}`);
  parts.push(`${said.join('; ')} (the ideal: ${times(ideal)}).`);
  if (locked.length && free.length) {
    const gained = compareTimes({ runs: walls(locked) }, { runs: walls(seq) }).direction === 'faster';
    const c = compareTimes({ runs: walls(locked) }, { runs: walls(free) });
    if (gained && c.direction === 'same') parts.push('The waits overlapped as well with the lock as without it.');
    else if (gained)
      parts.push(
        `The waits overlapped with the lock too; with it the threads were ${versus(walls(locked), walls(free), 'without it')}.`,
      );
  }
  return [parts.join(' ') + failures(io)];
}

function switchLines(sweep: SwitchSweep): string[] {
  const pts = [...sweep.points].sort((a, b) => a.switchIntervalMs - b.switchIntervalMs);
  if (!pts.length) return [];
  const base = sweep.baseline.map((r) => r.wallMs);
  const faster = (p: (typeof pts)[number]) =>
    compareTimes({ runs: p.runs.map((r) => r.wallMs) }, { runs: base }).direction === 'faster';
  const at = (p: (typeof pts)[number]) =>
    `At ${formatMs(p.switchIntervalMs)} the lock changed hands ${Math.round(p.switchesPerSecond)} times a second, ` +
    `and ${count(sweep.threads, 'CPU thread')} under it: ${versus(
      p.runs.map((r) => r.wallMs),
      base,
      'one thread alone',
    )}` +
    `${faster(p) ? ', above the 1x one lock allows' : ''}.`;
  const [short, long] = [pts[0]!, pts[pts.length - 1]!];
  const shown = pts.length > 1 ? [short, long] : [short];
  const parts = [`- **The switch interval.** ${shown.map(at).join(' ')}`];
  const above = shown.filter(faster);
  if (above.length) {
    const runs = above.flatMap((p) => p.runs);
    const factor = Math.max(...above.map((p) => median(base) / p.medianMs));
    parts.push(aboveIdeal(factor, 1, sweep.baseline, runs));
  }
  if (pts.length > 1 && long.ioDelayMs !== undefined && short.ioDelayMs !== undefined) {
    parts.push(
      `A thread coming back from a 1 ms wait waited ${formatMs(long.ioDelayMs)} for the lock at ${formatMs(long.switchIntervalMs)}, ` +
        `${formatMs(short.ioDelayMs)} at ${formatMs(short.switchIntervalMs)}.`,
    );
    const cpuCost = compareTimes({ runs: short.runs.map((r) => r.wallMs) }, { runs: long.runs.map((r) => r.wallMs) });
    if (cpuCost.direction === 'slower' && long.ioDelayMs > 1.2 * short.ioDelayMs) {
      parts.push(
        'That is the trade: a short interval costs the CPU threads hand-offs, a long one makes a returning thread wait.',
      );
    }
  }
  return [parts.join(' ')];
}

function amdahlLines(amdahl: AmdahlSweep): string[] {
  const sp = scalingPoints(amdahl);
  if (!sp.points.length) return [];
  const best = sp.points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  const runs = amdahl.points.find((p) => p.workers === best.workers)!.runs.map((r) => r.wallMs);
  const base = amdahl.baseline.map((r) => r.wallMs);
  const f = amdahl.serialFraction;
  const law = 1 / (f + (1 - f) / best.effective);
  const c = compareTimes({ runs }, { runs: base });
  let words = versus(runs, base, 'one thread');
  if (c.direction === 'faster' && c.factor > law * 1.03) {
    // One thread against one thread is the same run twice: only noise can part them.
    words =
      best.workers === 1
        ? speedupWords(c.factor, law).replace(/^([\d.]+x)/, '$1 faster than the one-thread baseline')
        : `${words}, above what the law allows`;
  }
  const ceiling = f > 0 ? `, and never more than ${times(1 / f)} on any number of cores` : '';
  return [
    `- **Amdahl's law.** With ${(f * 100).toFixed(0)}% of the work serial, the best point was ${count(best.workers, 'thread')}: ${words}. ` +
      `The law allows ${times(law)} on ${count(best.effective, 'core')}${ceiling}. ` +
      `Fitted from the data, the serial share is ${(sp.serialFraction * 100).toFixed(1)}%.`,
  ];
}

/** Markdown that reads the notebook's results, each sentence from the numbers it states. */
export function gilFindings(m: GilFindingsInput): string {
  const lines: string[] = [];
  const env = m.cpu?.env ?? m.loop?.env ?? m.io?.env ?? m.amdahl?.env;
  if (env) lines.push(`On this machine (${count(env.cores, 'core')}, ${env.cpuModel}, Node ${env.node}):`, '');
  if (m.loop) lines.push(...loopLines(m.loop));
  if (m.cpu) lines.push(...cpuLines(m.cpu));
  if (m.io) lines.push(...ioLines(m.io));
  if (m.switches) lines.push(...switchLines(m.switches));
  if (m.amdahl) lines.push(...amdahlLines(m.amdahl));
  const spreads = [m.cpu, m.io]
    .filter((c): c is GilComparison => c !== undefined && c.repeats > 1)
    .flatMap((c) => c.variants.map((v) => spreadOf(walls(runsOf(c, v)))));
  if (spreads.length && Math.max(...spreads) > 0.25) {
    lines.push(
      '',
      `Note: the repeats of one variant spread up to ${(Math.max(...spreads) * 100).toFixed(0)}% around their median: ` +
        'differences smaller than that are noise here. Close other programs or add repeats before trusting them.',
    );
  }
  return lines.join('\n');
}

/** One plain sentence for the index page: threads with one global lock and without it, against one thread. */
export function gilHeadline(cpu: GilComparison): string {
  const seq = walls(runsOf(cpu, 'sequential'));
  const head = `Simulated GIL, ${count(cpu.threads, 'thread')} on ${count(cpu.env.cores, 'core')}`;
  if (!seq.length) return `${head}: no one-thread run to compare with`;
  const parts: string[] = [];
  const locked = walls(runsOf(cpu, 'gil'));
  const free = walls(runsOf(cpu, 'free'));
  if (locked.length) {
    const c = compareTimes({ runs: locked }, { runs: seq });
    const above = c.direction === 'faster' && c.factor > 1.03 ? ', above the 1x one lock allows' : '';
    parts.push(`with one global lock, ${versus(locked, seq, 'one thread')}${above}`);
  }
  if (free.length) {
    const c = compareTimes({ runs: free }, { runs: seq });
    const ideal = idealOf(cpu);
    const above = c.direction === 'faster' && c.factor > ideal * 1.03 ? `, above the ideal of ${times(ideal)}` : '';
    parts.push(`without it, ${versus(free, seq, 'one thread')}${above}`);
  }
  const tasks = cpu.runs.flatMap((r) => r.tasks);
  const failed = tasks.filter((t) => !t.ok).length;
  const note = failed ? ` (${failed} of ${count(tasks.length, 'task')} failed)` : '';
  return `${head}: ${parts.join('; ') || 'only the one-thread runs'}${note}`;
}
