/**
 * The closing "what we measured" of 03-concurrency-vs-parallelism and its headline, from the
 * runs just measured. Only sentences that depend on those numbers are here; what the four
 * ways mean and what the course taught is in the notebook's markdown. Every explanation is
 * given only with the evidence for it, read from the step records of the pass the timeline
 * shows: hands-on steps in progress at once, steps longer than planned, waits that ended late
 * while their robot was busy.
 */
import { median } from '../../core/stats';
import { formatMs } from '../../core/summary';
import { describeCores } from '../../core/environment';
import { boundWords, count, speedupWords, times } from '../../core/words';
import type { StepRecord } from './cook';
import { ordersOf, typicalPass, type KitchenResult, type KitchenRun, type KitchenRunId } from './run';

/** The baseline every other run is read against. */
const BASE = 'one dish at a time';

/**
 * A run faster than its ideal: every step is timed by a timer, which can fire up to a
 * millisecond early, and hands-on work is calibrated once; neither is measured per step here.
 */
const BELOW = 'the timers of its waiting steps fired early or the hands-on work ran faster than calibrated';
const ABOVE = 'the baseline ran above its own ideal by more than this run did (look at both timelines)';

/** Below this share of the planned time a late or long step is timer and clock noise, not a finding. */
const TOLERANCE = 0.1;

/** "was 2.4x faster than ..." or "showed no measurable difference from ...", for `n` subjects. */
function verb(words: string, n = 1): string {
  return words.startsWith('no measurable') ? `showed ${words}` : `${n === 1 ? 'was' : 'were'} ${words}`;
}

/** The run's name from its counts ("3 robots, one dish each"), with plurals that follow them. */
function label(run: KitchenRun, result: KitchenResult): string {
  const dishes = count(ordersOf(run), 'dish', 'dishes');
  if (run.id === 'sequential') return `1 robot, ${dishes} one after another`;
  if (run.id === 'interleaved') return `1 robot, ${dishes} interleaved`;
  if (run.id === 'parallel') return `${count(run.robots.length, 'robot')}, one dish each`;
  const used = run.robots.length;
  const split = used > 1 ? ` (${run.robots.map((o) => o.length).join('/')})` : '';
  const idle = result.robots > used ? `; ${count(result.robots - used, 'robot')} had no order` : '';
  const how = used > 1 ? ', each interleaving' : ordersOf(run) > 1 ? ', interleaving' : '';
  return `${count(ordersOf(run), 'order')} on ${count(used, 'robot')}${split}${how}${idle}`;
}

/** Steps that only touch (one ends as the next starts, to within this many ms) do not overlap. */
const TOUCH_MS = 0.01;

/** The most steps in progress at the same moment (a step ending as another starts does not count). */
function mostAtOnce(steps: readonly StepRecord[]): number {
  const events = steps.flatMap((s) => [
    { t: s.start, d: 1 },
    { t: s.end - TOUCH_MS, d: -1 },
  ]);
  events.sort((a, b) => a.t - b.t || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of events) most = Math.max(most, (now += e.d));
  return most;
}

const overlap = (a: StepRecord, b: StepRecord) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));

/** What the step records of one pass show. */
interface PassEvidence {
  /** Hands-on steps in progress at once, at most. */
  handsOnAtOnce: number;
  /** Waiting time, summed over the waiting steps, and how much of it hands-on steps of the same robot's other dishes filled. */
  waitMs: number;
  filledMs: number;
  /** Hands-on steps' time over their planned time: the median and the largest (1 when none). */
  stretch: number;
  maxStretch: number;
  /** Waits that ended late while their robot was in a hands-on step, and how late the latest was. */
  lateBusy: number;
  lateBusyMs: number;
  /** Waits that ended late while their robot was free, and how late the latest was. */
  lateFree: number;
  lateFreeMs: number;
}

/** Reads the evidence from one pass's step records. */
function evidence(steps: readonly StepRecord[]): PassEvidence {
  const handsOn = steps.filter((s) => s.kind === 'hands-on');
  const waits = steps.filter((s) => s.kind === 'waiting');
  const ratios = handsOn.filter((s) => s.plannedMs > 0).map((s) => (s.end - s.start) / s.plannedMs);
  const e: PassEvidence = {
    handsOnAtOnce: mostAtOnce(handsOn),
    waitMs: waits.reduce((sum, w) => sum + (w.end - w.start), 0),
    filledMs: 0,
    stretch: ratios.length ? median(ratios) : 1,
    maxStretch: ratios.length ? Math.max(...ratios) : 1,
    lateBusy: 0,
    lateBusyMs: 0,
    lateFree: 0,
    lateFreeMs: 0,
  };
  for (const w of waits) {
    const own = handsOn.filter((h) => h.robot === w.robot);
    e.filledMs += own.filter((h) => h.order !== w.order).reduce((sum, h) => sum + overlap(w, h), 0);
    const due = w.start + w.plannedMs;
    const late = w.end - due;
    if (late <= Math.max(2, TOLERANCE * w.plannedMs)) continue;
    if (own.some((h) => h.start <= due && due < h.end)) {
      e.lateBusy++;
      e.lateBusyMs = Math.max(e.lateBusyMs, late);
    } else {
      e.lateFree++;
      e.lateFreeMs = Math.max(e.lateFreeMs, late);
    }
  }
  return e;
}

