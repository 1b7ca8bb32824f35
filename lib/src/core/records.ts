/** The plain records every measurement produces and every chart reads. */

/** The built-in execution modes, in the order the notebooks present them (and `compare`'s default). */
export const MODES = ['sequential', 'async', 'threads', 'processes'] as const;

/** A built-in mode. */
export type BuiltinMode = (typeof MODES)[number];

/**
 * Modes that concepts add, by name: a concept declares its mode here by declaration merging
 * (`declare module '../../core/records' { interface RegisteredModes { queue: true } }`) and
 * registers it with `registerMode` when it is loaded, so the core never imports a concept.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface RegisteredModes {}

/** One execution mode: a built-in one or a registered one. */
export type Mode = BuiltinMode | Extract<keyof RegisteredModes, string>;

/** One task as it ran: where, when (epoch ms on the shared clock), and how it ended. */
export interface TaskRecord {
  index: number;
  pid: number;
  threadId: number;
  start: number;
  end: number;
  ok: boolean;
  error?: string;
  /** The machine it ran on, where tasks can cross machines; absent means this one. */
  host?: string;
}

/** A task's record and the value it returned (undefined when it failed), as every mode yields it. */
export interface TaskResult {
  record: TaskRecord;
  value: unknown;
  /** What a mode's worker adds about this task (the lock holds of a simulated GIL), for the run's `detail`. */
  extra?: unknown;
}

/**
 * A run's task records, stored by column (about 30 bytes a task, against several times that
 * for an object each), so that a run of 100,000 tasks stays small. Read it as records:
 * `for (const t of run.tasks)`, `run.tasks.at(i)`, `run.tasks.failed()`.
 */
export class Tasks implements Iterable<TaskRecord> {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly pids: Int32Array;
  private readonly threads: Float64Array;
  /** 0: not recorded, 1: ok, 2: failed. */
  private readonly state: Uint8Array;
  private readonly errors = new Map<number, string>();
  private readonly hosts = new Map<number, string>();

  constructor(readonly length: number) {
    this.starts = new Float64Array(length);
    this.ends = new Float64Array(length);
    this.pids = new Int32Array(length);
    this.threads = new Float64Array(length);
    this.state = new Uint8Array(length);
  }

  /** A table of these records (each at its own index). */
  static of(records: Iterable<TaskRecord>, length?: number): Tasks {
    const list = [...records];
    const tasks = new Tasks(length ?? list.length);
    for (const r of list) tasks.set(r);
    return tasks;
  }

  /** Stores a record at its index. */
  set(r: TaskRecord): void {
    const i = r.index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new Error(`task index ${i} is outside 0..${this.length - 1}`);
    this.starts[i] = r.start;
    this.ends[i] = r.end;
    this.pids[i] = r.pid;
    this.threads[i] = r.threadId;
    this.state[i] = r.ok ? 1 : 2;
    if (r.ok) this.errors.delete(i);
    else this.errors.set(i, r.error ?? 'failed');
    if (r.host !== undefined) this.hosts.set(i, r.host);
  }

  /** The record of task `i`. */
  at(i: number): TaskRecord {
    const record: TaskRecord = {
      index: i,
      pid: this.pids[i]!,
      threadId: this.threads[i]!,
      start: this.starts[i]!,
      end: this.ends[i]!,
      ok: this.state[i] === 1,
    };
    if (this.state[i] !== 1) record.error = this.errors.get(i) ?? 'not recorded';
    const host = this.hosts.get(i);
    if (host !== undefined) record.host = host;
    return record;
  }

  *[Symbol.iterator](): Iterator<TaskRecord> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  /** The failed tasks, in index order. */
  failed(): TaskRecord[] {
    const out: TaskRecord[] = [];
    for (let i = 0; i < this.length; i++) if (this.state[i] !== 1) out.push(this.at(i));
    return out;
  }

  /** The earliest start and the latest end. */
  span(): { start: number; end: number } {
    let start = Infinity;
    let end = -Infinity;
    for (let i = 0; i < this.length; i++) {
      start = Math.min(start, this.starts[i]!);
      end = Math.max(end, this.ends[i]!);
    }
    return { start, end };
  }

  /** Every record, as JSON writes it. */
  toJSON(): TaskRecord[] {
    return [...this];
  }
}

/** One pass over every input by one row of a comparison: a mode run one way, or a peer. */
export interface Run {
  /** The row's name: 'threads (2)', 'Python ProcessPoolExecutor(10)', 'threads + global lock'. */
  label: string;
  /** The mode, or for a peer's run the mode it does the same as. */
  mode: Mode;
  /** Who ran it: 'node' for this library's modes, 'python' for the course's programs. */
  origin: string;
  /** Pool size (1 for sequential and async, which run on the calling thread). */
  workers: number;
  /** The cores CPU work could use on the machine it ran on (the environment's `cores`), which every chart states. */
  cores: number;
  /** Which of its row's runs this was (0-based); warm-up passes are not kept. */
  repeat: number;
  /** Start and end of the whole pass, on the shared clock. */
  start: number;
  end: number;
  wallMs: number;
  /** For a row timed with its pool's start-up: how long the pool took to get going, inside wallMs. */
  startupMs?: number;
  tasks: Tasks;
  /** Each task's result, by input index (undefined where the task failed). */
  results: unknown[];
  /** What the mode or the watcher adds to the run: lock holds, job times, the event loop's delays. */
  detail?: Record<string, unknown>;
}

/** The machine and software a measurement ran on. */
export interface Environment {
  /** The cores CPU work can use: physical cores this process may run on, capped by a CPU quota. Every ideal uses it. */
  cores: number;
  /** Logical CPUs this process may run on (os.availableParallelism: SMT siblings count twice). */
  logicalCpus: number;
  /** Physical cores among them. */
  physicalCores: number;
  /** CPUs' worth of time a cgroup quota allows (cpu.max), when there is one. */
  quota?: number;
  cpuModel: string;
  node: string;
  platform: string;
  date: string;
}
