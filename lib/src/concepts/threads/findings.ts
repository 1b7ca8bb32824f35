/** The closing "what we measured" of 02-threads, in markdown, read from the numbers just measured. */
import { formatMs } from '../../core/summary';
import type { ThreadReport } from './identity';
import { formatBytes, type MessageCosts, type SeenChange } from './messages';
import type { CounterRace } from './race';

/** The closing paragraph's facts, one bullet each, from what 02-threads measured. */
export function threadFindings(
  reports: readonly ThreadReport[],
  seen: SeenChange,
  costs: MessageCosts,
  race: CounterRace,
): string {
  const pids = [...new Set(reports.map((r) => r.pid))];
  const biggest = Math.max(...costs.sizes);
  const at = (method: string) => costs.summary.find((s) => s.method === method && s.bytes === biggest)!.ms.median;
  const by = (mode: string) => race.summary.find((s) => s.mode === mode);
  const unsafe = by('unsafe');
  const atomics = by('atomics');
  const lock = by('lock');
  const expected = race.threads * race.increments;
  const lines = [
    `- **Threads.** ${reports.length} worker threads reported thread ids ${reports.map((r) => r.threadId).join(', ')} ` +
      `and ${pids.length === 1 ? `one pid, ${pids[0]}${pids[0] === process.pid ? ", this kernel's own" : ''}` : `${pids.length} pids`}; the main thread is 0.`,
    `- **Sharing.** Worker thread ${seen.workerThreadId} wrote ${seen.value} into both buffers: the main thread read ${seen.mainShared} from the SharedArrayBuffer and ${seen.mainCopied} from the copy it had sent.`,
    `- **Copying costs.** Handing ${formatBytes(biggest)} to a thread took ${formatMs(at('clone'))} as a copy, ${formatMs(at('transfer'))} transferred, ` +
      `${formatMs(at('shared'))} shared (medians of ${costs.repeats}); a copy costs more the bigger it is, a transfer or a shared buffer does not.`,
  ];
  if (unsafe) {
    lines.push(
      `- **Races.** Reading then writing (no indivisible add), ${race.threads} threads adding 1 to one counter ${race.increments.toLocaleString('en')} times each lost ` +
        `${Math.round(unsafe.lost.median).toLocaleString('en')} of ${expected.toLocaleString('en')} updates (median; ${unsafe.lost.min.toLocaleString('en')} to ${unsafe.lost.max.toLocaleString('en')}), ` +
        `in ${unsafe.runsWithLosses} of ${unsafe.lost.n} runs.` +
        (unsafe.runsWithLosses < unsafe.lost.n
          ? ' A run that loses nothing is luck, not safety: the threads happened not to overlap.'
          : ''),
    );
  }
  const fixes = [atomics, lock].filter((s): s is NonNullable<typeof s> => s !== undefined);
  if (fixes.length) {
    const time = [...fixes, ...(unsafe ? [unsafe] : [])].map((s) => `${s.mode} ${formatMs(s.ms.median)}`).join(', ');
    lines.push(
      `- **Fixes and their price.** ` +
        fixes
          .map(
            (s) => `${s.mode}: ${s.lost.max === 0 ? 'no update lost' : `up to ${s.lost.max} lost`} in ${s.lost.n} runs`,
          )
          .join('; ') +
        `. Median times: ${time}.` +
        (atomics && lock
          ? ` The lock took ${(lock.ms.median / atomics.ms.median).toFixed(1)}x as long as Atomics.add: it does several atomic steps per update, ` +
            'and puts threads to sleep and wakes them when they collide; that is the price of protecting any number of steps.'
          : ''),
    );
  }
  lines.push(
    "- **Compared with the course.** Python's threads share every object and the GIL lets one run at a time; Node's worker threads run JavaScript truly in parallel " +
      'but share nothing unless you hand them a SharedArrayBuffer, and then the race is real, so Atomics are the tool.',
  );
  return lines.join('\n');
}

/** A one-line headline of the counter race, from its numbers. */
export function raceHeadline(race: CounterRace): string {
  const parts = race.summary.map((s) =>
    s.mode === 'unsafe'
      ? `reading then writing, ${race.threads} threads lost updates in ${s.runsWithLosses} of ${s.lost.n} runs (median ${Math.round(s.lost.median).toLocaleString('en')} of ${(race.threads * race.increments).toLocaleString('en')})`
      : `${s.mode === 'atomics' ? 'Atomics.add' : 'the lock'} lost ${s.lost.max === 0 ? 'none' : `up to ${s.lost.max.toLocaleString('en')}`} in ${formatMs(s.ms.median)}`,
  );
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} (${race.env.cores} cores)`;
}
