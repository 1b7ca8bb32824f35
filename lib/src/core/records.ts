/** The plain records every measurement produces and every chart reads. */

/** The built-in execution modes, in the order the notebooks present them (and `compare`'s default). */
export const MODES = ['sequential', 'async', 'threads', 'processes'] as const;

/** Modes that concepts add: declared here by declaration merging, registered with `registerMode` when loaded. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface RegisteredModes {}

/** One execution mode: a built-in one or a registered one. */
export type Mode = (typeof MODES)[number] | Extract<keyof RegisteredModes, string>;

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

/** A run's task records, stored by column (about 30 bytes a task): `for (const t of run.tasks)`, `.at(i)`, `.failed()`. */
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

  set(r: TaskRecord): void {
    const i = r.index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new Error(`task index ${i} is outside 0..${this.length - 1}`);
    [this.starts[i], this.ends[i], this.pids[i], this.threads[i]] = [r.start, r.end, r.pid, r.threadId];
    this.state[i] = r.ok ? 1 : 2;
    if (r.ok) this.errors.delete(i);
    else this.errors.set(i, r.error ?? 'failed');
    if (r.host !== undefined) this.hosts.set(i, r.host);
  }

  at(i: number): TaskRecord {
    const [pid, threadId, start, end] = [this.pids[i]!, this.threads[i]!, this.starts[i]!, this.ends[i]!];
    const record: TaskRecord = { index: i, pid, threadId, start, end, ok: this.state[i] === 1 };
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

  toJSON(): TaskRecord[] {
    return [...this];
  }
}

/** What one pass over the inputs produced: a record and a result per task, and what the mode adds. */
export interface Batch {
  tasks: Tasks;
  /** Each task's result, by input index (undefined where the task failed). */
  results: unknown[];
  /** What the mode, the peer or the watcher adds: lock holds, job times, the event loop's delays. */
  detail?: Record<string, unknown>;
}

/** A whole pass, timed on the shared clock (epoch ms): what a peer's run returns. */
export interface PeerRun extends Batch {
  start: number;
  end: number;
  wallMs: number;
}

/** What a comparison measured in one row: a mode run one way, or a peer. */
export interface Row {
  /** Its name on charts and tables: 'threads (2)', 'Python ProcessPoolExecutor(10)'. */
  label: string;
  /** The mode, or for a peer the mode it does the same as (its colour, its ideal speedup). */
  mode: Mode;
  /** 'node' for the modes; a peer's origin ('python', ...). */
  origin: string;
  /** Pool size (1 for sequential and async, which run on the calling thread). */
  workers: number;
  tasks: number;
  /** Pool start-up: measured apart for the modes; for a row timed with it, the median inside its times. */
  startupMs: number;
  /** True when its times include starting the pool (end-to-end and peer runs). */
  startupIncluded: boolean;
  /** The row its speedup is read against: given, else a one-worker row of its origin and mode, else its origin's sequential row. */
  baseline?: string;
}

/** One pass over every input by one row of a comparison. */
export interface Run extends PeerRun, Pick<Row, 'label' | 'mode' | 'origin' | 'workers'> {
  /** The cores CPU work could use on the machine it ran on (the environment's `cores`), which every chart states. */
  cores: number;
  /** Which of its row's runs this was (0-based); warm-up passes are not kept. */
  repeat: number;
  /** For a row timed with its pool's start-up: how long the pool took to get going, inside wallMs. */
  startupMs?: number;
}

/** The machine and software a measurement ran on. */
export interface Environment {
  /** The cores CPU work can use: physical cores this process may run on, capped by a CPU quota. Every ideal uses it. */
  cores: number;
  /** Logical CPUs this process may run on (SMT siblings count twice), and the physical cores among them. */
  logicalCpus: number;
  physicalCores: number;
  /** CPUs' worth of time a cgroup quota allows (cpu.max), when there is one. */
  quota?: number;
  cpuModel: string;
  node: string;
  platform: string;
  date: string;
}
