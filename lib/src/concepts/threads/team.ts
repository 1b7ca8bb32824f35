/** A few worker threads running one script (threads/worker.js by default), with a message queue per worker. */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InterruptedError } from '../../core/errors';
import { track } from '../../core/teardown';
import type { Command as ThreadCommand } from './team-thread';

const WORKER_SCRIPT = path.join(__dirname, 'team-thread.js');

/** `size` worker threads; `ask` sends a command to one and resolves with its next answer. */
export class Team<Command = ThreadCommand> {
  private readonly workers: Worker[];
  private readonly inbox: any[][];
  private readonly waiting: { resolve: (message: any) => void; reject: (error: Error) => void }[][];
  private readonly release: () => void;
  private failure: Error | undefined;

  constructor(
    readonly size: number,
    script = WORKER_SCRIPT,
  ) {
    this.workers = Array.from({ length: size }, () => new Worker(script));
    this.inbox = this.workers.map(() => []);
    this.waiting = this.workers.map(() => []);
    this.workers.forEach((w, i) => {
      w.on('message', (m) => {
        const next = this.waiting[i]!.shift();
        if (next) next.resolve(m);
        else this.inbox[i]!.push(m);
      });
      const fail = (error: Error) => {
        this.failure ??= error;
        for (const waiter of this.waiting[i]!.splice(0)) waiter.reject(this.failure);
      };
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`worker thread ${w.threadId} exited (code ${code})`)));
    });
    this.release = track(this);
  }

  /** Sends a command to worker `i` (transferring `transfer`). */
  post(i: number, command: Command, transfer: ArrayBuffer[] = []): void {
    if (this.failure) throw this.failure;
    this.workers[i]!.postMessage(command, transfer);
  }

  /** Worker `i`'s next answer. */
  next(i: number): Promise<any> {
    if (this.failure) return Promise.reject(this.failure);
    const queued = this.inbox[i]!.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => this.waiting[i]!.push({ resolve, reject }));
  }

  /** Sends a command to worker `i` and resolves with its answer. */
  ask(i: number, command: Command, transfer: ArrayBuffer[] = []): Promise<any> {
    this.post(i, command, transfer);
    return this.next(i);
  }

  /** Ends every worker. */
  async close(): Promise<void> {
    this.release();
    this.failure ??= new InterruptedError('its worker threads were closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Runs `body` with a team of `size` workers, and ends them whatever happens. */
export async function withTeam<T, C = ThreadCommand>(
  size: number,
  body: (team: Team<C>) => Promise<T>,
  script = WORKER_SCRIPT,
): Promise<T> {
  const team = new Team<C>(size, script);
  try {
    return await body(team);
  } finally {
    await team.close();
  }
}
