/**
 * The command line, run as a process the way a user runs it: `node lib/dist/cli.js ...`
 * (and the `concurrency-lab` bin). Each experiment's flags are its notebook's parameters;
 * the shared flags are hyperfine's where it has one. Behaviour only, never timings.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EXPERIMENTS } from '../lib/dist/catalog';
import { kebab } from '../lib/dist/cli/flags';
import { moduleExperiment } from '../lib/dist/cli/module';
import { childPids, isLive, runCli, startCli } from './helpers/processes';

const ROOT = path.join(__dirname, '..');
/** The rows of a cpu run on two workers: each mode, each pool beside its one-worker pool. */
const ROWS = ['sequential', 'async', 'threads (1)', 'threads (2)', 'processes (1)', 'processes (2)'];
/** hyperfine's keys of each `results[]` entry, in its order. */
const HYPERFINE_KEYS = ['command', 'mean', 'stddev', 'median', 'user', 'system', 'min', 'max', 'times', 'exit_codes'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], cwd = dir): SpawnSyncReturns<string> {
  return runCli(args, cwd);
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A line of the summary table: the row's label, then its workers. */
const tableRow = (label: string) => new RegExp(`^${escape(label)}\\s+\\d+\\s`, 'm');
const readJson = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8'));
const csvLines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n');

describe('--help', () => {
  const help = () => cli(['--help']);

  test('lists every experiment and every shared flag, hyperfine short forms included', () => {
    const result = help();
    expect(result.status).toBe(0);
    const text = result.stdout;
    for (const experiment of ['cpu', 'io', 'kitchen', 'gil', 'queue', '<module>']) expect(text).toContain(experiment);
    const flagLines = text.split('\n').filter((l) => /^\s+(-\w, )?--/.test(l));
    const named = (flag: string) => (l: string) =>
      l
        .trim()
        .replace(/^-\w, /, '')
        .startsWith(`${flag} `);
    const shared = [
      '--modes',
      '--sweep',
      '--sweep-mode',
      '--sweep-workers',
      '--warmup',
      '--min-runs',
      '--max-runs',
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
    for (const flag of shared) expect(flagLines.filter(named(flag)).length).toBeGreaterThanOrEqual(1);
    const short = (prefix: string) => flagLines.some((l) => l.trim().startsWith(prefix));
    expect(short('-r, --repeats <value>')).toBe(true);
    expect(short('-w, --warmup <n>')).toBe(true);
    expect(short('-m, --min-runs <n>')).toBe(true);
    expect(short('-M, --max-runs <n>')).toBe(true);
    expect(short('-i, --ignore-failure')).toBe(true);
  });

  test.each([...EXPERIMENTS, moduleExperiment].map((e) => [e.name, e] as const))(
    "%s: its flags are its notebook's parameters, each with the notebook's default",
    (name, experiment) => {
      const text = help().stdout;
      const section = text.split(`Flags of ${name}:\n`)[1]!.split('\n\n')[0]!;
      const listed = section.split('\n').map((l) => l.trim().replace(/^-\w, /, ''));
      const expected = Object.entries(experiment.params)
        .filter(([key]) => key !== 'timeoutMs') // the shared --timeout-ms
        .map(([key, spec]) => {
          const value = (experiment.cliDefaults?.[key] ?? spec.default) as number | string | boolean | number[];
          if (value === true) return `--no-${kebab(key)} `;
          const shown =
            value === ''
              ? 'none'
              : Array.isArray(value)
                ? value.join(',')
                : typeof value === 'string'
                  ? JSON.stringify(value)
                  : String(value);
          return `--${kebab(key)}${typeof value === 'boolean' ? '' : ' <value>'} ... (default: ${shown})`;
        });
      const found = expected.map((want) => {
        const [flag, tail = ''] = want.split(' ... ');
        return listed.find((l) => l.startsWith(flag!) && l.endsWith(tail)) ? want : `missing: ${want}`;
      });
      expect(found).toEqual(expected);
      expect(listed).toHaveLength(expected.length);
    },
  );

  test("io's own --warmup is listed with io, with its notebook's default", () => {
    const io = help().stdout.split('Flags of io:\n')[1]!.split('\n\n')[0]!;
    expect(io).toMatch(/--warmup <value>.*\(default: 10\)/);
    expect(help().stdout.split('Flags of cpu:\n')[1]!.split('\n\n')[0]).not.toMatch(/--warmup/);
  });
});

test('a small cpu run prints the table of every row and writes the five files with --out', () => {
  const result = cli(['cpu', '--count', '6', '--num', '12', '--workers', '2', '--repeats', '1', '--out', 'small']);
  expect(result.stderr).not.toMatch(/concurrency-lab:/);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^row\s+workers\s+median\s+min\s+max/m);
  for (const row of ROWS) expect(result.stdout).toMatch(tableRow(row));
  // Not a terminal: plain progress lines, no escape codes.
  expect(lines(result.stderr)[0]).toBe('starting pools and warming up');
  for (const row of ROWS) expect(result.stderr).toContain(`${row}, run 1 of 1: 6 of 6 tasks`);
  expect(result.stderr).not.toContain('\x1b');

  const out = path.join(dir, 'small');
  expect(fs.readdirSync(out).sort()).toEqual(['cpu-tasks.csv', 'cpu.csv', 'cpu.html', 'cpu.json', 'cpu.md']);
  expect(result.stdout).toMatch(
    /\nwrote:\n {2}small\/cpu\.json\n {2}small\/cpu\.csv\n {2}small\/cpu-tasks\.csv\n {2}small\/cpu\.html\n {2}small\/cpu\.md\n$/,
  );
  const html = fs.readFileSync(path.join(out, 'cpu.html'), 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBe(2); // wall time, and a timeline of one run of each row
  expect(html).toContain('cpu: wall time per mode, 6 tasks');
  expect(html).toContain('class="clab-findings"');

  const json = readJson(path.join(out, 'cpu.json'));
  expect(json.results.map((r: { command: string }) => r.command)).toEqual(ROWS);
  const runs = json.comparisons.compare.runs;
  expect(runs.map((r: { label: string }) => r.label)).toEqual(ROWS);
  for (const run of runs) {
    expect(run.tasks).toHaveLength(6);
    expect(run.tasks.every((t: { ok: boolean }) => t.ok)).toBe(true);
  }
  expect(json.params).toMatchObject({ count: 6, num: 12, workers: 2, repeats: 1, python: false });

  const csv = csvLines(path.join(out, 'cpu.csv'));
  expect(csv[0]!.startsWith('command,mean,stddev,median,user,system,min,max,')).toBe(true);
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(ROWS);
  const tasks = csvLines(path.join(out, 'cpu-tasks.csv'));
  expect(tasks[0]).toBe('comparison,row,mode,workers,run,index,host,pid,threadId,startMs,endMs,durationMs,ok,error');
  expect(tasks).toHaveLength(1 + ROWS.length * 6);
  for (const row of ROWS) expect(tasks.filter((l) => l.startsWith(`compare,${row},`))).toHaveLength(6);
  const md = fs.readFileSync(path.join(out, 'cpu.md'), 'utf8');
  expect(md.startsWith('# ')).toBe(true);
  expect(md).toContain('| row | workers | median |');
});

test("hyperfine conventions: -r 2 --export-json writes results[] as hyperfine's scripts read it, and nothing else", () => {
  const sub = fs.mkdtempSync(path.join(dir, 'export-'));
  const args = [
    'cpu',
    '--count',
    '4',
    '--num',
    '10',
    '--workers',
    '2',
    '-r',
    '2',
    '-w',
    '0',
    '--export-json',
    'r.json',
  ];
  const result = cli(args, sub);
  expect(result.status).toBe(0);
  expect(fs.readdirSync(sub)).toEqual(['r.json']);
  expect(result.stdout).toMatch(/\nwrote:\n {2}r\.json\n$/);
  const json = readJson(path.join(sub, 'r.json'));
  expect(json.results.map((s: { command: string }) => s.command)).toEqual(ROWS);
  const walls = (label: string) =>
    json.comparisons.compare.runs
      .filter((r: { label: string }) => r.label === label)
      .map((r: { wallMs: number }) => r.wallMs / 1000);
  for (const s of json.results) {
    expect(Object.keys(s).slice(0, HYPERFINE_KEYS.length)).toEqual(HYPERFINE_KEYS);
    expect(s.times).toEqual(walls(s.command)); // seconds, every run
    expect(s.times).toHaveLength(2);
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.max);
    expect(s.mean).toBeCloseTo((s.times[0] + s.times[1]) / 2, 9);
    expect(s.stddev).toBeGreaterThanOrEqual(0);
    expect(s.user).toBeNull();
    expect(s.system).toBeNull();
    expect(s.exit_codes).toEqual([0, 0]);
    // Seconds, not milliseconds: a run of 4 x cpu(10) takes far less than a minute.
    expect(s.max).toBeLessThan(60);
  }
  expect(json.results.find((s: { command: string }) => s.command === 'threads (2)')).toMatchObject({
    baseline: 'threads (1)',
    workers: 2,
  });
  expect(json.comparisons.compare.runs).toHaveLength(ROWS.length * 2);
  expect(json.params).toMatchObject({ count: 4, repeats: 2 });
  // What hyperfine's scripts/plot_whisker.py does with the file, in Python: labels, times, sorted by median.
  const python = spawnSync(
    'python3',
    [
      '-c',
      [
        'import json, sys',
        'results = json.load(open(sys.argv[1], encoding="utf-8"))["results"]',
        'labels = [b["command"] for b in results]',
        'times = [b["times"] for b in results]',
        'medians = [b["median"] for b in results]',
        'indices = sorted(range(len(labels)), key=lambda k: medians[k])',
        'assert all(isinstance(t, float) for ts in times for t in ts)',
        'print(json.dumps({"labels": sorted(labels), "runs": [len(ts) for ts in times], "sorted": len(indices)}))',
      ].join('\n'),
      path.join(sub, 'r.json'),
    ],
    { encoding: 'utf8' },
  );
  expect(python.stderr).toBe('');
  expect(JSON.parse(python.stdout)).toEqual({ labels: [...ROWS].sort(), runs: ROWS.map(() => 2), sorted: 6 });
});

describe('-m/--min-runs and -M/--max-runs', () => {
  const runs = (extra: string[]) => {
    const sub = fs.mkdtempSync(path.join(dir, 'runs-'));
    const base = ['cpu', '--count', '2', '--num', '8', '--modes', 'sequential', '--no-progress'];
    const result = cli([...base, ...extra, '--export-json', 'r.json'], sub);
    expect(result.status).toBe(0);
    return readJson(path.join(sub, 'r.json')).results[0].times.length as number;
  };

  test('-m 3 -M 3 runs each row exactly three times', () => {
    expect(runs(['-m', '3', '-M', '3'])).toBe(3);
  });

  test('-M alone caps the runs, also below the default fewest', () => {
    expect(runs(['-M', '1'])).toBe(1);
    expect(runs(['--max-runs', '2'])).toBeLessThanOrEqual(2);
  });

  test('-m alone sets the fewest, the budget may add more', () => {
    expect(runs(['--min-runs', '4'])).toBeGreaterThanOrEqual(4);
  });

  test('-r fixes the count, whatever -m says', () => {
    expect(runs(['-r', '1', '-m', '3'])).toBe(1);
  });
});

test('without an export flag the summary is printed and no file or folder is written', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'quiet-'));
  const result = cli(['cpu', '--count', '2', '--num', '8', '--workers', '1', '--runs', '1', '--no-progress'], sub);
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(tableRow('sequential'));
  expect(result.stdout).not.toContain('wrote:');
  expect(fs.readdirSync(sub)).toEqual([]);
});

