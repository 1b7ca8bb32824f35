/**
 * Measurement, the one engine of the library: run a workload over its inputs in several
 * modes (and peers beside them), after a warm-up, in turns, as many times as the run rule
 * asks, and keep a record of every task. Every concept measures through `compare` or `sweep`.
 */
import { now } from './clock';
import { environment } from './environment';
import { InterruptedError, messageOf, ParameterError } from './errors';
import type { Executor, ExecutorOptions } from './executor';
import { createExecutor, isPoolMode, modeNames, registeredMode } from './modes';
import { endToEndPeer } from './pool';
import { observedStartupMs, type Peer, type PeerRun, type SkippedPeer } from './peers';
import { MODES, Tasks, type Environment, type Mode, type Run } from './records';
import { cellProgress } from './progress';
import { checkRuns, takeTurns, type Progress, type Slot } from './rounds';
import { median } from './stats';
import * as check from './validate';
import { resolveWorkload, type ModuleWorkload, type ResolvedWorkload, type WorkloadFn } from './workload';

/** One row of a comparison, when a mode alone does not say it: a mode run a certain way. */
export interface Entry {
  mode: Mode;
  /** Its name on charts and tables (default: the mode, with the pool size for pool modes: 'threads (2)'). */
  label?: string;
  /** Pool size (default: compare's `workers`; 1 for sequential and async). */
  workers?: number;
  /** Its own workload or inputs (default: compare's). */
  workload?: string | WorkloadFn | ModuleWorkload;
  inputs?: readonly unknown[];
  /** The mode's options for this row (default: compare's `modeOptions[mode]`), e.g. `{ lock: false }`. */
  options?: unknown;
  /** The row it is set against, by label; null for none (default: see `Row.baseline`). */
  baseline?: string | null;
  /** The inputs of each untimed warm-up pass (default: one per worker, the first). */
  warmInputs?: readonly unknown[];
}

/** What a comparison measured in one row: a mode run one way, or a peer. */
export interface Row {
  label: string;
  mode: Mode;
  /** 'node' for the modes; a peer's origin ('python', ...). */
  origin: string;
  workers: number;
  tasks: number;
  /** Pool start-up: measured apart for the modes; for a row timed end to end, the median inside its times. */
  startupMs: number;
  /** True when its times include starting the pool (end-to-end and peer runs). */
  startupIncluded: boolean;
  /**
   * The row its speedup is read against: given, else a one-worker row of the same origin
   * and mode (like for like: same kind of worker, same heap, same start-up accounting), else
   * its origin's sequential row.
   */
  baseline?: string;
}

/** What watches a run: stopped after it, saying what it saw. */
export interface Watcher {
  stop(): unknown;
}

/** Options shared by `compare` and `sweep`. */
export interface MeasureOptions {
  /** A registered workload name ('cpu', 'sleep', 'spin'), a self-contained function of one input, or `defineWorkload(...)`. */
  workload?: string | WorkloadFn | ModuleWorkload;
  /** One task per input. */
  inputs?: readonly unknown[];
  /**
   * Timed passes per row, a fixed count. Without it the count adapts per row, as hyperfine's
   * does: at least `minRuns`, then more until the row has run for `budgetMs` (and, while its
   * runs vary by more than 10%, up to three budgets), at most `maxRuns`.
   */
  repeats?: number;
  /** Adaptive runs: the fewest timed passes per row (default 2). */
  minRuns?: number;
  /** Adaptive runs: the time per row, in ms, worth spending on passes after the first `minRuns` (default 3000). */
  budgetMs?: number;
  /** Adaptive runs: the most timed passes per row (default 50). */
  maxRuns?: number;
  /** Untimed passes per row before timing, each one task per worker (default 1). */
  warmup?: number;
  /** Parameters to store with the result (for the record only). */
  params?: Record<string, unknown>;
  /** Called after every task. */
  onProgress?: (progress: Progress) => void;
  /** Fail any task that runs longer than this many ms (default: no limit). */
  timeoutMs?: number;
  /** Heap limit in MB of each pool worker (default: Node's own). */
  memoryLimitMb?: number;
  /** Options of the modes that concepts add, keyed by mode name, e.g. `{ queue: { broker } }`. */
  modeOptions?: Partial<Record<string, unknown>>;
  /**
   * Started before each timed run of a row (the run starts once it has resolved) and stopped
   * after it: what `stop` returns is the run's `detail.watch`.
   */
  watch?: (row: Row) => Watcher | undefined | Promise<Watcher | undefined>;
}

