/**
 * Measurement: run a workload over its inputs in several modes, with warm-up and repeats
 * (modes interleaved, so a slow moment of the machine hits every mode alike), and keep a
 * record of every task.
 */
import { now } from './clock';
import { cores, environment } from './environment';
import { ParameterError } from './errors';
import {
  createExecutor,
  endToEndPeer,
  isPoolMode,
  isRegisteredMode,
  MODES,
  modeNames,
  type Executor,
  type ExecutorOptions,
  type Mode,
} from './modes';
import { observedStartupMs, type Peer, type PeerSeries, type SkippedPeer } from './peers';
import type { Environment, Run } from './records';
import { median, NOISY_CV, summarize } from './stats';
import * as check from './validate';
import { resolveWorkload } from './workload';
import type { WorkloadFn } from './workload';

/** Where a measurement is: reported after every task. */
export interface Progress {
  mode: Mode;
  /** A peer's label when a peer is running (see core/peers.ts). */
  label?: string;
  workers: number;
  /** 0-based repeat; -1 while warming up. */
  repeat: number;
  /** Runs planned for this mode so far (adaptive runs may add some after each run). */
  repeats: number;
  done: number;
  total: number;
  elapsedMs: number;
}

/** Options shared by `compare` and `sweep`. */
export interface MeasureOptions {
  /** A registered workload name ('cpu', 'sleep', 'spin') or a self-contained function of one input. */
  workload: string | WorkloadFn;
  /** One task per input. */
  inputs: readonly unknown[];
  /**
   * Timed passes per mode, a fixed count. Without it the count adapts per mode, as
   * hyperfine's does: at least `minRuns`, then more until the mode has run for `budgetMs`
   * (and, while its runs vary by more than 10%, up to three budgets), at most `maxRuns`.
   * A mode of seconds runs twice; a mode of milliseconds runs many times.
   */
  repeats?: number;
  /** Adaptive runs: the fewest timed passes per mode (default 2). */
  minRuns?: number;
  /** Adaptive runs: the time per mode, in ms, worth spending on passes after the first `minRuns` (default 3000). */
  budgetMs?: number;
  /** Adaptive runs: the most timed passes per mode (default 50). */
  maxRuns?: number;
  /**
   * Untimed passes per mode before timing (default 1). A pass is one task per worker: enough
   * for every worker of a pool to have loaded and compiled the workload, without repeating
   * the whole work.
   */
  warmup?: number;
  /** Parameters to store with the result (for the record only). */
  params?: Record<string, unknown>;
  /** Called after every task. */
  onProgress?: (progress: Progress) => void;
  /** Fail any task that runs longer than this many ms (default: no limit). */
  timeoutMs?: number;
  /** Heap limit in MB of each pool worker (default: Node's own). */
  memoryLimitMb?: number;
  /**
   * Options of the modes that concepts add, keyed by mode name, e.g.
   * `{ queue: { redisUrl: 'redis://10.0.0.5:6379' } }`; each mode checks its own.
   */
  modeOptions?: Partial<Record<string, unknown>>;
}

/** Options of `compare`. */
export interface CompareOptions extends MeasureOptions {
  /** Modes to run (default the four built-in ones, in the order of MODES; `queue` and other registered modes on request). */
  modes?: readonly Mode[];
  /** Pool size for the thread and process pools (default: the number of cores). */
  workers?: number;
  /**
   * The same work done another way, run as many times as the modes and interleaved with
   * them: e.g. `cpu.pythonPeers(...)`, the course's Python programs. A peer that cannot run
   * here is skipped and said so in `skipped` (and by `warnings`). `modes` may be empty then.
   */
  peers?: readonly Peer[];
  /**
   * Also time each pool mode end to end, the way the course timed Python's executors: a new
   * pool per run, timed from its creation until it has shut down (default false). These runs
   * are the peers labelled '<mode> (<workers>), end to end'.
   */
  endToEnd?: boolean;
}

