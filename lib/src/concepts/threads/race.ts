/**
 * The course's warning made real: threads that add 1 to a shared counter lose updates
 * unless the addition is indivisible. Each run starts `threads` workers at the same instant
 * (a start gate in shared memory, then a wait until all of them run); each adds 1 `increments` times, in one of three ways:
 * - unsafe: `counter = counter + 1` as a read then a write (each one a single step that goes
 *   to memory, Atomics.load then Atomics.store), another thread can write in between;
 * - atomics: `Atomics.add(counter, 1)` (one indivisible step);
 * - lock: read and write inside a small lock built on Atomics.wait/notify (any number of steps).
 */
import { now } from '../../core/clock';
import { environment } from '../../core/environment';
import type { Environment } from '../../core/records';
import { summarize, type Summary } from '../../core/stats';
import * as check from '../../core/validate';
import { withTeam, type Team } from './team';
import { ARRIVED, COUNTER, GATE } from './team-thread';

/** The ways to add to a shared counter. */
export const COUNT_MODES = ['unsafe', 'atomics', 'lock'] as const;

/** One way to add to a shared counter. */
export type CountMode = (typeof COUNT_MODES)[number];

/** One run: how far the counter got and how long it took. */
export interface CountRun {
  mode: CountMode;
  repeat: number;
  threads: number;
  /** threads x increments. */
  expected: number;
  final: number;
  /** expected - final: the updates that were overwritten. */
  lost: number;
  /** From opening the gate until the last thread finished. */
  ms: number;
}

/** Every run, and per mode the lost updates and times over the repeats. */
export interface CounterRace {
  threads: number;
  increments: number;
  repeats: number;
  runs: CountRun[];
  summary: { mode: CountMode; lost: Summary; ms: Summary; runsWithLosses: number }[];
  env: Environment;
}

/** Options of `counterRace`. */
export interface CounterRaceOptions {
  /** Worker threads adding at once (default 2). */
  threads?: number;
  /** Additions per thread (default 1,000,000). */
  increments?: number;
  /** Runs per mode (default 5). */
  repeats?: number;
  /** Which ways to run (default all three). */
  modes?: readonly CountMode[];
}

async function once(team: Team, cells: Int32Array, mode: CountMode, increments: number, run: number) {
  Atomics.store(cells, COUNTER, 0);
  Atomics.store(cells, ARRIVED, 0);
  const all = Array.from({ length: team.size }, (_, i) => i);
  // Every thread is ready and waiting at the gate before it opens.
  await Promise.all(all.map((i) => team.ask(i, { cmd: 'count', cells, mode, increments, run, threads: team.size })));
  const start = now();
  Atomics.store(cells, GATE, run);
  Atomics.notify(cells, GATE);
  await Promise.all(all.map((i) => team.next(i)));
  return { ms: now() - start, final: Atomics.load(cells, COUNTER) };
}

/** Runs the counter race `repeats` times per mode (modes taking turns) and counts the lost updates. */
export async function counterRace(options: CounterRaceOptions = {}): Promise<CounterRace> {
  const threads = check.integer('threads', options.threads ?? 2, 1, 64);
  const increments = check.integer('increments', options.increments ?? 1_000_000, 1, Math.floor(2 ** 31 / threads) - 1);
  const repeats = check.integer('repeats', options.repeats ?? 5, 1, 1000);
  const modes = check.subsetOf('modes', options.modes ?? [...COUNT_MODES], COUNT_MODES);
  const cells = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  const runs: CountRun[] = [];
  await withTeam(threads, async (team) => {
    let run = 0;
    for (const mode of modes) await once(team, cells, mode, Math.min(increments, 1000), ++run); // warm-up
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (const mode of modes) {
        const { ms, final } = await once(team, cells, mode, increments, ++run);
        const expected = threads * increments;
        runs.push({ mode, repeat, threads, expected, final, lost: expected - final, ms });
      }
    }
  });
  const summary = modes.map((mode) => {
    const mine = runs.filter((r) => r.mode === mode);
    return {
      mode,
      lost: summarize(mine.map((r) => r.lost)),
      ms: summarize(mine.map((r) => r.ms)),
      runsWithLosses: mine.filter((r) => r.lost > 0).length,
    };
  });
  return { threads, increments, repeats, runs, summary, env: environment() };
}
