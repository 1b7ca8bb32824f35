/** Processes made visible: children that report their pid, and what starting a process or a thread costs. */
import { fork, spawn } from 'node:child_process';
import { on, once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker, threadId } from 'node:worker_threads';
import { here, now } from '../../core/clock';
import { describeCores, environment } from '../../core/environment';
import { InterruptedError } from '../../core/errors';
import { compare, runsOf } from '../../core/measure';
import { Tasks } from '../../core/records';
import { summarize } from '../../core/stats';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';
import { count } from '../../core/words';

const CHILD_SCRIPT = path.join(__dirname, 'child.js');
const TRUE = ['/bin/true', '/usr/bin/true'].find((p) => fs.existsSync(p));

/** Where the caller runs, as the course printed it: "<pid> process | <thread id> thread". */
export function whoAmI(): { pid: number; ppid: number; threadId: number; line: string } {
  return { pid: process.pid, ppid: process.ppid, threadId, line: `${process.pid} process | ${threadId} thread` };
}

/** What a child said about itself (its `whoAmI`), and the ms from starting it to its answer. */
export type ChildReport = ReturnType<typeof whoAmI> & { index: number; ms: number };

/** Runs the child program (or `true`) to its answer (`true`: its exit), timed; killed on interrupt or at 15 s. */
async function runChild(how: 'fork' | 'spawn' | 'true'): Promise<{ message?: any; ms: number }> {
  const started = now();
  const limits = { timeout: 15_000, killSignal: 'SIGKILL' } as const;
  const child =
    how === 'fork'
      ? fork(CHILD_SCRIPT, { ...limits, silent: true })
      : spawn(how === 'true' ? TRUE! : process.execPath, how === 'true' ? [] : [CHILD_SCRIPT], limits);
  let answer: { message?: any; ms: number } | undefined;
  let stopped = false;
  let stderr = '';
  const got = (message?: unknown) => (answer ??= { message, ms: now() - started });
  child.on('message', got);
  createInterface({ input: child.stdout! }).once('line', (line) => got(JSON.parse(line)));
  child.stderr!.on('data', (d) => (stderr += d));
  const release = track({ close: async () => void ((stopped = true), child.kill('SIGKILL')) });
  const [code, signal] = (await once(child, 'close').finally(release)) as [number | null, string | null];
  if (how === 'true' && code === 0) got();
  if (answer) return answer;
  if (stopped) throw new InterruptedError(`child ${child.pid} was ended`);
  const why = stderr ? `: ${stderr.trim().split('\n')[0]}` : '';
  throw new Error(`child ${child.pid} ended (${signal ?? `exit ${code}`}) without answering${why}`);
}

/** Starts `children` child processes at once (each a new Node program) and collects what each reports. */
export async function childReports(children: number, method: 'fork' | 'spawn' | (string & {}) = 'fork') {
  check.integer('children', children, 1, 256);
  const how = check.oneOf('method', method, ['spawn', 'fork'] as const);
  const answers = await Promise.all(Array.from({ length: children }, () => runChild(how)));
  return answers.map(({ message, ms }, index): ChildReport => ({ ...message, index, ms }));
}

/** Starts a worker thread and resolves with the ms until it first answers; it is terminated first. */
async function startThread(): Promise<number> {
  const started = now();
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage('ready')", { eval: true });
  const release = track({ close: async () => void (await worker.terminate()) });
  const answers = on(worker, 'message', { close: ['exit'] });
  const { done } = await answers.next().finally(release);
  const ms = now() - started;
  await worker.terminate();
  if (done) throw new InterruptedError('the thread was ended');
  return ms;
}

const STARTS = {
  'spawn true': async () => (await runChild('true')).ms,
  'spawn node': async () => (await runChild('spawn')).ms,
  'fork node': async () => (await runChild('fork')).ms,
  'worker thread': startThread,
};

export type StartKind = keyof typeof STARTS;

/** Start-up costs: every start's ms, a summary per kind, and the comparison (a row per kind) they were read from. */
export type StartupCosts = Awaited<ReturnType<typeof startupCosts>>;

/** Times each kind of start this machine has ('spawn true' needs /bin/true), in turns after one untimed start each. */
export async function startupCosts(o: { repeats?: number } = {}) {
  const repeats = check.integer('repeats', o.repeats ?? 10, 1, 1000);
  const kinds = (Object.keys(STARTS) as StartKind[]).filter((k) => k !== 'spawn true' || TRUE);
  const each = { origin: 'node', workers: 1, startupIncluded: false, warm: true } as const;
  const peers = kinds.map((kind) => ({
    ...each,
    label: kind,
    mode: kind === 'worker thread' ? ('threads' as const) : ('processes' as const),
    async run() {
      const start = now();
      const ms = await STARTS[kind]();
      const tasks = Tasks.of([{ index: 0, ...here(), start, end: start + ms, ok: true }]);
      return { start, end: start + ms, wallMs: ms, tasks, results: [ms] };
    },
  }));
  const comparison = await compare({ modes: [], peers, repeats, params: { repeats } });
  const times = (kind: StartKind) => runsOf(comparison, kind).map((r) => r.wallMs);
  const samples = kinds.flatMap((kind) => times(kind).map((ms, repeat) => ({ kind, repeat, ms })));
  const summary = kinds.map((kind) => ({ kind, ms: summarize(times(kind)) }));
  return { kinds, repeats, samples, summary, comparison, env: comparison.env };
}

/** This machine's processors: cores this process may use, logical CPUs, and their model. */
export function coreInfo(): { cores: number; logical: number; model: string; line: string } {
  const env = environment();
  const [logical, installed] = [env.logicalCpus, os.cpus().length];
  const mine = installed === logical ? '' : `, ${logical} of the machine's ${installed} for this process`;
  const line = `${count(logical, 'logical CPU')}${mine}; CPU work can use ${describeCores(env)} (${env.cpuModel})`;
  return { cores: env.cores, logical, model: env.cpuModel, line };
}
