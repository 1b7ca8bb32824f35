/**
 * Generators of plausible results, for the property test of the prose: comparisons built the
 * way the engine builds them (rows with the engine's labels and baseline rule, runs whose
 * tasks are `Tasks.of(records)` laid out on their threads, the machine's environment), with
 * random medians and spreads, outliers, failures, missing and free-threaded Pythons, and the
 * `detail` slots each concept reads. Every draw comes from a `Rand`, so a case shrinks.
 */
import type { Comparison, Environment, Row, Run, TaskRecord } from 'concurrency-lab';
import { Tasks } from 'concurrency-lab/tooling';
import type { Rand } from './prng';

/** Modes that run on a pool of workers (the registered `gil` and `queue` among them). */
export const POOL_MODES: readonly string[] = ['threads', 'processes', 'gil', 'queue'];

/** Processors a row can use at once, as the engine counts them: min(workers, cores, tasks) for a pool, else 1. */
export function parallelism(row: Pick<Row, 'mode' | 'workers' | 'tasks'>, cores: number): number {
  return POOL_MODES.includes(row.mode) ? Math.max(1, Math.min(row.workers, cores, row.tasks || row.workers)) : 1;
}

/** A machine: 1 to 64 physical cores, SMT sometimes, a cgroup quota sometimes (fractional too). */
export function genEnv(r: Rand): Environment {
  const physical = r.weighted<() => number>([
    [3, () => r.pick([2, 4, 8])],
    [2, () => 1],
    [2, () => r.int(1, 64)],
  ])();
  const logical = r.bool(0.3) ? physical * 2 : physical;
  const quota = r.bool(0.2) ? r.pick([0.5, 1, 1.5, 2, 2.5, 4, 12]) : undefined;
  return {
    cores: Math.max(1, Math.min(physical, quota ?? Infinity)),
    logicalCpus: logical,
    physicalCores: physical,
    ...(quota === undefined ? {} : { quota }),
    cpuModel: r.pick(['Test CPU @ 2.20GHz', 'Apple M2']),
    node: 'v20.19.0',
    platform: 'linux x64',
    date: '2026-01-01T00:00:00.000Z',
  };
}

/**
 * The wall times of `n` runs around `median`: a random spread (0 to 30%), sometimes none,
 * sometimes one outlier, sometimes values repeated exactly.
 */
export function genWalls(r: Rand, median: number, n: number): number[] {
  const spread = r.weighted<() => number>([
    [3, () => r.float(0, 0.06)],
    [1, () => 0],
    [1, () => r.float(0.06, 0.3)],
  ])();
  const walls = Array.from({ length: n }, () => {
    const z = r.float(-1, 1) + r.float(-1, 1) + r.float(-1, 1);
    return Math.max(median * 0.2, median * (1 + spread * z));
  });
  if (n >= 3 && r.bool(0.15)) walls[r.int(0, n - 1)] = median * r.pick([0.3, 2, 5]);
  if (n >= 2 && r.bool(0.1)) walls[1] = walls[0]!;
  return walls;
}

/**
 * A speedup to aim a row at, against a baseline whose ideal is `ideal`: exactly 1, near 1
 * (around the noise threshold), near the ideal, above it, a round number where the printed
 * precision changes, or anything from 5x slower to twice the ideal.
 */
export function genRatio(r: Rand, ideal: number): number {
  return r.weighted<() => number>([
    [1, () => 1],
    [2, () => r.float(0.85, 1.15)],
    [2, () => ideal * r.float(0.9, 1.1)],
    [1, () => ideal * r.float(1, 1.6)],
    [1, () => r.pick([1.03, 1.1, 1.995, 2, 9.95, 10, 0.97, 0.5]) * r.float(0.995, 1.005)],
    [3, () => r.logUniform(0.2, Math.max(0.5, 2 * ideal))],
  ])();
}

/** Timed runs per row, 1 to 8: few mostly (small comparisons keep 70,000 reports fast). */
export function genRepeats(r: Rand): number {
  return r.weighted<() => number>([
    [6, () => r.int(1, 2)],
    [3, () => r.int(3, 4)],
    [1, () => r.int(5, 8)],
  ])();
}

/** A number of runs: most rows share the comparison's repeats, some have their own (adaptive runs). */
export function genRuns(r: Rand, repeats: number): number {
  return r.bool(0.25) ? genRepeats(r) : repeats;
}