/** The runs of every mode and repeat, with what is needed to read them. */
export interface Comparison {
  workload: string;
  tasks: number;
  modes: Mode[];
  workers: number;
  repeats: number;
  /** Pool start-up per mode, measured apart from the work (0 for sequential and async). */
  startupMs: Partial<Record<Mode, number>>;
  runs: Run[];
  /** Runs beside the modes, one series per peer and per end-to-end pool (see core/peers.ts). */
  peers?: PeerSeries[];
  /** Peers that could not run here, each with the one line that says why. */
  skipped?: SkippedPeer[];
  env: Environment;
  params: Record<string, unknown>;
}

/**
 * Defaults of every measurement option. `repeats` is the command line's fixed count;
 * compare and sweep adapt the count when no `repeats` is given (minRuns, budgetMs, maxRuns).
 */
export const DEFAULTS = { repeats: 3, warmup: 1, minRuns: 2, budgetMs: 3000, maxRuns: 50 } as const;

/** How many timed passes each mode gets: a fixed count, or the adaptive rule. */
type RunRule = { fixed: number } | { minRuns: number; budgetMs: number; maxRuns: number };

interface Checked {
  workload: ReturnType<typeof resolveWorkload>;
  inputs: readonly unknown[];
  runs: RunRule;
  warmup: number;
  limits: ExecutorOptions;
}

function checkRuns(options: MeasureOptions): RunRule {
  if (options.repeats !== undefined) return { fixed: check.integer('repeats', options.repeats, 1, 1000) };
  const minRuns = check.integer('minRuns', options.minRuns ?? DEFAULTS.minRuns, 1, 1000);
  const maxRuns = check.integer('maxRuns', options.maxRuns ?? Math.max(DEFAULTS.maxRuns, minRuns), minRuns, 10_000);
  const budgetMs = check.finite('budgetMs', options.budgetMs ?? DEFAULTS.budgetMs, 0, 86_400_000);
  return { minRuns, budgetMs, maxRuns };
}

/**
 * Whether a mode whose timed passes took `walls` ms should run again; `costs` is what each
 * pass cost the caller in ms, when more than its wall time (a peer's program starting up).
 */
export function wantsAnotherRun(rule: RunRule, walls: readonly number[], costs: readonly number[] = walls): boolean {
  const n = walls.length;
  if ('fixed' in rule) return n < rule.fixed;
  if (n < rule.minRuns) return true;
  if (n >= rule.maxRuns) return false;
  const spent = costs.reduce((a, b) => a + b, 0);
  if (spent < rule.budgetMs) return true;
  return n >= 2 && summarize(walls).cv > NOISY_CV && spent < 3 * rule.budgetMs;
}

/** The runs a mode is expected to get, for progress: the fixed count, or an estimate from its runs so far. */
function plannedRuns(rule: RunRule, walls: readonly number[], costs: readonly number[] = walls): number {
  if ('fixed' in rule) return rule.fixed;
  if (costs.length === 0) return rule.minRuns;
  const typical = median(costs);
  const byBudget = typical > 0 ? Math.ceil(rule.budgetMs / typical) : rule.maxRuns;
  const next = walls.length + (wantsAnotherRun(rule, walls, costs) ? 1 : 0);
  return Math.max(next, Math.min(rule.maxRuns, Math.max(rule.minRuns, byBudget)));
}

function checkCommon(options: MeasureOptions): Checked {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  return {
    workload: resolveWorkload(options.workload),
    inputs: check.nonEmptyList('inputs', options.inputs),
    runs: checkRuns(options),
    warmup: check.integer('warmup', options.warmup ?? DEFAULTS.warmup, 0, 100),
    limits: {
      timeoutMs: options.timeoutMs === undefined ? undefined : check.timeout('timeoutMs', options.timeoutMs),
      memoryLimitMb:
        options.memoryLimitMb === undefined
          ? undefined
          : check.integer('memoryLimitMb', options.memoryLimitMb, 16, 1 << 20),
    },
  };
}

