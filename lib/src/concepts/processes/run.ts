/**
 * Processes made visible: start child processes that report their pid, show that a child's
 * memory is its own, and measure what it costs to start a process (spawn, fork) and a
 * worker thread. Every child is tracked while it lives and ended before a call returns.
 */
import { spawn, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker, threadId } from 'node:worker_threads';
import { here, now } from '../../core/clock';
import { describeCores, environment } from '../../core/environment';
import { InterruptedError } from '../../core/errors';
import { compare, runsOf, type Comparison } from '../../core/measure';
import type { Peer } from '../../core/peers';
import { Tasks, type Environment } from '../../core/records';
import { summarize, type Summary } from '../../core/stats';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';

const CHILD_SCRIPT = path.join(__dirname, 'child.js');

/** How a child is started: `spawn` runs a program, `fork` runs a Node script with a message channel. */
export type StartMethod = 'spawn' | 'fork';

/** What one child process said about itself. */
export interface ChildReport {
  index: number;
  pid: number;
  /** Its parent's pid: this process. */
  ppid: number;
  /** Its main thread's id, 0 as in every process. */
  threadId: number;
  /** The course's line: "<pid> process | <thread id> thread". */
  line: string;
  /** Milliseconds from starting the child to its answer. */
  ms: number;
}

/** Where the caller runs, as the course printed it: "<pid> process | <thread id> thread". */
export function whoAmI(): { pid: number; ppid: number; threadId: number; line: string } {
  return { pid: process.pid, ppid: process.ppid, threadId, line: `${process.pid} process | ${threadId} thread` };
}

const TIMEOUT_MS = 15_000;

/** Starts one child, resolves with its first answer, and makes sure it has exited (killed if need be). */
function runChild(method: StartMethod, args: string[], send?: unknown): Promise<{ message: any; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child: ChildProcess =
      method === 'fork'
        ? fork(CHILD_SCRIPT, args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' })
        : spawn(process.execPath, [CHILD_SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let answer: { message: any; ms: number } | undefined;
    let stderr = '';
    let stdout = '';
    let stopped = false;
    const release = track({
      close: async () => {
        stopped = true;
        child.kill('SIGKILL');
      },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    const got = (message: unknown) => {
      answer ??= { message, ms: now() - started };
    };
    child.stderr?.on('data', (d) => (stderr += d));
    child.stdout?.on('data', (d) => {
      stdout += d;
      const nl = stdout.indexOf('\n');
      if (nl >= 0) got(JSON.parse(stdout.slice(0, nl)));
    });
    child.on('message', got);
    child.on('error', (error) => {
      clearTimeout(timer);
      release();
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      release();
      if (answer) resolve(answer);
      else if (stopped) reject(new InterruptedError(`child ${child.pid} was ended`));
      else
        reject(
          new Error(
            `child ${child.pid} ended (${signal ?? `exit ${code}`}) without answering${stderr ? `: ${stderr.trim().split('\n')[0]}` : ''}`,
          ),
        );
    });
    if (send !== undefined) child.send(send as any);
  });
}

/** Starts `count` child processes at once (each a new Node program) and collects what each reports. */
export async function childReports(
  count: number,
  method: StartMethod | (string & {}) = 'fork',
): Promise<ChildReport[]> {
  check.integer('children', count, 1, 256);
  const how = check.oneOf('method', method, ['spawn', 'fork'] as const);
  const answers = await Promise.all(Array.from({ length: count }, () => runChild(how, ['report'])));
  return answers.map(({ message, ms }, index) => ({
    index,
    pid: message.pid,
    ppid: message.ppid,
    threadId: message.threadId,
    line: message.line,
    ms,
  }));
}

/** What can be started, and measured until it first answers. */
export const START_KINDS = ['spawn true', 'spawn node', 'fork node', 'worker thread'] as const;

/** One thing to start: an OS program, a Node process (spawn or fork), or a worker thread. */
export type StartKind = (typeof START_KINDS)[number];

/** One start-up timing: from asking for it to its first answer. */
export interface StartupSample {
  kind: StartKind;
  repeat: number;
  ms: number;
}

/** Start-up costs: every sample, and a summary per kind. */
export interface StartupCosts {
  kinds: StartKind[];
  repeats: number;
  samples: StartupSample[];
  summary: { kind: StartKind; ms: Summary }[];
  /** The comparison the samples were read from: a row (a peer) per kind. */
  comparison: Comparison;
  env: Environment;
}

/** Options of `startupCosts`. */
export interface StartupOptions {
  /** Timed starts of each kind (default 10). */
  repeats?: number;
  /** What to start (default every kind this machine has; 'spawn true' needs /bin/true or /usr/bin/true). */
  kinds?: readonly StartKind[];
}

function trueProgram(): string | undefined {
  return ['/bin/true', '/usr/bin/true'].find((p) => fs.existsSync(p));
}

/** Starts a program that does nothing and waits for it to exit: the OS's own cost of a process. */
function startTrue(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn(trueProgram()!, [], { stdio: 'ignore' });
    const release = track({ close: async () => void child.kill('SIGKILL') });
    child.on('error', (e) => (release(), reject(e)));
    child.on('exit', () => (release(), resolve(now() - started)));
  });
}

/** Starts a worker thread and resolves when it first answers; it is terminated before this resolves. */
function startThread(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = now();
    const worker = new Worker("require('node:worker_threads').parentPort.postMessage('ready')", { eval: true });
    const release = track({ close: async () => void (await worker.terminate()) });
    worker.once('message', () => {
      const ms = now() - started;
      void worker.terminate().then(() => (release(), resolve(ms)));
    });
    worker.once('error', (e) => (release(), reject(e)));
  });
}