/** One row as the engine makes it, with what its runs took and how their tasks lay on their threads. */
export interface RowPlan {
  label: string;
  mode: Run['mode'];
  origin: string;
  workers: number;
  tasks: number;
  startupMs: number;
  startupIncluded: boolean;
  /** The baseline given (a label, or null for none); undefined: the engine's rule. */
  baseline?: string | null;
  walls: number[];
  /** Threads (or processes) its tasks ran on (default min(workers, tasks) for a pool, else 1). */
  lanes?: number;
  /** The share of each lane's time its tasks took (the rest is waiting between them; default 1). */
  busy?: number;
  /** Indexes of tasks that failed in every run, with their message. */
  failed?: number[];
  error?: string;
  /** Each failed task's own message, by index (default `error`). */
  failedErrors?: Record<number, string>;
  /** A peer whose every run crashed: every task failed, with no thread (pid -1). */
  crashed?: boolean;
  /** The run's detail. */
  detail?: (run: Run) => Record<string, unknown> | undefined;
  /** Records instead of the laid-out ones. */
  records?: (run: { repeat: number; start: number; wallMs: number }) => TaskRecord[];
  results?: (run: { repeat: number; start: number; wallMs: number }) => unknown[];
}

/** Each row's baseline by the engine's rule (core/measure.ts `withBaselines`). */
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

/** The rows of some plans with their baselines, before any wall time is known (to aim each row at its baseline). */
export function baselinesOf(plans: readonly Omit<RowPlan, 'walls'>[]): Map<string, string | undefined> {
  const rows = withBaselines(
    plans.map((p) => rowOf(p)),
    new Map(plans.map((p) => [p.label, p.baseline])),
  );
  return new Map(rows.map((r) => [r.label, r.baseline]));
}

function rowOf(p: Omit<RowPlan, 'walls'>): Row {
  return {
    label: p.label,
    mode: p.mode,
    origin: p.origin,
    workers: p.workers,
    tasks: p.tasks,
    startupMs: p.startupMs,
    startupIncluded: p.startupIncluded,
  };
}

/** `n` tasks dealt to the lanes in turn, back to back in each lane after a wait, within the run. */
function layOut(p: RowPlan, run: { start: number; wallMs: number }): TaskRecord[] {
  const n = p.tasks;
  const pool = POOL_MODES.includes(p.mode);
  const lanes = Math.max(1, Math.min(n, p.lanes ?? (pool ? Math.min(p.workers, n) : 1)));
  const perLane = Math.ceil(n / lanes);
  const busy = p.busy ?? 1;
  const taskMs = (run.wallMs * busy) / perLane;
  const gapMs = (run.wallMs * (1 - busy)) / perLane;
  const clock = Array<number>(lanes).fill(run.start);
  const pid = p.origin === 'python' ? 3000 : 1000;
  const processes = p.mode === 'processes';
  const records: TaskRecord[] = [];
  for (let index = 0; index < n; index++) {
    const lane = index % lanes;
    const start = clock[lane]! + gapMs;
    // Tasks differ a little: each takes 90-100% of its share.
    const took = taskMs * (0.9 + 0.1 * (((index * 7919) % 11) / 10));
    clock[lane] = start + taskMs;
    const ok = !p.failed?.includes(index);
    records.push({
      index,
      pid: processes ? pid + 1 + lane : pid,
      threadId: processes ? 0 : pool ? lane + 1 : 0,
      start,
      end: start + took,
      ok,
      ...(ok ? {} : { error: p.failedErrors?.[index] ?? p.error ?? 'boom' }),
    });
  }
  return records;
}

/** What a crashed peer's run records: every task failed, on no thread. */
function crashedRecords(p: RowPlan, run: { start: number; wallMs: number }): TaskRecord[] {
  return Array.from({ length: Math.max(1, p.tasks) }, (_, index) => ({
    index,
    pid: -1,
    threadId: -1,
    start: run.start,
    end: run.start + run.wallMs,
    ok: false,
    error: `${p.label} failed: exited with code 1`,
  }));
}

/** How long a run's pool took to get going, from its records (core/peers.ts `observedStartupMs`). */
function observedStartupMs(run: Pick<Run, 'start' | 'tasks'>): number {
  const first = new Map<string, number>();
  for (const t of run.tasks) {
    if (t.pid < 0) continue;
    const lane = `${t.pid}:${t.threadId}`;
    first.set(lane, Math.min(first.get(lane) ?? Infinity, t.start));
  }
  if (first.size <= 1) return 0;
  return Math.max(0, Math.max(...first.values()) - run.start);
}

/** Options of `buildComparison`. */
export interface BuildOptions {
  env: Environment;
  /** The comparison's inputs (a peer's row has this many tasks). */
  tasks: number;
  workers: number;
  workload: string;
  params?: Record<string, unknown>;
  skipped?: Comparison['skipped'];
}

