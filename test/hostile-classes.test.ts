/**
 * Hostile but fair input, by class, each handled by construction: values that cannot cross to
 * a worker, a Python peer that misbehaves, signals to the worker command, parameters too large
 * for an environment variable, a worker process that runs out of memory. Each case: its exact
 * outcome, an upper bound on time, nothing lost, nothing left running.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, queue } from 'concurrency-lab';
import { readOverrides } from '../lib/dist/core/params';
import { IO_PARAMS } from '../lib/dist/concepts/io/params';
import { handOff } from '../build/tools/site';
import { newTag, startCli, tagged } from './helpers/processes';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-hostile-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Waits until `check` holds, for at most `ms`. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe('values that cannot cross to a worker: that task fails with its index and why, the run goes on', () => {
  const values: [string, unknown, RegExp][] = [
    ['a function', () => 1, /^a function cannot be copied to a worker$/],
    ['a Symbol', Symbol('s'), /^a symbol cannot be copied to a worker$/],
    ['an object holding a function', { f: () => 1 }, /^its input cannot be copied to a worker: .*could not be cloned/],
    ['a WeakMap', new WeakMap(), /^its input cannot be copied to a worker: .*could not be cloned/],
  ];
  test.each(['threads', 'processes'] as const)(
    '%s',
    async (mode) => {
      const started = Date.now();
      const c = await compare({
        workload: 'spin',
        inputs: [1, ...values.map(([, v]) => v), 1],
        modes: [mode],
        workers: 1,
        oneWorker: false,
        repeats: 1,
        warmup: 0,
      });
      expect(Date.now() - started).toBeLessThan(20_000);
      const tasks = [...c.runs[0]!.tasks];
      expect(tasks.map((t) => [t.index, t.ok])).toEqual([
        [0, true],
        ...values.map((_, i) => [i + 1, false]),
        [values.length + 1, true],
      ]);
      values.forEach(([, , why], i) => expect(tasks[i + 1]!.error).toMatch(why));
    },
    30_000,
  );
});

describe('a Python peer that misbehaves is a row that failed, never a lost run', () => {
  /** A CLAB_PYTHON that answers the version probe as Python does, then does `body` instead of the program. */
  const wrapper = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\ncase "$1" in -c) exec /usr/bin/python3 "$@";; esac\n${body}\n`, { mode: 0o755 });
    return file;
  };
  const cases = [
    {
      name: 'prints something other than its JSON',
      body: 'echo "Hello from a shim"',
      why: /printed no JSON|not JSON|no JSON/,
    },
    {
      name: 'exits non-zero',
      body: 'echo "boom: no such module" >&2; exit 3',
      why: /exit code 3.*boom: no such module/,
    },
  ];
  test.each(cases)(
    'one that $name: the Node rows, the table and the files stay; exit 1',
    async ({ name, body, why }) => {
      const python = wrapper(name.replace(/\W+/g, '-'), body);
      const out = path.join(dir, `peer-${name.length}`);
      const started = Date.now();
      const cli = startCli(
        [
          'cpu',
          '--python',
          '--count',
          '2',
          '--num',
          '20',
          '-r',
          '1',
          '--workers',
          '2',
          '--modes',
          'sequential',
          '--no-progress',
          '--out',
          out,
        ],
        dir,
        { CLAB_PYTHON: python },
      );
      const code = await cli.exited;
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(code).toBe(1);
      const { stdout, stderr } = cli.output;
      expect(stdout).toMatch(/^sequential\s+1\s/m); // the Node row, measured
      expect(stdout).toMatch(/^Python [\w.]+ sequential\s.*\s2$/m); // the Python row: both of its tasks failed
      expect(`${stdout}\n${stderr}`).toMatch(why);
      expect(stderr).not.toMatch(/undefined|null\b/);
      expect(fs.readdirSync(out).sort()).toEqual(['cpu-tasks.csv', 'cpu.csv', 'cpu.html', 'cpu.json', 'cpu.md']);
    },
    90_000,
  );

  test('a wrapper whose Python hangs: Ctrl-C ends the command within 5 s, and that Python with it', async () => {
    const marker = `clab-hang-${process.pid}`;
    const python = wrapper('hangs', `/usr/bin/python3 -c 'import time; time.sleep(600)' ${marker}\nexit 0`);
    const tag = newTag();
    const cli = startCli(['cpu', '--python', '--count', '2', '--num', '20', '-r', '1', '--modes', 'sequential'], dir, {
      CLAB_PYTHON: python,
      ...tag,
    });
    const hung = () =>
      fs.readdirSync('/proc').some((pid) => {
        try {
          return /^\d+$/.test(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
        } catch {
          return false;
        }
      });
    expect(await until(hung, 30_000)).toBe(true);
    const started = Date.now();
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(130);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await until(() => !hung(), 2000)).toBe(true);
    expect(await tagged(tag)).toEqual([]);
  }, 60_000);

  test('a wrapper that does not exec: when the command is killed outright, its program ends its own group', async () => {
    const python = wrapper('no-exec', '/usr/bin/python3 "$@"\nexit $?');
    const tag = newTag();
    // A run that would take minutes: cpu(2000) in Python.
    const script = `
      const { runPython } = require(${JSON.stringify(path.join(__dirname, '..', 'lib', 'dist', 'python', 'run'))});
      runPython('cpu_sequential.py', ['--count', '1', '--num', '2000'], { python: ${JSON.stringify(python)} }).catch(() => {});
      console.log('started');`;
    const child = spawn(process.execPath, ['-e', script], {
      env: { ...process.env, ...tag },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise((r) => child.stdout.once('data', r));
    await new Promise((r) => setTimeout(r, 1500)); // the program is running
    const before = await tagged(tag, 0);
    expect(before.length).toBeGreaterThanOrEqual(3); // node, the wrapper's shell, Python
    child.kill('SIGKILL');
    expect(await tagged(tag, 3000)).toEqual([]); // Python saw CLAB_PARENT_PID go, and killed its group
  }, 30_000);
});

test("the worker command's second Ctrl-C stops it at once, the job in hand too, exit 130", async () => {
  const broker = await queue.openBroker();
  const tag = newTag();
  const worker = startCli(['worker', '--redis', broker.url, '--queue', 'hostile-signals'], dir, tag);
  try {
    expect(await until(() => worker.output.stdout.includes('joined queue'), 15_000)).toBe(true);
    const executor = await queue.open({
      workload: 'sleep',
      workers: 1,
      broker,
      queueName: 'hostile-signals',
      localWorkers: false,
    });
    try {
      const running = executor.run([20_000]); // a job of 20 s
      void running.catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1500)); // in the worker's hands
      worker.child.kill('SIGINT');
      await until(() => worker.output.stdout.includes('stopping after the current job'), 5000);
      const started = Date.now();
      worker.child.kill('SIGINT');
      expect(await worker.exited).toBe(130);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(worker.output.stdout).toMatch(/stopping now/);
      expect(worker.output.stdout).not.toMatch(/task 0 of sleep .*done/);
    } finally {
      await executor.close(true);
    }
  } finally {
    worker.child.kill('SIGKILL');
    await broker.close();
  }
  expect(await tagged(tag)).toEqual([]);
}, 60_000);

test('parameters too large for an environment variable reach the notebook by file (up to 1 MB)', () => {
  // 10,000 URLs, about 400 KB: over Linux's 128 KB for one environment variable.
  const urls = Array.from({ length: 10_000 }, (_, i) => `http://127.0.0.1:8000/page/${i}/of/a/long/path/here`).join(
    ',',
  );
  expect(urls.length).toBeGreaterThan(128 * 1024);
  const env = handOff('04-io-bound', { urls }, dir);
  expect(Object.keys(env)).toEqual(['CLAB_PARAMS_FILE']);
  expect(JSON.stringify(env).length).toBeLessThan(1024);
  const saved = process.env.CLAB_PARAMS_FILE;
  process.env.CLAB_PARAMS_FILE = env.CLAB_PARAMS_FILE;
  try {
    expect(readOverrides('04-io-bound', IO_PARAMS)).toEqual({ urls });
  } finally {
    if (saved === undefined) delete process.env.CLAB_PARAMS_FILE;
    else process.env.CLAB_PARAMS_FILE = saved;
  }
  expect(handOff('04-io-bound', undefined, dir)).toEqual({});
});