type Report = ((progress: Progress) => void) | undefined;

/** One thing measured in turns: a mode's executor or a peer. */
interface Slot {
  mode: Mode;
  workers: number;
  label?: string;
  /** Runs the work once, timed; `repeat` is its index among this slot's runs. */
  once(repeat: number, repeats: number): Promise<Run>;
  walls: number[];
  /** What each run cost from here (more than its wall time for a peer whose program must start). */
  costs: number[];
  runs: Run[];
}

function reporter(
  onProgress: Report,
  slot: Pick<Slot, 'mode' | 'workers' | 'label'>,
  repeat: number,
  repeats: number,
  total: number,
  startedAt: number,
): ((done: number) => void) | undefined {
  if (!onProgress) return undefined;
  const { mode, workers, label } = slot;
  return (done: number) =>
    onProgress({
      mode,
      ...(label ? { label } : {}),
      workers,
      repeat,
      repeats,
      done,
      total,
      elapsedMs: now() - startedAt,
    });
}

/** Runs every input once in `executor` and returns the run's record (exported for concepts that drive an executor). */
export async function pass(
  executor: Executor,
  inputs: readonly unknown[],
  repeat: number,
  repeats: number,
  startedAt: number,
  onProgress?: (progress: Progress) => void,
): Promise<Run> {
  const { mode, workers } = executor;
  const report = reporter(onProgress, executor, repeat, repeats, inputs.length, startedAt);
  report?.(0);
  const start = now();
  const results = await executor.run(inputs, report);
  const end = now();
  return {
    mode,
    workers,
    cores: cores(),
    repeat,
    start,
    end,
    wallMs: end - start,
    tasks: results.map((r) => r.record),
    results: results.map((r) => r.value),
  };
}

/** Runs a peer once and returns the run's record, labelled. */
async function peerPass(
  peer: Peer,
  tasks: number,
  repeat: number,
  repeats: number,
  startedAt: number,
  onProgress?: (progress: Progress) => void,
): Promise<Run> {
  const report = reporter(onProgress, peer, repeat, repeats, tasks, startedAt);
  let done = 0;
  report?.(0);
  const r = await peer.run(report && ((n) => report((done = n))));
  if (done < tasks) report?.(tasks);
  const run: Run = {
    mode: peer.mode,
    label: peer.label,
    origin: peer.origin,
    workers: peer.workers,
    cores: cores(),
    repeat,
    start: r.start,
    end: r.end,
    wallMs: r.wallMs,
    tasks: r.tasks,
    results: r.results,
  };
  run.startupMs = peer.startupIncluded ? observedStartupMs(run) : 0;
  return run;
}

/** Warm-up: `warmup` passes of one task per worker, so every worker has loaded and compiled the workload. */
export async function warm(executor: Executor, inputs: readonly unknown[], warmup: number): Promise<void> {
  const perPass = Math.min(inputs.length, executor.workers);
  for (let w = 0; w < warmup; w++) await executor.run(inputs.slice(0, perPass));
}

/**
 * Takes timed runs of every slot in rounds until each has what `rule` asks for. Within a
 * round the order rotates, so no slot always runs first or last, and a slow moment of the
 * machine hits every slot alike; a slot that has enough runs drops out of the rounds.
 */
async function takeTurns(slots: readonly Slot[], rule: RunRule): Promise<void> {
  for (let round = 0; ; round++) {
    const due = slots.filter((s) => wantsAnotherRun(rule, s.walls, s.costs));
    if (due.length === 0) return;
    for (let k = 0; k < due.length; k++) {
      const slot = due[(k + round) % due.length]!;
      const began = now();
      const run = await slot.once(slot.runs.length, plannedRuns(rule, slot.walls, slot.costs));
      slot.runs.push(run);
      slot.walls.push(run.wallMs);
      slot.costs.push(Math.max(run.wallMs, now() - began));
    }
  }
}

