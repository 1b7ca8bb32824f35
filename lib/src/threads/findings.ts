/** The closing "what we measured" of 02-threads, in markdown, read from the numbers just measured. */
import { formatMs } from '../summary';
import type { ThreadReport } from './identity';
import { formatBytes, type MessageCosts, type SeenChange } from './messages';
import type { CounterRace } from './race';

/** What 02-threads measured. */
export interface ThreadFindingsInput {
  reports: readonly ThreadReport[];
  seen: SeenChange;
  costs: MessageCosts;
  race: CounterRace;
}

/** The closing paragraph's facts, one bullet each. */
export function threadFindings({ reports, seen, costs, race }: ThreadFindingsInput): string {
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
      `- **Races.** Without Atomics, ${race.threads} threads adding 1 to one counter ${race.increments.toLocaleString('en')} times each lost ` +
        `${unsafe.lost.median.toLocaleString('en')} of ${expected.toLocaleString('en')} updates (median; ${unsafe.lost.min.toLocaleString('en')} to ${unsafe.lost.max.toLocaleString('en')}), ` +
        `in ${unsafe.runsWithLosses} of ${unsafe.lost.n} runs.` +
        (unsafe.runsWithLosses < unsafe.lost.n
          ? ' A run that loses nothing is luck, not safety: the threads happened not to overlap.'
          : ''),
    );
  }
  const fixes = [atomics, lock].filter((s): s is NonNullable<typeof s> => s !== undefined);
  if (fixes.length) {
    lines.push(
      `- **Fixes and their price.** ` +
        fixes
          .map(
            (s) =>
              `${s.mode}: ${s.lost.max === 0 ? 'no update lost' : `${s.lost.max} lost`} in ${s.lost.n} runs, ${formatMs(s.ms.median)}`,
          )
          .join('; ') +
        (unsafe ? `; against ${formatMs(unsafe.ms.median)} unsafe.` : '.') +
        ' Correctness costs time: every indivisible step makes the cores agree on one memory cell.',
    );
  }
  lines.push(
    "- **Compared with the course.** Python's threads share every object and the GIL lets one run at a time; Node's worker threads run JavaScript truly in parallel " +
      'but share nothing unless you hand them a SharedArrayBuffer, and then the race is real, so Atomics are the tool.',
  );
  return lines.join('\n');
}
