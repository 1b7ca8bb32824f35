/** The plain records every measurement produces and every chart reads. */
import type { Mode } from './modes';

/** One task as it ran: where, when (epoch ms on the shared clock), and how it ended. */
export interface TaskRecord {
  index: number;
  pid: number;
  threadId: number;
  start: number;
  end: number;
  ok: boolean;
  error?: string;
  /** The machine it ran on, where tasks can cross machines (the queue mode); absent means this one. */
  host?: string;
  /** Queue mode: when the job was put on the queue (shared clock). */
  enqueued?: number;
  /** Queue mode: when a worker took the job off the queue (its clock, put on the shared one). */
  started?: number;
  /** Queue mode: when the broker recorded the job as finished (its clock, put on the shared one). */
  finished?: number;
  /** Queue mode: how many times a worker started the job (2 when it was handed on after its worker died). */
  attempts?: number;
}

/** A task's record and the value it returned (undefined when it failed), as every mode yields it. */
export interface TaskResult {
  record: TaskRecord;
  value: unknown;
}

/** One pass over every input in one mode (or by a peer: see core/peers.ts). */
export interface Run {
  /** The mode, or for a peer's run the mode it does the same as. */
  mode: Mode;
  /** A peer's label, e.g. 'Python ProcessPoolExecutor(10)' (absent for the modes' own runs). */
  label?: string;
  /** A peer's origin: 'python', or 'node' for a Node pool timed from its creation to its close. */
  origin?: string;
  /** For a peer's run: how long its pool took to get going, included in wallMs (see observedStartupMs). */
  startupMs?: number;
  /** Pool size (1 for sequential and async, which run on the calling thread). */
  workers: number;
  /** Cores of the machine it ran on (the environment's count), which every chart states. */
  cores: number;
  /** Which repeat this was (0-based); warm-up passes are not kept. */
  repeat: number;
  /** Start and end of the whole pass, on the shared clock. */
  start: number;
  end: number;
  wallMs: number;
  tasks: TaskRecord[];
  /** Each task's result, by input index (undefined where the task failed). */
  results: unknown[];
}

/** The machine and software a measurement ran on. */
export interface Environment {
  cores: number;
  cpuModel: string;
  node: string;
  platform: string;
  date: string;
}
