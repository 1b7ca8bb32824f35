/**
 * One command-line run, from parsed flags to exit code. Every output path is checked before
 * anything runs (and nothing is created until the run has something to write); the
 * experiment runs in the engine, a worker thread (engine.ts); this thread draws progress,
 * prints the summary and answers signals: Ctrl-C (SIGTERM) stops every worker, process and
 * server and exits 130 (143) within a second or two, whatever the workload is doing. A second
 * signal exits at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { messageOf, oneLine } from '../core/errors';
import type { Experiment } from '../core/report';
import { checkFolder } from '../output/folders';
import type { EngineJob, FromEngine, Outcome, Target, ToEngine } from './engine';
import type { CommonFlags } from './flags';
import { createProgress, progressStyle, type ProgressReporter } from './progress';
import { onStopSignal } from './signals';
import { EXIT, UsageError } from './usage';

/** How every message of the command line starts. */
export const PROGRAM_PREFIX = 'concurrency-lab: ';

/** After a stop is asked for, how long the engine may take to close things before it is terminated. */
const STOP_GRACE_MS = 700;
/** After a stop, the process exits by this time whatever is still running. */
const STOP_LIMIT_MS = 1500;
/** After the outcome, how long the engine may take to end by itself before it is terminated. */
const END_GRACE_MS = 2000;

const ENGINE_SCRIPT = path.join(__dirname, 'engine.js');

/** Writes one line to stderr, prefixed; never throws (a closed pipe is not an error worth a stack trace). */
export function complain(text: string): void {
  try {
    process.stderr.write(`${PROGRAM_PREFIX}${oneLine(text)}\n`);
  } catch {
    // stderr is gone: nothing left to tell
  }
}

const EXPORTS: [keyof CommonFlags, string, Target['kind'], string][] = [
  ['exportJson', '--export-json', 'json', '.json'],
  ['exportCsv', '--export-csv', 'csv', '.csv'],
  ['exportTasksCsv', '--export-tasks-csv', 'tasks', '-tasks.csv'],
  ['exportHtml', '--export-html', 'html', '.html'],
  ['exportMarkdown', '--export-markdown', 'markdown', '.md'],
];

/** Longest file name most file systems take, in bytes. */
const NAME_LIMIT = 255;

