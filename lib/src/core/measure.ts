/** The one engine: a workload over its inputs in several modes and peers, warmed up, in turns, every task recorded. */
import { now } from './clock';
import { environment } from './environment';
import { InterruptedError, messageOf, ParameterError } from './errors';
import type { Executor } from './executor';
import { createExecutor, isPoolMode, modeNames, registeredMode } from './modes';
import { observedStartupMs, type Peer } from './peers';
import { plan, planRows, type CompareOptions, type Comparison, type MeasureOptions, type Planned } from './plan';
import { cellProgress } from './progress';
import { Tasks, type Mode, type PeerRun, type Row, type Run } from './records';
import { takeTurns, type Progress } from './rounds';
import { settle } from './settle';
import { median } from './stats';
import * as check from './validate';
import { resolveWorkload } from './workload';

export { runsOf, type Comparison, type Entry } from './plan';

/** One timed pass of a row's work, reporting each task done. */
type Body = (onTask: (done: number) => void) => Promise<PeerRun>;

/**
 * Runs the workload over its inputs in every row (and peers), after `warmup` untimed passes, as many
 * times as the run rule asks, rows taking turns. Pools start once, are timed apart, and are always shut
 * down before this returns or throws. Failing tasks are recorded, not thrown; options are checked first.
 */
export async function compare(options: CompareOptions): Promise<Comparison> {
  const env = environment();
  const p = plan(options, env);
  const started = new Map<Planned, Executor>();
  const startedAt = now();
  try {
    // Registered modes start first: one that cannot reach its service (a broker) stops the run before any pool.
    for (const e of [...p.entries].sort((a, b) => Number(!registeredMode(a.mode)) - Number(!registeredMode(b.mode)))) {
      const modeOptions = e.options ?? options.modeOptions?.[e.mode];
      started.set(e, await createExecutor(e.mode, e.workers, e.resolved, p.limits, modeOptions));
    }
    const executors = p.entries.map((e) => started.get(e)!);
    const startups = executors.map((e) => e.startupMs);
    const rows = planRows(p, options.inputs?.length ?? 0, startups);
    const bodies: Body[] = [
      ...p.entries.map((e, i): Body => async (onTask) => {
        const start = now();
        const batch = await executors[i]!.run(e.inputs, onTask);
        const end = now();
        return { start, end, wallMs: end - start, ...batch };
      }),
      ...p.runnable.map((peer, i) => peerBody(peer, rows[p.entries.length + i]!.tasks)),
    ];
    const cell = cellProgress();
    const timed = async (row: Row, body: Body, repeat: number, repeats: number): Promise<Run> => {
      const { label, mode, origin, workers, tasks: total } = row;
      const watcher = await options.watch?.(row);
      const runStarted = now();
      const result = await body((done) => {
        const at = now();
        const times = { elapsedMs: at - startedAt, runMs: at - runStarted };
        const progress: Progress = { label, mode, workers, repeat, repeats, done, total, ...times };
        options.onProgress?.(progress);
        cell.update(progress);
      });
      const watched = watcher ? await watcher.stop() : undefined;
      const run: Run = { ...result, label, mode, origin, workers, cores: env.cores, repeat };
      if (watched !== undefined) run.detail = { ...result.detail, watch: watched };
      if (row.startupIncluded) run.startupMs = observedStartupMs(run);
      return run;
    };
    const warm = [
      ...p.entries.map((e, i) => () => executors[i]!.run(e.warmInputs ?? e.inputs.slice(0, executors[i]!.workers))),
      ...p.runnable.filter((peer) => peer.warm).map((peer) => () => peer.run()),
    ];
    for (const pass of warm) for (let w = 0; w < p.warmup; w++) await pass();
    // Warmed pools keep the processors busy a while (compiling, collecting): the first timed run must not pay for it.
    if (p.warmup > 0 && (p.entries.some((e) => isPoolMode(e.mode)) || p.runnable.some((peer) => peer.warm)))
      await settle();
    const byRow = await takeTurns(
      rows.map((row, i) => (repeat: number, repeats: number) => timed(row, bodies[i]!, repeat, repeats)),
      p.rule,
    );
    rows.forEach((row, i) => {
      if (row.startupIncluded) row.startupMs = median(byRow[i]!.map((r) => r.startupMs ?? 0));
    });
    const runs = byRow.flat();
    const seconds = ((now() - startedAt) / 1000).toFixed(1);
    cell.done(`measured ${rows.length} rows, ${runs.length} runs in all, in ${seconds} s`);
    const workload = resolveWorkload(options.workload ?? p.entries[0]?.workload ?? 'sleep').name;
    const tasks = options.inputs?.length ?? p.entries[0]?.inputs.length ?? 0;
    const skipped = p.peers.flatMap(({ label, unavailable: reason }) => (reason ? [{ label, reason }] : []));
    return { workload, tasks, workers: p.workers, rows, runs, skipped, env, params: { ...options.params } };
  } finally {
    await Promise.allSettled([
      ...[...started.values()].map((e) => e.close()),
      ...p.peers.map((peer) => peer.close?.()),
    ]);
  }
}

/** A peer's run of `tasks` tasks; a peer that fails (a program that crashed or printed nonsense) is a run whose every task failed. */
function peerBody(peer: Peer, tasks: number): Body {
  return async (onTask) => {
    const start = now();
    try {
      return await peer.run(onTask);
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      const end = now();
      const failed = `${peer.label} failed: ${messageOf(error)}`;
      const n = Math.max(1, tasks);
      const record = { pid: -1, threadId: -1, start, end, ok: false, error: failed };
      const records = Tasks.of(Array.from({ length: n }, (_, index) => ({ index, ...record })));
      const results = new Array(n).fill(undefined);
      return { start, end, wallMs: end - start, tasks: records, results, detail: { failed } };
    }
  };
}

interface SweepOptions extends MeasureOptions {
  /** The pool mode to scale (default 'threads'; 'processes', or a registered pool mode such as 'queue'). */
  mode?: Mode;
  /** Pool sizes to try (default 1 to twice the cores); a one-worker run is always among them, as the baseline. */
  workers?: readonly number[];
}

/** How a pool mode scales: the same work on each pool size, in turns, each read against the one-worker pool. */
export async function sweep(options: SweepOptions): Promise<Comparison> {
  if (options === null || typeof options !== 'object') throw new ParameterError('options', 'an object', options);
  const mode = check.oneOf('mode', options.mode ?? 'threads', modeNames().filter(isPoolMode));
  const given = options.workers ?? Array.from({ length: 2 * environment().cores }, (_, i) => i + 1);
  const sizes = check.nonEmptyList<unknown>('workers', given).map((w, i) => check.integer(`workers[${i}]`, w, 1, 256));
  const all = [...new Set([1, ...sizes])].sort((a, b) => a - b);
  const { workers: _workers, mode: _mode, ...rest } = options;
  return compare({ ...rest, modes: all.map((workers) => ({ mode, workers })), oneWorker: false });
}