test("--sweep-max, the notebook's parameter, sets the sweep's sizes: 1 to it", () => {
  const sub = fs.mkdtempSync(path.join(dir, 'sweep-max-'));
  const args = ['cpu', '--count', '2', '--num', '8', '--modes', 'sequential', '-r', '1', '--sweep', '--sweep-max', '2'];
  const result = cli(
    [...args, '--sweep-count', '2', '--sweep-repeats', '1', '--export-csv', 'r.csv', '--no-progress'],
    sub,
  );
  expect(result.status).toBe(0);
  const rows = csvLines(path.join(sub, 'r.csv'))
    .slice(1)
    .map((l) => l.split(',')[0]);
  expect(rows).toEqual(['compare: sequential', 'scaling: threads (1)', 'scaling: threads (2)']);
});

test('each --export flag writes one file; a sweep adds its rows to the same files, not companions', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'files-'));
  const args = ['cpu', '--count', '2', '--num', '8', '--modes', 'sequential,threads', '--workers', '1', '-r', '1'];
  const files = [
    '--export-markdown',
    'out/r.md',
    '--export-csv',
    'out/r.csv',
    '--export-tasks-csv',
    'out/t.csv',
    '--export-html',
    'r.html',
  ];
  const result = cli(
    [...args, ...files, '--sweep', '--sweep-workers', '1,2', '--sweep-count', '3', '--no-progress'],
    sub,
  );
  expect(result.status).toBe(0);
  expect(fs.readdirSync(path.join(sub, 'out')).sort()).toEqual(['r.csv', 'r.md', 't.csv']);
  expect(fs.readdirSync(sub).sort()).toEqual(['out', 'r.html']);
  const csv = csvLines(path.join(sub, 'out', 'r.csv'));
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual([
    'compare: sequential',
    'compare: threads (1)',
    'scaling: threads (1)',
    'scaling: threads (2)',
  ]);
  const tasks = csvLines(path.join(sub, 'out', 't.csv'));
  // 2 tasks in each of the two compare rows, 3 in each of the two sweep sizes (two runs each, the sweep's default).
  expect(tasks).toHaveLength(1 + 2 * 2 + 3 * 2 * 2);
  const md = fs.readFileSync(path.join(sub, 'out', 'r.md'), 'utf8');
  expect(md).toContain('## compare');
  expect(md).toContain('## scaling');
  expect(md).toMatch(/^\| threads \(1\) \| 1 \| [\d.]+ m?s \|/m);
  const html = fs.readFileSync(path.join(sub, 'r.html'), 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toContain('speedup vs threads pool size');
});

