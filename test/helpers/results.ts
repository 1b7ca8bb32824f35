/**
 * Comparisons built by hand, for the findings tests: each row a mode run one way (or a peer)
 * with the wall times of its runs, its tasks laid out back to back on its threads as
 * `Tasks.of(...)` records, and its baseline chosen by the engine's own rule unless given.
 */
import type { Comparison, Environment, Row, Run, TaskRecord } from 'concurrency-lab';
import { Tasks } from 'concurrency-lab/tooling';

export type Mode = Run['mode'];

/** How a run's tasks are laid out. */
export interface Shape {
  /** Tasks in each run (default the comparison's `tasks`). */
  tasks?: number;
  /** Threads or processes the tasks ran on (default the row's workers). */
  lanes?: number;
  /** Each task's own time, ms (default: the run's wall time shared out over the lanes, less `gapMs`). */
  taskMs?: number;
  /** What a lane waits before each task, ms (default 0). */
  gapMs?: number;
  /** Indexes of the tasks that failed (in every run), with `error` as their message (default 'boom'). */
  failed?: number[];
  error?: string;
  /** Messages of failed tasks by index (in every run): the first tasks fail with these. */
  errors?: string[];
}

/** One row of a hand-built comparison. */
export interface RowSpec extends Shape {
  mode: Mode;
  /** Default: the mode, with the pool size for pool modes ('threads (10)'). */
  label?: string;
  /** Default 'node'. */
  origin?: string;
  /** Default 1. */
  workers?: number;
  /** One wall time per run, ms, in the order they ran. */
  walls: number[];
  /** The row it is read against; null for none (default: the engine's rule, see `baselineOf`). */
  baseline?: string | null;
  startupMs?: number;
  /** True for a row timed with its pool's start-up (peers, end-to-end pools). */
  startupIncluded?: boolean;
  /** A run's `detail`, by its repeat. */
  detail?: (repeat: number, wallMs: number) => Record<string, unknown> | undefined;
  /** A run's records, instead of the laid-out ones. */
  records?: (run: { repeat: number; start: number; wallMs: number }) => TaskRecord[];
  /** A run's results (default: none). */
  results?: (repeat: number) => unknown[];
}

/** Options of `comparison`. */
export interface ComparisonOptions {
  cores?: number;
  /** Logical CPUs (default `cores`), and physical cores (default `cores`). */
  logicalCpus?: number;
  physicalCores?: number;
  /** Tasks per run (default 100). */
  tasks?: number;
  /** The comparison's pool size (default the largest row's). */
  workers?: number;
  workload?: string;
  params?: Record<string, unknown>;
  skipped?: Comparison['skipped'];
}

const POOLS: readonly string[] = ['threads', 'processes', 'gil', 'queue'];

/** The machine of a hand-built result. */
export function env(cores = 2, more: Partial<Environment> = {}): Environment {
  return {
    cores,
    logicalCpus: cores,
    physicalCores: cores,
    cpuModel: 'test CPU',
    node: 'v20.0.0',
    platform: 'linux x64',
    date: '2026-12-07T00:00:00.000Z',
    ...more,
  };
}

/** The row's label as the engine makes it. */
function labelOf(spec: RowSpec): string {
  if (spec.label) return spec.label;
  return POOLS.includes(spec.mode) ? `${spec.mode} (${spec.workers ?? 1})` : spec.mode;
}

/** A row's baseline by the engine's rule: a one-worker row of its origin and mode, else its origin's sequential row. */
function baselineOf(row: Row, rows: readonly Row[]): string | undefined {
  const others = rows.filter((r) => r !== row && r.origin === row.origin);
  const one =
    row.workers > 1
      ? others.find((r) => r.mode === row.mode && r.workers === 1 && r.startupIncluded === row.startupIncluded)
      : undefined;
  return (one ?? others.find((r) => r.mode === 'sequential'))?.label;
}

