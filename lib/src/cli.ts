#!/usr/bin/env node
/** `npx concurrency-lab <experiment> [flags]` (`--help` lists them all): re-runs one experiment with new parameters. */
import './cli/signals'; // first: a signal while the rest loads exits 130 (143)
import { CommanderError } from 'commander';
import { buildProgram, checkFirstWord } from './cli/program';
import { PROGRAM_PREFIX } from './cli/run';
import { EXIT, UsageError } from './cli/usage';
import { messageOf, oneLine } from './core/errors';

/** Runs the command line on `argv` (without node and the script); resolves to the exit code. */
async function main(argv: readonly string[]): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram((require('../package.json') as { version: string }).version, (c) => (code = c));
  try {
    checkFirstWord(argv);
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError && /^commander\.(help|helpDisplayed|version)$/.test(error.code)) return EXIT.ok;
    const text = error instanceof CommanderError ? oneLine(error.message.replace(/^error: /, '')) : messageOf(error);
    process.stderr.write(`${PROGRAM_PREFIX}${text}\n`);
    return error instanceof UsageError || error instanceof CommanderError ? EXIT.usage : EXIT.failed;
  }
}

/** Runs the command line on this process's arguments and sets its exit code; the process then ends by itself. */
export function run(): void {
  // A reader that went away (`| head`) is not an error worth a stack trace: stop writing to it.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      stream.destroy();
    });
  }
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}

if (require.main === module) run();