/** Options of `compare`. */
export interface CompareOptions extends MeasureOptions {
  /** Rows to run: modes or entries (default the four built-in modes). */
  modes?: readonly (Mode | Entry)[];
  /** Pool size for the pool modes (default: the cores CPU work can use). */
  workers?: number;
  /**
   * Also run each pool mode on one worker, as the row its speedup is read against (default
   * true): the same kind of worker as the pool's, so the speedup is the parallelism alone.
   */
  oneWorker?: boolean;
  /** The same work done another way, run in turns with the modes (e.g. `cpu.pythonPeers(...)`). */
  peers?: readonly Peer[];
  /** Also time each pool mode end to end, the way the course timed Python's executors (peers '<mode> (<n>), end to end'). */
  endToEnd?: boolean;
}

/** Every run of every row, with what is needed to read them. */
export interface Comparison {
  workload: string;
  tasks: number;
  workers: number;
  rows: Row[];
  /** Every timed run, row by row, in the rows' order. */
  runs: Run[];
  /** Peers that could not run here, each with the one line that says why. */
  skipped: SkippedPeer[];
  env: Environment;
  params: Record<string, unknown>;
}

/** The runs of one row. */
export function runsOf(comparison: Pick<Comparison, 'runs'>, label: string): Run[] {
  return comparison.runs.filter((r) => r.label === label);
}

interface Planned extends Entry {
  label: string;
  workers: number;
  resolved: ResolvedWorkload;
  inputs: readonly unknown[];
}

function checkEntries(options: CompareOptions, env: Environment): Planned[] {
  const workers = check.integer('workers', options.workers ?? env.cores, 1, 256);
  const given = options.modes ?? MODES;
  if (!Array.isArray(given)) throw new ParameterError('modes', 'a list of modes or entries', given);
  const entries = given.map((m, i): Planned => {
    const e: Entry = typeof m === 'string' ? { mode: m } : m;
    if (e === null || typeof e !== 'object') throw new ParameterError(`modes[${i}]`, 'a mode or an entry', m);
    const mode = check.oneOf(`modes[${i}]${typeof m === 'string' ? '' : '.mode'}`, e.mode, modeNames());
    const pool = isPoolMode(mode);
    const n = pool ? check.integer(`modes[${i}].workers`, e.workers ?? workers, 1, 256) : 1;
    const resolved = resolveWorkload(e.workload ?? options.workload);
    const inputs = check.nonEmptyList<unknown>(e.inputs ? `modes[${i}].inputs` : 'inputs', e.inputs ?? options.inputs);
    const label = e.label ?? (pool ? `${mode} (${n})` : mode);
    registeredMode(mode)?.check?.(e.options ?? options.modeOptions?.[mode]);
    return { ...e, mode, label, workers: n, resolved, inputs };
  });
  if (options.oneWorker ?? true) {
    for (const e of [...entries]) {
      if (e.workers > 1 && !entries.some((o) => o.mode === e.mode && o.workers === 1 && o.options === e.options)) {
        const one = { ...e, label: `${e.mode} (1)`, workers: 1, baseline: undefined };
        if (!entries.some((o) => o.label === one.label)) entries.splice(entries.indexOf(e), 0, one);
      }
    }
  }
  return entries;
}

function checkPeers(value: unknown): Peer[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ParameterError('peers', 'a list of peers (e.g. cpu.pythonPeers(...))', value);
  value.forEach((p: Partial<Peer> | null, i) => {
    if (p === null || typeof p !== 'object' || typeof p.run !== 'function' || typeof p.label !== 'string') {
      throw new ParameterError(`peers[${i}]`, 'a peer with a label and a run function', p);
    }
    check.oneOf(`peers[${i}].mode`, p.mode, modeNames());
  });
  return value as Peer[];
}

/** Each row's baseline, by the rule `Row.baseline` states. */
function withBaselines(rows: Row[], given: Map<string, string | null | undefined>): Row[] {
  return rows.map((row) => {
    const others = rows.filter((r) => r !== row && r.origin === row.origin);
    const asked = given.get(row.label);
    const found =
      asked !== undefined
        ? (asked ?? undefined)
        : (
            (row.workers > 1
              ? others.find((r) => r.mode === row.mode && r.workers === 1 && r.startupIncluded === row.startupIncluded)
              : undefined) ?? others.find((r) => r.mode === 'sequential')
          )?.label;
    return found === undefined || found === row.label ? row : { ...row, baseline: found };
  });
}

