/**
 * One command-line run from parsed flags to files. The experiment runs in the engine, a
 * worker thread (engine.ts); this thread checks where results go, draws progress, prints
 * the summary, writes the files that were asked for, and answers signals: Ctrl-C (SIGTERM)
 * stops every worker, process and server and exits 130 (143) within a second or two, in
 * every mode, whatever the workload is doing. A second signal exits at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { messageOf, oneLine } from '../core/errors';
import { page } from '../output/display';
import { checkFolder, makeFolder } from '../output/folders';
import type { FromEngine, EngineJob, ToEngine } from './engine';
import type { Experiment, Outcome } from './experiment';
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

/** One file to write: where, and which part of the outcome. */
interface Target {
  flag: string;
  /** As typed. */
  given: string;
  file: string;
  kind: 'json' | 'csv' | 'html' | 'markdown';
}

const EXPORTS: [keyof CommonFlags, string, Target['kind']][] = [
  ['exportJson', '--export-json', 'json'],
  ['exportCsv', '--export-csv', 'csv'],
  ['exportHtml', '--export-html', 'html'],
  ['exportMarkdown', '--export-markdown', 'markdown'],
];

/** A folder check as a UsageError (exit 2). */
function usable<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}

/** The files a run is asked to write (none by default), each checked before anything runs. */
export function plannedTargets(flags: CommonFlags): Target[] {
  const targets: Target[] = [];
  for (const [key, flag, kind] of EXPORTS) {
    const given = flags[key];
    if (given === undefined) continue;
    if (typeof given !== 'string' || given.trim() === '') throw new UsageError(`${flag} needs a file name`);
    const file = path.resolve(given);
    if (fs.existsSync(file)) {
      let stat: fs.Stats;
      try {
        stat = fs.statSync(file);
      } catch (error) {
        throw new UsageError(`${flag} ${JSON.stringify(given)} cannot be written (${messageOf(error)})`);
      }
      if (!stat.isFile())
        throw new UsageError(`${flag} ${JSON.stringify(given)} must be a file, not a folder or device`);
    }
    usable(() => checkFolder(flag, path.dirname(given)));
    targets.push({ flag, given, file, kind });
  }
  if (flags.out !== undefined) {
    if (flags.out.trim() === '') throw new UsageError('--out needs a folder name');
    usable(() => checkFolder('--out', flags.out!));
  }
  return targets;
}

function textOf(kind: Target['kind'], title: string, outcome: Outcome): string {
  if (kind === 'html') return page(title, outcome.items);
  if (kind === 'markdown') return outcome.markdown;
  const text = kind === 'json' ? outcome.json : outcome.csv;
  return text.endsWith('\n') ? text : `${text}\n`;
}

const EXTENSIONS: Record<Target['kind'], string> = { json: 'json', csv: 'csv', html: 'html', markdown: 'md' };

/** Every file to write for this outcome: the exports, their companions (`r-sweep.json`), and --out's set. */
function filesOf(flags: CommonFlags, targets: Target[], name: string, title: string, outcome: Outcome) {
  const files: [flag: string, file: string, text: () => string][] = [];
  const companions = (flag: string, file: string, ext: string) => {
    for (const [suffix, text] of Object.entries(outcome.more ?? {})) {
      if (!suffix.endsWith(`.${ext}`)) continue;
      const parsed = path.parse(file);
      files.push([flag, path.join(parsed.dir, `${parsed.name}-${suffix}`), () => text]);
    }
  };
  for (const t of targets) {
    files.push([t.flag, t.file, () => textOf(t.kind, title, outcome)]);
    companions(t.flag, t.file, EXTENSIONS[t.kind]);
  }
  if (flags.out !== undefined) {
    const dir = path.resolve(flags.out);
    for (const kind of ['html', 'json', 'csv', 'markdown'] as const) {
      files.push(['--out', path.join(dir, `${name}.${EXTENSIONS[kind]}`), () => textOf(kind, title, outcome)]);
    }
    for (const [suffix, text] of Object.entries(outcome.more ?? {})) {
      files.push(['--out', path.join(dir, `${name}-${suffix}`), () => text]);
    }
  }
  return files;
}

