/**
 * `npm run lab`: open the notebooks live with the tslab kernel registered: JupyterLab
 * where it is installed, else the classic Notebook. Extra arguments go to Jupyter:
 *   npm run lab -- --no-browser --port 8899
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureJupyter, installKernel, jupyterEnv, ROOT } from './jupyter';

/** The Jupyter front end this Python has: 'jupyterlab' or 'notebook'. */
export function frontEnd(python: string): 'jupyterlab' | 'notebook' {
  return spawnSync(python, ['-c', 'import jupyterlab'], { stdio: 'ignore' }).status === 0 ? 'jupyterlab' : 'notebook';
}

/** The command that starts the front end on the notebooks folder, on loopback only. */
export function labCommand(python: string, extra: readonly string[] = []): { command: string; args: string[] } {
  const app = frontEnd(python);
  const args = ['-m', app, `--notebook-dir=${path.join(ROOT, 'notebooks')}`, '--ip=127.0.0.1'];
  if (typeof process.getuid === 'function' && process.getuid() === 0) args.push('--allow-root');
  return { command: python, args: [...args, ...extra] };
}

function main(): void {
  const python = ensureJupyter();
  installKernel(python);
  const { command, args } = labCommand(python, process.argv.slice(2));
  console.log(`starting ${args[1]} on the notebooks (Ctrl-C to stop)`);
  const child = spawn(command, args, { stdio: 'inherit', env: jupyterEnv() });
  // Jupyter asks before it stops on the first Ctrl-C; the terminal delivers SIGINT to it directly.
  process.on('SIGINT', () => undefined);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 0)));
}

if (require.main === module) main();