describe('output paths are checked before anything runs, and nothing is created until there is something to write', () => {
  const refused: [string, string[], RegExp][] = [
    [
      'two flags naming one file',
      ['--export-json', 'same.txt', '--export-csv', './same.txt'],
      /^concurrency-lab: --export-json and --export-csv name the same file, .*\/same\.txt: give each its own$/,
    ],
    [
      'a flag naming a file --out writes',
      ['--out', 'both', '--export-json', 'both/cpu.json'],
      /^concurrency-lab: --export-json and --out name the same file, .*\/both\/cpu\.json: give each its own$/,
    ],
    [
      'a file name too long for the file system',
      ['--export-csv', `${'n'.repeat(300)}.csv`],
      /^concurrency-lab: --export-csv "n{60}"\.\.\.: a file name of at most 255 bytes$/,
    ],
    ['an empty file name', ['--export-markdown', ''], /^concurrency-lab: --export-markdown needs a file name$/],
  ];
  test.each(refused)('%s: exit 2, one line', (_name, flags, message) => {
    const sub = fs.mkdtempSync(path.join(dir, 'paths-'));
    const result = cli(['cpu', '--count', '2', '--num', '8', ...flags], sub);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(lines(result.stderr)).toEqual([expect.stringMatching(message)]);
    expect(fs.readdirSync(sub)).toEqual([]);
  });

  test('an interrupted run leaves no folder and no file behind', async () => {
    const sub = fs.mkdtempSync(path.join(dir, 'stopped-'));
    const args = ['cpu', '--count', '20', '--num', '25', '--workers', '2', '-r', '50', '--modes', 'threads'];
    const { child, exited, stderrHas } = startCli([...args, '--out', 'deep/out', '--export-json', 'r.json'], sub);
    await stderrHas('tasks/s)'); // a whole run has finished
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(fs.readdirSync(sub)).toEqual([]);
  });
});

