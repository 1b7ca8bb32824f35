/**
 * The closing "what we measured" of 01-processes and its headline, read from the numbers just
 * measured. Fixed prose (what fork copies, how Python differs) is the notebook's markdown; only
 * sentences that depend on this run's numbers are here, in the words of core/words.ts.
 */
import { formatMs } from '../../core/summary';
import { describeCores } from '../../core/environment';
import { compareTimes, count, type TimeComparison } from '../../core/words';
import type { ChildReport, StartKind, StartupCosts } from './run';

/** What the notebook's memory cell saw: the child's answer, and the parent's counter afterwards. */
export interface MemorySeen {
  /** The child's pid, the counter it received, and its own counter after changing it. */
  child: { pid: number; received: number; counter: number };
  /** The parent's counter after the child had exited. */
  parentAfter: number;
}

/** A child as the findings read it (a `ChildReport` will do). */
export type ChildSeen = Pick<ChildReport, 'pid' | 'ppid' | 'threadId'>;

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/** The timed starts of one kind (empty when it was not measured). */
function startsOf(startup: StartupCosts, kind: StartKind): number[] {
  return startup.samples.filter((s) => s.kind === kind).map((s) => s.ms);
}

function medianOf(startup: StartupCosts, kind: StartKind): number | undefined {
  return startup.summary.find((s) => s.kind === kind)?.ms.median;
}

/** "a started 3.1x faster than b", or "a and b showed no measurable difference (...)". */
function versus(a: string, b: string, c: TimeComparison, verb: string): string {
  return c.direction === 'same' ? `${a} and ${b} showed ${c.words}` : `${a} ${verb} ${c.words} than ${b}`;
}

const capital = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function childrenLine(reports: readonly ChildSeen[]): string {
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

function memoryLine({ child, parentAfter }: MemorySeen): string {
  if (!Number.isFinite(child.counter)) {
    return `- **Memory.** No answer came back from the child; the parent's counter is ${parentAfter}.`;
  }
  const changed = child.counter !== child.received;
  const childPart = changed
    ? `received the counter as ${child.received} and changed its copy to ${child.counter}`
    : `received the counter as ${child.received} and sent it back unchanged`;
  const parentPart =
    parentAfter === child.received
      ? `the parent's counter was still ${parentAfter} afterwards${changed ? ': the change stayed in the child' : ''}`
      : `the parent's counter was ${parentAfter} afterwards`;
  return `- **Memory.** Child ${child.pid} ${childPart}; ${parentPart}.`;
}

function startupLine(startup: StartupCosts): string {
  const medians = startup.summary.map((s) => `${s.kind} ${formatMs(s.ms.median)}`).join(', ');
  let line = `- **Start-up** (medians of ${count(startup.repeats, 'start')} each): ${medians}.`;
  const bare = startsOf(startup, 'spawn true');
  const forked = startsOf(startup, 'fork node');
  const thread = startsOf(startup, 'worker thread');
  if (bare.length && forked.length) {
    const c = compareTimes(bare, forked);
    line += ` ${capital(versus('a program that does nothing', 'a forked Node process', c, 'started'))}`;
    // "Most of it is Node" only when the OS's part is clearly under half of a Node start.
    const osShare = medianOf(startup, 'spawn true')! / medianOf(startup, 'fork node')!;
    line += c.direction === 'faster' && osShare < 0.5 ? ": most of a Node child's start-up is Node itself." : '.';
  }
  if (thread.length && forked.length) {
    const c = compareTimes(thread, forked);
    line += ` ${capital(versus('a worker thread', 'a forked Node process', c, 'started'))}`;
    line +=
      c.direction === 'faster' ? ': it needs no new process, only a new JavaScript engine instance in this one.' : '.';
  }
  return line;
}

/** What notebook 01 measured: the children that reported, the memory demo, the start-up costs. */
export interface ProcessesMeasured {
  reports: readonly ChildSeen[];
  memory: MemorySeen;
  startup: StartupCosts;
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
  const forked = startsOf(startup, 'fork node');
  const thread = startsOf(startup, 'worker thread');
  const where = `medians of ${count(startup.repeats, 'start')} each, ${describeCores(startup.env)}`;
  if (!forked.length || !thread.length) {
    const medians = startup.summary.map((s) => `${s.kind} ${formatMs(s.ms.median)}`).join(', ');
    return `Start-up until the first answer: ${medians} (${where})`;
  }
  const c = compareTimes(thread, forked);
  const ms = `${formatMs(medianOf(startup, 'worker thread')!)} against ${formatMs(medianOf(startup, 'fork node')!)}`;
  return `${capital(versus('a worker thread', 'a forked Node process', c, 'started'))}: ${ms} (${where})`;
}
