/**
 * "What we measured" for notebook 06 and its headline, from its summary. A verdict that sets
 * the lock against something checks its control first: the same threads without the lock
 * must have run faster than one thread, or the run cannot tell a lock from no lock, and says so.
 */
import { describeCores } from '../../core/environment';
import type { Comparison } from '../../core/measure';
import { formatMs } from '../../core/summary';
import { compareTimes, count, failureWords, percent, speedupWords, times, versus } from '../../core/words';
import { amdahl } from '../../core/amdahl';
import { runsOf } from '../../core/measure';
import { GIL_ROWS } from './run';
import { amdahlPoints, gilRows, loopRows, switchPoints, type GilMeasured, type GilRow } from './summary';

/** PEP 703 (free-threaded CPython), as its authors published it. */
export const PEP_703 = { url: 'https://peps.python.org/pep-0703/', singleThreadOverhead: 'about 5-8%' };

function loopLines(c: Comparison): string[] {
  const rows = loopRows(c);
  const [main, yielding, worker] = rows;
  const lines: string[] = [];
  const work = `${c.tasks} x cpu(${String(c.params.num)})`;
  if (main) {
    const requests = main.requests
      ? `, and requests the server answers in ${formatMs(Number(c.params.latencyMs))} took up to ${formatMs(main.maxLatencyMs)}`
      : '';
    const stalled =
      main.maxLatenessMs >= 0.5 * main.workMs
        ? ' The heartbeat waited out most of the work: while it ran, the loop ran nothing else.'
        : '';
    lines.push(
      `- **The event loop.** ${work} all at once with \`Promise.all\` on the event loop took ${formatMs(main.workMs)} and kept the loop ` +
        `${percent(main.utilization)} busy; the ${formatMs(Number(c.params.heartbeatMs))} heartbeat came up to ${formatMs(main.maxLatenessMs)} late${requests}.${stalled}`,
    );
  }
  if (main && yielding) {
    const parts = [
      `- One task at a time, yielding to the loop between tasks: ${formatMs(yielding.workMs)}, the heartbeat up to ${formatMs(yielding.maxLatenessMs)} late.`,
    ];
    if (yielding.maxLatenessMs < 0.8 * main.maxLatenessMs) {
      const oneTask = yielding.maxLatenessMs <= 1.5 * yielding.taskMs + Number(c.params.heartbeatMs);
      const size = oneTask
        ? `about one task (${formatMs(yielding.taskMs)} each)`
        : `longer than one task (${formatMs(yielding.taskMs)} each): something else held the loop too`;
      parts.push(
        `The longest stall shrank from ${formatMs(main.maxLatenessMs)} to ${formatMs(yielding.maxLatenessMs)}, ${size}.`,
      );
    }
    const cmp = compareTimes([main.workMs], [yielding.workMs]);
    parts.push(
      `\`Promise.all\`: ${versus([main.workMs], [yielding.workMs], 'one task at a time')}.${cmp.direction === 'same' ? ' Work that never waits has nothing to overlap, and there is one thread to run it on.' : ''}`,
    );
    lines.push(parts.join(' '));
  }
  if (worker) {
    const free =
      main && worker.maxLatenessMs < 0.5 * main.maxLatenessMs
        ? ` The loop kept running: its worst heartbeat was ${formatMs(worker.maxLatenessMs)} late, against ${formatMs(main.maxLatenessMs)} with \`Promise.all\`.`
        : '';
    lines.push(
      `- In a worker thread the same work took ${formatMs(worker.workMs)} while the loop was ${percent(worker.utilization)} busy: the heartbeat up to ${formatMs(worker.maxLatenessMs)} late.${free}`,
    );
  }
  return lines;
}

/** How a row did against its one thread, and whether the comparison could tell anything. */
interface Control {
  /** The unlocked threads ran measurably faster than one thread: a lock's effect would show. */
  behaved: boolean;
  /** Why not, when it did not. */
  why?: string;
}

/** Every task of the row failed: its time is how long failing took, not a speed. */
const noWork = (r: GilRow | undefined) => r !== undefined && r.failures.length >= Math.max(1, r.tasks) * r.wall.n;

