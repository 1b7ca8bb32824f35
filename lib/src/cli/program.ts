/**
 * The command line's grammar (commander): one command per experiment with its own flags and
 * the shared ones, a workload module as the default, and --help that lists every flag with
 * its default. Parsing errors become one-line UsageErrors; nothing here runs anything.
 */
import { Command, CommanderError, type Option } from 'commander';
import type { Experiment } from '../core/report';
import { DEFAULTS } from '../core/rounds';
import { addFlags, COMPARE_FLAGS, type CommonFlags } from './flags';
import { looksLikePath } from './module';
import { UsageError } from './usage';

/** Flags every experiment takes, listed once in --help. */
const SHARED_FLAGS = [
  '--timeout-ms',
  '--export-json',
  '--export-csv',
  '--export-tasks-csv',
  '--export-html',
  '--export-markdown',
  '--out',
  '--ignore-failure',
  '--no-progress',
];

/** The name the command line goes by. */
export const PROGRAM = 'concurrency-lab';

/** What to do once a command line is parsed: run `experiment` with its flags (and the module path). */
export type Action = (
  experiment: Experiment,
  flags: CommonFlags & Record<string, unknown>,
  target?: string,
) => Promise<void>;

function optionRows(command: Command, filter: (o: Option) => boolean): [string, string][] {
  const help = command.createHelp();
  return help
    .visibleOptions(command)
    .filter((o) => o.long !== '--help' && filter(o))
    .map((o) => [help.optionTerm(o), help.optionDescription(o)]);
}

function columns(rows: [string, string][], indent = '  '): string {
  const width = Math.max(...rows.map(([term]) => term.length));
  return rows.map(([term, text]) => `${indent}${term.padEnd(width)}  ${text}`).join('\n');
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

/** Builds the program for these experiments; the last, `<module>`, takes a path. */
export function buildProgram(
  experiments: readonly Experiment[],
  moduleExperiment: Experiment,
  action: Action,
  version: string,
  others: readonly { command: Command; summary: string }[] = [],
): Command {
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
  const commands: [Experiment, Command][] = [];
  for (const experiment of [...experiments, moduleExperiment]) {
    const isModule = experiment === moduleExperiment;
    const command = isModule
      ? program
          .command('run <module>', { isDefault: true })
          .usage('<module> [flags]  (or: concurrency-lab <module.js> [flags])')
      : program.command(experiment.name);
    command.description(experiment.summary);
    addFlags(command, experiment);
    command.exitOverride((error) => {
      if (error.code.startsWith('commander.help') || error.code === 'commander.version') throw error;
      throw usageError(error, command, experiment.name);
    });
    command.action(async (...args: unknown[]) => {
      const target = isModule ? (args[0] as string) : undefined;
      const flags = (isModule ? args[1] : args[0]) as CommonFlags & Record<string, unknown>;
      if (flags.runs !== undefined) flags.repeats = flags.runs;
      delete flags.runs;
      // hyperfine's -m/-M: adaptive runs within those bounds, unless -r fixed the count.
      const cmd = (isModule ? args[2] : args[1]) as Command;
      if ((flags.minRuns !== undefined || flags.maxRuns !== undefined) && cmd.getOptionValueSource('repeats') !== 'cli')
        flags.repeats = 0;
      // Checked here, with the other flags, before anything runs: -M alone below the default
      // fewest runs lowers it, as hyperfine's does; -M below an -m given is bad input.
      if (flags.maxRuns !== undefined) {
        if (flags.minRuns === undefined) flags.minRuns = Math.min(DEFAULTS.minRuns, flags.maxRuns);
        else if (flags.maxRuns < flags.minRuns)
          throw new UsageError(`--max-runs must be at least --min-runs, ${flags.minRuns} (got ${flags.maxRuns})`);
      }
      if (isModule) flags.module = target;
      if (isModule && !looksLikePath(target!)) {
        throw new UsageError(
          `unknown experiment ${target}: use one of ${experiments.map((e) => e.name).join(', ')}, or the path of a workload module (see ${PROGRAM} --help)`,
        );
      }
      await action(experiment, flags, target);
    });
    commands.push([experiment, command]);
  }
  for (const { command } of others) {
    command.exitOverride((error) => {
      if (error.code.startsWith('commander.help') || error.code === 'commander.version') throw error;
      throw usageError(error, command, command.name());
    });
    program.addCommand(command);
  }
  // Flags every experiment takes are listed once, the others with each experiment.
  // An experiment's parameters are its own flags, also one named like a shared flag (io's --warmup).
  const ownFlag = (e: Experiment) => (o: Option) =>
    !SHARED_FLAGS.includes(o.long!) && (!COMPARE_FLAGS.includes(o.long!) || o.attributeName() in e.params);
  program.configureHelp({ visibleCommands: () => [] });
  program.addHelpText('after', () =>
    [
      '',
      'Experiments:',
      columns(commands.map(([e]) => [e.name, e.summary])),
      '',
      ...commands.flatMap(([e, c]) => [`Flags of ${e.name}:`, columns(optionRows(c, ownFlag(e))), '']),
      'Flags of every experiment:',
      columns(optionRows(commands[0]![1], (o) => !ownFlag(commands[0]![0])(o))),
      '',
      ...(others.length
        ? [
            'Other commands (see concurrency-lab <command> --help):',
            columns(others.map((o) => [o.command.name(), o.summary])),
            '',
          ]
        : []),
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
