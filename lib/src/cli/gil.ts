/**
 * `concurrency-lab gil`: the simulated global lock of notebook 06-gil-like-limits: the
 * course's CPU tasks on one thread, on N threads that share one lock, and on N threads
 * without it; with --sweep, what the switch interval costs.
 */
import { Option } from 'commander';
import { gilChart, lockTimelineChart, switchSweepChart } from '../concepts/gil/charts';
import type { Figure } from '../charts/figure';
import {
  compareGil,
  GIL_VARIANTS,
  summarizeGil,
  sweepSwitchInterval,
  VARIANT_LABELS,
  type GilComparison,
  type GilProgress,
  type SwitchSweep,
} from '../concepts/gil/run';
import { GIL_PARAMS } from '../concepts/gil/params';
import { cpuTasks } from '../concepts/gil/tasks';
import type { GilRun } from '../concepts/gil/gil-team';
import type { ParamSpec } from '../core/params';
import { gilFindings } from '../concepts/gil/findings';
import type { Experiment, Outcome } from './experiment';
import { repeatsOption, runsOption, runTimeoutOption, specOption } from './flags';
import type { ProgressReporter } from './progress';
import { markdownOfTextTable, TASK_COLUMNS, taskCells } from '../output/export';
import { csvLine, describeEnv, failureCount, jsonOf, medianRun, plainText } from './report';

/** Blocking 1 ms calls of the sweep's I/O thread per switch interval and repeat (sweepSwitchInterval's default). */
const IO_WAITS = 40;

const SPECS: Record<string, [string, ParamSpec]> = {
  threads: ['--threads <n>', GIL_PARAMS.threads],
  switchIntervalMs: ['--switch-interval-ms <ms>', GIL_PARAMS.switchIntervalMs],
  count: ['--count <n>', GIL_PARAMS.count],
  num: ['--num <n>', GIL_PARAMS.num],
  intervals: [
    '--intervals <list>',
    { ...GIL_PARAMS.intervals, help: 'switch intervals of the --sweep (ms), comma-separated' },
  ],
  sweepCount: ['--sweep-count <n>', { ...GIL_PARAMS.sweepCount, help: 'CPU tasks per run of the --sweep' }],
};

const CSV_HEADER = ['threads', 'switchIntervalMs', 'repeat', ...TASK_COLUMNS];

function taskRows(label: string, run: GilRun): string[] {
  return run.tasks.map((t) =>
    csvLine([label, run.workers, run.switchIntervalMs, run.repeat, ...taskCells(t, run.start)]),
  );
}

/** One row per task of every run of every variant; times in ms from the start of that run. */
export function gilCSV(result: GilComparison): string {
  const lines = [['variant', ...CSV_HEADER].join(','), ...result.runs.flatMap((r) => taskRows(r.variant, r))];
  return `${lines.join('\n')}\n`;
}

/** One row per task of the sweep's runs: the one-thread baseline, then each switch interval. */
export function gilSweepCSV(result: SwitchSweep): string {
  const lines = [
    ['run', ...CSV_HEADER].join(','),
    ...result.baseline.flatMap((r) => taskRows('baseline', r)),
    ...result.points.flatMap((p) => p.runs.flatMap((r) => taskRows('interval', r))),
  ];
  return `${lines.join('\n')}\n`;
}

function reportRun(progress: ProgressReporter, threads: number): (p: GilProgress) => void {
  return (p) => {
    const repeat = `repeat ${p.repeat + 1}/${p.repeats}`;
    if (p.run === 'baseline') progress.advance(`sweep · one thread, ${repeat}`);
    else if (p.run === 'interval')
      progress.advance(`sweep · ${threads} threads at ${p.switchIntervalMs} ms, ${repeat}`);
    else if (p.run === 'io lag') progress.advance(`sweep · an I/O thread at ${p.switchIntervalMs} ms, ${repeat}`);
    else progress.advance(`${VARIANT_LABELS[p.run]}, ${repeat}`);
  };
}

/** The simulated GIL; defaults are the notebook's. */
export const gilExperiment: Experiment = {
  name: 'gil',
  summary: "a simulated global lock that reproduces Python's result, as in notebook 06-gil-like-limits",
  workers: GIL_PARAMS.threads.default,
  flags: 'files',
  runTimeout: true,
  addFlags(command) {
    for (const [flags, spec] of Object.values(SPECS)) command.addOption(specOption(flags, spec));
    command
      .addOption(repeatsOption(GIL_PARAMS.repeats))
      .addOption(runsOption(GIL_PARAMS.repeats))
      .addOption(runTimeoutOption());
    command.addOption(
      new Option('--sweep', 'also measure the switch interval: --intervals with --sweep-count tasks').default(false),
    );
  },
  async prepare(flags) {
    const f = flags as unknown as Record<keyof typeof SPECS, any> & { sweep: boolean; repeats: number };
    // The sweep's own flags are recorded only when it runs.
    const recorded = Object.keys(SPECS).filter((k) => f.sweep || !['intervals', 'sweepCount'].includes(k));
    const params: Record<string, unknown> = {
      ...Object.fromEntries(recorded.map((k) => [k, f[k]])),
      repeats: f.repeats,
      sweep: f.sweep,
    };
    const threads = f.threads as number;
    const repeats = f.repeats;
    const intervals = f.intervals as number[];
    const label = `${f.count} x cpu(${f.num})`;
    const title = `gil: ${label} on ${threads} threads, switch interval ${f.switchIntervalMs} ms`;
    // Per repeat, the sweep times one baseline run, then per interval a CPU run and an I/O run.
    const swept = f.sweep ? repeats * (1 + 2 * intervals.length) : 0;
    return {
      name: 'gil',
      title,
      params,
      totalTasks: repeats * GIL_VARIANTS.length + swept,
      unit: 'runs',
      async measure(progress): Promise<Outcome> {
        const onProgress = reportRun(progress, threads);
        const cpu = await compareGil({
          tasks: cpuTasks(f.count, f.num),
          threads,
          switchIntervalMs: f.switchIntervalMs,
          repeats,
          label,
          params,
          onProgress,
        });
        const sweep = f.sweep
          ? await sweepSwitchInterval({
              tasks: cpuTasks(f.sweepCount, f.num),
              threads,
              intervals,
              repeats,
              ioWaits: IO_WAITS,
              params,
              onProgress,
            })
          : undefined;
        const about = describeEnv(cpu.env, params);
        const [, locked, free] = summarizeGil(cpu);
        const headline = `Simulated GIL, ${threads} threads on ${cpu.env.cores} cores: ${locked!.speedup!.toFixed(2)}x with one global lock, ${free!.speedup!.toFixed(2)}x without`;
        const findings = plainText(gilFindings({ cpu, switches: sweep }));
        const chart = gilChart(cpu);
        const summary = [title, about, '', chart.table];
        const items: (Figure | string)[] = [about, headline, chart];
        items.push(lockTimelineChart(medianRun(cpu.runs.filter((r) => r.variant === 'gil'))));
        if (sweep) {
          const sweepChart = switchSweepChart(sweep);
          items.push(sweepChart);
          summary.push('', sweepChart.table);
        }
        summary.push('', headline, '', findings);
        items.push(findings);
        return {
          summary: summary.join('\n'),
          items,
          json: jsonOf({ summaries: summarizeGil(cpu), ...cpu }),
          csv: gilCSV(cpu),
          markdown: markdownOfTextTable(chart.table),
          ...failureCount(cpu.runs),
          more: sweep ? { 'sweep.json': jsonOf(sweep), 'sweep.csv': gilSweepCSV(sweep) } : undefined,
        };
      },
    };
  },
};