/** Records of one run: `n` tasks dealt out to the lanes in turn, back to back in each lane, `gapMs` apart. */
export function layOut(
  spec: Pick<RowSpec, 'mode' | 'origin' | 'workers'> & Shape,
  run: { start: number; wallMs: number },
  n: number,
): TaskRecord[] {
  const pool = POOLS.includes(spec.mode);
  const lanes = Math.max(1, pool ? (spec.lanes ?? spec.workers ?? 1) : 1);
  const gap = spec.gapMs ?? 0;
  const taskMs = spec.taskMs ?? run.wallMs / Math.ceil(n / lanes) - gap;
  const clock = Array<number>(lanes).fill(run.start);
  const pid = spec.origin === 'python' ? 300 : 100;
  return Array.from({ length: n }, (_, index) => {
    const lane = index % lanes;
    const start = clock[lane]! + gap;
    clock[lane] = start + taskMs;
    const where = spec.mode === 'processes' ? { pid: 200 + lane, threadId: 0 } : { pid, threadId: pool ? lane + 1 : 0 };
    const message = spec.errors?.[index] ?? (spec.failed?.includes(index) ? (spec.error ?? 'boom') : undefined);
    return {
      index,
      ...where,
      start,
      end: start + taskMs,
      ok: message === undefined,
      ...(message === undefined ? {} : { error: message }),
    };
  });
}

/** A comparison whose rows took the given wall times, in the rows' order, runs row by row. */
export function comparison(specs: readonly RowSpec[], options: ComparisonOptions = {}): Comparison {
  const cores = options.cores ?? 2;
  const tasks = options.tasks ?? 100;
  const plain: Row[] = specs.map((spec) => ({
    label: labelOf(spec),
    mode: spec.mode,
    origin: spec.origin ?? 'node',
    workers: spec.workers ?? 1,
    tasks: spec.tasks ?? tasks,
    startupMs: spec.startupMs ?? 0,
    startupIncluded: spec.startupIncluded ?? false,
  }));
  const rows = plain.map((row, i) => {
    const given = specs[i]!.baseline;
    const baseline = given === undefined ? baselineOf(row, plain) : (given ?? undefined);
    return baseline === undefined ? row : { ...row, baseline };
  });
  const runs = specs.flatMap((spec, i) =>
    spec.walls.map((wallMs, repeat): Run => {
      const row = rows[i]!;
      const start = 1_000_000 * (repeat + 1) + 10_000 * i;
      const records = spec.records?.({ repeat, start, wallMs }) ?? layOut(spec, { start, wallMs }, row.tasks);
      const detail = spec.detail?.(repeat, wallMs);
      return {
        label: row.label,
        mode: row.mode,
        origin: row.origin,
        workers: row.workers,
        cores,
        repeat,
        start,
        end: start + wallMs,
        wallMs,
        ...(row.startupIncluded ? { startupMs: 0 } : {}),
        tasks: Tasks.of(records, Math.max(records.length, ...records.map((r) => r.index + 1))),
        results: spec.results?.(repeat) ?? [],
        ...(detail ? { detail } : {}),
      };
    }),
  );
  return {
    workload: options.workload ?? 'cpu',
    tasks,
    workers: options.workers ?? Math.max(1, ...rows.map((r) => r.workers)),
    rows,
    runs,
    skipped: options.skipped ?? [],
    env: env(cores, {
      logicalCpus: options.logicalCpus ?? cores,
      physicalCores: options.physicalCores ?? cores,
    }),
    params: options.params ?? {},
  };
}

/** The line of a markdown list that starts with `- **<start>`. */
export function bullet(text: string, start: string): string {
  return text.split('\n').find((l) => l.startsWith(`- **${start}`)) ?? '';
}

/** Phrases no finding may say: a ratio below 1 as a gain, "x as long", a plural after 1. */
export const ILL_SAID = [/\b0\.\d+x (faster|slower|sooner|as long)/, /\bx as long\b/];

/** A count of 1 with a plural noun: "1 threads", "1 cores". */
export function pluralAfterOne(nouns: readonly string[]): RegExp {
  return new RegExp(`(^|[^.\\d])1 (${nouns.join('|')})\\b`);
}
