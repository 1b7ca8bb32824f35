/**
 * One command-line run, from parsed flags to exit code: output paths checked before anything runs, the
 * experiment in the engine's thread (engine.ts), and this one free to draw progress, print and answer signals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { messageOf, oneLine } from '../core/errors';
import type { Experiment } from '../core/report';
import { count } from '../core/words';
import { checkFolder } from '../output/folders';
import type { EngineJob, FromEngine, Outcome, Target, ToEngine } from './engine';
import { EXPORTS, kebab, type ExportFlag, type Flags } from './flags';
import { nameOf } from './module';
import { createProgress } from './progress';
import { onStopSignal } from './signals';
import { asUsage, EXIT, UsageError } from './usage';

export const PROGRAM_PREFIX = 'concurrency-lab: ';

// After a stop: the engine's time to close things before it is terminated, and the process's to exit.
const [STOP_GRACE_MS, STOP_LIMIT_MS] = [700, 1500];
/** After the outcome, how long the engine may take to end by itself before it is terminated. */
const END_GRACE_MS = 2000;
/** Longest file name most file systems take, in bytes. */
const NAME_LIMIT = 255;

/** Writes to stdout or stderr, ignoring a reader that went away (`| head`). */
function write(stream: NodeJS.WriteStream, text: string): void {
  try {
    stream.write(text);
  } catch {} // closed: nothing left to tell
}

const complain = (text: string) => write(process.stderr, `${PROGRAM_PREFIX}${oneLine(text)}\n`);

/** Checks, creating nothing, that `file` can be written: its name, what is there now, and its folder. */
function checkFile(flag: string, given: string): string {
  const file = path.resolve(given);
  const name = path.basename(file);
  if (!name || given.trim() === '' || given.includes('\0')) throw new UsageError(`${flag} needs a file name`);
  if (Buffer.byteLength(name) > NAME_LIMIT)
    throw new UsageError(
      `${flag} ${JSON.stringify(given.slice(0, 60))}...: a file name of at most ${NAME_LIMIT} bytes`,
    );
  if (fs.existsSync(file) && !fs.statSync(file).isFile())
    throw new UsageError(`${flag} ${JSON.stringify(given)} must be a file, not a folder or device`);
  asUsage(() => checkFolder(flag, path.dirname(file)));
  return file;
}

/** The files a run is asked to write (none by default), each checked, and no two the same, before anything runs. */
function plannedTargets(flags: Flags, name: string): Target[] {
  const kinds = Object.keys(EXPORTS) as ExportFlag[];
  const targets = kinds.flatMap((kind): Target[] => {
    const [flag, given] = [`--${kebab(kind)}`, flags[kind]];
    if (given === undefined) return [];
    if (typeof given !== 'string') throw new UsageError(`${flag} needs a file name`);
    return [{ flag, file: checkFile(flag, given), kind }];
  });
  const out = flags.out;
  if (out?.trim() === '') throw new UsageError('--out needs a folder name');
  const named = (kind: ExportFlag) => checkFile('--out', path.join(out!, `${name}${EXPORTS[kind][0]}`));
  if (out !== undefined) targets.push(...kinds.map((kind) => ({ flag: '--out', file: named(kind), kind })));
  for (const [i, t] of targets.entries()) {
    const other = targets.slice(0, i).find((o) => o.file === t.file);
    if (other) throw new UsageError(`${other.flag} and ${t.flag} name the same file, ${t.file}: give each its own`);
  }
  return targets;
}

/** Runs one experiment with its flags; resolves to the exit code (bad input is thrown as UsageError). */
export async function runExperiment(experiment: Experiment, flags: Flags): Promise<number> {
  const name = experiment.name === '<module>' ? nameOf(String(flags.module)) : experiment.name;
  const job: EngineJob = { experiment: experiment.name, flags, targets: plannedTargets(flags, name) };
  const engine = new Worker(path.join(__dirname, 'engine.js'), { workerData: { engine: job } });
  const send = (message: ToEngine) => {
    try {
      engine.postMessage(message);
    } catch {} // it has ended
  };
  let progress: ReturnType<typeof createProgress> | undefined;
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
    write(process.stderr, line);
    const reason = code === EXIT.failed ? 'timed out' : code === EXIT.interrupted ? 'interrupted' : 'terminated';
    send({ type: 'stop', reason });
    setTimeout(() => void engine.terminate(), STOP_GRACE_MS).unref();
    setTimeout(() => process.exit(code), STOP_LIMIT_MS);
  };
  const release = onStopSignal((signal) => {
    const [code, what] = signal === 'SIGINT' ? [EXIT.interrupted, 'interrupted'] : [EXIT.terminated, 'terminated'];
    stop(code, `\n${what}: stopping every worker, process and server\n`);
  });

  const ended = new Promise<number | undefined>((resolve) => {
    engine.on('message', (message: FromEngine) => {
      if (stopping) return;
      if (message.type === 'ready') {
        progress = createProgress(flags.progress);
        const limit = flags.timeoutMs;
        if (experiment.runTimeout && limit !== undefined) {
          const line = `${PROGRAM_PREFIX}the run took longer than --timeout-ms ${limit}: stopping every worker, process and server\n`;
          runTimer = setTimeout(() => stop(EXIT.failed, line), limit);
        }
        send({ type: 'go' });
      } else if (message.type === 'progress') progress?.update(message.progress);
      else if (message.type === 'done') {
        outcome = message.outcome;
        // A handle the workload left open (a timer, a socket) would keep the engine alive.
        endTimer = setTimeout(() => void engine.terminate(), END_GRACE_MS);
      } else if (message.type === 'usage' || message.type === 'failed') {
        problem ??= { usage: message.type === 'usage', message: message.message };
        // A broker that stopped answering can leave its sockets open in the engine: end it.
        endTimer ??= setTimeout(() => void engine.terminate(), END_GRACE_MS);
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
    if (problem || !outcome) {
      complain(
        problem?.message ??
          `the run's thread ended before the run did (exit code ${code}): a task called process.exit, ` +
            'or waits for a promise that nothing will settle (--timeout-ms bounds each task)',
      );
      return EXIT.failed;
    }
    write(process.stdout, `${outcome.summary}\n`);
    const written = outcome.written.map((f) => `  ${path.relative(process.cwd(), f) || f}`);
    if (written.length) write(process.stdout, `\nwrote:\n${written.join('\n')}\n`);
    outcome.writeErrors.forEach(complain);
    if (outcome.failed > 0 && !flags.ignoreFailure) {
      const failed = `${count(outcome.failed, 'task')} failed; first: ${outcome.firstFailure ?? 'unknown'}`;
      complain(`${failed} (exit code 1; --ignore-failure exits 0)`);
      return EXIT.failed;
    }
    return outcome.writeErrors.length ? EXIT.failed : EXIT.ok;
  } finally {
    release();
  }
}
