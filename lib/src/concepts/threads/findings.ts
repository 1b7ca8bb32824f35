/** The closing "what we measured" of 02-threads and its headline: only what depends on this run's numbers. */
import { describeCores } from '../../core/environment';
import { median } from '../../core/stats';
import { formatMs } from '../../core/summary';
import { compareTimes, count, versus } from '../../core/words';
import { formatBytes, type MessageCosts, type SeenChange, type SendMethod } from './messages';
import type { CounterRace, CountMode } from './race';

const thousands = (n: number) => Math.round(n).toLocaleString('en');
const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** "3.1x slower than b", or "not measurably different from b (within the 6% ...)". */
const relation = (a: readonly number[], b: readonly number[], bName: string) =>
  versus(a, b, bName).replace(/^no measurable difference/, 'not measurably different');

const WAY: Record<CountMode, string> = { unsafe: 'reading then writing', atomics: 'Atomics.add', lock: 'the lock' };

function threadsLine(reports: ThreadsMeasured['reports']): string {
  const n = reports.length;
  if (n === 0) return '- **Threads.** No worker thread reported back.';
  const ids = reports.map((r) => r.threadId).sort((a, b) => a - b);
  const pids = [...new Set(reports.map((r) => r.pid))];
  const pid =
    pids.length === 1
      ? `${n === 1 ? 'pid' : 'one pid,'} ${pids[0]}${pids[0] === process.pid ? ", this kernel's own" : ''}`
      : `${pids.length} different pids (${pids.join(', ')})`;
  return `- **Threads.** ${count(n, 'worker thread')} reported ${n === 1 ? 'thread id' : 'thread ids'} ${ids.join(', ')} and ${pid}; the main thread is 0.`;
}

function sharingLine(seen: SeenChange): string {
  const onlyShared = seen.mainShared === seen.value && seen.mainCopied !== seen.value;
  return (
    `- **Sharing.** Worker thread ${seen.workerThreadId} wrote ${seen.value} into both buffers; the main thread read ` +
    `${seen.mainShared} from the SharedArrayBuffer and ${seen.mainCopied} from the copy it had sent` +
    (onlyShared ? ': only the shared memory carried the change.' : '.')
  );
}

function copyingLine(costs: MessageCosts): string {
  const at = (method: SendMethod, bytes: number) =>
    costs.samples.filter((s) => s.method === method && s.bytes === bytes).map((s) => s.ms);
  const med = (method: SendMethod, bytes: number) => median(at(method, bytes));
  const [big, small] = [Math.max(...costs.sizes), Math.min(...costs.sizes)];
  let line =
    `- **Copying costs.** Handing ${formatBytes(big)} to a thread, and a short answer back, took ${formatMs(med('clone', big))} as a copy, ` +
    `${formatMs(med('transfer', big))} transferred, ${formatMs(med('shared', big))} shared ` +
    `(medians of ${count(costs.repeats, 'round trip')}).`;
  const vsShared = compareTimes(at('clone', big), at('shared', big));
  const than = (method: SendMethod, name: string) => relation(at('clone', big), at(method, big), name);
  line += ` At ${formatBytes(big)} the copy was ${than('shared', 'sharing')} and ${than('transfer', 'transferring')}.`;
  if (small === big) return line;
  const grew = (method: SendMethod) => {
    const c = compareTimes(at(method, big), at(method, small));
    return { c, text: `from ${formatMs(med(method, small))} to ${formatMs(med(method, big))}, ${c.words}` };
  };
  const [copy, shared] = [grew('clone'), grew('shared')];
  line += ` From ${formatBytes(small)} to ${formatBytes(big)} a copy's round trip went ${copy.text}; a shared buffer's ${shared.text}.`;
  // The textbook reading, only where this run shows it: the copy grew more than sharing, and was slower.
  const sharedGrowth = shared.c.direction === 'slower' ? shared.c.factor : 1;
  if (copy.c.direction === 'slower' && copy.c.factor > sharedGrowth && vsShared.direction === 'slower')
    line += ' A copy costs more the bigger it is; a shared buffer is not copied at all.';
  return line;
}

const by = (race: CounterRace, mode: CountMode) => race.summary.find((s) => s.mode === mode);
const fixesOf = (race: CounterRace) => (['atomics', 'lock'] as const).flatMap((mode) => by(race, mode) ?? []);
const msOf = (race: CounterRace, mode: CountMode) => race.runs.filter((r) => r.mode === mode).map((r) => r.ms);
const lockAgainstAtomics = (race: CounterRace) =>
  by(race, 'lock') && by(race, 'atomics') ? compareTimes(msOf(race, 'lock'), msOf(race, 'atomics')) : undefined;

