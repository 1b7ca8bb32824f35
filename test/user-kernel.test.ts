/**
 * `npm run kernel` as a user runs it, with their Jupyter data folder (JUPYTER_DATA_DIR) and
 * HOME pointed at a temporary folder: it registers the tslab kernel there, prints the
 * kernel.json and the command that removes it, and that command does.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const KERNEL = path.join(ROOT, 'build', 'tools', 'kernel.js');

let home: string;
let env: NodeJS.ProcessEnv;
let kernelJson: string;

function register(...args: string[]) {
  return spawnSync(process.execPath, [KERNEL, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
}

/** Runs a printed command line (words without spaces, as the command prints them) in the same environment. */
function runLine(line: string) {
  const [command, ...args] = line.split(' ');
  return spawnSync(command!, args, { env, encoding: 'utf8', timeout: 60_000 });
}

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-user-kernel-'));
  // No JUPYTER_PATH: a user's Jupyter knows nothing of the project's build/jupyter.
  env = { ...process.env, HOME: home, JUPYTER_DATA_DIR: path.join(home, 'jupyter') };
  delete env.JUPYTER_PATH;
  kernelJson = path.join(home, 'jupyter', 'kernels', 'tslab', 'kernel.json');
});

afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

test('registers the tslab kernel in the user data folder, says where, and how to remove it', () => {
  const r = register();
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(`registered the tslab kernel for your Jupyter: ${kernelJson}\n`);
  const spec = JSON.parse(fs.readFileSync(kernelJson, 'utf8'));
  expect(spec).toEqual({
    argv: [
      process.execPath,
      path.join(ROOT, 'node_modules', 'tslab', 'bin', 'tslab'),
      'kernel',
      '--config-path',
      '{connection_file}',
    ],
    display_name: 'TypeScript (concurrency-lab)',
    language: 'typescript',
  });
  const undo = /^to remove it: (.+)$/m.exec(r.stdout)?.[1];
  expect(undo).toMatch(/ -m jupyter_client\.kernelspecapp remove -f tslab$/);
  const removed = runLine(undo!);
  expect(removed.status).toBe(0);
  expect(fs.existsSync(kernelJson)).toBe(false);
});

test('running it again keeps the same kernel and says so the same way', () => {
  expect(register().status).toBe(0);
  const again = register();
  expect(again.status).toBe(0);
  expect(again.stdout).toContain(`registered the tslab kernel for your Jupyter: ${kernelJson}`);
  expect(again.stdout).not.toContain('replaced');
});

test('another tslab kernel already there is kept unless --replace, in one line', () => {
  fs.mkdirSync(path.dirname(kernelJson), { recursive: true });
  const theirs = {
    argv: ['tslab', 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript',
    language: 'typescript',
  };
  fs.writeFileSync(kernelJson, JSON.stringify(theirs));
  const refused = register();
  expect(refused.status).toBe(1);
  expect(refused.stdout).toBe('');
  expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  expect(refused.stderr).toContain(`a tslab kernel is already registered at ${kernelJson} (it runs tslab kernel`);
  expect(refused.stderr).toContain('npm run kernel -- --replace');
  expect(JSON.parse(fs.readFileSync(kernelJson, 'utf8'))).toEqual(theirs);

  const replaced = register('--replace');
  expect(replaced.status).toBe(0);
  expect(replaced.stdout).toMatch(
    /^replaced the tslab kernel that ran tslab kernel --config-path \{connection_file\}$/m,
  );
  expect(JSON.parse(fs.readFileSync(kernelJson, 'utf8')).argv[0]).toBe(process.execPath);
});

test('a notebook outside the project runs on the registered kernel, as a front end would start it', () => {
  const r0 = register();
  expect(r0.status).toBe(0);
  // The Python whose Jupyter it was registered with: the first word of the printed undo command.
  const python = /^to remove it: (\S+)/m.exec(r0.stdout)![1]!;
  const nb = path.join(home, 'hello.ipynb');
  fs.writeFileSync(
    nb,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' } },
      cells: [
        {
          id: 'a',
          cell_type: 'code',
          metadata: {},
          execution_count: null,
          outputs: [],
          source: 'const n: number = 6 * 7;\nn',
        },
      ],
    }),
  );
  const r = spawnSync(python, ['-m', 'nbconvert', '--to=notebook', '--execute', '--inplace', nb], {
    env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.status).toBe(0);
  // tslab prints a cell's last expression.
  const outputs = JSON.parse(fs.readFileSync(nb, 'utf8')).cells[0].outputs;
  expect(outputs).toEqual([{ output_type: 'stream', name: 'stdout', text: ['42\n'] }]);
}, 150_000);
