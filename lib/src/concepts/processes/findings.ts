/** The closing "what we measured" of 01-processes, read from the numbers just measured. */
import { formatMs } from '../../core/summary';
import type { ChildReport, IsolatedMemory, StartKind, StartupCosts } from './run';

/**
 * The closing "what we measured" of 01-processes, in markdown, read from the numbers just
 * measured. (Positional arguments: tslab does not rewrite shorthand `{ reports }` to a
 * variable of an earlier cell.)
 */
export function processFindings(
  reports: readonly ChildReport[],
  memory: IsolatedMemory,
  startup: StartupCosts,
): string {
  const med = (kind: StartKind) => startup.summary.find((s) => s.kind === kind)?.ms.median;
  const ms = (v: number | undefined) => (v === undefined ? 'not measured' : formatMs(v));
  const pids = [...new Set(reports.map((r) => r.pid))];
  const thread = med('worker thread');
  const forked = med('fork node');
  const bare = med('spawn true');
  const lines = [
    `- **Processes.** This kernel is process ${process.pid}. The ${reports.length} children reported ${pids.length} different pids (${pids.join(', ')}), ` +
      `each with parent ${[...new Set(reports.map((r) => r.ppid))].join(', ')} and each on its own thread 0: ${pids.length} separate running copies of Node, one program on disk.`,
    `- **Memory.** Child ${memory.childPid} changed its counter from ${memory.childBefore} to ${memory.childAfter}; ` +
      `the parent's counter was ${memory.parentBefore} before and ${memory.parentAfter} after${memory.parentAfter === memory.parentBefore ? ': the change stayed in the child' : ''}.`,
    `- **Start-up** (median of ${startup.repeats}): ` +
      startup.summary.map((s) => `${s.kind} ${formatMs(s.ms.median)}`).join(', ') +
      '.' +
      (bare !== undefined && forked !== undefined
        ? ` The operating system starts a process that does nothing in ${formatMs(bare)}; most of a Node child's ${formatMs(forked)} is Node itself starting up.`
        : '') +
      (thread !== undefined && forked !== undefined
        ? ` A worker thread answered ${(forked / thread).toFixed(1)}x sooner than a forked Node process.`
        : ''),
    `- **Cores.** ${startup.env.cores} core(s) here: at most ${startup.env.cores} of these processes or threads run at the same instant; the rest take turns.`,
    `- **Compared with the course.** Python printed \`{os.getpid()} process | {threading.get_ident()} thread\`; Node's \`process.pid\` and \`threadId\` tell the same story. ` +
      "One difference: Python's multiprocessing on Linux traditionally used the OS's fork (a copy of the running interpreter), while Node's `child_process.fork` copies nothing: it starts a new Node program with a message channel, and pays for a whole Node start-up: " +
      `${ms(forked)} here.`,
  ];
  return lines.join('\n');
}
