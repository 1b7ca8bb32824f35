/** What this process has left running: child processes and threads, read from /proc. */
import { spawn, spawnSync, type ChildProcessByStdio, type SpawnSyncReturns } from 'node:child_process';
import type { Readable } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';

/** The state letter and parent pid of a process from /proc, or undefined once it is gone. */
function stat(pid: number | string): { state: string; ppid: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Whether a process is still running (a zombie, or a pid that is gone, is not). */
export function isLive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z';
}

/** Live processes other than this one for which `keep` holds. */
function scan(keep: (pid: number, ppid: number) => boolean): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const s = stat(entry);
    if (s && s.state !== 'Z' && keep(Number(entry), s.ppid)) out.push(Number(entry));
  }
  return out;
}

/** Asks `find` again until it finds nothing or `graceMs` has passed (exits may be in flight); returns its last answer. */
async function settle(find: () => number[], graceMs: number, stepMs: number): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const found = find();
    if (found.length === 0 || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Pids of this process's live children (zombies excluded), after a short grace for exits in flight. */
export function childPids(pid = process.pid, graceMs = 1500): Promise<number[]> {
  return settle(() => scan((_child, ppid) => ppid === pid), graceMs, 50);
}

/** How many OS threads this process has now. */
export function threadCount(pid = process.pid): number {
  return fs.readdirSync(`/proc/${pid}/task`).length;
}

/** A fresh marker for the environment of what a test starts; every descendant inherits it. */
export function newTag(): { CLAB_TEST_TAG: string } {
  return { CLAB_TEST_TAG: `t${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` };
}

/** Live processes (zombies excluded) whose environment carries `tag`, after a grace period for exits in flight. */
export function tagged(tag: { CLAB_TEST_TAG: string }, graceMs = 3000): Promise<number[]> {
  const needle = `CLAB_TEST_TAG=${tag.CLAB_TEST_TAG}\0`;
  const carries = (pid: number) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').includes(needle);
    } catch {
      return false; // gone while we looked
    }
  };
  return settle(() => scan(carries), graceMs, 100);
}

/** The built command line, `lib/dist/cli.js`. */
export const CLI = path.join(__dirname, '..', '..', 'lib', 'dist', 'cli.js');

/** Runs the command line with `args` in `cwd`, as a user would, with `env` over this process's environment. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
}

/** The command line running in the background: its output so far, its exit code, and a wait on its progress. */
export interface RunningCli {
  child: ChildProcessByStdio<null, Readable, Readable>;
  output: { stdout: string; stderr: string };
  exited: Promise<number | null>;
  /** Resolves once its standard error holds `text` (a progress line, say). */
  stderrHas: (text: string) => Promise<void>;
}

/** Starts the command line with `args` in `cwd`, with `env` over this process's environment, collecting its output. */
export function startCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stderrHas = (text: string) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!output.stderr.includes(text)) return;
        child.stderr.off('data', check);
        resolve();
      };
      child.stderr.on('data', check); // after the collector above, so the chunk is already in
      check();
    });
  return { child, output, exited, stderrHas };
}