test('a worker process that runs out of memory: one line in its record, not V8 report on stderr', () => {
  const script = `
    const { compare } = require('concurrency-lab');
    compare({
      workload: (n) => { const a = []; for (let i = 0; i < n; i++) a.push(new Array(1e5).fill(i)); return a.length; },
      inputs: [1, 1e5, 1], modes: ['processes'], workers: 1, oneWorker: false, repeats: 1, warmup: 0, memoryLimitMb: 64,
    }).then((c) => console.log(JSON.stringify([...c.runs[0].tasks].map((t) => t.error ?? 'ok'))));`;
  const started = Date.now();
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: __dirname,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(Date.now() - started).toBeLessThan(60_000);
  expect(JSON.parse(r.stdout)).toEqual([
    'ok',
    'its worker process ran out of memory (the limit is 64 MB) and was replaced',
    'ok',
  ]);
  expect(r.stderr).not.toMatch(/FATAL ERROR|Native stack trace|Last few GCs/);
  expect(r.stderr.trim()).toBe('');
});

test('the same without a memory limit set: never "undefined" in the line', () => {
  const { explainWorkerError } = require('../lib/dist/core/worker-faults');
  const died = new Error(
    'Workerpool Worker terminated Unexpectedly\n    exitCode: `null`\n    signalCode: `SIGABRT`\n',
  );
  const cases: [boolean, string][] = [
    [true, "its worker process ran out of memory (Node's own heap limit) and was replaced"],
    [false, 'its worker process died (signal SIGABRT) and was replaced'],
  ];
  for (const [oom, line] of cases) expect(explainWorkerError(died, 'worker process', {}, oom)).toBe(line);
  expect(explainWorkerError(new Error('memory limit reached'), 'worker thread', {})).toBe(
    "its worker thread ran out of memory (Node's own heap limit) and was replaced",
  );
});
