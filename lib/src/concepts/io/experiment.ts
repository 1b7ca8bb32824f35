/** `concurrency-lab io`: every way of waiting, as notebook 04 measures it; the knob and the faults when asked. */
import type { ParamValues } from '../../core/params';
import type { Experiment } from '../../core/report';
import type { IoReportInput } from './findings';
import { IO_PARAMS } from './params';
import { report } from './report';
import { courseVariants, measureIo, type IoOptions } from './run';

export const experiment: Experiment<IoReportInput> = {
  name: 'io',
  notebook: '04-io-bound',
  summary: 'HTTP requests to the embedded loopback server (or --urls), as in notebook 04-io-bound',
  params: IO_PARAMS,
  cliDefaults: { python: false, failShare: 0, hangShare: 0 },
  async measure(values, o) {
    const v = values as ParamValues<typeof IO_PARAMS>;
    const server = { latencyMs: v.latencyMs, jitterMs: v.jitterMs, bodyBytes: v.bodyBytes };
    const threads = Math.max(...v.threads);
    const common: IoOptions = {
      requests: v.requests,
      urls: v.urls,
      server,
      timeoutMs: o.timeoutMs ?? v.timeoutMs,
      repeats: v.repeats,
      warmup: o.warmup ?? v.warmup,
      onProgress: o.onProgress,
    };
    // Python's thread pool as large as the largest of ours: like for like.
    const main = await measureIo({ ...common, variants: courseVariants(v), python: v.python && { workers: threads } });
    const connections = o.sweep ? await measureIo({ ...common, connections: v.connections }) : undefined;
    const faults =
      v.failShare > 0 || v.hangShare > 0
        ? await measureIo({
            ...common,
            server: { ...server, failShare: v.failShare, hangShare: v.hangShare },
            timeoutMs: v.faultTimeoutMs,
            variants: courseVariants({ threads: [threads], processes: 0 }).filter(
              (x) => x.label !== 'blocking in Promise.all',
            ),
            repeats: 1,
            warmup: 0,
          })
        : undefined;
    return { main, ...(connections && { connections }), ...(faults && { faults }) };
  },
  report,
};
