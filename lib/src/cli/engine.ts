/**
 * The engine of a command-line run, in a worker thread of its own, so that a task that never yields holds up
 * this thread, not the main one (run.ts) that answers Ctrl-C. A stop message closes every pool and server here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { EXPERIMENTS } from '../catalog';
import { describeCores } from '../core/environment';
import { describeValue, InterruptedError, messageOf, ParameterError } from '../core/errors';
import type { Experiment, Report, RunOptions } from '../core/report';
import type { Progress } from '../core/rounds';
import { summaryTable, warnings } from '../core/summary';
import { closeAll } from '../core/teardown';
import { page } from '../output/display';
import { reportMarkdown, writeCsv, writeJson, writeTasksCsv } from '../output/export';
import { makeFolder } from '../output/folders';
import '../workloads';
import { kebab, type ExportFlag, type Flags } from './flags';
import { loadWorkloadModule, moduleExperiment } from './module';
import { UsageError } from './usage';

/** One file to write: the flag that asked for it (`--out` for all five), where, and what it holds. */
export type Target = { flag: string; file: string; kind: ExportFlag };

export type EngineJob = { experiment: string; flags: Flags; targets: Target[] };

export type ToEngine = { type: 'go' } | { type: 'stop'; reason: string };

/** What a finished run hands back to be printed: its summary, the files written or not, the tasks that failed. */
export type Outcome = { summary: string } & ReturnType<typeof writeFiles> & ReturnType<typeof failuresOf>;

/** Messages to the main thread, in the order they come. */
export type FromEngine =
  | { type: 'ready' }
  | { type: 'progress'; progress: Progress }
  | { type: 'done'; outcome: Outcome }
  | { type: 'usage' | 'failed'; message: string };

const WRITERS: Record<ExportFlag, (file: string, report: Report) => void> = {
  exportJson: writeJson,
  exportCsv: writeCsv,
  exportTasksCsv: writeTasksCsv,
  exportHtml: (file, r) => fs.writeFileSync(file, page(r.title, r.figures, r.findings)),
  exportMarkdown: (file, r) => fs.writeFileSync(file, reportMarkdown(r)),
};

/** A parameter as the user typed it: `urls[1]` of the io experiment is `--urls[1]` when it has that flag. */
function asFlag(error: ParameterError, flags: Record<string, unknown>): string {
  const [, head = '', rest = ''] = /^([A-Za-z]+)(.*)$/.exec(error.parameter) ?? [];
  if (!head || !Object.hasOwn(flags, head)) return error.message;
  return new ParameterError(`--${kebab(head)}${rest}`, error.allowed, error.got).message;
}