/** Checks, creating nothing, that `file` can be written: its name, what is there now, and its folder. */
function checkFile(flag: string, given: string): string {
  const file = path.resolve(given);
  const name = path.basename(file);
  if (!name || given.trim() === '' || /[\0]/.test(given)) throw new UsageError(`${flag} needs a file name`);
  if (Buffer.byteLength(name) > NAME_LIMIT)
    throw new UsageError(
      `${flag} ${JSON.stringify(given.slice(0, 60))}...: a file name of at most ${NAME_LIMIT} bytes`,
    );
  if (fs.existsSync(file) && !fs.statSync(file).isFile())
    throw new UsageError(`${flag} ${JSON.stringify(given)} must be a file, not a folder or device`);
  try {
    checkFolder(flag, path.dirname(file));
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  return file;
}

/** The files a run is asked to write (none by default), each checked, and no two the same, before anything runs. */
export function plannedTargets(flags: CommonFlags, name: string): Target[] {
  const targets: Target[] = [];
  for (const [key, flag, kind] of EXPORTS) {
    const given = flags[key];
    if (given === undefined) continue;
    if (typeof given !== 'string') throw new UsageError(`${flag} needs a file name`);
    targets.push({ flag, file: checkFile(flag, given), kind });
  }
  if (flags.out !== undefined) {
    if (flags.out.trim() === '') throw new UsageError('--out needs a folder name');
    for (const [, , kind, suffix] of EXPORTS)
      targets.push({ flag: '--out', file: checkFile('--out', path.join(flags.out, `${name}${suffix}`)), kind });
  }
  const seen = new Map<string, string>();
  for (const t of targets) {
    const other = seen.get(t.file);
    if (other) throw new UsageError(`${other} and ${t.flag} name the same file, ${t.file}: give each its own`);
    seen.set(t.file, t.flag);
  }
  return targets;
}

/** Writes to stdout, ignoring a reader that went away (`| head`). */
function print(text: string): void {
  try {
    process.stdout.write(text);
  } catch {
    // stdout is closed
  }
}

/** Runs one experiment with its flags; resolves to the exit code (bad input is thrown as UsageError). */
export async function runExperiment(
  experiment: Experiment,
  flags: CommonFlags & Record<string, unknown>,
): Promise<number> {
  const name =
    experiment.name === '<module>'
      ? path.basename(String(flags.module), path.extname(String(flags.module))).replace(/[^\w.-]+/g, '_') || 'module'
      : experiment.name;
  const job: EngineJob = { experiment: experiment.name, flags, targets: plannedTargets(flags, name) };
  const engine = new Worker(ENGINE_SCRIPT, { workerData: { engine: job } });
  const send = (message: ToEngine) => {
    try {
      engine.postMessage(message);
    } catch {
      // it has ended
    }
  };
  let progress: ProgressReporter | undefined;
  let outcome: Outcome | undefined;
  let problem: { usage: boolean; message: string } | undefined;
  let stopping: { code: number } | undefined;
  let runTimer: NodeJS.Timeout | undefined;
  let endTimer: NodeJS.Timeout | undefined;

  const stop = (code: number, line: string) => {
    if (stopping) process.exit(code); // a second signal: at once
    stopping = { code };
    clearTimeout(runTimer);
    progress?.stop();
    try {
      process.stderr.write(line);
    } catch {
      // stderr is gone
    }
    send({
      type: 'stop',
      reason: code === EXIT.failed ? 'timed out' : code === EXIT.interrupted ? 'interrupted' : 'terminated',
    });
    setTimeout(() => void engine.terminate(), STOP_GRACE_MS).unref();
    setTimeout(() => process.exit(code), STOP_LIMIT_MS);
  };
  const release = onStopSignal((signal) => {
    const interrupted = signal === 'SIGINT';
    stop(
      interrupted ? EXIT.interrupted : EXIT.terminated,
      `\n${interrupted ? 'interrupted' : 'terminated'}: stopping every worker, process and server\n`,
    );
  });

  const ended = new Promise<number | undefined>((resolve) => {
    engine.on('message', (message: FromEngine) => {
      if (stopping) return;
      switch (message.type) {
        case 'ready':
          progress = createProgress(progressStyle(flags.progress));
          if (experiment.runTimeout && flags.timeoutMs !== undefined) {
            const limit = flags.timeoutMs;
            runTimer = setTimeout(
              () =>
                stop(
                  EXIT.failed,
                  `${PROGRAM_PREFIX}the run took longer than --timeout-ms ${limit}: stopping every worker, process and server\n`,
                ),
              limit,
            );
          }
          return send({ type: 'go' });
        case 'progress':
          return progress?.update(message.progress);
        case 'done':
          outcome = message.outcome;
          // A handle the workload left open (a timer, a socket) would keep the engine alive.
          endTimer = setTimeout(() => void engine.terminate(), END_GRACE_MS);
          return;
        case 'usage':
        case 'failed':
          problem ??= { usage: message.type === 'usage', message: message.message };
          // A broker that stopped answering can leave its sockets open in the engine: end it.
          endTimer ??= setTimeout(() => void engine.terminate(), END_GRACE_MS);
          return;
        case 'stopped':
          return;
      }
    });
    engine.on('error', (error) => {
      problem ??= { usage: false, message: `the run ended with an error outside any task: ${messageOf(error)}` };
    });
    engine.on('exit', (code) => resolve(code));
  });

  try {
    const code = await ended;
    clearTimeout(endTimer);
    clearTimeout(runTimer);
    progress?.stop();
    if (stopping) return await new Promise<number>(() => process.exit(stopping!.code));
    if (problem?.usage) throw new UsageError(problem.message);
    if (problem) {
      complain(problem.message);
      return EXIT.failed;
    }
    if (!outcome) {
      complain(
        `the run's thread ended before the run did (exit code ${code}): a task called process.exit, ` +
          'or waits for a promise that nothing will settle (--timeout-ms bounds each task)',
      );
      return EXIT.failed;
    }
    print(`${outcome.summary}\n`);
    if (outcome.written.length)
      print(`\nwrote:\n${outcome.written.map((f) => `  ${path.relative(process.cwd(), f) || f}`).join('\n')}\n`);
    for (const line of outcome.writeErrors) complain(line);
    if (outcome.failed > 0 && !flags.ignoreFailure) {
      const tasks = outcome.failed === 1 ? 'task' : 'tasks';
      complain(
        `${outcome.failed} ${tasks} failed; first: ${outcome.firstFailure ?? 'unknown'} (exit code 1; --ignore-failure exits 0)`,
      );
      return EXIT.failed;
    }
    return outcome.writeErrors.length ? EXIT.failed : EXIT.ok;
  } finally {
    release();
  }
}
