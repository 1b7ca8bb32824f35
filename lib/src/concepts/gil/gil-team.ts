/**
 * A team of worker threads that share one simulated global lock. The team runs a list of
 * tasks on its first `threads` threads, with the lock on (a GIL) or off (free-threaded),
 * and returns one record per task plus the lock's hand-offs. Threads that die are cleaned
 * up after (their lock released) and replaced before the next run.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { now } from '../../core/clock';
import { cores } from '../../core/environment';
import { InterruptedError, messageOf, ParameterError } from '../../core/errors';
import type { Run, TaskRecord } from '../../core/records';
import { onInterrupt, track } from '../../core/teardown';
import * as check from '../../core/validate';
import {
  CELL,
  createLockCells,
  DEFAULT_SWITCH_INTERVAL_MS,
  readLock,
  releaseDeadThread,
  resetCounters,
} from './gil-lock';
import type { LockState } from './gil-lock';
import { checkTask, type GilTask } from './tasks';
import { calibrate } from './work';
import type { DoneMessage, GilWorkerData, TaskMessage } from './gil-thread';

const WORKER_SCRIPT = path.join(__dirname, 'gil-thread.js');

/** Most threads a team may have. */
export const MAX_GIL_THREADS = 64;

/** Options of one run of a team. */
export interface GilRunOptions {
  /** The global lock on (true, like CPython with its GIL) or off (false, like free-threaded CPython). */
  gil: boolean;
  /** How long a waiting thread lets the holder run before asking for the lock, in ms (default 5, sys.getswitchinterval()). */
  switchIntervalMs?: number;
  /** Threads to use, the team's first ones (default: all). */
  threads?: number;
  /** Which repeat this is, for the record (default 0). */
  repeat?: number;
}

/** One interval a thread held the lock. */
export interface Hold {
  threadId: number;
  start: number;
  end: number;
}

/** A run under the simulated GIL: the usual run record plus what the lock did. */
export interface GilRun extends Run {
  gil: boolean;
  switchIntervalMs: number;
  /** Times the lock passed from one thread to another. */
  switches: number;
  /** Times a holder was asked to drop the lock and did (the switch interval at work). */
  forcedDrops: number;
  acquisitions: number;
  /** The shared counter after the run (tasks with `count` steps add to it). */
  counter: number;
  /** Summed over threads: time waiting for the lock, and time holding it. */
  waitedMs: number;
  heldMs: number;
  holds: Hold[];
}

interface Slot {
  id: number;
  worker: Worker;
  threadId: number;
  alive: boolean;
  /** The task in flight, and when it was sent. */
  task?: { index: number; sentAt: number };
  onDone?: (message: DoneMessage) => void;
  onDeath?: (error: string) => void;
  lastError?: string;
}

/** Checks a switch interval: a number of ms > 0. */
export function checkSwitchInterval(value: unknown, name = 'switchIntervalMs'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 60_000) {
    throw new ParameterError(name, 'a number of ms > 0 (and at most 60000)', value);
  }
  return value;
}

/** Worker threads sharing one simulated global lock. Start with `GilTeam.start(threads)`; always `close()`. */
export class GilTeam {
  readonly cells: Int32Array;
  /** ms from the call to `start` until every thread was ready. */
  startupMs = 0;
  private readonly slots: Slot[] = [];
  private readonly release: () => void;
  private closed = false;

  private constructor(
    readonly size: number,
    /** Units of `spin` work per ms on this machine, measured once when the team starts. */
    readonly unitsPerMs: number,
  ) {
    this.cells = createLockCells(size);
    this.release = track(this);
  }

  /** Starts `threads` worker threads and waits until each is ready. */
  static async start(threads: number): Promise<GilTeam> {
    check.integer('threads', threads, 1, MAX_GIL_THREADS);
    const t0 = now();
    const team = new GilTeam(threads, calibrate());
    // An interrupt during start-up ends the threads being started: say it was the interrupt.
    let interrupted: string | undefined;
    const unsubscribe = onInterrupt((reason) => (interrupted = reason));
    try {
      await Promise.all(Array.from({ length: threads }, (_, i) => team.spawn(i + 1)));
    } catch (error) {
      await team.close();
      throw interrupted === undefined ? error : new InterruptedError(interrupted);
    } finally {
      unsubscribe();
    }
    team.startupMs = now() - t0;
    return team;
  }

