/** The kitchen's findings and headline, each explanation only with its evidence in the step records. */
import { describeCores } from '../../core/environment';
import { mostAtOnce } from '../../core/evidence';
import { median } from '../../core/stats';
import { formatMs } from '../../core/summary';
import { boundWords, count, percent, speedupWords, times } from '../../core/words';
import type { StepRecord } from './cook';
import { ordersOf, typicalPass, type KitchenResult, type KitchenRun, type KitchenRunId } from './run';

const BASE = 'one dish at a time';

// Below the ideal: a timer can fire up to a millisecond early, and hands-on work is calibrated once.
const BELOW = 'the timers of its waiting steps fired early or the hands-on work ran faster than calibrated';
const ABOVE = 'the baseline ran above its own ideal by more than this run did (look at both timelines)';

/** Below this share of the planned time a late or long step is timer and clock noise, not a finding. */
const TOLERANCE = 0.1;

const sentence = (phrase: string) => `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.`;
const passTimes = (r: KitchenRun, per = 1) => r.passes.map((p) => p.wallMs / per);

/** A run against one robot cooking one dish at a time, held to the ratio of their ideals. */
const againstSeq = (r: KitchenRun, seq: KitchenRun) =>
  speedupWords(passTimes(r), passTimes(seq), BASE, seq.ideal.ms / r.ideal.ms, ABOVE);

/** The sentences the step records of a run's typical pass support. */
function readSteps(run: KitchenRun, cores: number): string[] {
  const steps = typicalPass(run).steps;
  if (steps.length === 0) return [];
  const handsOn = steps.filter((s) => s.kind === 'hands-on');
  const waits = steps.filter((s) => s.kind === 'waiting');
  const atOnce = mostAtOnce(handsOn);
  const [robots, upTo] = [run.robots.length, count(atOnce, 'hands-on step')];
  const were = atOnce === 1 ? 'was' : 'were';
  const out = [
    robots === 1
      ? `At most ${upTo} at a time.`
      : `Up to ${upTo} of ${count(robots, 'robot')} ${were} in progress at once, on ${count(cores, 'core')}.`,
  ];
  // Waiting time, and how much of it hands-on steps of the same robot's other dishes filled.
  const waitMs = waits.reduce((sum, w) => sum + (w.end - w.start), 0);
  const overlap = (a: StepRecord, b: StepRecord) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
  const ownHandsOn = (w: StepRecord) => handsOn.filter((h) => h.robot === w.robot);
  const filled = (w: StepRecord) => ownHandsOn(w).reduce((s, h) => s + (h.order !== w.order ? overlap(w, h) : 0), 0);
  const filledMs = waits.reduce((sum, w) => sum + filled(w), 0);
  if (run.robots.some((orders) => orders.length > 1) && waitMs > 0) {
    const summed = `${formatMs(waitMs)} of waiting, summed over the waiting steps`;
    out.push(
      filledMs > 0
        ? `Hands-on steps of other dishes filled ${percent(filledMs / waitMs)} of the waiting (${formatMs(filledMs)} of ${summed}).`
        : `No hands-on step ran while another dish of the same robot waited (${summed}).`,
    );
  }
  // Hands-on steps' time over their planned time: the median and the largest.
  const ratios = handsOn.filter((s) => s.plannedMs > 0).map((s) => (s.end - s.start) / s.plannedMs);
  const stretch = ratios.length ? median(ratios) : 1;
  if (stretch > 1 + TOLERANCE) {
    const shared = atOnce > cores ? `: ${upTo} at once on ${count(cores, 'core')} took turns on the cores` : '';
    out.push(
      `Hands-on steps took ${times(stretch)} their planned time (the median step; the longest ${times(Math.max(...ratios))})${shared}.`,
    );
  }
  // Waits that ended late, while their robot was in a hands-on step or free, and how late the latest was.
  const late = waits.flatMap((w) => {
    const due = w.start + w.plannedMs;
    const by = w.end - due;
    if (by <= Math.max(2, TOLERANCE * w.plannedMs)) return [];
    return [{ by, busy: ownHandsOn(w).some((h) => h.start <= due && due < h.end) }];
  });
  const [busy, free] = [late.filter((l) => l.busy), late.filter((l) => !l.busy)];
  const latest = (ls: typeof late) => formatMs(Math.max(...ls.map((l) => l.by)));
  if (busy.length > 0)
    out.push(
      `${count(busy.length, 'wait')} ended late (up to ${latest(busy)}): ${busy.length === 1 ? 'it was' : 'each was'} due while ` +
        'its robot was in a hands-on step, which a robot finishes before it notices a timer.',
    );
  const whose = free.length === 1 ? 'its' : 'their';
  if (free.length > 0)
    out.push(`${count(free.length, 'wait')} ended late (up to ${latest(free)}) with ${whose} robot free.`);
  return out;
}

