#!/usr/bin/env node
/**
 * `npx concurrency-lab <experiment> [flags]`: re-runs one experiment with new parameters
 * and writes the same charts as a standalone HTML page, plus JSON and CSV of every task.
 * Run `concurrency-lab --help` for every experiment and flag.
 */
import { CommanderError } from 'commander';
import { cpuExperiment } from './cli/cpu';
import { gilExperiment } from './cli/gil';
import { kitchenExperiment } from './cli/kitchen';
import { looksLikePath, moduleExperiment } from './cli/module';
import { ioExperiment } from './cli/io';
import { queueExperiment } from './cli/queue';
import { workerCommand, WORKER_SUMMARY } from './cli/worker';
import { buildProgram, PROGRAM } from './cli/program';
import { PROGRAM_PREFIX, runExperiment } from './cli/run';
import { EXIT, UsageError } from './cli/usage';
import { messageOf } from './core/errors';

/** Every named experiment, in the order --help lists them. */
export const EXPERIMENTS = [cpuExperiment, ioExperiment, kitchenExperiment, gilExperiment, queueExperiment];

/** Commands that are not experiments. */
const OTHER_COMMANDS = ['worker'];

const HELP_OR_VERSION = ['-h', '--help', '-V', '--version'];

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
    async (experiment, flags, target) => {
      code = await runExperiment(experiment, flags, target);
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
    const text = error instanceof CommanderError ? error.message.replace(/^error: /, '') : messageOf(error);
    process.stderr.write(`${PROGRAM_PREFIX}${text.replace(/\n/g, ' ')}\n`);
    return error instanceof UsageError || error instanceof CommanderError ? EXIT.usage : EXIT.failed;
  }
}

/** Runs the command line on this process's arguments and exits with its code. */
export function run(): void {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
    // Leave when the work is done even if some library handle would keep the loop alive.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}

if (require.main === module) run();
