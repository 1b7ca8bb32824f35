/**
 * `concurrency-lab io`: the course's requests against the embedded loopback server (or real
 * URLs), as in notebook 04-io-bound: one after another, Promise.all, a blocking client on the
 * loop, thread pools and a process pool; with --sweep, undici's connection limit as well.
 */
import type { Figure } from '../charts/figure';
import { boundChart, concurrencyChart } from '../concepts/io/charts';
import { inflightChart } from '../concepts/io/charts';
import { ioTimelineChart } from '../concepts/io/charts';
import { csvLine, jsonOf, markdownOfTextTable, TASK_COLUMNS, taskCells } from '../output/export';
import {
  checkIoOptions,
  connectionVariants,
  courseVariants,
  measureIo,
  type IoExperiment,
  type IoOptions,
} from '../concepts/io/run';
import { IO_PARAMS } from '../concepts/io/params';
import { failureTable, ioSummaries } from '../concepts/io/summary';
import type { ParamSpec } from '../core/params';
import type { Experiment, Outcome } from './experiment';
import { specOption } from './flags';
import type { ProgressReporter } from './progress';

const FAULT = { min: 0, max: 1 } as const;
const SPECS: Record<string, [string, ParamSpec, string?]> = {
  requests: ['--requests <n>', IO_PARAMS.requests],
  latencyMs: ['--latency-ms <ms>', IO_PARAMS.latencyMs],
  jitterMs: ['--jitter-ms <ms>', IO_PARAMS.jitterMs],
  bodyBytes: ['--body-bytes <n>', IO_PARAMS.bodyBytes],
  threads: ['--threads <list>', IO_PARAMS.threads],
  processes: ['--processes <n>', IO_PARAMS.processes],
  connections: ['--connections <list>', { ...IO_PARAMS.connections, help: 'undici connection limits of the --sweep' }],
  timeoutMs: ['--timeout-ms <ms>', IO_PARAMS.timeoutMs],
  failShare: ['--fail-share <x>', { ...FAULT, default: 0, help: 'share of requests the server answers with a 500' }],
  hangShare: ['--hang-share <x>', { ...FAULT, default: 0, help: 'share of requests the server never answers' }],
  urls: ['--urls <list>', IO_PARAMS.urls, 'none: the embedded server'],
};

/** One row per request of every variant's runs: the variant's label, then the usual task columns. */
export function ioCSV(...experiments: IoExperiment[]): string {
  const lines = [csvLine(['variant', 'mode', 'workers', 'repeat', ...TASK_COLUMNS])];
  for (const experiment of experiments) {
    for (const v of experiment.variants) {
      for (const run of v.comparison.runs) {
        for (const t of run.tasks) {
          lines.push(csvLine([v.variant.label, run.mode, run.workers, run.repeat, ...taskCells(t, run.start)]));
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function withProgress(progress: ProgressReporter): IoOptions['onProgress'] {
  return (p) => progress.listener(p.variant, p.variant)(p);
}

/** The I/O-bound experiment; defaults are the notebook's. */
export const ioExperiment: Experiment = {
  name: 'io',
  summary: 'HTTP requests to the embedded loopback server (or --urls), as in notebook 04-io-bound',
  workers: 10,
  warmup: IO_PARAMS.warmup.default,
  flags: 'output',
  addFlags(command) {
    for (const [flags, spec, text] of Object.values(SPECS)) command.addOption(specOption(flags, spec, text));
    command.option('--sweep', 'also sweep undici connection limits (--connections) with Promise.all', false);
    command.option(
      '--python',
      "also run the course's Python programs against the same server (requests, aiohttp gather, ThreadPoolExecutor(10))",
      false,
    );
  },
  async prepare(flags) {
    const f = flags as unknown as Record<keyof typeof SPECS, any> & {
      repeats: number;
      warmup: number;
      sweep: boolean;
      python: boolean;
    };
    const variants = courseVariants({ threads: f.threads, processes: f.processes });
    const base: IoOptions = {
      requests: f.requests,
      urls: f.urls,
      server: {
        latencyMs: f.latencyMs,
        jitterMs: f.jitterMs,
        bodyBytes: f.bodyBytes,
        failShare: f.failShare,
        hangShare: f.hangShare,
      },
      timeoutMs: f.timeoutMs,
      repeats: f.repeats,
      warmup: f.warmup,
      python: f.python,
    };
    const params = Object.fromEntries(Object.keys(SPECS).map((k) => [k, f[k]]));
    const knobs = f.sweep ? connectionVariants(f.connections) : [];
    // Every bound that can be known (the open-file limit among them) before anything starts.
    checkIoOptions({ ...base, variants: [...variants, ...knobs] });
    const title = `io: ${f.requests} requests${f.urls ? ` to ${f.urls}` : `, ${f.latencyMs} ms latency each`}`;
    const recorded = { ...params, repeats: f.repeats, warmup: f.warmup, sweep: f.sweep, python: f.python };
    return {
      name: 'io',
      title,
      params: recorded,
      totalTasks: (variants.length + knobs.length + (f.python ? 3 : 0)) * f.repeats * f.requests,
      async measure(progress): Promise<Outcome> {
        const result = await measureIo({ ...base, variants, onProgress: withProgress(progress) });
        // The code is warm by now; one pass opens the connections (a pass at 1 connection takes requests x latency).
        const knob = knobs.length
          ? await measureIo({
              ...base,
              warmup: Math.min(1, f.warmup),
              variants: knobs,
              onProgress: withProgress(progress),
            })
          : undefined;
        const env = result.env;
        const about = `${env.cores} cores, ${env.cpuModel}, Node ${env.node}, ${env.date}\n${Object.entries(recorded)
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
          .join(' ')}`;
        const bound = boundChart(result);
        const failed = ioSummaries(result).some((s) => s.failed > 0);
        const summary = [title, about, '', bound.table];
        if (failed) summary.push('', 'failures:', failureTable(result));
        for (const s of result.skipped ?? []) summary.push(`not run: ${s.label}: ${s.reason}`);
        const items: (Figure | string)[] = [about, bound, ioTimelineChart(result)];
        if (result.server) items.push(inflightChart(result));
        if (failed) items.push(`failures:\n${failureTable(result)}`);
        if (knob) {
          const chart = concurrencyChart(knob);
          items.push(chart);
          summary.push('', chart.table);
        }
        // Failures are what the run is about when the server was told to fail or hang.
        const injected = !f.urls && (f.failShare > 0 || f.hangShare > 0);
        const summaries = ioSummaries(result);
        const failures = summaries.filter((s) => s.failed > 0);
        return {
          summary: summary.join('\n'),
          items,
          json: jsonOf({ summaries, ...(knob ? { result, connections: knob } : result) }),
          csv: knob ? ioCSV(result, knob) : ioCSV(result),
          markdown: markdownOfTextTable(bound.table),
          failed: injected ? 0 : failures.reduce((n, s) => n + s.failed, 0),
          firstFailure: injected || !failures[0] ? undefined : `${failures[0].label}: ${failures[0].firstError}`,
        };
      },
    };
  },
};
