/** Notebook 04 as one report and as `concurrency-lab io`: every way of waiting; the knob and the faults when asked. */
import type { ParamValues } from '../../core/params';
import type { Experiment, Report } from '../../core/report';
import { boundChart, concurrencyChart, inflightChart, ioTimelineChart } from './charts';
import { ioFindings, type IoReportInput } from './findings';
import { IO_PARAMS } from './params';
import { courseVariants, measureIo, type IoOptions } from './run';
import { failureTable } from './summary';

/** Everything a reader sees of an I/O measurement (`show(io.report({ main, connections, faults }))`). */
export function report(m: IoReportInput): Report {
  const { main, connections, faults } = m;
  const faultsTitle = faults && `${faults.requests} requests with faults: wall time`;
  return {
    name: 'io',
    title: `I/O-bound work: ${main.requests} requests, every way of waiting`,
    ...ioFindings(m),
    figures: [
      ...[boundChart, failureTable, ioTimelineChart, inflightChart].map((show) => show(main)),
      ...(connections ? [concurrencyChart(connections)] : []),
      ...(faults ? [failureTable(faults), boundChart(faults, { title: faultsTitle })] : []),
    ],
    results: {
      main: main.comparison,
      ...(connections && { connections: connections.comparison }),
      ...(faults && { faults: faults.comparison }),
    },
    env: main.comparison.env,
    params: main.comparison.params,
  };
}

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
    const { failShare, hangShare } = v;
    const faultServer = { ...server, failShare, hangShare };
    const faultRun = { server: faultServer, timeoutMs: v.faultTimeoutMs, repeats: 1, warmup: 0 };
    const ways = courseVariants({ threads: [threads], processes: 0 });
    const variants = ways.filter((x) => x.label !== 'blocking in Promise.all');
    const faults = failShare > 0 || hangShare > 0 ? await measureIo({ ...common, ...faultRun, variants }) : undefined;
    return { main, ...(connections && { connections }), ...(faults && { faults }) };
  },
  report,
};
