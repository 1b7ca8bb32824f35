/** The command line's grammar (commander) and --help; parsing errors become one-line UsageErrors. */
import { Command, CommanderError, type Option } from 'commander';
import { EXPERIMENTS } from '../catalog';
import type { Experiment } from '../core/report';
import { DEFAULTS } from '../core/rounds';
import { addFlags, COMPARE_FLAGS, SHARED_FLAGS, type Flags } from './flags';
import { looksLikePath, moduleExperiment } from './module';
import { runExperiment } from './run';
import { UsageError } from './usage';
import { workerCommand } from './worker';

const PROGRAM = 'concurrency-lab';
const NAMES = EXPERIMENTS.map((e) => e.name);

/** The one line for a first word that is no experiment. */
function unknownExperiment(word: string | undefined): UsageError {
  const what = word === undefined ? 'missing experiment' : `unknown experiment ${word}`;
  return new UsageError(
    `${what}: use one of ${NAMES.join(', ')}, or the path of a workload module (see ${PROGRAM} --help)`,
  );
}

/** The experiment comes first: a name, a command, or the path of a module; anything else is bad input. */
export function checkFirstWord(argv: readonly string[]): void {
  const [first] = argv;
  if (first === undefined) throw unknownExperiment(undefined);
  if (['-h', '--help', '-V', '--version', 'run', 'worker', ...NAMES].includes(first)) return;
  if (first.startsWith('-')) {
    throw new UsageError(
      `unknown flag ${first} before the experiment: write ${PROGRAM} <experiment> [flags] (see ${PROGRAM} --help)`,
    );
  }
  if (!looksLikePath(first)) throw unknownExperiment(first);
}

function columns(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([term]) => term.length));
  return rows.map(([term, text]) => `${indent}${term.padEnd(width)}  ${text}`).join('\n');
}

function optionRows(command: Command, filter: (o: Option) => boolean): string {
  const help = command.createHelp();
  const shown = help.visibleOptions(command).filter((o) => o.long !== '--help' && filter(o));
  return columns(shown.map((o) => [help.optionTerm(o), help.optionDescription(o)]));
}

function usageError(error: CommanderError, command: Command, experiment: string): UsageError {
  let text = error.message.replace(/^error: /, '').replace(/\n/g, ' ');
  const flags = command.options.map((o) => o.long).filter(Boolean);
  const unknown = /^unknown option '([^']*)'( \(Did you mean (.*)\?\))?/.exec(text);
  if (unknown) {
    const hint = unknown[3] ? ` (did you mean ${unknown[3]}?)` : '';
    text = `unknown flag ${unknown[1]} for ${experiment}${hint}; allowed: ${flags.join(', ')}`;
  }
  // "option '--count <n>' argument 'x' is invalid. --count must be ..." -> "--count must be ..."
  const invalid = /^option '(\S+)[^']*' argument '([^']*)' is invalid\. (.*)$/.exec(text);
  if (invalid) {
    text = invalid[3]!.startsWith(invalid[1]!)
      ? invalid[3]!
      : `${invalid[1]} ${invalid[3]!.replace(/^Allowed choices are (.*)\.$/, 'must be one of $1')} (got "${invalid[2]}")`;
  }
  const missing = /^option '(\S+)[^']*' argument missing/.exec(text);
  if (missing) text = `${missing[1]} needs a value`;
  return new UsageError(`${text} (see ${PROGRAM} ${experiment === '<module>' ? '' : `${experiment} `}--help)`);
}

/** Help and --version end the program as commander says; any other parsing error is a UsageError. */
function exitOnUsage(command: Command, name: string): void {
  command.exitOverride((error) => {
    if (error.code.startsWith('commander.help') || error.code === 'commander.version') throw error;
    throw usageError(error, command, name);
  });
}

/** The flags as a run takes them: -r/--runs is --repeats; hyperfine's -m/-M adapt the runs within those bounds. */
function runCounts(flags: Flags, command: Command): void {
  if (flags.runs !== undefined) flags.repeats = flags.runs;
  delete flags.runs;
  if ((flags.minRuns !== undefined || flags.maxRuns !== undefined) && command.getOptionValueSource('repeats') !== 'cli')
    flags.repeats = 0;
  // -M alone below the default fewest runs lowers it, as hyperfine's does; -M below an -m given is bad input.
  if (flags.maxRuns === undefined) return;
  if (flags.minRuns === undefined) flags.minRuns = Math.min(DEFAULTS.minRuns, flags.maxRuns);
  else if (flags.maxRuns < flags.minRuns)
    throw new UsageError(`--max-runs must be at least --min-runs, ${flags.minRuns} (got ${flags.maxRuns})`);
}

