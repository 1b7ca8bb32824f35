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
import { compare, runsOf, type Comparison } from '../../core/measure';
import type { Peer } from '../../core/peers';
import { Tasks, type Environment } from '../../core/records';
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
  /** The comparison the runs were read from: a row (a peer) per way. */
  comparison: Comparison;
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

/** The peer that runs the race one way: every thread waits at the gate, then adds `increments` times. */
function racePeer(team: Team, cells: Int32Array, mode: CountMode, increments: number, next: () => number): Peer {
  const threads = team.size;
  const all = Array.from({ length: threads }, (_, i) => i);
  return {
    label: mode,
    origin: 'node',
    mode: 'threads',
    workers: threads,
    startupIncluded: false,
    async run() {
      const run = next();
      Atomics.store(cells, COUNTER, 0);
      Atomics.store(cells, ARRIVED, 0);
      await Promise.all(all.map((i) => team.ask(i, { cmd: 'count', cells, mode, increments, run, threads })));
      const start = now();
      Atomics.store(cells, GATE, run);
      Atomics.notify(cells, GATE);
      const answers = await Promise.all(all.map((i) => team.next(i)));
      const end = now();
      const final = Atomics.load(cells, COUNTER);
      const tasks = Tasks.of(
        answers.map((a: { done: number; ms: number }, index) => ({
          index,
          pid: process.pid,
          threadId: a.done,
          start: end - a.ms,
          end,
          ok: true,
        })),
      );
      return {
        start,
        end,
        wallMs: end - start,
        tasks,
        results: [final],
        detail: { final, expected: threads * increments, lost: threads * increments - final },
      };
    },
  };
}

/** Runs the counter race `repeats` times per mode (modes taking turns) and counts the lost updates. */
export async function counterRace(options: CounterRaceOptions = {}): Promise<CounterRace> {
  const threads = check.integer('threads', options.threads ?? 2, 1, 64);
  const increments = check.integer('increments', options.increments ?? 1_000_000, 1, Math.floor(2 ** 31 / threads) - 1);
  const repeats = check.integer('repeats', options.repeats ?? 5, 1, 1000);
  const modes = check.subsetOf('modes', options.modes ?? [...COUNT_MODES], COUNT_MODES);
  const cells = new Int32Array(new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT));
  let run = 0;
  const comparison = await withTeam(threads, (team) =>
    compare({
      modes: [],
      peers: modes.map((mode) => racePeer(team, cells, mode, increments, () => ++run)),
      repeats,
      warmup: 0,
      params: { threads, increments, repeats },
    }),
  );
  const runs: CountRun[] = modes.flatMap((mode) =>
    runsOf(comparison, mode).map((r) => {
      const d = r.detail as { final: number; expected: number; lost: number };
      return { mode, repeat: r.repeat, threads, expected: d.expected, final: d.final, lost: d.lost, ms: r.wallMs };
    }),
  );
  const summary = modes.map((mode) => {
    const mine = runs.filter((r) => r.mode === mode);
    return {
      mode,
      lost: summarize(mine.map((r) => r.lost)),
      ms: summarize(mine.map((r) => r.ms)),
      runsWithLosses: mine.filter((r) => r.lost > 0).length,
    };
  });
  return { threads, increments, repeats, runs, summary, comparison, env: comparison.env };
}