/** A comparison of these rows, as `compare` returns it: runs row by row, the rows having taken turns. */
export function buildComparison(plans: readonly RowPlan[], o: BuildOptions): Comparison {
  const rows = withBaselines(
    plans.map((p) => rowOf(p)),
    new Map(plans.map((p) => [p.label, p.baseline])),
  );
  const slot = 1_000_000;
  const runs = plans.flatMap((p, i) =>
    p.walls.map((wallMs, repeat): Run => {
      const row = rows[i]!;
      const start = 1.7e12 + slot * (repeat * plans.length + i);
      const records = p.crashed
        ? crashedRecords(p, { start, wallMs })
        : (p.records?.({ repeat, start, wallMs }) ?? layOut(p, { start, wallMs }));
      const run: Run = {
        label: row.label,
        mode: row.mode,
        origin: row.origin,
        workers: row.workers,
        cores: o.env.cores,
        repeat,
        start,
        end: start + wallMs,
        wallMs,
        tasks: Tasks.of(records),
        results: p.results?.({ repeat, start, wallMs }) ?? [],
      };
      const detail = p.crashed ? { failed: records[0]!.error } : p.detail?.(run);
      if (detail) run.detail = detail;
      if (row.startupIncluded) run.startupMs = observedStartupMs(run);
      return run;
    }),
  );
  // A row timed with its start-up has the median of its runs' start-ups (as compare sets it).
  for (const row of rows) {
    if (!row.startupIncluded) continue;
    const ups = runs.filter((r) => r.label === row.label).map((r) => r.startupMs ?? 0);
    row.startupMs = ups.sort((a, b) => a - b)[ups.length >> 1] ?? 0;
  }
  return {
    workload: o.workload,
    tasks: o.tasks,
    workers: o.workers,
    rows,
    runs,
    skipped: o.skipped ?? [],
    env: o.env,
    params: { ...o.params },
  };
}

/**
 * Aims each plan's median at its baseline's (known by then: baselines come first) times a
 * speedup from `genRatio`, against the ideal the engine would compute; a row without a
 * baseline gets `around` times a little. Returns the plans with their walls.
 */
export function aimWalls(
  r: Rand,
  plans: readonly Omit<RowPlan, 'walls'>[],
  o: { cores: number; around: number; repeats: number },
): RowPlan[] {
  const bases = baselinesOf(plans);
  const medians = new Map<string, number>();
  const done: RowPlan[] = [];
  for (const p of plans) {
    const baseLabel = bases.get(p.label);
    const base = plans.find((q) => q.label === baseLabel);
    const baseMedian = baseLabel === undefined ? undefined : medians.get(baseLabel);
    let median: number;
    if (base && baseMedian !== undefined) {
      const ideal = parallelism(p, o.cores) / parallelism(base, o.cores);
      median = baseMedian / genRatio(r, ideal);
    } else median = o.around * (r.bool(0.3) ? 1 : r.logUniform(0.5, 2));
    medians.set(p.label, median);
    done.push({ ...p, walls: genWalls(r, median, genRuns(r, o.repeats)) });
  }
  return done;
}

/** Some task indexes of `n` to fail: none mostly, a few sometimes, every one rarely. */
export function genFailed(r: Rand, n: number): number[] {
  return r.weighted<() => number[]>([
    [14, () => []],
    [2, () => [...new Set(Array.from({ length: r.int(1, 3) }, () => r.int(0, n - 1)))]],
    [1, () => Array.from({ length: n }, (_, i) => i)],
  ])();
}

/** A comparison as a failure prints it: the machine, and per row what it is and what its runs took. */
export function describeComparison(c: Comparison) {
  const { cores, logicalCpus, physicalCores, quota } = c.env;
  return {
    env: { cores, logicalCpus, physicalCores, ...(quota === undefined ? {} : { quota }) },
    tasks: c.tasks,
    params: c.params,
    skipped: c.skipped.map((s) => s.label),
    rows: c.rows.map((row) => {
      const runs = c.runs.filter((r) => r.label === row.label);
      const tasks = runs.flatMap((r) => [...r.tasks]);
      const ok = tasks.filter((t) => t.ok && t.pid >= 0);
      const detail = runs.find((r) => r.detail)?.detail;
      return {
        label: row.label,
        mode: row.mode,
        origin: row.origin,
        workers: row.workers,
        tasks: row.tasks,
        ...(row.baseline ? { baseline: row.baseline } : {}),
        ...(row.startupMs ? { startupMs: row.startupMs } : {}),
        walls: runs.map((r) => r.wallMs),
        taskMs: ok.length
          ? [Math.min(...ok.map((t) => t.end - t.start)), Math.max(...ok.map((t) => t.end - t.start))]
          : [],
        failed: tasks.length - ok.length,
        ...(detail ? { detail: JSON.stringify(detail).slice(0, 300) } : {}),
      };
    }),
  };
}