/** The program: every experiment, the module one (the default command, which takes a path), and `worker`; `done` gets the exit code. */
export function buildProgram(version: string, done: (code: number) => void): Command {
  const program = new Command(PROGRAM)
    .usage('<experiment> [flags]')
    .description(
      'Runs one experiment of the course with new parameters (cpu and workload modules in every execution mode: ' +
        'sequential, async, threads, processes), shows progress on stderr, prints the summary table on stdout, ' +
        'and writes what you ask for: a standalone HTML page with the charts, JSON and CSV of every task (or kitchen step), a markdown table.',
    )
    .version(version, '-V, --version')
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError(true);
  const commands = [...EXPERIMENTS, moduleExperiment].map((experiment): [Experiment, Command] => {
    const isModule = experiment === moduleExperiment;
    const command = isModule
      ? program
          .command('run <module>', { isDefault: true })
          .usage('<module> [flags]  (or: concurrency-lab <module.js> [flags])')
      : program.command(experiment.name);
    addFlags(command.description(experiment.summary), experiment);
    exitOnUsage(command, experiment.name);
    command.action(async (...args: unknown[]) => {
      // commander passes the module's path first, then the flags, then the command.
      const [target, flags, cmd] = (isModule ? args : [undefined, ...args]) as [string | undefined, Flags, Command];
      runCounts(flags, cmd);
      if (isModule) {
        if (!looksLikePath(target!)) throw unknownExperiment(target);
        flags.module = target;
      }
      done(await runExperiment(experiment, flags));
    });
    return [experiment, command];
  });
  const worker = workerCommand(done);
  exitOnUsage(worker, 'worker');
  program.addCommand(worker);
  // Shared flags are listed once; an experiment's parameters are its own, even one named like a shared flag.
  const ownFlag = (e: Experiment) => (o: Option) =>
    !SHARED_FLAGS.includes(o.long!) && (!COMPARE_FLAGS.includes(o.long!) || o.attributeName() in e.params);
  program.configureHelp({ visibleCommands: () => [] });
  program.addHelpText('after', () =>
    [
      '',
      'Experiments:',
      columns(commands.map(([e]) => [e.name, e.summary])),
      '',
      ...commands.flatMap(([e, c]) => [`Flags of ${e.name}:`, optionRows(c, ownFlag(e)), '']),
      'Flags of every experiment:',
      optionRows(commands[0]![1], (o) => !ownFlag(commands[0]![0])(o)),
      '',
      'Other commands (see concurrency-lab <command> --help):',
      columns([['worker', worker.summary()]]),
      '',
      'Examples:',
      `  ${PROGRAM} cpu --count 20 --num 25 --workers 4`,
      `  ${PROGRAM} cpu --modes sequential,threads --sweep --sweep-workers 1,2,4`,
      `  ${PROGRAM} kitchen --dishes ramen,cake --ms-per-minute 20 --repeats 1`,
      `  ${PROGRAM} gil --threads 2 --switch-interval-ms 1 --intervals 0.5,5`,
      `  ${PROGRAM} ./my-workload.js --count 8 --timeout-ms 5000 --out results`,
      `  ${PROGRAM} cpu --count 4 -r 2 --export-json r.json --export-markdown r.md`,
      `  ${PROGRAM} queue --count 40 --workers 4`,
      `  ${PROGRAM} worker --redis redis://10.0.0.5:6379   (on another machine, to join a queue run)`,
      '',
      'Results are printed; files are written only when asked: --export-json, --export-csv, --export-tasks-csv,',
      '--export-html, --export-markdown, or --out for all of them. -r/--runs is --repeats, -w --warmup, -m/-M the',
      'fewest and most runs of each row (as in hyperfine).',
      '',
      'Exit codes: 0 done, 1 failed while running or a task failed (-i ignores failed tasks),',
      '2 bad input (nothing run), 130 interrupted (Ctrl-C), 143 terminated (SIGTERM).',
    ].join('\n'),
  );
  return program;
}
