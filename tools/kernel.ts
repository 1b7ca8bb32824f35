/**
 * `npm run kernel`: registers this checkout's tslab kernel with your own Jupyter, so that
 * JupyterLab, Notebook and VS Code (which all read Jupyter's kernelspecs) can run the
 * notebooks. Opt-in: `npm start`, `npm run lab` and `npm test` keep theirs under build/jupyter
 * and never touch yours. Writes `<your Jupyter data dir>/kernels/tslab/kernel.json` with
 * Jupyter's own installer, and prints it and the command that removes it.
 *
 *   npm run kernel                 register (stops if another tslab kernel is there)
 *   npm run kernel -- --replace    replace the tslab kernel that is there
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findPython, INSTALL_HINT, ROOT } from './jupyter';

/** The kernel's name: the one the notebooks ask for in their metadata. */
export const KERNEL_NAME = 'tslab';

/** What a kernelspec says. */
export interface KernelJson {
  argv: string[];
  display_name: string;
  language: string;
}

/**
 * Our kernel.json: this checkout's tslab, started by the Node running this command (by its
 * full path, so a front end started without Node on its PATH, as VS Code from a desktop
 * menu can be, still finds it).
 */
export function kernelJson(): KernelJson {
  const tslab = path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab');
  if (!fs.existsSync(tslab)) throw new Error(`tslab is not installed at ${tslab}: run npm ci first`);
  return {
    // tslab reads the connection file from --config-path, given as a separate argument.
    argv: [process.execPath, tslab, 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (concurrency-lab)',
    language: 'typescript',
  };
}

function python(py: string, args: string[]) {
  return spawnSync(py, args, { encoding: 'utf8' });
}

/** The kernelspec folder Jupyter's per-user install writes for `name` (it honours JUPYTER_DATA_DIR). */
export function userKernelDir(py: string, name = KERNEL_NAME): string {
  const r = python(py, [
    '-c',
    'from jupyter_client.kernelspec import KernelSpecManager as K; print(K().user_kernel_dir)',
  ]);
  if (r.status !== 0) throw new Error(`${py} could not tell its Jupyter data folder: ${r.stderr.trim()}`);
  return path.join(r.stdout.trim(), name);
}

/** Where Jupyter finds the kernel `name` (the first folder on its path that has it), or undefined. */
export function foundKernelDir(py: string, name = KERNEL_NAME): string | undefined {
  const r = python(py, ['-m', 'jupyter_client.kernelspecapp', 'list', '--json']);
  if (r.status !== 0) return undefined;
  const specs = (JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string }> }).kernelspecs;
  return specs[name]?.resource_dir;
}

/** What `registerKernel` did. */
export interface Registered {
  kernelJson: string;
  /** The command that removes it again. */
  undo: string;
  /** The kernel.json that was there before and was replaced, if any. */
  replaced?: KernelJson;
  /** Set when Jupyter finds another tslab kernel before ours (JUPYTER_PATH): where. */
  shadowedBy?: string;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/**
 * Registers the kernel in the user's Jupyter data folder with Jupyter's own installer
 * (`python -m jupyter_client.kernelspecapp install --user`, the same as `jupyter kernelspec
 * install --user`, which Debian ships without). Throws one line when there is no Jupyter,
 * or when another tslab kernel is registered there and `replace` is not set.
 */
export function registerKernel(options: { replace?: boolean } = {}): Registered {
  const py = findPython();
  if (!py) throw new Error(INSTALL_HINT);
  const spec = kernelJson();
  const dir = userKernelDir(py);
  const file = path.join(dir, 'kernel.json');
  let before: KernelJson | undefined;
  try {
    before = JSON.parse(fs.readFileSync(file, 'utf8')) as KernelJson;
  } catch {
    // none there yet (or unreadable: Jupyter could not use it either)
  }
  const same = before !== undefined && JSON.stringify(before.argv) === JSON.stringify(spec.argv);
  if (before && !same && !options.replace) {
    throw new Error(
      `a ${KERNEL_NAME} kernel is already registered at ${file} (it runs ${before.argv.join(' ')}); ` +
        '`npm run kernel -- --replace` replaces it',
    );
  }
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-kernel-'));
  try {
    fs.writeFileSync(path.join(staging, 'kernel.json'), JSON.stringify(spec, null, 1) + '\n');
    const r = python(py, [
      '-m',
      'jupyter_client.kernelspecapp',
      'install',
      '--user',
      `--name=${KERNEL_NAME}`,
      '--log-level=ERROR',
      staging,
    ]);
    if (r.status !== 0) throw new Error(`registering the kernel failed: ${(r.stderr || r.stdout).trim()}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  const found = foundKernelDir(py);
  const shadowedBy = found && path.resolve(found) !== path.resolve(dir) ? found : undefined;
  // Removing by name removes the first tslab Jupyter finds: ours, unless another comes first.
  const undo = shadowedBy
    ? `rm -r ${quote(dir)}`
    : `${quote(py)} -m jupyter_client.kernelspecapp remove -f ${KERNEL_NAME}`;
  return { kernelJson: file, undo, replaced: before && !same ? before : undefined, shadowedBy };
}

function main(): void {
  let replace: boolean;
  try {
    const { values } = parseArgs({ options: { replace: { type: 'boolean' } }, strict: true, allowPositionals: false });
    replace = values.replace ?? false;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}; allowed: --replace`);
    process.exit(2);
  }
  try {
    const r = registerKernel({ replace });
    if (r.replaced) console.log(`replaced the ${KERNEL_NAME} kernel that ran ${r.replaced.argv.join(' ')}`);
    console.log(`registered the ${KERNEL_NAME} kernel for your Jupyter: ${r.kernelJson}`);
    console.log(`  it runs this checkout's tslab (${ROOT}) with ${process.execPath}`);
    if (r.shadowedBy) console.log(`  but Jupyter finds another ${KERNEL_NAME} kernel first, at ${r.shadowedBy}`);
    console.log(`to remove it: ${r.undo}`);
  } catch (error) {
    console.error(`npm run kernel: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (require.main === module) main();
