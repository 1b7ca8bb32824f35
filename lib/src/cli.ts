#!/usr/bin/env node
/**
 * `npx concurrency-lab <experiment> [flags]`: re-runs one experiment with new parameters
 * and writes the same charts as a standalone HTML page, plus JSON and CSV of every task.
 * Run `concurrency-lab --help` for every experiment and flag.
 */
import './cli/signals'; // first: a signal while the rest loads exits 130 (143)
import { CommanderError } from 'commander';
import { EXPERIMENTS } from './catalog';
import { looksLikePath, moduleExperiment } from './cli/module';
import { buildProgram, PROGRAM } from './cli/program';
import { PROGRAM_PREFIX, runExperiment } from './cli/run';
import { EXIT, UsageError } from './cli/usage';
import { workerCommand, WORKER_SUMMARY } from './cli/worker';
import { messageOf, oneLine } from './core/errors';

export { EXPERIMENTS };

const HELP_OR_VERSION = ['-h', '--help', '-V', '--version'];

/** Commands that are not experiments. */
const OTHER_COMMANDS = ['worker'];

/** The experiment comes first: a name, or the path of a module; anything else is bad input. */
function checkExperimentFirst(argv: readonly string[]): void {
  const [first] = argv;
  const names = EXPERIMENTS.map((e) => e.name);
  if (first === undefined || HELP_OR_VERSION.includes(first) || names.includes(first) || first === 'run') return;
  if (OTHER_COMMANDS.includes(first)) return;
  if (first.startsWith('-')) {
    throw new UsageError(
      `unknown flag ${first} before the experiment: write ${PROGRAM} <experiment> [flags] (see ${PROGRAM} --help)`,
    );
  }
  if (!looksLikePath(first)) {
    throw new UsageError(
      `unknown experiment ${first}: use one of ${names.join(', ')}, or the path of a workload module (see ${PROGRAM} --help)`,
    );
  }
}

/** Runs the command line on `argv` (without node and the script); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const version = (require('../package.json') as { version: string }).version;
  const program = buildProgram(
    EXPERIMENTS,
    moduleExperiment,
    async (experiment, flags) => {
      code = await runExperiment(experiment, flags);
    },
    version,
    [
      {
        command: workerCommand((c) => {
          code = c;
        }),
        summary: WORKER_SUMMARY,
      },
    ],
  );
  try {
    if (argv.length === 0) {
      throw new UsageError(
        `missing experiment: use one of ${EXPERIMENTS.map((e) => e.name).join(', ')}, or the path of a workload module (see ${PROGRAM} --help)`,
      );
    }
    checkExperimentFirst(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError && /^commander\.(help|helpDisplayed|version)$/.test(error.code)) return EXIT.ok;
    const text = error instanceof CommanderError ? oneLine(error.message.replace(/^error: /, '')) : messageOf(error);
    process.stderr.write(`${PROGRAM_PREFIX}${text}\n`);
    return error instanceof UsageError || error instanceof CommanderError ? EXIT.usage : EXIT.failed;
  }
}

/**
 * Runs the command line on this process's arguments and sets its exit code. Nothing is
 * forced: the run has closed every pool, server and thread it started by the time `main`
 * resolves, so the process ends by itself.
 */
export function run(): void {
  // A reader that went away (`| head`) is not an error worth a stack trace: stop writing to it.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stream.destroy();
    });
  }
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) run();