test('a task that fails without a fault injection asking for it exits 1; -i exits 0', () => {
  fs.writeFileSync(
    path.join(dir, 'fail.cjs'),
    'module.exports = (n) => { if (n === 1) throw new Error("boom"); return n; };\n',
  );
  const args = ['./fail.cjs', '--count', '3', '--workers', '1', '-r', '1', '--no-progress'];
  const failed = cli(args);
  expect(failed.status).toBe(1);
  expect(failed.stdout).toMatch(/^processes \(1\)\s+1\s.*\s1$/m);
  expect(lines(failed.stderr)).toEqual([
    'concurrency-lab: 4 tasks failed; first: task 1 (sequential, run 1): boom (exit code 1; --ignore-failure exits 0)',
  ]);
  const ignored = cli([...args, '--ignore-failure']);
  expect(ignored.status).toBe(0);
  expect(ignored.stderr).toBe('');
  // io with the server told to fail: the failures are what was asked for.
  const io = cli([
    'io',
    '--requests',
    '4',
    '--latency-ms',
    '1',
    '-r',
    '1',
    '--warmup',
    '0',
    '--threads',
    '1',
    '--processes',
    '0',
    '--fail-share',
    '1',
    '--no-progress',
  ]);
  expect(io.status).toBe(0);
  expect(io.stdout).toMatch(/\nfaults:\n/);
  expect(io.stdout).toMatch(/^Promise\.all\s+1\s.*\s4$/m);
});