/**
 * Runs a workload over its inputs in every requested mode, after `warmup` untimed passes,
 * `repeats` times each or as many times as the adaptive rule asks (modes interleaved); and
 * beside them any peers, and with `endToEnd` each pool mode timed from creation to close.
 * Pools start once, are timed apart, and are always shut down before this returns or
 * throws. Failing tasks are recorded, not thrown.
 */
export async function compare(options: CompareOptions): Promise<Comparison> {
  const c = checkCommon(options);
  const givenPeers = checkPeers(options.peers);
  // No modes at all is allowed when there are peers to run: a peer measured on its own.
  const onlyPeers = Array.isArray(options.modes) && options.modes.length === 0 && givenPeers.length > 0;
  const modes = onlyPeers ? [] : check.subsetOf('modes', options.modes ?? [...MODES], modeNames());
  const env = environment();
  const workers = check.integer('workers', options.workers ?? env.cores, 1, 256);
  const endToEnd = options.endToEnd
    ? modes
        .filter((m): m is 'threads' | 'processes' => m === 'threads' || m === 'processes')
        .map((m) => endToEndPeer(m, workers, c.workload, c.inputs, c.limits))
    : [];
  const peers = [...endToEnd, ...givenPeers];
  const runnable = peers.filter((p) => !p.unavailable);
  const skipped: SkippedPeer[] = peers
    .filter((p) => p.unavailable)
    .map((p) => ({ label: p.label, reason: p.unavailable! }));
  const executors: Executor[] = [];
  const startedAt = now();
  try {
    // Registered modes start first: one that needs an outside service (a broker) and cannot
    // reach it stops the run before any pool has started.
    const order = [...modes.filter(isRegisteredMode), ...modes.filter((m) => !isRegisteredMode(m))];
    for (const mode of order) {
      executors.push(await createExecutor(mode, workers, c.workload, c.limits, options.modeOptions?.[mode]));
    }
    executors.sort((a, b) => modes.indexOf(a.mode) - modes.indexOf(b.mode));
    for (const executor of executors) await warm(executor, c.inputs, c.warmup);
    const slots: Slot[] = [
      ...executors.map((executor) => ({
        mode: executor.mode,
        workers: executor.workers,
        once: (repeat: number, repeats: number) =>
          pass(executor, c.inputs, repeat, repeats, startedAt, options.onProgress),
        walls: [],
        costs: [],
        runs: [],
      })),
      ...runnable.map((peer) => ({
        mode: peer.mode,
        workers: peer.workers,
        label: peer.label,
        once: (repeat: number, repeats: number) =>
          peerPass(peer, c.inputs.length, repeat, repeats, startedAt, options.onProgress),
        walls: [],
        costs: [],
        runs: [],
      })),
    ];
    await takeTurns(slots, c.runs);
    const runs = slots.slice(0, executors.length).flatMap((s) => s.runs);
    runs.sort((a, b) => modes.indexOf(a.mode) - modes.indexOf(b.mode) || a.repeat - b.repeat);
    const series: PeerSeries[] = runnable.map((peer, i) => {
      const peerRuns = slots[executors.length + i]!.runs;
      return {
        label: peer.label,
        origin: peer.origin,
        mode: peer.mode,
        workers: peer.workers,
        startupIncluded: peer.startupIncluded,
        startupMs: median(peerRuns.map((r) => r.startupMs ?? 0)),
        runs: peerRuns,
      };
    });
    const startupMs: Partial<Record<Mode, number>> = {};
    for (const executor of executors) startupMs[executor.mode] = executor.startupMs;
    return {
      workload: c.workload.name,
      tasks: c.inputs.length,
      modes,
      workers,
      repeats: Math.max(0, ...slots.map((s) => s.runs.length)),
      startupMs,
      runs,
      ...(peers.length ? { peers: series, skipped } : {}),
      env,
      params: { ...options.params },
    };
  } finally {
    await Promise.all(executors.map((e) => e.close()));
  }
}

