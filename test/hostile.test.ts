/**
 * A hostile but fair user, by class (issue #15): whatever a task throws or returns, a task
 * that never yields, limits and waits, one parameter check everywhere, signals at any
 * moment, messages. Each case asserts its exact outcome.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, parameters, ParameterError } from 'concurrency-lab';
import { openResources } from '../lib/dist/core/teardown';
import { childPids, CLI, isLive, runCli } from './helpers/processes';

const ROOT = path.join(__dirname, '..');
const SITE = path.join(ROOT, 'build', 'tools', 'site.js');
const MODES = ['sequential', 'async', 'threads', 'processes'] as const;
/** The rows of every mode on one worker each, as the tables name them. */
const ROWS = ['sequential', 'async', 'threads (1)', 'processes (1)'];
/** A table line of `row` whose last column, the failed tasks, is `failed`. */
const tableLine = (row: string, failed: number) =>
  new RegExp(`^${row.replace(/[()]/g, '\\$&')}\\s+1\\s.*\\s${failed}$`, 'm');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-hostile-'));
  const modules: Record<string, string> = {
    'spin.cjs': 'module.exports = { workload: (n) => { if (n === 1) for (;;); return n; } };',
    'nullproto.cjs':
      'module.exports = { workload: (n) => { if (n === 1) throw Object.create(null); return () => n; } };',
    'odd.cjs': `module.exports = { workload: (n) => (n === 0 ? 'x'.repeat(3e6) : n === 1 ? Symbol('s') : { f() {} }) };`,
    'never.cjs': 'module.exports = { workload: (n) => (n === 1 ? new Promise(() => {}) : n) };',
  };
  for (const [name, text] of Object.entries(modules)) fs.writeFileSync(path.join(dir, name), `${text}\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return runCli(args, dir, env);
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [SITE, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, ...env },
  });
}

const lines = (text: string) => text.split('\n').filter((l) => l.trim() !== '');

describe('1. whatever a task throws or returns becomes a record, the same in every mode', () => {
  type Case = [string, (n: number) => unknown, { error: string | RegExp } | { value: unknown }];
  /* eslint-disable @typescript-eslint/only-throw-error -- throwing what is not an Error is the case under test */
  const cases: Case[] = [
    [
      'an object without a prototype',
      () => {
        throw Object.create(null);
      },
      { error: 'threw [Object: null prototype] {}' },
    ],
    [
      'null',
      () => {
        throw null;
      },
      { error: 'threw null' },
    ],
    [
      'undefined',
      () => {
        throw undefined;
      },
      { error: 'threw undefined' },
    ],
    [
      'a Symbol',
      () => {
        throw Symbol('why');
      },
      { error: 'threw Symbol(why)' },
    ],
    [
      'a Proxy whose every trap throws',
      () => {
        const trap = () => {
          throw new Error('trap');
        };
        throw new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap });
      },
      { error: /^threw Proxy \[ \{\}, \{ get: \[Function: trap\]/ },
    ],
    [
      'an empty string',
      () => {
        throw '';
      },
      { error: 'threw an empty string' },
    ],
    [
      'an Error without a message',
      () => {
        throw new Error();
      },
      { error: 'Error with no message' },
    ],
    [
      'an Error of three lines',
      () => {
        throw new Error('first\nsecond\r\nthird');
      },
      { error: 'first second third' },
    ],
    [
      'a string of 10,000 characters',
      () => {
        throw 'y'.repeat(10_000);
      },
      { error: `${'y'.repeat(497)}...` },
    ],
    [
      'a rejected plain object',
      async () => {
        await Promise.resolve();
        throw { code: 42 };
      },
      { error: 'threw {"code":42}' },
    ],
    [
      'a returned function',
      () => function f() {},
      { value: '[result not kept (a function cannot be copied between threads): a function f()]' },
    ],
    [
      'a returned Symbol',
      () => Symbol('s'),
      { value: '[result not kept (a Symbol cannot be copied between threads): Symbol(s)]' },
    ],
    [
      'a returned string of 2 M characters',
      () => 'x'.repeat(2 ** 21),
      { value: `[result not kept (over the 1 MB a result may take): "${'x'.repeat(115)}..."]` },
    ],
    [
      'a returned object with a method',
      () => ({ f() {} }),
      {
        value: expect.stringMatching(
          /^\[result not kept \(it cannot be copied between threads: f\(\) \{ ?\} could not be cloned\.\): \{\}\]$/,
        ),
      },
    ],
    [
      'a returned object that refers to itself',
      () => {
        const o: Record<string, unknown> = { n: 1 };
        o.self = o;
        return o;
      },
      { value: expect.objectContaining({ n: 1 }) },
    ],
    ['a returned BigInt of 100 bits', () => 1n << 100n, { value: 1n << 100n }],
  ];
  /* eslint-enable @typescript-eslint/only-throw-error */
  test.each(cases)('%s', async (_name, fn, expected) => {
    // The workload is shipped to workers as source: it holds the case's function inline.
    const source = `(n) => (n === 1 ? (${String(fn)})(n) : n)`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a self-contained function from its source
    const shipped = new Function(`return ${source}`)() as (n: number) => unknown;
    const r = await compare({
      workload: shipped,
      inputs: [0, 1, 2],
      modes: [...MODES],
      workers: 1,
      repeats: 1,
      warmup: 0,
    });
    expect(r.runs.map((run) => run.mode)).toEqual([...MODES]);
    for (const run of r.runs) {
      expect(run.results[0]).toBe(0);
      expect(run.results[2]).toBe(2);
      const task = run.tasks.at(1);
      if ('error' in expected) {
        expect(task.ok).toBe(false);
        expect(task.error).toEqual(
          expect.stringMatching(typeof expected.error === 'string' ? exact(expected.error) : expected.error),
        );
        expect(task.error).not.toContain('\n');
      } else {
        expect(task.ok).toBe(true);
        expect(run.results[1]).toEqual(expected.value);
      }
    }
    expect(openResources()).toBe(0);
  });
});

function exact(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

describe('1. through the command line, a run whose tasks throw or return anything still prints and writes', () => {
  test('a task that throws an object without a prototype: the table, the files, exit 1; with -i exit 0', () => {
    const r = cli([
      './nullproto.cjs',
      '--count',
      '3',
      '-r',
      '1',
      '--workers',
      '1',
      '--no-progress',
      '--export-json',
      'np.json',
    ]);
    expect(r.status).toBe(1);
    for (const row of ROWS) expect(r.stdout).toMatch(tableLine(row, 1));
    expect(lines(r.stderr)).toEqual([
      'concurrency-lab: 4 tasks failed; first: task 1 (sequential, run 1): threw [Object: null prototype] {} (exit code 1; --ignore-failure exits 0)',
    ]);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'np.json'), 'utf8'));
    expect(json.results.map((s: { command: string; failed: number }) => [s.command, s.failed])).toEqual(
      ROWS.map((row) => [row, 1]),
    );
    expect(json.results.map((s: { exit_codes: number[] }) => s.exit_codes)).toEqual([[1], [1], [1], [1]]);
    expect(cli(['./nullproto.cjs', '--count', '3', '-r', '1', '--workers', '1', '--no-progress', '-i']).status).toBe(0);
  });

  test('a huge string, a Symbol and an object with a method as results: ok in every mode, files written', () => {
    const r = cli(['./odd.cjs', '--count', '3', '-r', '1', '--workers', '1', '--no-progress', '--out', 'odd']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'odd', 'odd.json'), 'utf8'));
    expect(json.comparisons.compare.runs).toHaveLength(4);
    for (const run of json.comparisons.compare.runs) {
      expect(run.tasks.every((t: { ok: boolean }) => t.ok)).toBe(true);
      const [huge, symbol, method] = run.results as string[];
      expect(huge).toMatch(/^\[result not kept \(over the 1 MB a result may take\): "x{115}\.\.\."\]$/);
      expect(symbol).toBe('[result not kept (a Symbol cannot be copied between threads): Symbol(s)]');
      expect(method).toMatch(
        /^\[result not kept \(it cannot be copied between threads: f\(\) \{\} could not be cloned\.\)/,
      );
    }
    expect(fs.readdirSync(path.join(dir, 'odd')).sort()).toEqual([
      'odd-tasks.csv',
      'odd.csv',
      'odd.html',
      'odd.json',
      'odd.md',
    ]);
  });
});

describe('2. Ctrl-C ends a run within 2 s whatever its task does, nothing left running', () => {
  const signals: [string, NodeJS.Signals, number][] = [
    ['sequential', 'SIGINT', 130],
    ['async', 'SIGINT', 130],
    ['threads', 'SIGINT', 130],
    ['processes', 'SIGINT', 130],
    ['sequential', 'SIGTERM', 143],
  ];
  test.each(signals)(
    'a task that never yields, in %s, then %s: exit %i',
    async (mode, signal, code) => {
      const child = spawn(
        process.execPath,
        [CLI, './spin.cjs', '--count', '3', '--modes', mode, '--workers', '1', '-w', '0'],
        {
          cwd: dir,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stderr = '';
      let stdout = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
      // The pool is starting; soon after, the pass has begun and its task 1 spins for ever.
      await new Promise<void>((resolve) => {
        const check = (): unknown => (stderr.includes('starting pools') ? resolve() : setTimeout(check, 50));
        check();
      });
      await new Promise((r) => setTimeout(r, 700));
      const children = await childPids(child.pid, 0);
      const sent = Date.now();
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(Date.now() - sent).toBeLessThan(2000);
      expect(stdout).toBe('');
      expect(lines(stderr).slice(1)).toEqual([
        `${signal === 'SIGINT' ? 'interrupted' : 'terminated'}: stopping every worker, process and server`,
      ]);
      const deadline = Date.now() + 2000;
      while (children.some(isLive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(children.filter(isLive)).toEqual([]);
    },
    60_000,
  );
});

describe('3. every wait has a bound, and every bound a clear message', () => {
  // Bug (library): the io experiment checks the open-file limit inside its measure, after the
  // command line has printed 'starting pools and warming up': the refusal is a second line.
  test('more io requests in flight than the open-file limit allows: refused up front, in one line', () => {
    const r = spawnSync('sh', ['-c', `ulimit -n 200 && exec "${process.execPath}" "${CLI}" io --requests 300`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      expect.stringMatching(
        /^concurrency-lab: --requests must be at most \d+ here: each request in flight holds an open file \(a connection\) and this process may open 200 \(ulimit -n\); raise the limit or send fewer at once \(got 300\)$/,
      ),
    ]);
  });

  test('a task whose promise nothing settles, on the calling thread: the run ends and says why', () => {
    const r = cli(['./never.cjs', '--count', '3', '-r', '1', '--modes', 'sequential', '--no-progress']);
    expect(r.status).toBe(1);
    expect(lines(r.stderr)).toEqual([
      "concurrency-lab: the run's thread ended before the run did (exit code 0): a task called process.exit, or waits for a promise that nothing will settle (--timeout-ms bounds each task)",
    ]);
  });

  test('--timeout-ms ends such a task in every mode; the table and files are kept', () => {
    const r = cli([
      './never.cjs',
      '--count',
      '3',
      '-r',
      '1',
      '-w',
      '0',
      '--workers',
      '1',
      '--timeout-ms',
      // Long enough for a replaced worker process to start on a loaded machine: in a pool the
      // clock includes the start-up of the worker a task is handed to.
      '2000',
      '--no-progress',
      '--export-tasks-csv',
      'never-tasks.csv',
    ]);
    expect(r.status).toBe(1);
    for (const row of ROWS) expect(r.stdout).toMatch(tableLine(row, 1));
    const csv = fs.readFileSync(path.join(dir, 'never-tasks.csv'), 'utf8');
    expect(csv.match(/,false,timed out after 2000 ms/g)).toHaveLength(4);
  });

  // Their tasks cannot be bounded one by one (a robot's recipe, a simulated interpreter's thread).
  test.each(['kitchen', 'gil'])('--timeout-ms bounds a whole %s run', (name) => {
    const r = cli([name, '--timeout-ms', '200', '--no-progress']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      'concurrency-lab: the run took longer than --timeout-ms 200: stopping every worker, process and server',
    ]);
  });

  test('a timeout past what a timer can hold is refused, in the library and on the command line', async () => {
    await expect(compare({ workload: 'cpu', inputs: [5], timeoutMs: 2 ** 31 })).rejects.toThrow(
      new ParameterError('timeoutMs', 'at most 2147483647 ms, the longest a timer can wait', 2 ** 31),
    );
    const r = cli(['cpu', '--timeout-ms', '1e10']);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      'concurrency-lab: --timeout-ms must be a number from 1 to 2147483647 (got 10000000000) (see concurrency-lab cpu --help)',
    ]);
  });
});

describe('4. one parameter check for npm start, CLAB_PARAMS, parameters() and the command line', () => {
  const refused: [string, string[], string][] = [
    ['an inherited name', ['--set', 'constructor=1'], '--set: unknown parameter "constructor"; allowed: children,'],
    ['__proto__', ['--set', '__proto__=1'], '--set: unknown parameter "__proto__"; allowed: children,'],
    [
      'a URL that is not http(s)',
      ['--only', '04-io-bound', '--set', 'urls=ftp://x'],
      '--set: urls must be an http(s) URL (got "ftp://x")',
    ],
    [
      'a dish name that is not a word',
      ['--set', 'dishes=ramen,so up'],
      '--set: dishes[1] must be a dish name (a word) (got "so up")',
    ],
    [
      'a device as the parameters file',
      ['--params', '/dev/zero'],
      '--params: cannot read "/dev/zero" as JSON (it must be a JSON file (not a folder, a pipe or a device))',
    ],
  ];
  test.each(refused)('npm start refuses %s before any notebook runs', (_name, args, message) => {
    const r = start(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr.trim().startsWith(message)).toBe(true);
  });

  test('npm start refuses a parameters file over 1 MB', () => {
    const file = path.join(dir, 'big.json');
    fs.writeFileSync(file, `{"count": 1, "pad": "${'x'.repeat(1.1e6)}"}`);
    const r = start(['--params', file]);
    expect(r.status).toBe(2);
    expect(lines(r.stderr)).toEqual([
      `--params: cannot read ${JSON.stringify(file)} as JSON (it must be a JSON file of at most 1 MB)`,
    ]);
  });

  test('CLAB_PARAMS and the cell name an inherited parameter as unknown, and check notebook-known values', () => {
    expect(() => parameters('05-cpu-bound', { constructor: 1 } as never)).toThrow(
      /^parameter name of 05-cpu-bound must be one of count, .* \(got "constructor"\)$/,
    );
    const before = process.env.CLAB_PARAMS;
    try {
      process.env.CLAB_PARAMS = JSON.stringify({ '05-cpu-bound': { constructor: 1 } });
      expect(() => parameters('05-cpu-bound')).toThrow(
        /^CLAB_PARAMS: parameter name of 05-cpu-bound must be one of count, .* \(got "constructor"\)$/,
      );
      process.env.CLAB_PARAMS = JSON.stringify({ '04-io-bound': { urls: 'file:///etc/passwd' } });
      expect(() => parameters('04-io-bound')).toThrow('urls must be an http(s) URL (got "file:///etc/passwd")');
    } finally {
      if (before === undefined) delete process.env.CLAB_PARAMS;
      else process.env.CLAB_PARAMS = before;
    }
  });
});

describe('5. signals at any moment, paths that are not folders', () => {
  test.each([
    ['SIGINT', 130, 'interrupted'],
    ['SIGTERM', 143, 'terminated'],
  ] as const)('%s while the pools start: exit %i, one line, nothing left running', async (signal, code, word) => {
    const child = spawn(
      process.execPath,
      [CLI, 'cpu', '--count', '20', '--num', '20', '--workers', '4', '--modes', 'processes,threads'],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => {
      const check = (): unknown => (stderr.includes('starting pools') ? resolve() : setTimeout(check, 10));
      check();
    });
    const children = await childPids(child.pid, 0);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(lines(stderr)).toEqual([
      'starting pools and warming up',
      `${word}: stopping every worker, process and server`,
    ]);
    const deadline = Date.now() + 2000;
    while (children.some(isLive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(children.filter(isLive)).toEqual([]);
  });

  test('npm start --out under /proc is refused at once, not spun on', () => {
    const started = Date.now();
    const r = start(['--out', '/proc/clab-hostile/html']);
    expect(r.status).toBe(2);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(lines(r.stderr)).toEqual([
      '--out "/proc/clab-hostile/html" must be a folder that can be written (ENOENT: no such file or directory, mkdir \'/proc/clab-hostile\')',
    ]);
  });

  test('--export-json into a folder that cannot be made is bad input, before anything runs', () => {
    const r = cli(['cpu', '--export-json', '/proc/clab-hostile/r.json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([
      'concurrency-lab: --export-json "/proc/clab-hostile" must be a folder that can be written (ENOENT: no such file or directory, mkdir \'/proc/clab-hostile\')',
    ]);
  });
});

describe('6. messages name the flag as typed, stay on one line, and a rejected run leaves nothing', () => {
  const cases: [string, string[], string][] = [
    [
      'a URL that is not http(s)',
      ['io', '--urls', 'ftp://x', '--out', 'r1'],
      'concurrency-lab: --urls must be an http(s) URL (got "ftp://x") (see concurrency-lab io --help)',
    ],
    [
      'a value with a line break',
      ['cpu', '--count', '1\n2', '--out', 'r2'],
      'concurrency-lab: --count must be an integer from 1 to 10000 (got "1\\n2") (see concurrency-lab cpu --help)',
    ],
    [
      'a module path with a line break and an escape code',
      ['./no\nsuch\u001b[31m.js', '--out', 'r3'],
      'concurrency-lab: module ./no such[31m.js does not exist: give the path of a .js, .cjs, .mjs file',
    ],
    [
      'a folder given as the JSON file',
      ['cpu', '--export-json', '.', '--out', 'r4'],
      'concurrency-lab: --export-json "." must be a file, not a folder or device',
    ],
  ];
  test.each(cases)('%s', (_name, args, message) => {
    const r = cli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(lines(r.stderr)).toEqual([message]);
    const out = args[args.indexOf('--out') + 1]!;
    expect(fs.existsSync(path.join(dir, out))).toBe(false);
  });
});