/**
 * Runs the workload over its inputs in every requested row, after `warmup` untimed passes,
 * `repeats` times each or as many as the adaptive rule asks (rows taking turns); beside them
 * any peers, and with `endToEnd` each pool mode timed from creation to close. Pools start
 * once, are timed apart, and are always shut down before this returns or throws. Failing
 * tasks are recorded, not thrown. Every option is checked before anything starts.
 */
export async function compare(options: CompareOptions): Promise<Comparison> {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const env = environment();
  const rule = checkRuns(options);
  const warmup = check.integer('warmup', options.warmup ?? 1, 0, 100);
  const limits: ExecutorOptions = {
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: check.timeout('timeoutMs', options.timeoutMs) }),
    ...(options.memoryLimitMb === undefined
      ? {}
      : { memoryLimitMb: check.integer('memoryLimitMb', options.memoryLimitMb, 16, 1 << 20) }),
  };
  const givenPeers = checkPeers(options.peers);
  const entries =
    Array.isArray(options.modes) && options.modes.length === 0 && givenPeers.length ? [] : checkEntries(options, env);
  const endToEnd = options.endToEnd
    ? entries
        .filter((e) => (e.mode === 'threads' || e.mode === 'processes') && e.workers > 1)
        .map((e) => endToEndPeer(e.mode as 'threads' | 'processes', e.workers, e.resolved, e.inputs, limits))
    : [];
  const peers = [...endToEnd, ...givenPeers];
  const labels = [...entries.map((e) => e.label), ...peers.map((p) => p.label)];
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice !== undefined) throw new ParameterError('modes and peers', 'rows with distinct labels', twice);
  const runnable = peers.filter((p) => !p.unavailable);
  const executors: Executor[] = [];
  const startedAt = now();
  try {
    // Registered modes start first: one that needs an outside service (a broker) and cannot
    // reach it stops the run before any pool has started.
    const order = [...entries].sort((a, b) => Number(!registeredMode(a.mode)) - Number(!registeredMode(b.mode)));
    const byEntry = new Map<Planned, Executor>();
    for (const e of order) {
      const executor = await createExecutor(
        e.mode,
        e.workers,
        e.resolved,
        limits,
        e.options ?? options.modeOptions?.[e.mode],
      );
      executors.push(executor);
      byEntry.set(e, executor);
    }
    const rows: Row[] = withBaselines(
      [
        ...entries.map((e) => ({
          label: e.label,
          mode: e.mode,
          origin: 'node',
          workers: e.workers,
          tasks: e.inputs.length,
          startupMs: byEntry.get(e)!.startupMs,
          startupIncluded: false,
        })),
        ...runnable.map((p) => ({
          label: p.label,
          mode: p.mode,
          origin: p.origin,
          workers: p.workers,
          tasks: options.inputs?.length ?? 0,
          startupMs: 0,
          startupIncluded: p.startupIncluded,
        })),
      ],
      new Map([
        ...entries.map((e) => [e.label, e.baseline] as const),
        ...runnable.map((p) => [p.label, p.baseline] as const),
      ]),
    );
    const cell = cellProgress();
    const report = (row: Row, repeat: number, repeats: number) => {
      const runStarted = now();
      return (done: number) => {
        const progress: Progress = {
          label: row.label,
          mode: row.mode,
          workers: row.workers,
          repeat,
          repeats,
          done,
          total: row.tasks,
          elapsedMs: now() - startedAt,
          runMs: now() - runStarted,
        };
        options.onProgress?.(progress);
        cell.update(progress);
      };
    };
    const timed = async (row: Row, repeat: number, body: () => Promise<PeerRun>) => {
      const watcher = await options.watch?.(row);
      const result = await body();
      const watched = watcher ? await watcher.stop() : undefined;
      const detail = watched === undefined ? result.detail : { ...result.detail, watch: watched };
      const run: Run = {
        ...result,
        label: row.label,
        mode: row.mode,
        origin: row.origin,
        workers: row.workers,
        cores: env.cores,
        repeat,
        ...(detail ? { detail } : {}),
      };
      if (row.startupIncluded) run.startupMs = observedStartupMs(run);
      return run;
    };
    const slots: Slot[] = [
      ...entries.map((e, i) => {
        const executor = byEntry.get(e)!;
        const row = rows[i]!;
        return {
          once: (repeat: number, repeats: number) =>
            timed(row, repeat, async () => {
              const onTask = report(row, repeat, repeats);
              const start = now();
              const batch = await executor.run(e.inputs, onTask);
              const end = now();
              return { start, end, wallMs: end - start, ...batch };
            }),
          walls: [],
          costs: [],
          runs: [],
          warm: async () => {
            const perPass = e.warmInputs ?? e.inputs.slice(0, Math.min(e.inputs.length, executor.workers));
            for (let w = 0; w < warmup; w++) await executor.run(perPass);
          },
        };
      }),
      ...runnable.map((p, i) => {
        const row = rows[entries.length + i]!;
        return {
          once: (repeat: number, repeats: number) =>
            timed(row, repeat, () => peerRun(p, row, report(row, repeat, repeats))),
          walls: [],
          costs: [],
          runs: [],
          warm: async () => {
            for (let w = 0; w < (p.warm ? warmup : 0); w++) await p.run();
          },
        };
      }),
    ];
    for (const slot of slots) await slot.warm();
    await takeTurns(slots, rule);
    rows.forEach((row, i) => {
      if (row.startupIncluded) row.startupMs = median(slots[i]!.runs.map((r) => r.startupMs ?? 0));
    });
    const runs = slots.flatMap((s) => s.runs);
    const seconds = ((now() - startedAt) / 1000).toFixed(1);
    cell.done(`measured ${rows.length} rows, ${runs.length} runs in all, in ${seconds} s`);
    return {
      workload: resolveWorkload(options.workload ?? entries[0]?.workload ?? 'sleep').name,
      tasks: options.inputs?.length ?? entries[0]?.inputs.length ?? 0,
      workers: check.integer('workers', options.workers ?? env.cores, 1, 256),
      rows,
      runs,
      skipped: peers.filter((p) => p.unavailable).map((p) => ({ label: p.label, reason: p.unavailable! })),
      env,
      params: { ...options.params },
    };
  } finally {
    await Promise.allSettled([...executors.map((e) => e.close()), ...peers.map((p) => p.close?.())]);
  }
}