/** What goes on stdout: the title, the machine and parameters, each comparison's table, warnings, the report's text tables, the headline. */
function summaryText(report: Report): string {
  const values = Object.entries(report.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`);
  const { env } = report;
  const parts = [
    report.title,
    `${describeCores(env)}, ${env.cpuModel}, Node ${env.node}, ${env.date}`,
    values.join(' '),
  ];
  for (const [name, comparison] of Object.entries(report.results)) {
    parts.push('', `${name}:`, summaryTable(comparison));
    const warned = warnings(comparison);
    if (warned.length) parts.push('warnings:', ...warned.map((w) => `- ${w}`));
  }
  for (const table of report.figures) if (typeof table === 'string') parts.push('', table);
  return [...parts, '', report.headline].join('\n');
}

/** Failed tasks no fault injection asked for (io's `faults` comparison asks), and what the first said. */
function failuresOf(report: Report) {
  const failures = Object.entries(report.results)
    .filter(([name]) => name !== 'faults')
    .flatMap(([, c]) => c.runs.flatMap((run) => [...run.tasks.failed()].map((t) => ({ run, t }))));
  const first = failures[0];
  const firstFailure =
    first && `task ${first.t.index} (${first.run.label}, run ${first.run.repeat + 1}): ${first.t.error ?? 'failed'}`;
  return { failed: failures.length, firstFailure };
}

/** Writes each file (a failure is one line and does not stop the others). */
function writeFiles(report: Report, targets: Target[]) {
  const outcome = { written: [] as string[], writeErrors: [] as string[] };
  for (const t of targets) {
    try {
      makeFolder(t.flag, path.dirname(t.file));
      WRITERS[t.kind](t.file, report);
      outcome.written.push(t.file);
    } catch (error) {
      outcome.writeErrors.push(`could not write ${t.file} (${t.flag}): ${messageOf(error)}`);
    }
  }
  return outcome;
}

/** The sweep's pool sizes: 1 to an experiment's `--sweep-max` when it is set (not 0), else `--sweep-workers`. */
const sweepSizes = (max: unknown, workers: number[]) =>
  typeof max === 'number' && max > 0 ? Array.from({ length: max }, (_, i) => i + 1) : workers;

/** The experiment's parameter values from the flags, and the options every experiment shares. */
function valuesOf(experiment: Experiment, f: Flags): { values: Record<string, unknown>; options: RunOptions } {
  const values = Object.fromEntries(Object.keys(experiment.params).map((k) => [k, f[k]]));
  if (f.module !== undefined) values.module = f.module;
  const options: RunOptions = {
    ...(f.timeoutMs !== undefined && !experiment.runTimeout ? { timeoutMs: f.timeoutMs } : {}),
    ...(f.warmup !== undefined && !experiment.params.warmup ? { warmup: f.warmup } : {}),
    ...(f.minRuns !== undefined ? { minRuns: f.minRuns } : {}),
    ...(f.maxRuns !== undefined ? { maxRuns: f.maxRuns } : {}),
    ...(f.modes ? { modes: f.modes } : {}),
    ...(f.sweep ? { sweep: { mode: f.sweepMode, workers: sweepSizes(values.sweepMax, f.sweepWorkers) } } : {}),
  };
  return { values, options };
}

/** Runs a job to its end, posting what happens; never throws. */
async function runJob(job: EngineJob, post: (message: FromEngine) => void, go: Promise<boolean>): Promise<void> {
  const experiment = [...EXPERIMENTS, moduleExperiment].find((e) => e.name === job.experiment);
  if (!experiment) return post({ type: 'failed', message: `no experiment named ${describeValue(job.experiment)}` });
  try {
    // A module that is not there, or exports no function, is bad input: one line, before any progress.
    if (experiment === moduleExperiment) await loadWorkloadModule(String(job.flags.module));
    post({ type: 'ready' });
    if (!(await go)) return;
    const { values, options } = valuesOf(experiment, job.flags);
    const onProgress = (progress: Progress) => post({ type: 'progress', progress });
    const report = experiment.report(await experiment.measure(values, { ...options, onProgress }));
    const outcome = { summary: summaryText(report), ...writeFiles(report, job.targets), ...failuresOf(report) };
    post({ type: 'done', outcome });
  } catch (error) {
    if (error instanceof InterruptedError) return; // run.ts stopped the run and reads nothing more
    if (error instanceof UsageError) post({ type: 'usage', message: messageOf(error) });
    else if (error instanceof ParameterError) post({ type: 'usage', message: asFlag(error, job.flags) });
    else post({ type: 'failed', message: messageOf(error) });
  }
}

const job = (workerData as { engine?: EngineJob } | null)?.engine;
if (!isMainThread && parentPort && job) {
  const port = parentPort;
  const post = (message: FromEngine) => port.postMessage(message);
  let answer: (go: boolean) => void = () => {};
  const go = new Promise<boolean>((resolve) => (answer = resolve));
  port.on('message', (message: ToEngine) => {
    if (message.type === 'go') {
      // The port stops keeping the thread alive: with nothing left to wait for, it ends and run.ts says so.
      port.unref();
      return answer(true);
    }
    answer(false);
    void closeAll(message.reason);
  });
  void runJob(job, post, go).finally(() => port.unref());
}