test('--sweep adds the scaling chart and the sweep rows', () => {
  const result = cli([
    'cpu',
    '--count',
    '4',
    '--num',
    '10',
    '--modes',
    'sequential,threads',
    '--workers',
    '2',
    '--repeats',
    '1',
    '--sweep',
    '--sweep-workers',
    '1,2',
    '--sweep-count',
    '4',
    '--sweep-repeats',
    '1',
    '--out',
    'swept',
    '--no-progress',
  ]);
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/\nscaling:\nrow\s+workers\s+median/);
  const out = path.join(dir, 'swept');
  const html = fs.readFileSync(path.join(out, 'cpu.html'), 'utf8');
  expect(html).toContain('speedup vs threads pool size');
  expect(count(html, 'class="clab-chart"')).toBe(3); // wall time, timelines, scaling
  const json = readJson(path.join(out, 'cpu.json'));
  expect(Object.keys(json.comparisons)).toEqual(['compare', 'scaling']);
  expect(json.comparisons.scaling.rows.map((r: { workers: number }) => r.workers)).toEqual([1, 2]);
  expect(json.results.filter((r: { comparison: string }) => r.comparison === 'scaling')).toHaveLength(2);
  expect(csvLines(path.join(out, 'cpu-tasks.csv'))).toHaveLength(1 + 3 * 4 + 2 * 4);
});

test('a workload module runs in every mode', () => {
  fs.writeFileSync(
    path.join(dir, 'square.mjs'),
    'export default function square(n) { return n * n; }\nexport const inputs = [1, 2, 3, 4, 5];\n',
  );
  fs.writeFileSync(
    path.join(dir, 'wait.cjs'),
    'module.exports = { workload: async (i) => { await new Promise((r) => setTimeout(r, 5)); return i + 1; } };\n',
  );
  const square = cli(['./square.mjs', '--repeats', '1', '--warmup', '0', '--workers', '2', '--out', 'mod']);
  expect(square.status).toBe(0);
  for (const row of ROWS) expect(square.stdout).toMatch(tableRow(row));
  const json = readJson(path.join(dir, 'mod', 'square.json'));
  expect(json.comparisons.compare.runs.map((r: { label: string }) => r.label)).toEqual(ROWS);
  for (const run of json.comparisons.compare.runs) expect(run.results).toEqual([1, 4, 9, 16, 25]);

  const wait = cli(['wait.cjs', '--count', '3', '--repeats', '1', '--workers', '2', '--out', 'mod']);
  expect(wait.status).toBe(0);
  const waited = readJson(path.join(dir, 'mod', 'wait.json'));
  for (const run of waited.comparisons.compare.runs) expect(run.results).toEqual([1, 2, 3]);
  expect(fs.existsSync(path.join(dir, 'mod', 'wait.html'))).toBe(true);
  expect(csvLines(path.join(dir, 'mod', 'wait-tasks.csv'))).toHaveLength(1 + ROWS.length * 3);
});