async function startOnce(kind: StartKind): Promise<number> {
  switch (kind) {
    case 'spawn true':
      return startTrue();
    case 'spawn node':
      return (await runChild('spawn', ['ready'])).ms;
    case 'fork node':
      return (await runChild('fork', ['ready'])).ms;
    case 'worker thread':
      return startThread();
  }
}

/** A peer that starts one `kind` per run and times it until it answers. */
function startPeer(kind: StartKind): Peer {
  return {
    label: kind,
    origin: 'node',
    mode: kind === 'worker thread' ? 'threads' : 'processes',
    workers: 1,
    startupIncluded: false,
    warm: true,
    async run() {
      const start = now();
      const ms = await startOnce(kind);
      const end = start + ms;
      return {
        start,
        end,
        wallMs: ms,
        tasks: Tasks.of([{ index: 0, ...here(), start, end, ok: true }]),
        results: [ms],
      };
    },
  };
}

/**
 * Measures how long it takes to start each kind until it answers, `repeats` times each
 * (kinds taking turns, one at a time, after one untimed start of each).
 */
export async function startupCosts(options: StartupOptions = {}): Promise<StartupCosts> {
  const repeats = check.integer('repeats', options.repeats ?? 10, 1, 1000);
  const available = START_KINDS.filter((k) => k !== 'spawn true' || trueProgram());
  const kinds = check.subsetOf('kinds', options.kinds ?? available, START_KINDS);
  const comparison = await compare({ modes: [], peers: kinds.map(startPeer), repeats, params: { repeats } });
  const samples = kinds.flatMap((kind) =>
    runsOf(comparison, kind).map((r) => ({ kind, repeat: r.repeat, ms: r.wallMs })),
  );
  const summary = kinds.map((kind) => ({
    kind,
    ms: summarize(samples.filter((s) => s.kind === kind).map((s) => s.ms)),
  }));
  return { kinds, repeats, samples, summary, comparison, env: comparison.env };
}

/** This machine's processors: cores this process may use, logical CPUs, and their model. */
export function coreInfo(): { cores: number; logical: number; model: string; line: string } {
  const env = environment();
  const installed = os.cpus().length;
  const mine =
    installed === env.logicalCpus ? '' : `, ${env.logicalCpus} of the machine's ${installed} for this process`;
  return {
    cores: env.cores,
    logical: env.logicalCpus,
    model: env.cpuModel,
    line: `${env.logicalCpus} logical CPU${env.logicalCpus === 1 ? '' : 's'}${mine}; CPU work can use ${describeCores(env)} (${env.cpuModel})`,
  };
}