/** `speedupWords`, or, when either side failed every task, that there is no speed to read. */
function speedOf(a: GilRow, b: GilRow, name: string, ideal: number, cause?: string): string {
  if (noWork(a)) return `every task failed, so its time is no speed against ${name}`;
  if (noWork(b)) return `every task of ${name} failed, so there is no speed to read against it`;
  return speedupWords(a.walls, b.walls, name, ideal, cause);
}

function controlOf(free: GilRow | undefined, one: GilRow | undefined, cores: number, tasks: number): Control {
  if (!free || !one) return { behaved: false, why: 'the threads without the lock did not run' };
  if (noWork(free) || noWork(one))
    return { behaved: false, why: `${noWork(free) ? 'the threads without the lock' : 'one thread'} failed every task` };
  const ideal = Math.min(free.workers, cores, tasks);
  if (ideal === 1) {
    const only = cores === 1 ? 'one core' : free.workers === 1 ? 'one thread' : 'one task';
    return { behaved: false, why: `with ${only} nothing can run side by side, lock or no lock` };
  }
  if (compareTimes(free.walls, one.walls).direction !== 'faster') {
    return {
      behaved: false,
      why: `the threads without the lock were no faster than one thread either, though ${describeCores({ cores, logicalCpus: cores, physicalCores: cores })} allow ${times(ideal)} (a busy machine?)`,
    };
  }
  return { behaved: true };
}

/**
 * Why threads under one lock beat their ideal, from the lock's own records: holds that
 * overlapped, or (for CPU work) time outside the lock on one thread, which threads overlap,
 * as far as that goes. Waiting tasks release the lock by design, so for them only an overlap
 * is evidence; anything else is more than the runs can explain.
 */
function aboveOne(locked: GilRow, one: GilRow, io: boolean): string | undefined {
  if (locked.overlaps > 0)
    return `${count(locked.overlaps, 'hold')} overlapped another thread's, so the lock did not keep the threads apart`;
  if (io) return undefined;
  if (one.heldShare < 0.97) {
    const outside = `no two holds overlapped, but on one thread the lock was held only ${percent(one.heldShare)} of the run; the rest (handing tasks over and results back) is not the work, and threads overlap it`;
    const allows = 1 / one.heldShare;
    const c = compareTimes(locked.walls, one.walls);
    if (c.factor / allows - 1 <= c.noise) return outside;
    return `${outside}, which allows up to ${times(allows)}; the rest is more than the runs can explain (look at the timeline)`;
  }
  return 'no two holds overlapped, and the lock was held nearly the whole run on one thread: the runs cannot explain it';
}

function lockLines(c: Comparison, what: string, io: boolean): { lines: string[]; control: Control } {
  const rows = gilRows(c);
  const [one, locked, free] = [GIL_ROWS.one, GIL_ROWS.locked, GIL_ROWS.free].map((l) =>
    rows.find((r) => r.label === l),
  );
  const control = controlOf(free, one, c.env.cores, c.tasks);
  const lines: string[] = [];
  if (!one) return { lines, control };
  const threads = count(locked?.workers ?? free?.workers ?? 1, 'thread');
  if (locked) {
    const ideal = io ? Math.min(locked.workers, c.tasks) : 1;
    const said = speedOf(locked, one, 'one thread', ideal, aboveOne(locked, one, io));
    lines.push(
      `- **${what} under one lock.** ${count(c.tasks, 'task')} on ${threads} that must hold one lock to run (it changed hands ` +
        `${count(Math.round(locked.switches), 'time')} a run at a ${formatMs(Number(c.params.switchIntervalMs))} switch interval): ${said}.${failureWords(locked.failures, c.tasks * locked.wall.n)}`,
    );
  }
  if (free) {
    const ideal = io ? Math.min(free.workers, c.tasks) : Math.min(free.workers, c.env.cores, c.tasks);
    const side =
      control.behaved && !io && compareTimes(free.walls, one.walls).factor >= 0.75 * ideal
        ? ` They ran side by side, as free-threaded Python ([PEP 703](${PEP_703.url})) lets threads do.`
        : '';
    lines.push(
      `- The same ${threads} without the lock (the ideal: ${times(ideal)}): ${speedOf(free, one, 'one thread', ideal)}.${side}${failureWords(free.failures, c.tasks * free.wall.n)}`,
    );
  }
  if (!io && !control.behaved && locked && free)
    lines.push(`- **This run cannot tell a lock from no lock**: ${control.why}.`);
  return { lines, control };
}

