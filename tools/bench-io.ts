/**
 * The I/O benchmark: 100 requests at 100 ms latency against the embedded server, medians of
 * a few runs: one after another, all at once (undici, Promise.all), and the blocking client
 * in a pool of 10 threads, each beside its physical bound.
 *
 * Timed runs come after untimed ones, as in any benchmark of steady state: the first few
 * dozen passes of 100 requests run 10-20 ms slower while V8 compiles the client's and the
 * server's hot paths (measured on the 2-core machine: 123-130 ms cold, 110-117 ms warm, the
 * same code). A notebook's first run pays that; the bench reports what the code costs.
 */
import { io } from 'concurrency-lab';
import { rowOf, round } from './bench-rows';

/** What `npm run bench` reports under `io`. */
export interface IoBench {
  requests: number;
  latencyMs: number;
  sequentialMs: number;
  asyncMs: number;
  threadPool10Ms: number;
  /** The pool's start-up (its 10 threads and their shared I/O thread), measured apart from its runs. */
  threadPool10StartupMs: number;
  boundAsyncMs: number;
  boundPool10Ms: number;
}

/** Options of the benchmark (defaults: the 100 requests at 100 ms, 1 sequential run). */
export interface IoBenchOptions {
  requests?: number;
  latencyMs?: number;
  /** Timed runs of the async and pool rows, which take turns (default 15). */
  repeats?: number;
  poolRepeats?: number;
  /** Untimed passes first (default 20). */
  warmup?: number;
  /** Runs of the slow sequential baseline (N x latency each). */
  sequentialRepeats?: number;
}

/** Runs the I/O benchmark and returns its medians in ms. */
export async function benchIo(options: IoBenchOptions = {}): Promise<IoBench> {
  const { requests = 100, latencyMs = 100, repeats = 15, warmup = 20, sequentialRepeats = 1 } = options;
  const server = { latencyMs };
  const seq = await io.measure({
    requests,
    server,
    repeats: sequentialRepeats,
    warmup: 1,
    variants: [{ label: 'sequential', workload: 'io', mode: 'sequential' }],
  });
  const main = await io.measure({
    requests,
    server,
    repeats: options.poolRepeats ?? repeats,
    warmup,
    variants: [
      { label: 'async', workload: 'io', mode: 'async' },
      { label: 'pool10', workload: 'ioBlocking', mode: 'threads', workers: 10 },
    ],
  });
  const [s, a, p] = [
    rowOf(seq.comparison, 'sequential')!,
    rowOf(main.comparison, 'async')!,
    rowOf(main.comparison, 'pool10')!,
  ];
  return {
    requests,
    latencyMs,
    sequentialMs: round(s.ms)!,
    asyncMs: round(a.ms)!,
    threadPool10Ms: round(p.ms)!,
    threadPool10StartupMs: round(p.startupMs)!,
    boundAsyncMs: latencyMs,
    boundPool10Ms: Math.ceil(requests / 10) * latencyMs,
  };
}

if (require.main === module) {
  benchIo().then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
