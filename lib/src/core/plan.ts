/** What a comparison runs, checked before anything starts: its rows, their baselines, the run rule, the limits. */
import { ParameterError } from './errors';
import type { ExecutorOptions } from './executor';
import { isPoolMode, modeNames, registeredMode } from './modes';
import type { Peer } from './peers';
import { endToEndPeer } from './pool';
import { MODES, type Environment, type Mode, type Row, type Run } from './records';
import { checkRuns, type Progress } from './rounds';
import * as check from './validate';
import { resolveWorkload, type ModuleWorkload, type ResolvedWorkload, type WorkloadFn } from './workload';

/** One row of a comparison, when a mode alone does not say it: a mode run a certain way. */
export interface Entry {
  mode: Mode;
  /** Its name on charts and tables (default: the mode, with the pool size for pool modes: 'threads (2)'). */
  label?: string;
  /** Pool size (default: compare's `workers`; 1 for sequential and async). */
  workers?: number;
  /** Its own workload and inputs (default: compare's). */
  workload?: MeasureOptions['workload'];
  inputs?: readonly unknown[];
  /** The mode's options for this row (default: compare's `modeOptions[mode]`), e.g. `{ lock: false }`. */
  options?: unknown;
  /** The row it is set against, by label; null for none (default: see `Row.baseline`). */
  baseline?: string | null;
  /** The inputs of each untimed warm-up pass (default: one per worker, the first). */
  warmInputs?: readonly unknown[];
}

/** Options shared by `compare` and `sweep`. */
export interface MeasureOptions extends Pick<ExecutorOptions, 'timeoutMs' | 'memoryLimitMb'> {
  /** A registered workload name ('cpu', 'sleep', 'spin'), a self-contained function of one input, or `defineWorkload(...)`. */
  workload?: string | WorkloadFn | ModuleWorkload;
  inputs?: readonly unknown[];
  /**
   * Timed passes per row, a fixed count. Without it the count adapts per row, as hyperfine's does: at least
   * `minRuns`, then more until it has run for `budgetMs` (up to three budgets while runs vary by over 10%).
   */
  repeats?: number;
  /** Adaptive runs: the fewest and most timed passes per row (default 2 and 50), and the budget in ms (default 3000). */
  minRuns?: number;
  maxRuns?: number;
  budgetMs?: number;
  /** Untimed passes per row before timing, each one task per worker (default 1). */
  warmup?: number;
  /** Parameters to store with the result (for the record only). */
  params?: Record<string, unknown>;
  onProgress?: (progress: Progress) => void;
  /** Options of the modes that concepts add, keyed by mode name, e.g. `{ queue: { broker } }`. */
  modeOptions?: Partial<Record<string, unknown>>;
  /** Started before each timed run of a row; what `stop` returns after it is the run's `detail.watch`. */
  watch?: (row: Row) => Watched | undefined | Promise<Watched | undefined>;
}

type Watched = { stop(): unknown };

export interface CompareOptions extends MeasureOptions {
  /** Rows to run: modes or entries (default the four built-in modes). */
  modes?: readonly (Mode | Entry)[];
  /** Pool size for the pool modes (default: the cores CPU work can use). */
  workers?: number;
  /** Also run each pool mode on one worker, as the row its speedup is read against (default true). */
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
  runs: Run[];
  /** Peers that could not run here, each with the one line that says why. */
  skipped: { label: string; reason: string }[];
  env: Environment;
  params: Record<string, unknown>;
}

const byLabel = new WeakMap<readonly Run[], { n: number; groups: Map<string, Run[]> }>();

/** The runs of one row (grouped once per list of runs: findings ask for them row by row, many times). */
export function runsOf(comparison: Pick<Comparison, 'runs'>, label: string): Run[] {
  const { runs } = comparison;
  let known = byLabel.get(runs);
  if (known?.n !== runs.length) {
    known = { n: runs.length, groups: new Map() };
    for (const run of runs) known.groups.set(run.label, [...(known.groups.get(run.label) ?? []), run]);
    byLabel.set(runs, known);
  }
  return [...(known.groups.get(label) ?? [])];
}