  private spawn(id: number): Promise<void> {
    const data: GilWorkerData = { cells: this.cells, id, unitsPerMs: this.unitsPerMs };
    const worker = new Worker(WORKER_SCRIPT, { workerData: data });
    const slot: Slot = { id, worker, threadId: worker.threadId, alive: true };
    this.slots[id - 1] = slot;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: DoneMessage | { type: 'ready' }) => {
        if (m.type === 'ready') resolve();
        else slot.onDone?.(m);
      });
      worker.on('error', (error) => (slot.lastError = messageOf(error)));
      worker.on('exit', (code) => {
        slot.alive = false;
        // The thread is gone: whatever it held or waited for is given back.
        releaseDeadThread(this.cells, id);
        const why = `worker thread ${slot.threadId} exited (code ${code})${slot.lastError ? `: ${slot.lastError}` : ''}`;
        reject(new Error(why));
        slot.onDeath?.(why);
      });
    });
  }

  /** The lock's state right now (for tests and diagnostics). */
  lockState(): LockState {
    return readLock(this.cells, this.size);
  }

  /** Runs every task on the first `threads` threads (each takes the next task when free). */
  async run(tasks: readonly GilTask[], options: GilRunOptions): Promise<GilRun> {
    if (this.closed) throw new Error('this GilTeam is closed');
    const steps = check.nonEmptyList<unknown>('tasks', tasks).map((t, i) => checkTask(`tasks[${i}]`, t));
    const gil = !!options.gil;
    const switchIntervalMs = checkSwitchInterval(options.switchIntervalMs ?? DEFAULT_SWITCH_INTERVAL_MS);
    const threads = check.integer('threads', options.threads ?? this.size, 1, this.size);
    // Replace threads that died in an earlier run, then take the first `threads`.
    await Promise.all(this.slots.slice(0, threads).flatMap((s) => (s.alive ? [] : [this.spawn(s.id)])));
    const used = this.slots.slice(0, threads);
    resetCounters(this.cells);
    Atomics.store(this.cells, CELL.enabled, gil ? 1 : 0);
    Atomics.store(this.cells, CELL.intervalUs, Math.max(1, Math.round(switchIntervalMs * 1000)));

    const records: TaskRecord[] = new Array(steps.length);
    const results: unknown[] = new Array(steps.length).fill(undefined);
    const holds: Hold[] = [];
    let waitedMs = 0;
    let heldMs = 0;
    let next = 0;
    let done = 0;
    const start = now();
    await new Promise<void>((resolve, reject) => {
      const unsubscribe = onInterrupt((reason) => finish(new InterruptedError(reason)));
      const finish = (error?: Error) => {
        unsubscribe();
        for (const s of used) s.onDone = s.onDeath = undefined;
        if (error) reject(error);
        else resolve();
      };
      const settle = (index: number, record: TaskRecord) => {
        records[index] = record;
        if (++done === steps.length) finish();
      };
      const feed = (slot: Slot) => {
        if (next >= steps.length) return;
        const index = next++;
        slot.task = { index, sentAt: now() };
        const message: TaskMessage = { type: 'task', index, steps: steps[index]!, gil };
        slot.worker.postMessage(message);
      };
      const failRest = (why: string) => {
        while (next < steps.length) {
          const t = now();
          settle(next++, { index: next - 1, pid: -1, threadId: -1, start: t, end: t, ok: false, error: why });
        }
      };
      for (const slot of used) {
        slot.onDone = (m) => {
          slot.task = undefined;
          waitedMs += m.waitedMs;
          heldMs += m.heldMs;
          for (const [s, e] of m.holds) holds.push({ threadId: m.threadId, start: s, end: e });
          const record: TaskRecord = {
            index: m.index,
            pid: m.pid,
            threadId: m.threadId,
            start: m.start,
            end: m.end,
            ok: m.ok,
          };
          if (m.error !== undefined) record.error = m.error;
          results[m.index] = m.ok ? m.value : undefined;
          feed(slot);
          settle(m.index, record);
        };
        slot.onDeath = (why) => {
          const task = slot.task;
          slot.task = undefined;
          if (task) {
            const record: TaskRecord = {
              index: task.index,
              pid: -1,
              threadId: -1,
              start: task.sentAt,
              end: now(),
              ok: false,
              error: why,
            };
            settle(task.index, record);
          }
          if (used.every((s) => !s.alive)) failRest(`no thread left to run the task (${why})`);
        };
      }
      for (const slot of used) feed(slot);
    });
    const end = now();
    const lock = this.lockState();
    return {
      mode: threads === 1 ? 'sequential' : 'threads',
      workers: threads,
      cores: cores(),
      repeat: options.repeat ?? 0,
      start,
      end,
      wallMs: end - start,
      tasks: records,
      results,
      gil,
      switchIntervalMs,
      switches: lock.switches,
      forcedDrops: lock.forcedDrops,
      acquisitions: lock.acquisitions,
      counter: lock.counter,
      waitedMs,
      heldMs,
      holds: holds.sort((a, b) => a.start - b.start),
    };
  }

  /** Ends every thread (at once: no task can be in flight outside `run`). Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.release();
    await Promise.allSettled(this.slots.filter((s) => s.alive).map((s) => s.worker.terminate()));
    for (let id = 1; id <= this.size; id++) releaseDeadThread(this.cells, id);
  }
}
