/**
 * One command-line run from parsed flags to files: prepare the experiment (bad input stops
 * here), measure it with progress on stderr, print the summary on stdout, write the page,
 * JSON and CSV. Ctrl-C (or SIGTERM) stops every worker, process and server and exits 130 (143).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InterruptedError, messageOf, ParameterError } from '../core/errors';
import { closeAll } from '../core/teardown';
import type { Experiment, Outcome, Prepared, SelfMeasured } from './experiment';
import type { CommonFlags } from './flags';
import { measureExperiment, plannedTasks } from './measure';
import { createProgress, progressStyle, type ProgressReporter } from './progress';
import { compareOutcome, writeOutcome } from './report';
import { EXIT, UsageError } from './usage';

/** How long a stop may take to shut things down before the process exits anyway. */
const STOP_GRACE_MS = 5000;

/**
 * Creates the output folder one level at a time (a recursive mkdir can spin forever under
 * /proc) and checks that it can be written.
 */
function checkOutDir(out: string): string {
  const dir = path.resolve(out);
  try {
    const missing: string[] = [];
    let existing = dir;
    while (!fs.existsSync(existing)) {
      missing.unshift(existing);
      existing = path.dirname(existing);
    }
    for (const level of missing) fs.mkdirSync(level);
    if (!fs.statSync(dir).isDirectory()) throw new Error('not a folder');
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    throw new UsageError(`--out ${out} must be a folder that can be written (${messageOf(error)})`);
  }
  return dir;
}

/** Stops everything on SIGINT/SIGTERM and exits; a second signal exits at once. Returns an uninstall. */
function exitOnSignals(progress: () => ProgressReporter | undefined): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
    if (stopping) process.exit(code);
    stopping = true;
    progress()?.stop();
    process.stderr.write(
      `\n${signal === 'SIGINT' ? 'interrupted' : 'terminated'}: stopping every worker, process and server\n`,
    );
    const grace = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    void Promise.race([closeAll(signal === 'SIGINT' ? 'interrupted' : 'terminated'), grace]).finally(() =>
      process.exit(code),
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.removeListener('SIGINT', handler);
    process.removeListener('SIGTERM', handler);
  };
}

/** Runs one experiment with its flags; returns the exit code (bad input is thrown as UsageError). */
export async function runExperiment(
  experiment: Experiment,
  flags: CommonFlags & Record<string, unknown>,
  target?: string,
): Promise<number> {
  if (experiment.unavailable) throw new UsageError(experiment.unavailable);
  let progress: ProgressReporter | undefined;
  const uninstall = exitOnSignals(() => progress);
  let prepared: Prepared | SelfMeasured | undefined;
  try {
    prepared = await experiment.prepare(flags, target);
    const out = checkOutDir(flags.out);
    const total = 'measure' in prepared ? prepared.totalTasks : plannedTasks(prepared, flags);
    const unit = 'measure' in prepared ? prepared.unit : undefined;
    progress = createProgress(progressStyle(flags.progress), total, process.stderr, unit);
    let outcome: Outcome;
    try {
      outcome =
        'measure' in prepared
          ? await prepared.measure(progress)
          : await compareOutcome(prepared, await measureExperiment(prepared, flags, progress));
    } finally {
      progress.stop();
    }
    // Sequential and async passes never yield to the event loop, so a Ctrl-C during them is
    // only seen now: let it through (it exits 130) before reporting a finished run.
    await new Promise((resolve) => setImmediate(resolve));
    process.stdout.write(`${outcome.summary}\n`);
    const written = writeOutcome(out, prepared.name, prepared.title, outcome);
    const files = written.map((f) => `  ${path.relative(process.cwd(), f) || f}`);
    process.stdout.write(`\nwrote:\n${files.join('\n')}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (error instanceof ParameterError) throw new UsageError(error.message);
    if (error instanceof InterruptedError) return EXIT.interrupted;
    process.stderr.write(`${PROGRAM_PREFIX}${messageOf(error)}\n`);
    return EXIT.failed;
  } finally {
    if (prepared && 'close' in prepared) await prepared.close?.();
    uninstall();
  }
}

/** How every message of the command line starts. */
export const PROGRAM_PREFIX = 'concurrency-lab: ';