/** One run of a peer; a peer that fails (a program that crashed or printed nonsense) is a run whose every task failed. */
async function peerRun(peer: Peer, row: Row, onTask: (done: number) => void): Promise<PeerRun> {
  const start = now();
  try {
    return await peer.run(onTask);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    const end = now();
    const failed = `${peer.label} failed: ${messageOf(error)}`;
    const n = Math.max(1, row.tasks);
    const records = Array.from({ length: n }, (_, index) => ({
      index,
      pid: -1,
      threadId: -1,
      start,
      end,
      ok: false,
      error: failed,
    }));
    return {
      start,
      end,
      wallMs: end - start,
      tasks: Tasks.of(records),
      results: new Array(n).fill(undefined),
      detail: { failed },
    };
  }
}

/** Options of `sweep`. */
export interface SweepOptions extends MeasureOptions {
  /** The pool mode to scale (default 'threads'; 'processes', or a registered pool mode such as 'queue'). */
  mode?: Mode;
  /** Pool sizes to try (default 1 to twice the cores); a one-worker run is always among them, as the baseline. */
  workers?: readonly number[];
}

/**
 * How a pool mode scales: the same work on each pool size, in turns, each read against the
 * one-worker pool (the same kind of worker: the speedup is the parallelism alone).
 */
export async function sweep(options: SweepOptions): Promise<Comparison> {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const mode = check.oneOf('mode', options.mode ?? 'threads', modeNames().filter(isPoolMode));
  const env = environment();
  const sizes = check.nonEmptyList<unknown>(
    'workers',
    options.workers ?? Array.from({ length: 2 * env.cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, 256));
  const all = [...new Set([1, ...(sizes as number[])])].sort((a, b) => a - b);
  const { workers: _workers, mode: _mode, ...rest } = options;
  return compare({ ...rest, modes: all.map((workers) => ({ mode, workers })), oneWorker: false });
}
