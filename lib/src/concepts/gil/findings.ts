/**
 * "What we measured" for notebook 06 and its headline, from its summary. A verdict that sets
 * the lock against something checks its control first: the same threads without the lock
 * must have run faster than one thread, or the run cannot tell a lock from no lock, and says so.
 */
import { amdahl } from '../../core/amdahl';
import { describeCores } from '../../core/environment';
import { runsOf, type Comparison } from '../../core/measure';
import { formatMs } from '../../core/summary';
import { compareTimes, count, failureWords, percent, speedupWords, times, versus } from '../../core/words';
import { GIL_ROWS } from './run';
import { amdahlPoints, gilRows, loopRows, switchPoints, type GilMeasured, type GilRow } from './summary';

const PEP_703 = 'https://peps.python.org/pep-0703/';

function loopLines(c: Comparison): string[] {
  const [main, yielding, worker] = loopRows(c);
  const lines: string[] = [];
  const heartbeatMs = Number(c.params.heartbeatMs);
  if (main) {
    const requests = main.requests
      ? `, and requests the server answers in ${formatMs(Number(c.params.latencyMs))} took up to ${formatMs(main.maxLatencyMs)}`
      : '';
    const stalled =
      main.maxLatenessMs >= 0.5 * main.workMs
        ? ' The heartbeat waited out most of the work: while it ran, the loop ran nothing else.'
        : '';
    lines.push(
      `- **The event loop.** ${c.tasks} x cpu(${String(c.params.num)}) all at once with \`Promise.all\` on the event loop took ${formatMs(main.workMs)} and kept the loop ${percent(main.utilization)} busy; the ${formatMs(heartbeatMs)} heartbeat came up to ${formatMs(main.maxLatenessMs)} late${requests}.${stalled}`,
    );
  }
  if (main && yielding) {
    const parts = [
      `- One task at a time, yielding to the loop between tasks: ${formatMs(yielding.workMs)}, the heartbeat up to ${formatMs(yielding.maxLatenessMs)} late.`,
    ];
    if (yielding.maxLatenessMs < 0.8 * main.maxLatenessMs) {
      const size =
        yielding.maxLatenessMs <= 1.5 * yielding.taskMs + heartbeatMs
          ? `about one task (${formatMs(yielding.taskMs)} each)`
          : `longer than one task (${formatMs(yielding.taskMs)} each): something else held the loop too`;
      parts.push(
        `The longest stall shrank from ${formatMs(main.maxLatenessMs)} to ${formatMs(yielding.maxLatenessMs)}, ${size}.`,
      );
    }
    const same = compareTimes([main.workMs], [yielding.workMs]).direction === 'same';
    parts.push(
      `\`Promise.all\`: ${versus([main.workMs], [yielding.workMs], 'one task at a time')}.${same ? ' Work that never waits has nothing to overlap, and there is one thread to run it on.' : ''}`,
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

/** Every task of the row failed: its time is how long failing took, not a speed. */
const noWork = (r: GilRow | undefined) => r !== undefined && r.failures.length >= Math.max(1, r.tasks) * r.wall.n;

/** `speedupWords`, or, when either side failed every task, that there is no speed to read. */
function speedOf(a: GilRow, b: GilRow, name: string, ideal: number, cause?: string): string {
  if (noWork(a)) return `every task failed, so its time is no speed against ${name}`;
  if (noWork(b)) return `every task of ${name} failed, so there is no speed to read against it`;
  return speedupWords(a.walls, b.walls, name, ideal, cause);
}

const overlapped = (holds: number) =>
  holds > 0
    ? `${count(holds, 'hold')} overlapped another thread's, so the lock did not keep the threads apart`
    : undefined;

/** A lock comparison's three rows, and why it cannot tell a lock from no lock (the unlocked threads were no faster), if so. */
function lockRows(c: Comparison) {
  const rows = gilRows(c);
  const [one, locked, free] = Object.values(GIL_ROWS).map((l) => rows.find((r) => r.label === l));
  const { cores } = c.env;
  const ideal = Math.min(free?.workers ?? 1, cores, c.tasks);
  let cannot: string | undefined;
  if (!free || !one) cannot = 'the threads without the lock did not run';
  else if (noWork(free) || noWork(one))
    cannot = `${noWork(free) ? 'the threads without the lock' : 'one thread'} failed every task`;
  else if (ideal === 1) {
    const only = cores === 1 ? 'one core' : free.workers === 1 ? 'one thread' : 'one task';
    cannot = `with ${only} nothing can run side by side, lock or no lock`;
  } else if (compareTimes(free.walls, one.walls).direction !== 'faster') {
    const allow = describeCores({ cores, logicalCpus: cores, physicalCores: cores });
    cannot = `the threads without the lock were no faster than one thread either, though ${allow} allow ${times(ideal)} (a busy machine?)`;
  }
  return { rows, one, locked, free, cannot, threads: count(locked?.workers ?? free?.workers ?? 1, 'thread') };
}

/**
 * Why threads under one lock beat their ideal, from the lock's records: holds that overlapped, or
 * (for CPU work, as waiting tasks release the lock by design) time outside the lock on one thread.
 */
function aboveOne(locked: GilRow, one: GilRow, io: boolean): string | undefined {
  if (locked.overlaps > 0 || io) return overlapped(locked.overlaps);
  if (one.heldShare >= 0.97)
    return 'no two holds overlapped, and the lock was held nearly the whole run on one thread: the runs cannot explain it';
  const outside = `no two holds overlapped, but on one thread the lock was held only ${percent(one.heldShare)} of the run; the rest (handing tasks over and results back) is not the work, and threads overlap it`;
  const allows = 1 / one.heldShare;
  const c = compareTimes(locked.walls, one.walls);
  if (c.factor / allows - 1 <= c.noise) return outside;
  return `${outside}, which allows up to ${times(allows)}; the rest is more than the runs can explain (look at the timeline)`;
}

/** The threads under one lock and without it, each against one thread, with the lock's evidence. */
function lockLines(c: Comparison, what: string, io: boolean): string[] {
  const { one, locked, free, cannot, threads } = lockRows(c);
  const lines: string[] = [];
  if (one && locked) {
    const ideal = io ? Math.min(locked.workers, c.tasks) : 1;
    const said = speedOf(locked, one, 'one thread', ideal, aboveOne(locked, one, io));
    lines.push(
      `- **${what} under one lock.** ${count(c.tasks, 'task')} on ${threads} that must hold one lock to run (it changed hands ${count(Math.round(locked.switches), 'time')} a run at a ${formatMs(Number(c.params.switchIntervalMs))} switch interval): ${said}.${failureWords(locked.failures, c.tasks * locked.wall.n)}`,
    );
  }
  if (one && free) {
    const ideal = io ? Math.min(free.workers, c.tasks) : Math.min(free.workers, c.env.cores, c.tasks);
    const side =
      !cannot && !io && compareTimes(free.walls, one.walls).factor >= 0.75 * ideal
        ? ` They ran side by side, as free-threaded Python ([PEP 703](${PEP_703})) lets threads do.`
        : '';
    lines.push(
      `- The same ${threads} without the lock (the ideal: ${times(ideal)}): ${speedOf(free, one, 'one thread', ideal)}.${side}${failureWords(free.failures, c.tasks * free.wall.n)}`,
    );
  }
  if (!io && cannot && one && locked && free) lines.push(`- **This run cannot tell a lock from no lock**: ${cannot}.`);
  return lines;
}

/** Python's real GIL against one Python thread, and whether the simulated lock went the same way. */
function pythonLines(c: Comparison): string[] {
  const { rows, one: oneNode, locked, cannot } = lockRows(c);
  const one = rows.find((r) => r.origin === 'python' && r.mode === 'sequential');
  const many = rows.find((r) => r.origin === 'python' && r.mode === 'threads');
  const lines = c.skipped.map((s) => `- **${s.label}** was not measured: ${s.reason}`);
  if (!one || !many) return lines;
  const failed = noWork(many) ? many : noWork(one) ? one : undefined;
  const said = failed
    ? `every task of ${failed.label} failed, so there is no speed to compare`
    : versus(many.walls, one.walls, 'one Python thread');
  const parts = [
    `- **The real GIL.** ${many.label} against ${one.label}, the same ${count(c.tasks, 'task')}: ${said}.`,
  ];
  // Both sides of both comparisons did their work (a side that failed every task has no speed to set beside another).
  const beside = locked && oneNode && !failed && !noWork(locked);
  if (runsOf(c, many.label)[0]?.detail?.gilEnabled === false)
    parts.push(
      'This Python is a free-threaded build: it has no GIL, so there is no real lock here to set the simulation beside.',
    );
  else if (beside && cannot)
    parts.push(`Whether the simulation behaves like it cannot be told from this run: ${cannot}.`);
  else if (beside) {
    const simulated = versus(locked.walls, oneNode.walls, 'one thread');
    const same =
      (compareTimes(many.walls, one.walls).direction === 'faster') ===
      (compareTimes(locked.walls, oneNode.walls).direction === 'faster');
    parts.push(
      same
        ? `The simulated lock's threads went the same way (${simulated}), while the unlocked threads ran faster: the simulation behaved here like the lock it simulates.`
        : `The simulated lock's threads went another way (${simulated}): on this run the simulation did not behave like the real lock.`,
    );
  }
  return [...lines, parts.join(' ')];
}

function switchLines(c: Comparison): string[] {
  const { base, points } = switchPoints(c);
  if (!points.length || !base.length) return [];
  const [short, long] = [points[0]!, points[points.length - 1]!];
  const at = (p: (typeof points)[number]) =>
    `At ${formatMs(p.switchIntervalMs)} the lock changed hands ${count(Math.round(p.switchesPerSecond), 'time')} a second, and the CPU threads under it: ${speedupWords(p.walls, base, 'one thread alone', 1, overlapped(p.overlaps))}.`;
  const parts = [`- **The switch interval.** ${(points.length > 1 ? [short, long] : [short]).map(at).join(' ')}`];
  if (points.length > 1 && long.ioDelayMs !== undefined && short.ioDelayMs !== undefined) {
    parts.push(
      `A thread coming back from a 1 ms wait waited ${formatMs(long.ioDelayMs)} for the lock at ${formatMs(long.switchIntervalMs)}, ${formatMs(short.ioDelayMs)} at ${formatMs(short.switchIntervalMs)}.`,
    );
    if (compareTimes(short.walls, long.walls).direction === 'slower' && long.ioDelayMs > 1.2 * short.ioDelayMs)
      parts.push(
        'That is the trade: a short interval costs the CPU threads hand-offs, a long one makes a returning thread wait.',
      );
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
  const best = (gained ? faster : rows).reduce((a, b) => ((b.speedup ?? 0) > (a.speedup ?? 0) ? b : a));
  const effective = points.find((p) => p.workers === best.workers)?.effective ?? 1;
  const law = amdahl(f, effective);
  const outOfStep = best.workers > effective && (best.speedup ?? 0) <= Math.min(effective, 1 / Math.max(f, 1e-9));
  const why = outOfStep
    ? "with more threads than cores, one thread's serial part can run while another computes, which the law (a serial part with nothing beside it) leaves out"
    : 'more than the runs can explain; the law is the most a set serial share allows';
  const words = speedupWords(best.walls, one.walls, 'one thread', law, why);
  const ceiling = f > 0 ? `, and never more than ${times(1 / f)} on any number of cores` : '';
  const fit = gained
    ? ` Fitted from the points, the serial share is ${(fitted * 100).toFixed(1)}% (set: ${(f * 100).toFixed(0)}%).`
    : ' No thread count was measurably faster than one thread, so a fit to these points would say nothing.';
  return [
    `- **Amdahl's law.** With ${(f * 100).toFixed(0)}% of the work serial, the best point${gained ? '' : ' beyond one thread'} was ${count(best.workers, 'thread')}: ${words}. The law allows ${times(law)} on ${count(effective, 'core')}${ceiling}.${fit}`,
  ];
}

/** The findings of notebook 06, in markdown, and its headline, from the same numbers. */
export function gilFindings(m: GilMeasured): { findings: string; headline: string } {
  const env = (m.cpu ?? m.loop ?? m.io ?? m.amdahl ?? m.switches)?.env;
  const lines = env ? [`On this machine (${describeCores(env)}, ${env.cpuModel}, Node ${env.node}):`, ''] : [];
  if (m.loop) lines.push(...loopLines(m.loop));
  if (m.cpu) lines.push(...lockLines(m.cpu, 'CPU work', false), ...pythonLines(m.cpu));
  if (m.io) lines.push(...lockLines(m.io, 'Waiting tasks', true));
  if (m.switches) lines.push(...switchLines(m.switches));
  if (m.amdahl) lines.push(...amdahlLines(m.amdahl));
  return {
    findings: lines.join('\n'),
    headline: m.cpu ? gilHeadline(m.cpu) : 'GIL-like limits: no lock comparison ran',
  };
}

function gilHeadline(c: Comparison): string {
  const { one, locked, free, cannot, threads } = lockRows(c);
  const head = `Simulated GIL, ${threads} on ${count(c.env.cores, 'core')}`;
  if (!one) return `${head}: no one-thread run to compare with`;
  const parts: string[] = [];
  if (locked)
    parts.push(`with one global lock, ${speedOf(locked, one, 'one thread', 1, aboveOne(locked, one, false))}`);
  if (free) parts.push(`without it, ${speedOf(free, one, 'one thread', Math.min(free.workers, c.env.cores, c.tasks))}`);
  const caveat = locked && free && cannot ? ' (this run cannot tell a lock from no lock)' : '';
  return `${head}: ${parts.join('; ') || 'only the one-thread runs'}${caveat}`;
}
