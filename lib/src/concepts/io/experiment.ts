/** `concurrency-lab io`: every way of waiting, as notebook 04 measures it; the knob and the faults when asked. */
import type { Experiment } from '../../core/report';
import type { IoReportInput } from './findings';
import { IO_PARAMS } from './params';
import { report } from './report';
import { connectionVariants, courseVariants, measureIo, type IoOptions } from './run';

/** The I/O experiment; with --sweep the connection limits too, with --fail-share or --hang-share a faults run. */
export const experiment: Experiment<IoReportInput> = {
  name: 'io',
  notebook: '04-io-bound',
  summary: 'HTTP requests to the embedded loopback server (or --urls), as in notebook 04-io-bound',
  params: IO_PARAMS,
  cliDefaults: { python: false, failShare: 0, hangShare: 0 },
  async measure(v, o) {
    const server = {
      latencyMs: v.latencyMs as number,
      jitterMs: v.jitterMs as number,
      bodyBytes: v.bodyBytes as number,
    };
    const common: IoOptions = {
      requests: v.requests as number,
      urls: v.urls as string,
      server,
      timeoutMs: (o.timeoutMs ?? v.timeoutMs) as number,
      repeats: v.repeats as number,
      warmup: o.warmup ?? (v.warmup as number),
      onProgress: o.onProgress,
    };
    const main = await measureIo({
      ...common,
      variants: courseVariants({ threads: v.threads as number[], processes: v.processes as number }),
      // Python's thread pool as large as the largest of ours: like for like.
      python: v.python ? { workers: Math.max(...(v.threads as number[])) } : false,
    });
    const connections = o.sweep
      ? await measureIo({ ...common, variants: connectionVariants(v.connections as number[]) })
      : undefined;
    const faulty = (v.failShare as number) > 0 || (v.hangShare as number) > 0;
    const faults = faulty
      ? await measureIo({
          ...common,
          server: { ...server, failShare: v.failShare as number, hangShare: v.hangShare as number },
          timeoutMs: v.faultTimeoutMs as number,
          variants: courseVariants({ threads: [Math.max(...(v.threads as number[]))], processes: 0 }).filter(
            (x) => x.label !== 'blocking in Promise.all',
          ),
          repeats: 1,
          warmup: 0,
        })
      : undefined;
    return { main, ...(connections ? { connections } : {}), ...(faults ? { faults } : {}) };
  },
  report,
};