function raceLine(race: CounterRace): string | undefined {
  const unsafe = by(race, 'unsafe');
  if (!unsafe) return undefined;
  const n = unsafe.lost.n;
  const expected = race.threads * race.increments;
  const who = `Reading then writing (no indivisible add), ${count(race.threads, 'thread')} adding 1 to one counter ${thousands(race.increments)} ${race.increments === 1 ? 'time' : 'times'} each`;
  if (unsafe.runsWithLosses === 0)
    return `- **Races.** ${who} lost no update in ${count(n, 'run')}${race.threads === 1 ? ': one thread has nobody to race with.' : '.'}`;
  const lost =
    unsafe.lost.min === unsafe.lost.max
      ? `${thousands(unsafe.lost.max)} of ${thousands(expected)} updates`
      : `${thousands(unsafe.lost.min)} to ${thousands(unsafe.lost.max)} of ${thousands(expected)} updates (median ${thousands(unsafe.lost.median)})`;
  const others = n - unsafe.runsWithLosses;
  return (
    `- **Races.** ${who} lost ${lost}, with losses in ${unsafe.runsWithLosses} of ${count(n, 'run')}` +
    (others > 0
      ? `; the other ${others} lost nothing: the same code, so ${others === 1 ? 'that run was' : 'those runs were'} luck, not safety.`
      : '.')
  );
}

function fixesLine(race: CounterRace): string | undefined {
  const fixes = fixesOf(race);
  if (!fixes.length) return undefined;
  const lost = fixes.map((s) =>
    s.runsWithLosses === 0
      ? `${WAY[s.mode]} lost no update in ${count(s.lost.n, 'run')}`
      : `${WAY[s.mode]} lost updates in ${s.runsWithLosses} of ${count(s.lost.n, 'run')} (up to ${thousands(s.lost.max)})`,
  );
  const times = race.summary.map((s) => `${WAY[s.mode]} ${formatMs(s.ms.median)}`).join(', ');
  let line = `- **The fixes.** ${capital(lost.join('; '))}. Median times: ${times}.`;
  const comparisons: string[] = [];
  const vs = (a: CountMode, b: CountMode) => relation(msOf(race, a), msOf(race, b), WAY[b]);
  if (by(race, 'atomics') && by(race, 'unsafe')) comparisons.push(`Atomics.add was ${vs('atomics', 'unsafe')}`);
  const lockVsAtomics = lockAgainstAtomics(race);
  if (lockVsAtomics) comparisons.push(`the lock was ${vs('lock', 'atomics')}`);
  if (comparisons.length) {
    line += ` ${capital(comparisons.join('; '))}`;
    line +=
      lockVsAtomics?.direction === 'slower'
        ? ': the lock does several atomic steps per update, and puts threads to sleep and wakes them when they ' +
          'collide; that is the price of protecting any number of steps.'
        : '.';
  }
  return line;
}

/** What notebook 02 measured: the threads that reported (pid and thread id), the shared write, copy costs, the race. */
export interface ThreadsMeasured {
  reports: readonly { pid: number; threadId: number }[];
  seen: SeenChange;
  costs: MessageCosts;
  race: CounterRace;
}

/** The closing "what we measured" of 02-threads, in markdown, one bullet per measurement, and its headline. */
export function threadFindings(m: ThreadsMeasured): { findings: string; headline: string } {
  const lines = [
    threadsLine(m.reports),
    sharingLine(m.seen),
    copyingLine(m.costs),
    raceLine(m.race),
    fixesLine(m.race),
  ];
  return { findings: lines.filter((l): l is string => l !== undefined).join('\n'), headline: raceHeadline(m.race) };
}

/** One plain sentence for the index page: what the unsafe way lost, and what the fixes lost and cost. */
function raceHeadline(race: CounterRace): string {
  const expected = race.threads * race.increments;
  const parts: string[] = [];
  const unsafe = by(race, 'unsafe');
  if (unsafe) {
    const who = `reading then writing, ${count(race.threads, 'thread')}`;
    parts.push(
      unsafe.runsWithLosses === 0
        ? `${who} lost no update in ${count(unsafe.lost.n, 'run')}`
        : `${who} lost up to ${thousands(unsafe.lost.max)} of ${thousands(expected)} updates, in ${unsafe.runsWithLosses} of ${count(unsafe.lost.n, 'run')}`,
    );
  }
  const fixes = fixesOf(race);
  const lost = (s: (typeof fixes)[number]) =>
    s.runsWithLosses === 0
      ? 'lost none'
      : `lost up to ${thousands(s.lost.max)}, in ${s.runsWithLosses} of ${count(s.lost.n, 'run')}`;
  if (fixes.length && fixes.every((s) => s.runsWithLosses === 0))
    parts.push(`${fixes.map((s) => WAY[s.mode]).join(' and ')} lost none`);
  else parts.push(...fixes.map((s) => `${WAY[s.mode]} ${lost(s)}`));
  const c = lockAgainstAtomics(race);
  if (c?.direction === 'same') parts.push(`the times of the lock and Atomics.add showed ${c.words}`);
  else if (c) parts.push(`the lock was ${c.words} than Atomics.add`);
  const text = parts.join('; ') || 'the counter race ran';
  return `${capital(text)} (${describeCores(race.env)})`;
}
