/**
 * The I/O benchmark: 100 requests at 100 ms latency against the embedded server, medians of
 * a few runs: one after another, all at once (undici, Promise.all), and the blocking client
 * in a pool of 10 threads, each beside its physical bound.
 */
import { measureIo, type IoVariant } from '../io';
import { ioSummary } from '../io-summary';

/** What `npm run bench` reports under `io`. */
export interface IoBench {
  requests: number;
  latencyMs: number;
  sequentialMs: number;
  asyncMs: number;
  threadPool10Ms: number;
  boundAsyncMs: number;
  boundPool10Ms: number;
}

/** Options of the benchmark (defaults: the 100 requests at 100 ms, 5 runs, 1 sequential run). */
export interface IoBenchOptions {
  requests?: number;
  latencyMs?: number;
  repeats?: number;
  /** Runs of the slow sequential baseline (N x latency each). */
  sequentialRepeats?: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Runs the I/O benchmark and returns its medians in ms. */
export async function benchIo(options: IoBenchOptions = {}): Promise<IoBench> {
  const { requests = 100, latencyMs = 100, repeats = 5, sequentialRepeats = 1 } = options;
  const server = { latencyMs };
  const fast: IoVariant[] = [
    { label: 'async', workload: 'io', mode: 'async' },
    { label: 'pool10', workload: 'ioBlocking', mode: 'threads', workers: 10 },
  ];
  const seq = await measureIo({
    requests,
    server,
    repeats: sequentialRepeats,
    variants: [{ label: 'sequential', workload: 'io', mode: 'sequential' }],
  });
  const par = await measureIo({ requests, server, repeats, variants: fast });
  const a = ioSummary(par, 'async');
  const p = ioSummary(par, 'pool10');
  return {
    requests,
    latencyMs,
    sequentialMs: round(ioSummary(seq, 'sequential').medianMs),
    asyncMs: round(a.medianMs),
    threadPool10Ms: round(p.medianMs),
    boundAsyncMs: a.boundMs!,
    boundPool10Ms: p.boundMs!,
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
