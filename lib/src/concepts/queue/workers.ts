/**
 * The local workers of a queue run: worker processes (queue-worker.ts) started, replaced when
 * one dies (as a pool replaces its workers; BullMQ hands the job it held to another worker
 * once its lock runs out), resized between runs, and stopped after their current job or at once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { now } from '../../core/clock';
import { messageOf } from '../../core/errors';
import type { ClockOffset } from './clock';
import { CHILD_OPTIONS_ENV, type ChildOptions, type WorkerEvent } from './queue-worker';

const WORKER_SCRIPT = path.join(__dirname, 'queue-worker.js');
const WORKER_START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 2000;

/** A local worker process of the run. */
export interface QueueWorkerProcess {
  pid: number;
  host: string;
  /** Its clock against the broker's. */
  clock: ClockOffset;
  /** The job it is running now, if any: its id, task index, and since when (this process's clock). */
  busy?: { jobId: string; index: number; since: number };
}

interface Child extends QueueWorkerProcess {
  process: ChildProcess;
  /** Set when we asked it to stop: its exit is not a death to replace. */
  leaving?: boolean;
}

type Message =
  | WorkerEvent
  | { type: 'ready'; pid: number; host: string; offsetMs: number; rttMs: number }
  | { type: 'failed'; message: string };

/** Starts, replaces and stops the local worker processes of one queue run. */
export class WorkerSupervisor {
  private readonly children = new Map<number, Child>();
  private readonly starting = new Set<ChildProcess>();
  private closing = false;

  /** `onFailure` hears why a replacement could not start (the run then fails). */
  constructor(
    private readonly options: ChildOptions,
    private readonly onFailure: (error: Error) => void,
  ) {}

  /** The local worker processes now (pid, host, clock, and the job each is running). */
  processes(): QueueWorkerProcess[] {
    return [...this.children.values()].map(({ pid, host, clock, busy }) => ({ pid, host, clock, busy }));
  }

  get size(): number {
    return this.children.size;
  }

  /** A job has ended: the worker that held it is free. */
  free(jobId: string): void {
    for (const child of this.children.values()) if (child.busy?.jobId === jobId) child.busy = undefined;
  }

  /** Grows or shrinks to `workers`: new ones join the queue, extra ones leave after their current job. */
  async resize(workers: number): Promise<void> {
    const extra = [...this.children.values()].slice(workers);
    await Promise.all(extra.map((child) => this.stop(child, false)));
    const missing = workers - this.children.size;
    if (missing > 0) await Promise.all(Array.from({ length: missing }, () => this.spawn()));
  }

  /** Stops one worker: after its current job, or at once when `hard`. */
  private async stop(child: Child, hard: boolean): Promise<void> {
    const proc = child.process;
    this.children.delete(child.pid);
    child.leaving = true;
    const exited = new Promise<void>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) resolve();
      else proc.once('exit', () => resolve());
    });
    try {
      if (proc.connected) proc.send(hard ? 'kill' : 'stop');
      else proc.kill('SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
    const timer = setTimeout(() => proc.kill('SIGKILL'), hard ? 500 : STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  /** Stops every worker (after its current job unless `hard`), also those still starting. */
  async close(hard: boolean): Promise<void> {
    this.closing = true;
    for (const proc of this.starting) proc.kill('SIGKILL');
    await Promise.all([...this.children.values()].map((child) => this.stop(child, hard)));
    this.children.clear();
  }

  /** Starts one worker process and resolves when it has joined the queue. */
  spawn(): Promise<Child> {
    const proc = fork(WORKER_SCRIPT, [], {
      env: { ...process.env, [CHILD_OPTIONS_ENV]: JSON.stringify(this.options) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    // Until it has joined, it is only here: a close in the meantime must stop it too.
    this.starting.add(proc);
    proc.once('exit', () => this.starting.delete(proc));
    let stderr = '';
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    return new Promise<Child>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`a queue worker did not join within ${WORKER_START_TIMEOUT_MS / 1000} s`));
      }, WORKER_START_TIMEOUT_MS);
      let child: Child | undefined;
      proc.on('message', (m: Message) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          this.starting.delete(proc);
          child = { pid: m.pid, host: m.host, clock: { offsetMs: m.offsetMs, rttMs: m.rttMs }, process: proc };
          if (this.closing) {
            proc.kill('SIGKILL');
            reject(new Error('the queue run was closed while a worker started'));
            return;
          }
          this.children.set(m.pid, child);
          resolve(child);
        } else if (m.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`a queue worker could not start: ${m.message}`));
        } else if (child && m.type === 'active') {
          child.busy = { jobId: m.jobId, index: m.index, since: now() };
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        if (!child) {
          const last = stderr.trim().split('\n').pop();
          reject(
            new Error(
              `a queue worker exited while starting (${signal ?? `exit code ${code}`})${last ? `: ${last}` : ''}`,
            ),
          );
          return;
        }
        this.children.delete(child.pid);
        if (child.leaving || this.closing) return;
        this.spawn().catch((error: unknown) =>
          this.onFailure(new Error(`replacing a queue worker failed: ${messageOf(error)}`)),
        );
      });
    });
  }
}