/** The kitchen's findings in markdown (each run against its ideal and one dish at a time) and its headline. */
export function kitchenFindings(result: KitchenResult): { findings: string; headline: string } {
  const seq = result.runs.find((r) => r.id === 'sequential');
  const lines = [`On this machine (${describeCores(result.env)}, Node ${result.env.node}):`, ''];
  for (const r of result.runs) {
    const m = r.wall.median;
    const passes = r.passes.length > 1 ? ` (median of ${count(r.passes.length, 'pass', 'passes')})` : '';
    const parts = [`${formatMs(m)}${passes}, ${boundWords(m, r.ideal.ms, BELOW)} (its ideal, set by ${r.ideal.why}).`];
    if (seq && r !== seq && r.id !== 'both') parts.push(sentence(againstSeq(r, seq)));
    if (seq && r.id === 'both') {
      const [n, d] = [ordersOf(r), ordersOf(seq)];
      const name = `the ${formatMs(seq.wall.median / d)} per dish of ${BASE}`;
      const words = speedupWords(passTimes(r, n), passTimes(seq, d), name, seq.ideal.ms / d / (r.ideal.ms / n), ABOVE);
      parts.push(`Per order: ${formatMs(m / n)}, ${words}.`);
    }
    parts.push(...readSteps(r, result.env.cores));
    lines.push(`- **${r.title}:** ${parts.join(' ')}`);
  }
  return { findings: lines.join('\n'), headline: headlineOf(result) };
}

/** One plain sentence of the kitchen, from its numbers: every count and direction read from the result. */
function headlineOf(result: KitchenResult): string {
  const run = (id: KitchenRunId) => result.runs.find((r) => r.id === id);
  const [seq, interleaved, parallel, both] = [run('sequential'), run('interleaved'), run('parallel'), run('both')];
  // "was 2.4x faster than ..." or "showed no measurable difference from ...", for `n` subjects.
  const verb = (words: string, n = 1) =>
    words.startsWith('no measurable') ? `showed ${words}` : `${n === 1 ? 'was' : 'were'} ${words}`;
  const parts: string[] = [];
  const dishes = seq && count(ordersOf(seq), 'dish', 'dishes');
  if (seq && interleaved) parts.push(`one robot interleaving ${dishes} ${verb(againstSeq(interleaved, seq))}`);
  if (seq && parallel) {
    const n = parallel.robots.length;
    parts.push(`${count(n, 'robot')} with a dish each ${verb(againstSeq(parallel, seq), n)}`);
  }
  const took = (r: KitchenRun) => `took ${formatMs(r.wall.median)}`;
  if (both) parts.push(`${count(ordersOf(both), 'order')} on ${count(both.robots.length, 'robot')} ${took(both)}`);
  if (parts.length === 0) parts.push(...result.runs.map((r) => `${r.title} ${took(r)}`));
  return `On ${count(result.env.cores, 'core')}: ${parts.join('; ')}.`;
}