test('an io run measures every way of making the requests against the embedded server, each a row', () => {
  const result = cli([
    'io',
    '--requests',
    '4',
    '--latency-ms',
    '5',
    '--repeats',
    '1',
    '--warmup',
    '1',
    '--threads',
    '2',
    '--processes',
    '1',
    '--out',
    'io',
  ]);
  expect(result.status).toBe(0);
  const ways = ['sequential', 'Promise.all', 'blocking in Promise.all', 'blocking, 2 threads', 'blocking, 1 process'];
  for (const way of ways) expect(result.stdout).toMatch(tableRow(way));
  const out = path.join(dir, 'io');
  const html = fs.readFileSync(path.join(out, 'io.html'), 'utf8');
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBeGreaterThanOrEqual(3); // wall time, timeline, server in-flight
  const json = readJson(path.join(out, 'io.json'));
  expect(json.results.map((r: { command: string }) => r.command)).toEqual(ways);
  expect(json.results.map((r: { mode: string }) => r.mode)).toEqual([
    'sequential',
    'async',
    'async',
    'threads',
    'processes',
  ]);
  // The server's own records of each run, from the watcher.
  for (const run of json.comparisons.main.runs) expect(run.detail.watch).toHaveLength(4);
  const tasks = csvLines(path.join(out, 'io-tasks.csv'));
  expect(tasks).toHaveLength(1 + ways.length * 4);
});

