/** The counter race: threads adding 1 to a shared counter lose updates unless the addition is indivisible. */
import { compare, runsOf } from '../../core/measure';
import { summarize } from '../../core/stats';
import * as check from '../../core/validate';
import { CELLS, COUNT_MODES, RACE, type RaceTask } from './race-thread';

export type CountMode = RaceTask['mode'];

/** Runs the counter race `repeats` times per way (all three by default, taking turns) and counts the lost updates. */
export async function counterRace(
  options: { threads?: number; increments?: number; repeats?: number; modes?: readonly CountMode[] } = {},
) {
  const threads = check.integer('threads', options.threads ?? 2, 1, 64);
  const increments = check.integer('increments', options.increments ?? 1_000_000, 1, Math.floor(2 ** 31 / threads) - 1);
  const repeats = check.integer('repeats', options.repeats ?? 5, 1, 1000);
  const modes = check.subsetOf('modes', options.modes ?? [...COUNT_MODES], COUNT_MODES);
  const cells = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const comparison = await compare({
    workload: RACE,
    modes: modes.map((mode) => {
      const inputs = Array<RaceTask>(threads).fill({ cells, mode, increments, threads });
      return { mode: 'threads' as const, label: mode, workers: threads, inputs };
    }),
    oneWorker: false,
    repeats,
    warmup: 0,
    // Before each run no thread is counting: zero the cells; after it, every thread is done.
    watch: () => {
      cells.fill(0);
      return { stop: async () => Atomics.load(cells, CELLS.counter) };
    },
    params: { threads, increments, repeats },
  });
  const expected = threads * increments;
  const runs = modes.flatMap((mode) =>
    runsOf(comparison, mode).map((r) => {
      const final = r.detail!.watch as number;
      return { mode, repeat: r.repeat, threads, expected, final, lost: expected - final, ms: r.wallMs };
    }),
  );
  const summary = modes.map((mode) => {
    const mine = runs.filter((r) => r.mode === mode);
    const [lost, ms] = [summarize(mine.map((r) => r.lost)), summarize(mine.map((r) => r.ms))];
    return { mode, lost, ms, runsWithLosses: mine.filter((r) => r.lost > 0).length };
  });
  return { threads, increments, repeats, runs, summary, comparison, env: comparison.env };
}

/** Every run, per way the lost updates and times, and the comparison (a row per way) they were read from. */
export type CounterRace = Awaited<ReturnType<typeof counterRace>>;