function pythonLines(c: Comparison, control: Control): string[] {
  const rows = gilRows(c).filter((r) => r.origin === 'python');
  const one = rows.find((r) => r.mode === 'sequential');
  const many = rows.find((r) => r.mode === 'threads');
  const lines = c.skipped.map((s) => `- **${s.label}** was not measured: ${s.reason}`);
  if (!one || !many) return lines;
  const hasGil = runsOf(c, many.label)[0]?.detail?.gilEnabled !== false;
  const failed = noWork(many) ? many : noWork(one) ? one : undefined;
  const parts = [
    `- **The real GIL.** ${many.label} against ${one.label}, the same ${count(c.tasks, 'task')}: ${
      failed
        ? `every task of ${failed.label} failed, so there is no speed to compare`
        : versus(many.walls, one.walls, 'one Python thread')
    }.`,
  ];
  const locked = gilRows(c).find((r) => r.label === GIL_ROWS.locked);
  const oneNode = gilRows(c).find((r) => r.label === GIL_ROWS.one);
  // Both sides of both comparisons did their work (a side that failed every task has no speed to set beside another).
  const beside = locked && oneNode && !failed && !noWork(locked);
  if (!hasGil)
    parts.push(
      'This Python is a free-threaded build: it has no GIL, so there is no real lock here to set the simulation beside.',
    );
  else if (beside && !control.behaved)
    parts.push(`Whether the simulation behaves like it cannot be told from this run: ${control.why}.`);
  else if (beside) {
    const real = compareTimes(many.walls, one.walls).direction === 'faster';
    const simulated = compareTimes(locked.walls, oneNode.walls).direction === 'faster';
    parts.push(
      real === simulated
        ? `The simulated lock's threads went the same way (${versus(locked.walls, oneNode.walls, 'one thread')}), while the unlocked threads ran faster: the simulation behaved here like the lock it simulates.`
        : `The simulated lock's threads went another way (${versus(locked.walls, oneNode.walls, 'one thread')}): on this run the simulation did not behave like the real lock.`,
    );
  }
  return [...lines, parts.join(' ')];
}

function switchLines(c: Comparison): string[] {
  const { base, points } = switchPoints(c);
  if (!points.length || !base.length) return [];
  const [short, long] = [points[0]!, points[points.length - 1]!];
  const overlapped = (p: (typeof points)[number]) =>
    p.overlaps > 0
      ? `${count(p.overlaps, 'hold')} overlapped another thread's, so the lock did not keep the threads apart`
      : undefined;
  const at = (p: (typeof points)[number]) =>
    `At ${formatMs(p.switchIntervalMs)} the lock changed hands ${count(Math.round(p.switchesPerSecond), 'time')} a second, and the CPU threads under it: ${speedupWords(p.walls, base, 'one thread alone', 1, overlapped(p))}.`;
  const parts = [`- **The switch interval.** ${(points.length > 1 ? [short, long] : [short]).map(at).join(' ')}`];
  if (points.length > 1 && long.ioDelayMs !== undefined && short.ioDelayMs !== undefined) {
    parts.push(
      `A thread coming back from a 1 ms wait waited ${formatMs(long.ioDelayMs)} for the lock at ${formatMs(long.switchIntervalMs)}, ${formatMs(short.ioDelayMs)} at ${formatMs(short.switchIntervalMs)}.`,
    );
    if (compareTimes(short.walls, long.walls).direction === 'slower' && long.ioDelayMs > 1.2 * short.ioDelayMs) {
      parts.push(
        'That is the trade: a short interval costs the CPU threads hand-offs, a long one makes a returning thread wait.',
      );
    }
  }
  return [parts.join(' ')];
}

