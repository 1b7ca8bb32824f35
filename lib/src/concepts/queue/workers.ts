/**
 * The local worker processes of a queue run (queue-worker.ts): started, replaced when one dies
 * (BullMQ hands the job it held to another once its lock runs out), stopped after their job or at once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { now } from '../../core/clock';
import { messageOf } from '../../core/errors';
import { stopChild } from './children';
import type { ClockOffset } from './clock';
import { CHILD_OPTIONS_ENV, type ChildOptions, type WorkerEvent } from './queue-worker';

const WORKER_START_TIMEOUT_MS = 30_000;

/** A local worker process: its clock against the broker's, and the job it is running now, if any, since when (this clock). */
type QueueWorkerProcess = {
  pid: number;
  host: string;
  clock: ClockOffset;
  busy?: { jobId: string; index: number; since: number };
};

type Message =
  | WorkerEvent
  | { type: 'ready'; pid: number; host: string; offsetMs: number; rttMs: number }
  | { type: 'failed'; message: string };

export class WorkerSupervisor {
  private readonly children = new Map<ChildProcess, QueueWorkerProcess>();
  /** Started and not yet joined: a close in the meantime must stop them too. */
  private readonly starting = new Set<ChildProcess>();
  private closing = false;
  /** The job each worker process (by pid) started last, kept after it exits. */
  readonly lastJobs = new Map<number, { jobId: string; index: number }>();

  /** `onFailure` hears why a replacement could not start (the run then fails). */
  constructor(
    private readonly options: ChildOptions,
    private readonly onFailure: (error: Error) => void,
  ) {}

  processes(): QueueWorkerProcess[] {
    return [...this.children.values()].map((child) => ({ ...child }));
  }

  /** A job has ended: the worker that held it is free. */
  free(jobId: string): void {
    for (const child of this.children.values()) if (child.busy?.jobId === jobId) child.busy = undefined;
  }

  /** Starts `workers` worker processes and resolves when each has joined the queue. */
  async start(workers: number): Promise<void> {
    await Promise.all(Array.from({ length: workers }, () => this.spawn()));
  }

  /** Stops every worker (after its current job unless `hard`), also those still starting. */
  async close(hard: boolean): Promise<void> {
    this.closing = true;
    for (const proc of this.starting) proc.kill('SIGKILL');
    const ask = (proc: ChildProcess) => () =>
      proc.connected ? proc.send(hard ? 'kill' : 'stop') : proc.kill('SIGKILL');
    await Promise.all([...this.children.keys()].map((proc) => stopChild(proc, ask(proc), hard ? 500 : 2000)));
    this.children.clear();
  }

  private spawn(): Promise<void> {
    const proc = fork(path.join(__dirname, 'queue-worker.js'), [], {
      env: { ...process.env, [CHILD_OPTIONS_ENV]: JSON.stringify(this.options) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.starting.add(proc);
    let stderr = '';
    proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`a queue worker did not join within ${WORKER_START_TIMEOUT_MS / 1000} s`));
      }, WORKER_START_TIMEOUT_MS);
      let child: QueueWorkerProcess | undefined;
      proc.on('message', (m: Message) => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          this.starting.delete(proc);
          if (this.closing) {
            proc.kill('SIGKILL');
            return reject(new Error('the queue run was closed while a worker started'));
          }
          child = { pid: m.pid, host: m.host, clock: { offsetMs: m.offsetMs, rttMs: m.rttMs } };
          this.children.set(proc, child);
          resolve();
        } else if (m.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`a queue worker could not start: ${m.message}`));
        } else if (child && m.type === 'active') {
          child.busy = { jobId: m.jobId, index: m.index, since: now() };
          this.lastJobs.set(child.pid, { jobId: m.jobId, index: m.index });
        } else if (child && m.type === 'done' && child.busy?.jobId === m.jobId) {
          child.busy = undefined; // before its next 'active': one child's messages arrive in order
        }
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.starting.delete(proc);
        if (!child) {
          const last = stderr.trim().split('\n').pop();
          const how = signal ?? `exit code ${code}`;
          return reject(new Error(`a queue worker exited while starting (${how})${last ? `: ${last}` : ''}`));
        }
        this.children.delete(proc);
        if (this.closing) return;
        this.spawn().catch((error: unknown) =>
          this.onFailure(new Error(`replacing a queue worker failed: ${messageOf(error)}`)),
        );
      });
    });
  }
}
