/**
 * `npm run bench:pool`: Node/V8 flags for pool processes, measured in pairs. Each round runs
 * every flag set once, in a rotating order (so a slow moment of the machine hits each alike):
 * a new process pool of `workers`, every input of `count` x cpu(num) handed to it at once,
 * then closed, timed end to end, with the pool's start-up (until every worker answered)
 * apart. Prints one JSON line: the medians per flag set, and each set against the first.
 *
 *   node build/tools/bench-pool.js [rounds] [count] [num] [workers] [flags;flags;...]
 *   node build/tools/bench-pool.js 8 40 30 10 ";--single-threaded-gc;--max-semi-space-size=64"
 */
import { now } from 'concurrency-lab';
import { createExecutor, median, resolveWorkload } from 'concurrency-lab/tooling';

const round = (v: number) => Number(v.toFixed(1));

/** One end-to-end run of a process pool with `flags`: its start-up and its total, in ms. */
async function once(
  flags: string[],
  inputs: number[],
  workers: number,
): Promise<{ startupMs: number; totalMs: number }> {
  const start = now();
  const executor = await createExecutor('processes', workers, resolveWorkload('cpu'), { processFlags: flags });
  try {
    await executor.run(inputs);
  } finally {
    await executor.close();
  }
  return { startupMs: executor.startupMs, totalMs: now() - start };
}

/** Measures every flag set `rounds` times, alternating; the first set is the reference. */
export async function benchPoolFlags(sets: string[][], rounds = 6, count = 40, num = 30, workers = 10) {
  const inputs: number[] = Array(count).fill(num);
  const samples = sets.map(() => ({ startupMs: [] as number[], totalMs: [] as number[] }));
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < sets.length; k++) {
      const i = (k + r) % sets.length;
      const s = await once(sets[i]!, inputs, workers);
      samples[i]!.startupMs.push(s.startupMs);
      samples[i]!.totalMs.push(s.totalMs);
      process.stderr.write(`round ${r + 1}/${rounds} [${sets[i]!.join(' ')}]: ${round(s.totalMs)} ms\n`);
    }
  }
  const ref = median(samples[0]!.totalMs);
  return {
    rounds,
    count,
    num,
    workers,
    sets: sets.map((flags, i) => ({
      flags: flags.join(' ') || '(none)',
      startupMs: round(median(samples[i]!.startupMs)),
      totalMs: round(median(samples[i]!.totalMs)),
      vsFirst: Number((median(samples[i]!.totalMs) / ref).toFixed(3)),
    })),
  };
}

if (require.main === module) {
  const [rounds = '6', count = '40', num = '30', workers = '10', list] = process.argv.slice(2);
  const sets = (list ?? ';--single-threaded-gc;--v8-pool-size=1;--max-semi-space-size=64')
    .split(';')
    .map((s) => s.split(' ').filter(Boolean));
  benchPoolFlags(sets, Number(rounds), Number(count), Number(num), Number(workers)).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