function checkPeers(value: unknown): Peer[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ParameterError('peers', 'a list of peers (e.g. cpu.pythonPeers(...))', value);
  value.forEach((p: Partial<Peer> | null, i) => {
    if (p === null || typeof p !== 'object' || typeof p.run !== 'function' || typeof p.label !== 'string') {
      throw new ParameterError(`peers[${i}]`, 'a peer with a label and a run function', p);
    }
    check.oneOf(`peers[${i}].mode`, p.mode, MODES);
  });
  const labels = (value as Peer[]).map((p) => p.label);
  if (new Set(labels).size !== labels.length)
    throw new ParameterError('peers', 'peers with distinct labels', labels.join(', '));
  return value as Peer[];
}

/** Options of `sweep`. */
export interface SweepOptions extends MeasureOptions {
  /** The pool mode to scale (default 'threads'; 'processes', or a registered pool mode such as 'queue'). */
  mode?: Mode;
  /** Pool sizes to try (default 1 to twice the number of cores). */
  workers?: readonly number[];
  /**
   * The sequential runs of an earlier sweep over the same workload and inputs, to compare
   * against instead of measuring them again (e.g. when sweeping a second mode).
   */
  baseline?: readonly Run[];
}

/** One pool size of a sweep. */
export interface SweepPoint {
  workers: number;
  startupMs: number;
  runs: Run[];
}

/** A sequential baseline and one point per pool size. */
export interface Sweep {
  workload: string;
  mode: Mode;
  tasks: number;
  repeats: number;
  baseline: Run[];
  points: SweepPoint[];
  env: Environment;
  params: Record<string, unknown>;
}

/**
 * Measures how a pool mode scales: a sequential baseline, then each pool size in turn
 * (one pool open at a time), `repeats` timed passes each, or as many as the adaptive rule asks.
 */
export async function sweep(options: SweepOptions): Promise<Sweep> {
  const c = checkCommon(options);
  const mode = check.oneOf('mode', options.mode ?? 'threads', modeNames().filter(isPoolMode));
  if (options.baseline !== undefined) check.nonEmptyList('baseline', options.baseline);
  const env = environment();
  const sizes = check.nonEmptyList<unknown>(
    'workers',
    options.workers ?? Array.from({ length: 2 * env.cores }, (_, i) => i + 1),
  );
  sizes.forEach((w, i) => check.integer(`workers[${i}]`, w, 1, 256));
  const startedAt = now();
  const measure = async (executor: Executor): Promise<Run[]> => {
    try {
      await warm(executor, c.inputs, c.warmup);
      const runs: Run[] = [];
      const walls: number[] = [];
      while (wantsAnotherRun(c.runs, walls)) {
        const run = await pass(
          executor,
          c.inputs,
          runs.length,
          plannedRuns(c.runs, walls),
          startedAt,
          options.onProgress,
        );
        runs.push(run);
        walls.push(run.wallMs);
      }
      return runs;
    } finally {
      await executor.close();
    }
  };
  const baseline = options.baseline
    ? [...options.baseline]
    : await measure(await createExecutor('sequential', 1, c.workload, c.limits));
  const points: SweepPoint[] = [];
  for (const workers of sizes as number[]) {
    const executor = await createExecutor(mode, workers, c.workload, c.limits, options.modeOptions?.[mode]);
    points.push({ workers, startupMs: executor.startupMs, runs: await measure(executor) });
  }
  return {
    workload: c.workload.name,
    mode,
    tasks: c.inputs.length,
    repeats: Math.max(baseline.length, ...points.map((p) => p.runs.length)),
    baseline,
    points,
    env,
    params: { ...options.params },
  };
}