/** Writes each file (a failure is one line and does not stop the others); returns the paths written and the failures. */
function writeFiles(files: ReturnType<typeof filesOf>): { written: string[]; failed: string[] } {
  const written: string[] = [];
  const failed: string[] = [];
  for (const [flag, file, text] of files) {
    try {
      makeFolder(flag, path.dirname(file));
      fs.writeFileSync(file, text());
      written.push(file);
    } catch (error) {
      failed.push(`could not write ${file} (${flag}): ${messageOf(error)}`);
    }
  }
  return { written, failed };
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
  target?: string,
): Promise<number> {
  if (experiment.unavailable) throw new UsageError(experiment.unavailable);
  const targets = plannedTargets(flags);
  const job: EngineJob = { experiment: experiment.name, flags, target };
  const engine = new Worker(ENGINE_SCRIPT, { workerData: { engine: job } });
  const send = (message: ToEngine) => {
    try {
      engine.postMessage(message);
    } catch {
      // it has ended
    }
  };

  let progress: ProgressReporter | undefined;
  let prepared: Extract<FromEngine, { type: 'prepared' }> | undefined;
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
  const onSignal = (signal: NodeJS.Signals) => {
    const interrupted = signal === 'SIGINT';
    stop(
      interrupted ? EXIT.interrupted : EXIT.terminated,
      `\n${interrupted ? 'interrupted' : 'terminated'}: stopping every worker, process and server\n`,
    );
  };
  const release = onStopSignal(onSignal);

  const ended = new Promise<number | undefined>((resolve) => {
    engine.on('message', (message: FromEngine) => {
      if (stopping) return;
      switch (message.type) {
        case 'prepared': {
          prepared = message;
          try {
            // The folders are made now, before any pool starts: a path that cannot be written is bad input.
            for (const t of targets) makeFolder(t.flag, path.dirname(t.given));
            if (flags.out !== undefined) makeFolder('--out', flags.out);
          } catch (error) {
            problem = { usage: true, message: messageOf(error) };
            send({ type: 'stop', reason: 'stopped' });
            return;
          }
          progress = createProgress(progressStyle(flags.progress), message.total, process.stderr, message.unit);
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
          send({ type: 'go' });
          return;
        }
        case 'progress':
          return progress?.listener(message.phase, message.name)(message.progress);
        case 'advance':
          return progress?.advance(message.what, message.count);
        case 'done':
          outcome = message.outcome;
          // A handle the workload left open (a timer, a socket) would keep the engine alive.
          endTimer = setTimeout(() => void engine.terminate(), END_GRACE_MS);
          return;
        case 'usage':
        case 'failed':
          problem ??= { usage: message.type === 'usage', message: message.message };
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
    if (!outcome || !prepared) {
      complain(
        `the run's thread ended before the run did (exit code ${code}): a task called process.exit, ` +
          'or waits for a promise that nothing will settle (--timeout-ms bounds each task)',
      );
      return EXIT.failed;
    }
    print(`${outcome.summary}\n`);
    const { written, failed } = writeFiles(filesOf(flags, targets, prepared.name, prepared.title, outcome));
    if (written.length) {
      const files = written.map((f) => `  ${path.relative(process.cwd(), f) || f}`);
      print(`\nwrote:\n${files.join('\n')}\n`);
    }
    for (const line of failed) complain(line);
    if (outcome.failed > 0 && !flags.ignoreFailure) {
      complain(
        `${outcome.failed} task${outcome.failed === 1 ? '' : 's'} failed; first: ${outcome.firstFailure ?? 'unknown'} ` +
          '(exit code 1; --ignore-failure exits 0)',
      );
      return EXIT.failed;
    }
    return failed.length ? EXIT.failed : EXIT.ok;
  } finally {
    release();
  }
}
