/**
 * The command line, run as a process the way a user runs it: `node lib/dist/cli.js ...`
 * (and the `concurrency-lab` bin). Behaviour only, never timings.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childPids, isLive, runCli, startCli } from './helpers/processes';

const ROOT = path.join(__dirname, '..');
const MODES = ['sequential', 'async', 'threads', 'processes'];

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

test('--help lists every flag with its default', () => {
  const result = cli(['--help']);
  expect(result.status).toBe(0);
  const help = result.stdout;
  for (const experiment of ['cpu', 'io', 'kitchen', 'gil', '<module>']) expect(help).toContain(experiment);
  const flags = [
    '--count',
    '--num',
    '--workers',
    '--repeats',
    '--warmup',
    '--modes',
    '--sweep',
    '--sweep-mode',
    '--sweep-workers',
    '--timeout-ms',
    '--export-json',
    '--export-csv',
    '--export-html',
    '--export-markdown',
    '--out',
    '--ignore-failure',
    '--no-progress',
  ];
  const flagLines = help.split('\n').filter((l) => /^\s+(-\w, )?--/.test(l) && !/--(version|help)\b/.test(l));
  const named = (flag: string) => (l: string) =>
    l
      .trim()
      .replace(/^-\w, /, '')
      .startsWith(`${flag} `);
  for (const flag of flags) expect(flagLines.some(named(flag))).toBe(true);
  // hyperfine's short forms
  expect(flagLines.some((l) => l.trim().startsWith('-r, --repeats <n>'))).toBe(true);
  expect(flagLines.some((l) => l.trim().startsWith('-w, --warmup <n>'))).toBe(true);
  expect(flagLines.some((l) => l.trim().startsWith('-i, --ignore-failure'))).toBe(true);
  for (const line of flagLines) expect(line).toMatch(/default/);
  expect(help).toMatch(/--count <n>\s+how many inputs \(tasks\) \(default: 100\)/);
  expect(help).toMatch(/--repeats <n>.*\(default: 3\)/);
});

test('--help lists the kitchen, gil and io flags with their notebook defaults', () => {
  const help = cli(['--help']).stdout;
  const section = (name: string) => help.split(`Flags of ${name}:\n`)[1]!.split('\n\n')[0]!;
  const kitchen = section('kitchen');
  expect(kitchen).toMatch(/--dishes <list>\s+.*ramen, pasta, cake \(default: ramen,pasta,cake\)/);
  expect(kitchen).toMatch(/--orders <n>.*\(default: 10\)/);
  expect(kitchen).toMatch(/--robots <n>.*\(default: 3\)/);
  expect(kitchen).toMatch(/--ms-per-minute <ms>.*\(default: 40\)/);
  expect(kitchen).toMatch(/--repeats <n>.*\(default: 2\)/);
  const gil = section('gil');
  expect(gil).toMatch(/--threads <n>.*\(default: 4\)/);
  expect(gil).toMatch(/--switch-interval-ms <ms>.*\(default: 5\)/);
  expect(gil).toMatch(/--count <n>.*\(default: 16\)/);
  expect(gil).toMatch(/--num <n>.*\(default: 30\)/);
  expect(gil).toMatch(/--repeats <n>.*\(default: 3\)/);
  expect(gil).toMatch(/--intervals <list>.*\(default: 0\.1,0\.5,1,5,20\)/);
  expect(gil).toMatch(/--sweep-count <n>.*\(default: 8\)/);
  expect(gil).toMatch(/--sweep .*\(default: false\)/);
  for (const own of [kitchen, gil]) expect(own).not.toMatch(/--warmup|--workers|--modes/);
  // io warms up as its notebook does: V8 compiles the clients only after many requests.
  expect(section('io')).toMatch(/--warmup <n>.*\(default: 10\)/);
  expect(section('cpu')).toMatch(/--warmup <n>.*\(default: 1\)/);
});

test('a small cpu run prints the table and writes a page, JSON and CSV of every task', () => {
  const result = cli(['cpu', '--count', '6', '--num', '12', '--workers', '2', '--repeats', '1', '--out', 'small']);
  expect(result.stderr).not.toMatch(/concurrency-lab:/);
  expect(result.status).toBe(0);
  const table = result.stdout;
  expect(table).toMatch(/^mode\s+workers\s+median/m);
  for (const mode of MODES) expect(table).toMatch(new RegExp(`^${mode}\\s+\\d`, 'm'));
  // Not a terminal: plain progress lines, no escape codes.
  expect(result.stderr).toContain('tasks done');
  expect(result.stderr).not.toContain('\x1b');

  const out = path.join(dir, 'small');
  const html = fs.readFileSync(path.join(out, 'cpu.html'), 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBe(1 + MODES.length); // wall time + a timeline per mode
  expect(html).toContain('wall time per mode');
  for (const mode of MODES) expect(html).toContain(`Timeline: ${mode}`);

  const json = JSON.parse(fs.readFileSync(path.join(out, 'cpu.json'), 'utf8'));
  expect(json.modes).toEqual(MODES);
  expect(json.runs.map((r: { mode: string }) => r.mode)).toEqual(MODES);
  for (const run of json.runs) {
    expect(run.tasks).toHaveLength(6);
    expect(run.tasks.every((t: { ok: boolean }) => t.ok)).toBe(true);
  }
  expect(json.params).toMatchObject({ count: 6, num: 12, workers: 2, repeats: 1 });

  const csv = fs.readFileSync(path.join(out, 'cpu.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('mode,workers,repeat,index,pid,threadId,startMs,endMs,durationMs,ok,error');
  expect(csv).toHaveLength(1 + MODES.length * 6);
  for (const mode of MODES) expect(csv.filter((l) => l.startsWith(`${mode},`))).toHaveLength(6);
});

test("hyperfine conventions: -r 2 --export-json writes each mode's summary beside the records; nothing else is written", () => {
  const sub = fs.mkdtempSync(path.join(dir, 'export-'));
  const result = cli(
    ['cpu', '--count', '4', '--num', '10', '--workers', '2', '-r', '2', '-w', '0', '--export-json', 'r.json'],
    sub,
  );
  expect(result.status).toBe(0);
  expect(fs.readdirSync(sub)).toEqual(['r.json']);
  expect(result.stdout).toMatch(/\nwrote:\n {2}r\.json\n$/);
  const json = JSON.parse(fs.readFileSync(path.join(sub, 'r.json'), 'utf8'));
  expect(json.summaries.map((s: { mode: string }) => s.mode)).toEqual(MODES);
  for (const s of json.summaries) {
    expect(Object.keys(s)).toEqual([
      'mode',
      'workers',
      'mean',
      'stddev',
      'median',
      'min',
      'max',
      'speedup',
      'runs',
      'times',
      'failed',
    ]);
    expect(s.runs).toBe(2);
    expect(s.times).toHaveLength(2);
    expect(s.min).toBeLessThanOrEqual(s.median);
    expect(s.median).toBeLessThanOrEqual(s.max);
    expect(s.mean).toBeCloseTo((s.times[0] + s.times[1]) / 2, 6);
  }
  expect(json.summaries[0].speedup).toBe(1);
  expect(json.runs).toHaveLength(MODES.length * 2);
  expect(json.params).toMatchObject({ count: 4, repeats: 2, warmup: 0 });
});

test('without an export flag the summary is printed and no file or folder is written', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'quiet-'));
  const result = cli(['cpu', '--count', '2', '--num', '8', '--workers', '1', '--runs', '1', '--no-progress'], sub);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^sequential\s+1\s/m);
  expect(result.stdout).not.toContain('wrote:');
  expect(fs.readdirSync(sub)).toEqual([]);
});

test('--export-markdown, --export-csv and --export-html write one file each; a sweep adds its companions', () => {
  const sub = fs.mkdtempSync(path.join(dir, 'files-'));
  const args = ['cpu', '--count', '2', '--num', '8', '--modes', 'sequential,threads', '--workers', '1', '-r', '1'];
  const files = ['--export-markdown', 'out/r.md', '--export-csv', 'out/r.csv', '--export-html', 'r.html'];
  const result = cli([...args, ...files, '--sweep', '--sweep-workers', '1', '--no-progress'], sub);
  expect(result.status).toBe(0);
  expect(fs.readdirSync(path.join(sub, 'out')).sort()).toEqual(['r-sweep.csv', 'r.csv', 'r.md']);
  const md = fs
    .readFileSync(path.join(sub, 'out', 'r.md'), 'utf8')
    .trim()
    .split('\n');
  expect(md[0]).toBe(
    '| mode | workers | mean [ms] | stddev [ms] | median [ms] | min [ms] | max [ms] | speedup | runs | failed |',
  );
  expect(md[1]).toBe('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  expect(md[2]).toMatch(/^\| sequential \| 1 \| [\d.]+ \| 0\.0 \| [\d.]+ \| [\d.]+ \| [\d.]+ \| 1\.00x \| 1 \| 0 \|$/);
  expect(md).toHaveLength(4);
  expect(fs.readFileSync(path.join(sub, 'r.html'), 'utf8').startsWith('<!doctype html>')).toBe(true);
});

test('a task that fails without a fault injection asking for it exits 1; -i exits 0', () => {
  fs.writeFileSync(
    path.join(dir, 'fail.cjs'),
    'module.exports = (n) => { if (n === 1) throw new Error("boom"); return n; };\n',
  );
  const args = ['./fail.cjs', '--count', '3', '--workers', '1', '-r', '1', '--no-progress'];
  const failed = cli(args);
  expect(failed.status).toBe(1);
  expect(failed.stdout).toMatch(/^processes\s+1\s.*\s1$/m);
  expect(lines(failed.stderr)).toEqual([
    'concurrency-lab: 4 tasks failed; first: task 1 (sequential, repeat 1): boom (exit code 1; --ignore-failure exits 0)',
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
    '-w',
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
  expect(io.stdout).toContain('failures:');
});

test('--sweep adds the scaling chart and the sweep records', () => {
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
    '--out',
    'swept',
    '--no-progress',
  ]);
  expect(result.status).toBe(0);
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(/^workers\s+median\s+speedup/m);
  const out = path.join(dir, 'swept');
  const html = fs.readFileSync(path.join(out, 'cpu.html'), 'utf8');
  expect(html).toContain('speedup vs threads pool size');
  expect(count(html, 'class="clab-chart"')).toBe(1 + 2 + 1);
  const sweep = JSON.parse(fs.readFileSync(path.join(out, 'cpu-sweep.json'), 'utf8'));
  expect(sweep.points.map((p: { workers: number }) => p.workers)).toEqual([1, 2]);
  const csv = fs.readFileSync(path.join(out, 'cpu-sweep.csv'), 'utf8').trim().split('\n');
  expect(csv).toHaveLength(1 + 3 * 4); // sequential baseline + two pool sizes, 4 tasks each
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
  for (const mode of MODES) expect(square.stdout).toMatch(new RegExp(`^${mode}\\s+\\d`, 'm'));
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'mod', 'square.json'), 'utf8'));
  expect(json.runs.map((r: { mode: string }) => r.mode)).toEqual(MODES);
  for (const run of json.runs) expect(run.results).toEqual([1, 4, 9, 16, 25]);

  const wait = cli(['wait.cjs', '--count', '3', '--repeats', '1', '--workers', '2', '--out', 'mod']);
  expect(wait.status).toBe(0);
  const waited = JSON.parse(fs.readFileSync(path.join(dir, 'mod', 'wait.json'), 'utf8'));
  for (const run of waited.runs) expect(run.results).toEqual([1, 2, 3]);
  expect(fs.existsSync(path.join(dir, 'mod', 'wait.html'))).toBe(true);
  expect(
    fs
      .readFileSync(path.join(dir, 'mod', 'wait.csv'), 'utf8')
      .trim()
      .split('\n'),
  ).toHaveLength(1 + 4 * 3);
});

test('an io run measures every way of making the requests against the embedded server', () => {
  const result = cli([
    'io',
    '--requests',
    '4',
    '--latency-ms',
    '5',
    '--repeats',
    '1',
    '--threads',
    '2',
    '--processes',
    '1',
    '--out',
    'io',
  ]);
  expect(result.status).toBe(0);
  const variants = [
    'sequential',
    'Promise.all',
    'blocking in Promise.all',
    'blocking, 2 threads',
    'blocking, 1 process',
  ];
  for (const v of variants) expect(result.stdout).toContain(v);
  const out = path.join(dir, 'io');
  const html = fs.readFileSync(path.join(out, 'io.html'), 'utf8');
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBeGreaterThanOrEqual(3); // wall time, timeline, server in-flight
  const json = JSON.parse(fs.readFileSync(path.join(out, 'io.json'), 'utf8'));
  expect(json.variants.map((v: { variant: { label: string } }) => v.variant.label)).toEqual(variants);
  const csv = fs.readFileSync(path.join(out, 'io.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toMatch(/^variant,mode,workers,repeat,index,/);
  expect(csv).toHaveLength(1 + variants.length * 4);
});

test('a small kitchen run prints the table and writes a page with its charts, JSON and a CSV of every step', () => {
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
  expect(result.stdout).toMatch(/^run\s+robots\s+orders\s+median/m);
  for (const title of titles) expect(result.stdout).toContain(title);
  // Not a terminal: a plain line after each of the four runs.
  expect(result.stderr).not.toContain('\x1b');
  for (let i = 1; i <= 4; i++) expect(result.stderr).toContain(`(${i}/4 runs done`);

  const out = path.join(dir, 'kitchen');
  const html = fs.readFileSync(path.join(out, 'kitchen.html'), 'utf8');
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBe(1 + titles.length); // time to serve + a timeline per run
  expect(html).toContain('The robot kitchen: time to serve');

  const json = JSON.parse(fs.readFileSync(path.join(out, 'kitchen.json'), 'utf8'));
  expect(json.runs.map((r: { id: string }) => r.id)).toEqual(['sequential', 'interleaved', 'parallel', 'both']);
  expect(json.dishes.map((d: { name: string }) => d.name)).toEqual(['ramen', 'cake']);
  expect(json).toMatchObject({ orders: 3, robots: 2, msPerMinute: 5, repeats: 1 });
  for (const run of json.runs) expect(run.passes).toHaveLength(1);

  const [header, ...rows] = fs.readFileSync(path.join(out, 'kitchen.csv'), 'utf8').trim().split('\n');
  expect(header).toBe('run,pass,robot,lane,order,dish,step,kind,startMs,endMs,durationMs,plannedMs,threadId');
  // ramen has 4 steps and cake 3: 7 per run of the two dishes, 4 + 3 + 4 for the three orders.
  expect(rows).toHaveLength(7 + 7 + 7 + 11);
  for (const run of json.runs) {
    const mine = rows.filter((r) => r.startsWith(`${run.id},`));
    expect(mine).toHaveLength(run.passes[0].steps.length);
  }
  for (const row of rows) {
    const cells = row.split(',');
    expect(['hands-on', 'waiting']).toContain(cells[7]);
    expect(Number(cells[8])).toBeGreaterThanOrEqual(0);
    expect(Number(cells[9])).toBeGreaterThanOrEqual(Number(cells[8]));
  }
});

test('a small gil run with --sweep writes the comparison, the lock timeline and the switch-interval sweep', () => {
  const result = cli([
    'gil',
    '--threads',
    '2',
    '--count',
    '4',
    '--num',
    '10',
    '--repeats',
    '1',
    '--sweep',
    '--intervals',
    '0.5,2',
    '--sweep-count',
    '2',
    '--out',
    'gil',
  ]);
  expect(result.stderr).not.toMatch(/concurrency-lab:/);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/^variant\s+threads\s+median/m);
  for (const label of ['one thread', 'threads \\+ global lock', 'threads, no lock']) {
    expect(result.stdout).toMatch(new RegExp(`^${label}\\s+\\d`, 'm'));
  }
  expect(result.stdout).toMatch(/^interval\s+median\s+slowdown/m);
  // Three variants, then per interval a CPU run and an I/O run after a one-thread baseline.
  expect(result.stderr).not.toContain('\x1b');
  for (let i = 1; i <= 8; i++) expect(result.stderr).toContain(`(${i}/8 runs done`);

  const out = path.join(dir, 'gil');
  const html = fs.readFileSync(path.join(out, 'gil.html'), 'utf8');
  expect(count(html, 'if(window.Plotly)return;')).toBe(1);
  expect(count(html, 'class="clab-chart"')).toBe(3); // speedup, who holds the lock, the switch interval
  expect(html).toContain('Who holds the lock');
  expect(html).toContain('The switch interval');

  const json = JSON.parse(fs.readFileSync(path.join(out, 'gil.json'), 'utf8'));
  expect(json.variants).toEqual(['sequential', 'gil', 'free']);
  expect(json.runs.map((r: { variant: string }) => r.variant)).toEqual(json.variants);
  for (const run of json.runs) {
    expect(run.tasks).toHaveLength(4);
    expect(run.tasks.every((t: { ok: boolean }) => t.ok)).toBe(true);
  }
  expect(json.params).toMatchObject({ threads: 2, count: 4, num: 10, repeats: 1, intervals: [0.5, 2], sweep: true });

  const csv = fs.readFileSync(path.join(out, 'gil.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('variant,threads,switchIntervalMs,repeat,index,pid,threadId,startMs,endMs,durationMs,ok,error');
  expect(csv).toHaveLength(1 + 3 * 4);
  for (const v of json.variants) expect(csv.filter((l) => l.startsWith(`${v},`))).toHaveLength(4);

  const sweep = JSON.parse(fs.readFileSync(path.join(out, 'gil-sweep.json'), 'utf8'));
  expect(sweep.points.map((p: { switchIntervalMs: number }) => p.switchIntervalMs)).toEqual([0.5, 2]);
  const sweepCsv = fs.readFileSync(path.join(out, 'gil-sweep.csv'), 'utf8').trim().split('\n');
  expect(sweepCsv[0]).toMatch(/^run,threads,switchIntervalMs,repeat,index,/);
  expect(sweepCsv).toHaveLength(1 + 3 * 2); // the baseline and two intervals, 2 tasks each
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
    expect(lines(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });
});

const longRuns: [string, string[]][] = [
  ['cpu', ['cpu', '--count', '20', '--num', '30', '--workers', '2', '--repeats', '50', '--modes', 'threads,processes']],
  ['io', ['io', '--requests', '20', '--latency-ms', '50', '--repeats', '50', '--threads', '2', '--processes', '2']],
];
test.each(longRuns)('Ctrl-C during a long %s run stops every worker and server and exits 130', async (_name, args) => {
  const { child, output, exited, stderrHas } = startCli(args, dir);
  // Wait until a whole run has finished: pools (and the server) are up and busy.
  await stderrHas('tasks done');
  const children = await childPids(child.pid, 0);
  expect(children.length).toBeGreaterThanOrEqual(1); // a process pool, the server
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(output.stderr).toContain('interrupted');
  const deadline = Date.now() + 3000;
  while (children.some(isLive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(children.filter(isLive)).toEqual([]);
});

// The kitchen's robots and the GIL's threads are worker threads: nothing outlives the process but child processes.
const threadRuns: [string, string[]][] = [
  ['kitchen', ['kitchen', '--repeats', '20']],
  ['gil', ['gil', '--count', '16', '--num', '25', '--repeats', '100', '--sweep']],
];
test.each(threadRuns)('Ctrl-C during a long %s run stops its threads and exits 130', async (_name, args) => {
  const { child, output, exited, stderrHas } = startCli(args, dir);
  // Wait until a whole run has finished: the worker threads are up and busy.
  await stderrHas('runs done');
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