function amdahlLines(c: Comparison): string[] {
  const { set: f, fitted, points } = amdahlPoints(c);
  const rows = gilRows(c).filter((r) => r.baseline);
  if (!rows.length) return [];
  const one = gilRows(c).find((r) => r.workers === 1)!;
  // The best point: the largest speedup among the thread counts measurably faster than one thread, if any.
  const faster = rows.filter((r) => compareTimes(r.walls, one.walls).direction === 'faster');
  const gained = faster.length > 0;
  const bestRow = (gained ? faster : rows).reduce((a, b) => ((b.speedup ?? 0) > (a.speedup ?? 0) ? b : a));
  const effective = points.find((p) => p.workers === bestRow.workers)?.effective ?? 1;
  const law = amdahl(f, effective);
  const words = speedupWords(
    bestRow.walls,
    one.walls,
    'one thread',
    law,
    'more than the runs can explain; the law is the most a set serial share allows',
  );
  const ceiling = f > 0 ? `, and never more than ${times(1 / f)} on any number of cores` : '';
  const fit = gained
    ? ` Fitted from the points, the serial share is ${(fitted * 100).toFixed(1)}% (set: ${(f * 100).toFixed(0)}%).`
    : ' No thread count was measurably faster than one thread, so a fit to these points would say nothing.';
  return [
    `- **Amdahl's law.** With ${(f * 100).toFixed(0)}% of the work serial, the best point${gained ? '' : ' beyond one thread'} was ${count(bestRow.workers, 'thread')}: ${words}. The law allows ${times(law)} on ${count(effective, 'core')}${ceiling}.${fit}`,
  ];
}

/** The findings of notebook 06, in markdown, and its headline, from the same numbers. */
export function gilFindings(m: GilMeasured): { findings: string; headline: string } {
  const env = (m.cpu ?? m.loop ?? m.io ?? m.amdahl ?? m.switches)?.env;
  const lines: string[] = env
    ? [`On this machine (${describeCores(env)}, ${env.cpuModel}, Node ${env.node}):`, '']
    : [];
  if (m.loop) lines.push(...loopLines(m.loop));
  let control: Control = { behaved: false, why: 'no CPU comparison ran' };
  if (m.cpu) {
    const cpu = lockLines(m.cpu, 'CPU work', false);
    control = cpu.control;
    lines.push(...cpu.lines, ...pythonLines(m.cpu, control));
  }
  if (m.io) lines.push(...lockLines(m.io, 'Waiting tasks', true).lines);
  if (m.switches) lines.push(...switchLines(m.switches));
  if (m.amdahl) lines.push(...amdahlLines(m.amdahl));
  return {
    findings: lines.join('\n'),
    headline: m.cpu ? gilHeadline(m.cpu) : 'GIL-like limits: no lock comparison ran',
  };
}

function gilHeadline(c: Comparison): string {
  const rows = gilRows(c);
  const [one, locked, free] = [GIL_ROWS.one, GIL_ROWS.locked, GIL_ROWS.free].map((l) =>
    rows.find((r) => r.label === l),
  );
  const threads = count(locked?.workers ?? free?.workers ?? 1, 'thread');
  const head = `Simulated GIL, ${threads} on ${count(c.env.cores, 'core')}`;
  if (!one) return `${head}: no one-thread run to compare with`;
  const parts: string[] = [];
  if (locked)
    parts.push(`with one global lock, ${speedOf(locked, one, 'one thread', 1, aboveOne(locked, one, false))}`);
  if (free) parts.push(`without it, ${speedOf(free, one, 'one thread', Math.min(free.workers, c.env.cores, c.tasks))}`);
  const control = controlOf(free, one, c.env.cores, c.tasks);
  const caveat = locked && free && !control.behaved ? ' (this run cannot tell a lock from no lock)' : '';
  return `${head}: ${parts.join('; ') || 'only the one-thread runs'}${caveat}`;
}
