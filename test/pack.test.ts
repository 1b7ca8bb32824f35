/**
 * The published package, as a user gets it: `npm pack` in lib/ ships the library only
 * (compiled code, types, the bin), and the tarball installed in an empty folder runs a
 * comparison and the command line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const LIB = path.join(__dirname, '..', 'lib');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string;
let tarball: string;
let files: string[];

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-pack-'));
  const packed = JSON.parse(
    // --ignore-scripts: pack the dist that `npm test` just built; prepack's clean rebuild would
    // pull lib/dist from under the other suites of this run.
    execFileSync(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: LIB,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  ) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(dir, packed[0]!.filename);
  files = packed[0]!.files.map((f) => f.path);
}, 300_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the tarball holds the compiled library, its types and the bin, and nothing else', () => {
  expect(files).toContain('package.json');
  expect(files).toContain('bin/concurrency-lab.js');
  expect(files).toContain('dist/index.js');
  expect(files).toContain('dist/index.d.ts');
  expect(files).toContain('dist/core/pool-worker.js');
  const others = files.filter((f) => f !== 'package.json' && !f.startsWith('bin/'));
  // Besides the compiled code: the course's Python programs, which the library runs as peers.
  expect(others.filter((f) => !/^dist\/.*\.(js|d\.ts)$|^src\/python\/\w+\.py$/.test(f))).toEqual([]);
  expect(files).toContain('src/python/cpu_processes.py');
  expect(files.filter((f) => /test|\.map$|^src\/(?!python\/\w+\.py$)|tools|notebooks/.test(f))).toEqual([]);
});

test('installed from the tarball in an empty folder, require("concurrency-lab") runs a comparison', () => {
  const app = path.join(dir, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true }));
  execFileSync(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: app,
    encoding: 'utf8',
  });
  const script = `
    const { compare } = require('concurrency-lab');
    compare({ workload: 'cpu', inputs: [10, 10], modes: ['sequential', 'threads'], workers: 2, repeats: 1 })
      .then((r) => console.log(JSON.stringify({ modes: r.modes, tasks: r.runs.map((run) => run.tasks.filter((t) => t.ok).length) })))
      .catch((e) => { console.error(e); process.exit(1); });
  `;
  fs.writeFileSync(path.join(app, 'run.js'), script);
  const run = spawnSync(process.execPath, ['run.js'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ modes: ['sequential', 'threads'], tasks: [2, 2] });
  const bin = spawnSync(path.join(app, 'node_modules', '.bin', 'concurrency-lab'), ['--version'], {
    cwd: app,
    encoding: 'utf8',
  });
  expect(bin.stdout.trim()).toBe(require('../lib/package.json').version);
}, 300_000);