test('a small kitchen run prints its runs and writes a page with its charts, JSON with every step, and CSVs', () => {
  const result = cli([
    'kitchen',
    '--dishes',
    'ramen,cake',
    '--orders',
    '3',
    '--robots',
    '2',
    '--ms-per-minute',
    '5',
    '--repeats',
    '1',
    '--out',
    'kitchen',
  ]);
  expect(result.stderr).not.toMatch(/concurrency-lab:/);
  expect(result.status).toBe(0);
  const titles = [
    '1 robot, 2 dishes one after another',
    '1 robot, 2 dishes interleaved',
    '2 robots, one dish each',
    '3 orders on 2 robots (1/2), each interleaving',
  ];
  for (const title of titles) expect(result.stdout).toMatch(tableRow(title));
  // Not a terminal: a plain line after each run.
  expect(result.stderr).not.toContain('\x1b');
  for (const title of titles) expect(result.stderr).toContain(`${title}, run 1 of 1:`);

  const out = path.join(dir, 'kitchen');
  const html = fs.readFileSync(path.join(out, 'kitchen.html'), 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBe(1 + titles.length); // time to serve + a timeline per run
  expect(html).toContain('The robot kitchen: time to serve');

  const json = readJson(path.join(out, 'kitchen.json'));
  expect(json.results.map((r: { command: string }) => r.command)).toEqual(titles);
  expect(json.params).toMatchObject({ dishes: 'ramen,cake', orders: 3, robots: 2, msPerMinute: 5, repeats: 1 });
  const runs = json.comparisons.kitchen.runs;
  expect(runs).toHaveLength(titles.length);
  // Each robot's task returns its steps: ramen has 4 and cake 3, the orders 4 + 3 + 4.
  const steps = runs.map((r: { results: unknown[][] }) => r.results.flat());
  expect(steps.map((s: unknown[]) => s.length)).toEqual([7, 7, 7, 11]);
  for (const step of steps.flat()) {
    expect(['hands-on', 'waiting']).toContain(step.kind);
    expect(step.end).toBeGreaterThanOrEqual(step.start);
  }
  // A row per robot's task in the tasks CSV: one robot, one robot, two robots, two robots.
  expect(csvLines(path.join(out, 'kitchen-tasks.csv'))).toHaveLength(1 + 1 + 1 + 2 + 2);
});

test('a small gil run writes the loop, the lock on CPU and on waiting tasks, the switch interval and Amdahl', () => {
  const result = cli([
    'gil',
    '--threads',
    '3',
    '--count',
    '4',
    '--num',
    '10',
    '--loop-count',
    '2',
    '--io-count',
    '4',
    '--io-wait-ms',
    '5',
    '--io-threads',
    '2',
    '--intervals',
    '0.5,2',
    '--sweep-count',
    '2',
    '--amdahl-work-ms',
    '40',
    '--amdahl-max',
    '2',
    '--repeats',
    '1',
    '--out',
    'gil',
  ]);
  expect(result.stderr).not.toMatch(/concurrency-lab:/);
  expect(result.status).toBe(0);
  for (const section of ['loop', 'cpu', 'io', 'switches', 'amdahl'])
    expect(result.stdout).toMatch(new RegExp(`\\n${section}:\\nrow\\s+workers`));
  for (const label of ['one thread', 'threads + global lock', 'threads, no lock'])
    expect(result.stdout).toMatch(tableRow(label));
  expect(result.stderr).not.toContain('\x1b');

  const out = path.join(dir, 'gil');
  const html = fs.readFileSync(path.join(out, 'gil.html'), 'utf8');
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(html).toContain('Who holds the lock');
  expect(html).toContain('The switch interval');

  const json = readJson(path.join(out, 'gil.json'));
  expect(Object.keys(json.comparisons)).toEqual(['loop', 'cpu', 'io', 'switches', 'amdahl']);
  expect(
    json.results
      .filter((r: { comparison: string }) => r.comparison === 'cpu')
      .map((r: { command: string }) => r.command),
  ).toEqual(['cpu: one thread', 'cpu: threads + global lock', 'cpu: threads, no lock']);
  for (const run of json.comparisons.cpu.runs) {
    expect(run.mode).toBe('gil');
    expect(run.tasks).toHaveLength(4);
    expect(run.tasks.every((t: { ok: boolean }) => t.ok)).toBe(true);
  }
  expect(json.params).toMatchObject({ threads: 3, count: 4, num: 10, repeats: 1, intervals: [0.5, 2] });
  // The switch-interval sweep runs on --threads, as 06 runs it on its threads parameter.
  const sweepRows = json.comparisons.switches.rows.map((r: { label: string }) => r.label);
  expect(sweepRows).toEqual(expect.arrayContaining(['3 threads at 0.5 ms', '3 threads at 2 ms']));
  const tasks = csvLines(path.join(out, 'gil-tasks.csv'));
  expect(tasks.filter((l) => l.startsWith('cpu,'))).toHaveLength(3 * 4);
});

describe('bad input exits 2 with one line naming it, and runs nothing', () => {
  beforeAll(() => {
    fs.writeFileSync(path.join(dir, 'nofn.js'), 'module.exports = { inputs: [1, 2] };\n');
  });
  const cases: [string, string[], RegExp][] = [
    ['an unknown flag', ['cpu', '--bogus', '1'], /unknown flag --bogus for cpu.*allowed: --count/],
    ['an unknown experiment', ['nosuch'], /unknown experiment nosuch: use one of cpu/],
    [
      'a value of the wrong type',
      ['cpu', '--count', 'many'],
      /--count must be an integer from 1 to 10000 \(got "many"\)/,
    ],
    ['a value out of range', ['cpu', '--workers', '0'], /--workers must be an integer from 1 to 256/],
    [
      'an unknown mode',
      ['cpu', '--modes', 'sequential,fibers'],
      /--modes\[1\] must be one of sequential, async, threads, processes/,
    ],
    ['fewest runs 0', ['cpu', '-m', '0'], /--min-runs must be an integer from 1 to 1000/],
    [
      'most runs below the fewest',
      ['cpu', '-m', '3', '-M', '2'],
      /--max-runs must be at least --min-runs, 3 \(got 2\)/,
    ],
    ['a module that does not exist', ['./missing.js'], /module \.\/missing\.js does not exist/],
    ['a module that exports no function', ['./nofn.js'], /module \.\/nofn\.js exports no workload function/],
    ['a negative io latency', ['io', '--latency-ms', '-1'], /--latency-ms must be a number from 0 to 60000/],
    ['a flag of another experiment', ['io', '--num', '3'], /unknown flag --num for io/],
    [
      'a dish not on the menu',
      ['kitchen', '--dishes', 'ramen,soup'],
      /--dishes\[1\] must be one of ramen, pasta, cake \(got "soup"\)/,
    ],
    ['no robots', ['kitchen', '--robots', '0'], /--robots must be an integer from 1 to 64 \(got 0\)/],
    [
      'a flag the kitchen does not take',
      ['kitchen', '--warmup', '1'],
      /unknown flag --warmup for kitchen.*allowed: --dishes/,
    ],
    [
      'gil threads of the wrong type',
      ['gil', '--threads', 'two'],
      /--threads must be an integer from 1 to 64 \(got "two"\)/,
    ],
    [
      'a switch interval of 0',
      ['gil', '--switch-interval-ms', '0'],
      /--switch-interval-ms must be a number from 0\.01 to 1000/,
    ],
    [
      'a bad sweep interval',
      ['gil', '--intervals', '1,x'],
      /--intervals\[1\] must be a number from 0\.01 to 1000 \(got "x"\)/,
    ],
  ];
  test.each(cases)('%s', (_name, args, message) => {
    const out = path.join(dir, `bad-${args.join('_').replace(/\W/g, '')}`);
    const result = cli([...args, '--out', out]);
    expect(result.status).toBe(2);
    expect(lines(result.stderr)).toEqual([expect.stringMatching(message)]);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });
});

const longRuns: [string, string[]][] = [
  ['cpu', ['cpu', '--count', '20', '--num', '30', '--workers', '2', '--repeats', '50', '--modes', 'threads,processes']],
  [
    'io',
    [
      'io',
      '--requests',
      '20',
      '--latency-ms',
      '50',
      '--repeats',
      '50',
      '--warmup',
      '1',
      '--threads',
      '2',
      '--processes',
      '2',
    ],
  ],
];
test.each(longRuns)('Ctrl-C during a long %s run stops every worker and server and exits 130', async (_name, args) => {
  const { child, output, exited, stderrHas } = startCli(args, dir);
  // Wait until a whole run has finished: pools (and the server) are up and busy.
  await stderrHas('tasks/s)');
  const children = await childPids(child.pid, 0);
  expect(children.length).toBeGreaterThanOrEqual(1); // a process pool, the server
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(output.stderr).toContain('interrupted: stopping every worker, process and server');
  expect(output.stdout).toBe('');
  const deadline = Date.now() + 3000;
  while (children.some(isLive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(children.filter(isLive)).toEqual([]);
});

// The kitchen's robots and the GIL's threads are worker threads: nothing outlives the process but child processes.
const threadRuns: [string, string[]][] = [
  ['kitchen', ['kitchen', '--repeats', '20']],
  ['gil', ['gil', '--count', '16', '--num', '25', '--repeats', '100']],
];
test.each(threadRuns)('Ctrl-C during a long %s run stops its threads and exits 130', async (_name, args) => {
  const { child, output, exited, stderrHas } = startCli(args, dir);
  // Wait until a whole run has finished: the worker threads are up and busy.
  await stderrHas('tasks/s)');
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(output.stderr).toContain('interrupted: stopping every worker');
  expect(output.stdout).toBe(''); // no summary, no files reported
  expect(isLive(child.pid!)).toBe(false);
  expect(await childPids(child.pid, 0)).toEqual([]);
});

test('the concurrency-lab bin runs the command line', () => {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'concurrency-lab');
  const result = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(result.stdout.trim()).toBe(require('../lib/package.json').version);
});