/** The sentences the step records support, for one run. */
function readSteps(run: KitchenRun, cores: number): string[] {
  const steps = typicalPass(run).steps;
  if (steps.length === 0) return [];
  const e = evidence(steps);
  const out: string[] = [];
  const robots = run.robots.length;
  const coresWords = count(cores, 'core');
  if (robots === 1) {
    out.push(`At most ${count(e.handsOnAtOnce, 'hands-on step')} at a time.`);
  } else {
    out.push(
      `Up to ${count(e.handsOnAtOnce, 'hands-on step')} of ${count(robots, 'robot')} ${e.handsOnAtOnce === 1 ? 'was' : 'were'} in progress at once, on ${coresWords}.`,
    );
  }
  if (run.robots.some((orders) => orders.length > 1) && e.waitMs > 0) {
    const summed = `${formatMs(e.waitMs)} of waiting, summed over the waiting steps`;
    out.push(
      e.filledMs > 0
        ? `Hands-on steps of other dishes filled ${((100 * e.filledMs) / e.waitMs).toFixed(0)}% of the waiting (${formatMs(e.filledMs)} of ${summed}).`
        : `No hands-on step ran while another dish of the same robot waited (${summed}).`,
    );
  }
  if (e.stretch > 1 + TOLERANCE) {
    const shared =
      e.handsOnAtOnce > cores
        ? `: ${count(e.handsOnAtOnce, 'hands-on step')} at once on ${coresWords} took turns on the cores`
        : '';
    out.push(
      `Hands-on steps took ${times(e.stretch)} their planned time (the median step; the longest ${times(e.maxStretch)})${shared}.`,
    );
  }
  if (e.lateBusy > 0) {
    out.push(
      `${count(e.lateBusy, 'wait')} ended late (up to ${formatMs(e.lateBusyMs)}): ${e.lateBusy === 1 ? 'it was' : 'each was'} due while ` +
        'its robot was in a hands-on step, which a robot finishes before it notices a timer.',
    );
  }
  if (e.lateFree > 0) {
    const whose = e.lateFree === 1 ? 'its' : 'their';
    out.push(`${count(e.lateFree, 'wait')} ended late (up to ${formatMs(e.lateFreeMs)}) with ${whose} robot free.`);
  }
  return out;
}

/** The closing paragraph: each run's time against its ideal and against one robot cooking one dish at a time. */
function findingsOf(result: KitchenResult): string {
  const seq = result.runs.find((r) => r.id === 'sequential');
  const passTimes = (r: KitchenRun, per = 1) => r.passes.map((p) => p.wallMs / per);
  const lines = [`On this machine (${describeCores(result.env)}, Node ${result.env.node}):`, ''];
  for (const r of result.runs) {
    const m = r.wall.median;
    const passes = r.passes.length > 1 ? ` (median of ${count(r.passes.length, 'pass', 'passes')})` : '';
    const parts = [`${formatMs(m)}${passes}, ${boundWords(m, r.ideal.ms, BELOW)} (its ideal, set by ${r.ideal.why}).`];
    if (seq && r !== seq && r.id !== 'both') {
      const words = speedupWords(passTimes(r), passTimes(seq), BASE, seq.ideal.ms / r.ideal.ms, ABOVE);
      parts.push(`${words.charAt(0).toUpperCase()}${words.slice(1)}.`);
    }
    if (seq && r.id === 'both') {
      const [n, d] = [ordersOf(r), ordersOf(seq)];
      const ideal = seq.ideal.ms / d / (r.ideal.ms / n);
      const words = speedupWords(
        passTimes(r, n),
        passTimes(seq, d),
        `the ${formatMs(seq.wall.median / d)} per dish of ${BASE}`,
        ideal,
        ABOVE,
      );
      parts.push(`Per order: ${formatMs(m / n)}, ${words}.`);
    }
    parts.push(...readSteps(r, result.env.cores));
    lines.push(`- **${label(r, result)}:** ${parts.join(' ')}`);
  }
  return lines.join('\n');
}

/** One plain sentence of the kitchen, from its numbers: every count and direction read from the result. */
function headlineOf(result: KitchenResult): string {
  const run = (id: KitchenRunId) => result.runs.find((r) => r.id === id);
  const seq = run('sequential');
  const passTimes = (r: KitchenRun) => r.passes.map((p) => p.wallMs);
  const parts: string[] = [];
  const interleaved = run('interleaved');
  if (seq && interleaved) {
    const words = speedupWords(
      passTimes(interleaved),
      passTimes(seq),
      BASE,
      seq.ideal.ms / interleaved.ideal.ms,
      ABOVE,
    );
    parts.push(`one robot interleaving ${count(ordersOf(seq), 'dish', 'dishes')} ${verb(words)}`);
  }
  const parallel = run('parallel');
  if (seq && parallel) {
    const n = parallel.robots.length;
    const words = speedupWords(passTimes(parallel), passTimes(seq), BASE, seq.ideal.ms / parallel.ideal.ms, ABOVE);
    parts.push(`${count(n, 'robot')} with a dish each ${verb(words, n)}`);
  }
  const both = run('both');
  if (both) {
    parts.push(
      `${count(ordersOf(both), 'order')} on ${count(both.robots.length, 'robot')} took ${formatMs(both.wall.median)}`,
    );
  }
  if (parts.length === 0) {
    parts.push(...result.runs.map((r) => `${label(r, result)} took ${formatMs(r.wall.median)}`));
  }
  return `On ${count(result.env.cores, 'core')}: ${parts.join('; ')}.`;
}

/** The findings of the kitchen, in markdown, and its headline, from the same runs. */
export function kitchenFindings(result: KitchenResult): { findings: string; headline: string } {
  return { findings: findingsOf(result), headline: headlineOf(result) };
}
