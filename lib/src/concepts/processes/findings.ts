/** The closing "what we measured" of 01-processes and its headline: only what depends on this run's numbers. */
import { describeCores } from '../../core/environment';
import { formatMs } from '../../core/summary';
import { compareTimes, count } from '../../core/words';
import type { ChildReport, StartKind, StartupCosts } from './run';

/** What notebook 01 measured: the children that reported, the memory demo, the start-up costs. */
export interface ProcessesMeasured {
  reports: readonly Pick<ChildReport, 'pid' | 'ppid' | 'threadId'>[];
  /** What the memory cell saw: the child's pid, the counter it received and its own after changing it; the parent's after. */
  memory: { child: { pid: number; received: number; counter: number }; parentAfter: number };
  startup: StartupCosts;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
const NAME: Partial<Record<StartKind, string>> = {
  'spawn true': 'A program that does nothing',
  'worker thread': 'A worker thread',
};
const medians = (startup: StartupCosts) => startup.summary.map((s) => `${s.kind} ${formatMs(s.ms.median)}`).join(', ');
const medianOf = (startup: StartupCosts, kind: StartKind) => startup.summary.find((s) => s.kind === kind)!.ms.median;

/** How `kind` started against a forked Node process, as a sentence without its stop (undefined unless both ran). */
function againstFork(startup: StartupCosts, kind: StartKind) {
  const starts = (k: StartKind) => startup.samples.filter((s) => s.kind === k).map((s) => s.ms);
  const [mine, forked] = [starts(kind), starts('fork node')];
  if (!mine.length || !forked.length) return undefined;
  const c = compareTimes(mine, forked);
  const fork = 'a forked Node process';
  const words =
    c.direction === 'same'
      ? `${NAME[kind]} and ${fork} showed ${c.words}`
      : `${NAME[kind]} started ${c.words} than ${fork}`;
  return { faster: c.direction === 'faster', words };
}

function childrenLine(reports: ProcessesMeasured['reports']): string {
  const n = reports.length;
  if (n === 0) return '- **Processes.** No child reported back.';
  const pids = unique(reports.map((r) => r.pid));
  const parents = unique(reports.map((r) => r.ppid));
  const threadIds = unique(reports.map((r) => r.threadId));
  const children = count(n, 'child', 'children');
  const said =
    n === 1
      ? `The 1 child reported pid ${pids[0]}`
      : pids.length === n
        ? `The ${children} reported ${n} different pids (${pids.join(', ')})`
        : `The ${children} reported only ${count(pids.length, 'different pid')} (${pids.join(', ')})`;
  const each = n === 1 ? '' : 'each ';
  const parent =
    parents.length === 1
      ? `${each}with parent ${parents[0]}${parents[0] === process.pid ? ' (this kernel)' : ''}`
      : `with parents ${parents.join(', ')}`;
  const mainThread = threadIds.length === 1 && threadIds[0] === 0;
  const thread = mainThread ? `${each}on its own thread 0` : `on threads ${threadIds.join(', ')}`;
  const copies =
    pids.length === n && parents.length === 1 && mainThread
      ? `: ${n === 1 ? 'a separate running copy' : `${n} separate running copies`} of Node, one program on disk`
      : '';
  return `- **Processes.** This kernel is process ${process.pid}. ${said}, ${parent} and ${thread}${copies}.`;
}

function memoryLine({ child, parentAfter }: ProcessesMeasured['memory']): string {
  if (!Number.isFinite(child.counter))
    return `- **Memory.** No answer came back from the child; the parent's counter is ${parentAfter}.`;
  const changed = child.counter !== child.received;
  const childPart = `received the counter as ${child.received} and ${changed ? `changed its copy to ${child.counter}` : 'sent it back unchanged'}`;
  const parentPart =
    parentAfter === child.received
      ? `the parent's counter was still ${parentAfter} afterwards${changed ? ': the change stayed in the child' : ''}`
      : `the parent's counter was ${parentAfter} afterwards`;
  return `- **Memory.** Child ${child.pid} ${childPart}; ${parentPart}.`;
}

function startupLine(startup: StartupCosts): string {
  let line = `- **Start-up** (medians of ${count(startup.repeats, 'start')} each): ${medians(startup)}.`;
  const bare = againstFork(startup, 'spawn true');
  // "Most of it is Node" only when the OS's part is clearly under half of a Node start.
  const mostly = bare?.faster && medianOf(startup, 'spawn true') / medianOf(startup, 'fork node') < 0.5;
  if (bare) line += ` ${bare.words}${mostly ? ": most of a Node child's start-up is Node itself." : '.'}`;
  const thread = againstFork(startup, 'worker thread');
  const why = ': it needs no new process, only a new JavaScript engine instance in this one.';
  if (thread) line += ` ${thread.words}${thread.faster ? why : '.'}`;
  return line;
}

/** The closing "what we measured" of 01-processes, in markdown, and its headline. */
export function processFindings(m: ProcessesMeasured): { findings: string; headline: string } {
  const env = m.startup.env;
  const cpus = env.logicalCpus;
  const findings = [
    childrenLine(m.reports),
    memoryLine(m.memory),
    startupLine(m.startup),
    `- **Cores.** ${count(cpus, 'logical CPU')} here: at most ${cpus} of these processes or threads ` +
      `${cpus === 1 ? 'runs' : 'run'} at the same instant; the rest take turns. CPU work can use ${describeCores(env)}.`,
  ].join('\n');
  return { findings, headline: processHeadline(m.startup) };
}

/** One plain sentence for the index page: a worker thread's start against a forked Node process's. */
function processHeadline(startup: StartupCosts): string {
  const where = `medians of ${count(startup.repeats, 'start')} each, ${describeCores(startup.env)}`;
  const thread = againstFork(startup, 'worker thread');
  if (!thread) return `Start-up until the first answer: ${medians(startup)} (${where})`;
  const ms = `${formatMs(medianOf(startup, 'worker thread'))} against ${formatMs(medianOf(startup, 'fork node'))}`;
  return `${thread.words}: ${ms} (${where})`;
}
