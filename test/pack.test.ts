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
  // The files that run in threads and processes of their own: the command line's engine, the
  // simulated interpreter's thread, the embedded server.
  expect(files).toContain('dist/cli/engine.js');
  expect(files).toContain('dist/concepts/gil/gil-thread.js');
  expect(files).toContain('dist/concepts/io/server/child.js');
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
      .then((r) => console.log(JSON.stringify({
        rows: r.rows.map((row) => row.label),
        ok: r.runs.map((run) => run.tasks.length - run.tasks.failed().length),
      })))
      .catch((e) => { console.error(e); process.exit(1); });
  `;
  fs.writeFileSync(path.join(app, 'run.js'), script);
  const run = spawnSync(process.execPath, ['run.js'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(JSON.parse(run.stdout)).toEqual({ rows: ['sequential', 'threads (1)', 'threads (2)'], ok: [2, 2, 2] });
  const bin = path.join(app, 'node_modules', '.bin', 'concurrency-lab');
  const version = spawnSync(bin, ['--version'], { cwd: app, encoding: 'utf8' });
  expect(version.stdout.trim()).toBe(require('../lib/package.json').version);
  // The installed command line runs an experiment in its engine thread and writes hyperfine's JSON.
  const args = ['cpu', '--count', '2', '--num', '8', '--workers', '1', '-r', '1', '--modes', 'sequential,threads'];
  const measured = spawnSync(bin, [...args, '--no-progress', '--export-json', 'r.json'], {
    cwd: app,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(measured.stderr).toBe('');
  expect(measured.status).toBe(0);
  const json = JSON.parse(fs.readFileSync(path.join(app, 'r.json'), 'utf8'));
  expect(json.results.map((r: { command: string }) => r.command)).toEqual(['sequential', 'threads (1)']);
}, 300_000);