/** A row of modes, checked: its label, pool size, workload and inputs. */
export type Planned = Entry &
  Pick<Row, 'label' | 'workers'> & { resolved: ResolvedWorkload; inputs: readonly unknown[] };

function checkEntries(options: CompareOptions, workers: number): Planned[] {
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
    registeredMode(mode)?.check?.(e.options ?? options.modeOptions?.[mode]);
    return { ...e, mode, label: e.label ?? (pool ? `${mode} (${n})` : mode), workers: n, resolved, inputs };
  });
  if (options.oneWorker === false) return entries;
  for (const e of [...entries]) {
    if (e.workers === 1) continue;
    // Its one-worker row runs the same work the same way, and is its baseline unless it names another.
    const same = (o: Planned) =>
      o.mode === e.mode &&
      o.workers === 1 &&
      o.options === e.options &&
      o.inputs === e.inputs &&
      o.workload === e.workload;
    let one = entries.find(same);
    if (!one && !entries.some((o) => o.label === `${e.mode} (1)`)) {
      one = { ...e, label: `${e.mode} (1)`, workers: 1, baseline: undefined };
      entries.splice(entries.indexOf(e), 0, one);
    }
    if (one && e.baseline === undefined) e.baseline = one.label;
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

/** Checks every option of a comparison before anything starts; `peers` are the end-to-end pools, then the given. */
export function plan(options: CompareOptions, env: Environment) {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const rule = checkRuns(options);
  const warmup = check.integer('warmup', options.warmup ?? 1, 0, 100);
  const limits: ExecutorOptions = {};
  if (options.timeoutMs !== undefined) limits.timeoutMs = check.timeout('timeoutMs', options.timeoutMs);
  if (options.memoryLimitMb !== undefined)
    limits.memoryLimitMb = check.integer('memoryLimitMb', options.memoryLimitMb, 16, 1 << 20);
  const workers = check.integer('workers', options.workers ?? env.cores, 1, 256);
  const given = checkPeers(options.peers);
  const onlyPeers = Array.isArray(options.modes) && options.modes.length === 0 && given.length > 0;
  const entries = onlyPeers ? [] : checkEntries(options, workers);
  const endToEnd = options.endToEnd
    ? entries.flatMap(({ mode, workers, resolved, inputs }) =>
        (mode === 'threads' || mode === 'processes') && workers > 1
          ? [endToEndPeer({ ...limits, mode, workers, workload: resolved }, inputs)]
          : [],
      )
    : [];
  const peers = [...endToEnd, ...given];
  const labels = [...entries, ...peers].map((r) => r.label);
  const twice = labels.find((l, i) => labels.indexOf(l) !== i);
  if (twice !== undefined) throw new ParameterError('modes and peers', 'rows with distinct labels', twice);
  const runnable = peers.filter((peer) => !peer.unavailable);
  return { entries, peers, runnable, rule, warmup, limits, workers };
}

/** The rows of a plan (entries, then the peers that can run) with their baselines; `startupMs[i]` is entry i's. */
export function planRows(p: ReturnType<typeof plan>, tasks: number, startupMs: readonly number[]): Row[] {
  const asked = [...p.entries, ...p.runnable].map((r) => r.baseline);
  const rows: Row[] = [
    ...p.entries.map(({ label, mode, workers, inputs: { length } }, i) => {
      return { label, mode, origin: 'node', workers, tasks: length, startupMs: startupMs[i]!, startupIncluded: false };
    }),
    ...p.runnable.map(({ label, mode, origin, workers, startupIncluded }) => {
      return { label, mode, origin, workers, tasks, startupMs: 0, startupIncluded };
    }),
  ];
  return rows.map((row, i) => {
    const others = rows.filter((r) => r !== row && r.origin === row.origin);
    const sameKind = (r: Row) => r.mode === row.mode && r.workers === 1 && r.startupIncluded === row.startupIncluded;
    const found =
      asked[i] !== undefined
        ? (asked[i] ?? undefined)
        : ((row.workers > 1 ? others.find(sameKind) : undefined) ?? others.find((r) => r.mode === 'sequential'))?.label;
    return found === undefined || found === row.label ? row : { ...row, baseline: found };
  });
}
