/**
 * Bad input, everywhere a user can give it: the library, notebook parameters, `npm start`
 * and the command line. Each is one line that names the parameter and what is allowed,
 * raised before any work starts (nothing is left open or running afterwards).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as lab from 'concurrency-lab';
import { openResources } from '../lib/dist/core/teardown';
import { childPids, CLI } from './helpers/processes';

const ROOT = path.join(__dirname, '..');

type Case = [string, () => unknown, RegExp];

const library: Case[] = [
  [
    'compare: pool size 0',
    () => lab.compare({ workload: 'cpu', inputs: [5], workers: 0 }),
    /^workers must be an integer from 1 to 256 \(got 0\)$/,
  ],
  [
    'compare: negative pool size',
    () => lab.compare({ workload: 'cpu', inputs: [5], workers: -2 }),
    /^workers must be .* \(got -2\)$/,
  ],
  [
    'compare: fractional pool size',
    () => lab.compare({ workload: 'cpu', inputs: [5], workers: 1.5 }),
    /^workers must be .* \(got 1\.5\)$/,
  ],
  [
    'compare: NaN pool size',
    () => lab.compare({ workload: 'cpu', inputs: [5], workers: NaN }),
    /^workers must be .* \(got NaN\)$/,
  ],
  [
    'compare: unknown mode',
    () => lab.compare({ workload: 'cpu', inputs: [5], modes: ['fibers' as never] }),
    /^modes\[0\] must be one of sequential, async, threads, processes, gil, queue \(got "fibers"\)$/,
  ],
  [
    'compare: empty inputs',
    () => lab.compare({ workload: 'cpu', inputs: [] }),
    /^inputs must be a non-empty list \(got an empty list\)$/,
  ],
  [
    'compare: repeats 0',
    () => lab.compare({ workload: 'cpu', inputs: [5], repeats: 0 }),
    /^repeats must be an integer from 1 to 1000 \(got 0\)$/,
  ],
  ['compare: negative warm-up', () => lab.compare({ workload: 'cpu', inputs: [5], warmup: -1 }), /^warmup must be/],
  [
    'compare: unknown workload',
    () => lab.compare({ workload: 'nope', inputs: [5] }),
    /^workload must be one of cpu, .* or a function \(got "nope"\)$/,
  ],
  [
    'compare: a method as workload',
    () =>
      lab.compare({
        // eslint-disable-next-line @typescript-eslint/unbound-method -- a method is the bad input under test
        workload: {
          f(x: number) {
            return x;
          },
        }.f,
        inputs: [1],
      }),
    /^workload must be a self-contained function/,
  ],
  [
    'compare: timeout 0',
    () => lab.compare({ workload: 'cpu', inputs: [5], timeoutMs: 0 }),
    /^timeoutMs must be a number > 0 \(got 0\)$/,
  ],
  [
    'compare: memory limit 1 MB',
    () => lab.compare({ workload: 'cpu', inputs: [5], memoryLimitMb: 1 }),
    /^memoryLimitMb must be an integer from 16/,
  ],
  [
    'compare: an entry with a pool size of 0',
    () => lab.compare({ workload: 'cpu', inputs: [5], modes: [{ mode: 'threads', workers: 0 }] }),
    /^modes\[0\]\.workers must be an integer from 1 to 256 \(got 0\)$/,
  ],
  [
    'compare: an entry of an unknown mode',
    () => lab.compare({ workload: 'cpu', inputs: [5], modes: [{ mode: 'fibers' as never }] }),
    /^modes\[0\]\.mode must be one of sequential, async, threads, processes/,
  ],
  [
    'compare: an entry with empty inputs of its own',
    () => lab.compare({ workload: 'cpu', inputs: [5], modes: [{ mode: 'async', inputs: [] }] }),
    /^modes\[0\]\.inputs must be a non-empty list \(got an empty list\)$/,
  ],
  [
    'compare: two rows with one label',
    () => lab.compare({ workload: 'cpu', inputs: [5], modes: ['async', { mode: 'sequential', label: 'async' }] }),
    /^modes and peers must be rows with distinct labels \(got "async"\)$/,
  ],
  [
    'compare: peers that are not a list',
    () => lab.compare({ workload: 'cpu', inputs: [5], peers: {} as never }),
    /^peers must be a list of peers/,
  ],
  [
    'compare: a peer without a run function',
    () => lab.compare({ workload: 'cpu', inputs: [5], peers: [{ label: 'x' }] as never }),
    /^peers\[0\] must be a peer with a label and a run function/,
  ],
  [
    'compare: fewest runs 0',
    () => lab.compare({ workload: 'cpu', inputs: [5], minRuns: 0 }),
    /^minRuns must be an integer from 1 to 1000 \(got 0\)$/,
  ],
  [
    'sweep: unknown pool mode',
    () => lab.sweep({ workload: 'cpu', inputs: [5], mode: 'fibers' as never }),
    /^mode must be one of threads, processes, gil, queue \(got "fibers"\)$/,
  ],
  [
    'sweep: a pool size of 0',
    () => lab.sweep({ workload: 'cpu', inputs: [5], workers: [1, 0] }),
    /^workers\[1\] must be an integer from 1 to 256 \(got 0\)$/,
  ],
  ['kitchen: zero robots', () => lab.kitchen.cook({ robots: 0 }), /^robots must be an integer from 1 to 64 \(got 0\)$/],
  [
    'kitchen: a negative step time',
    () => lab.kitchen.recipe('soup', ['chop', 'hands-on', -2]),
    /^soup\.steps\[0\]\.minutes must be a number from 0 to 10000 \(got -2\)$/,
  ],
  ['kitchen: an empty recipe', () => lab.kitchen.recipe('soup'), /^soup\.steps must be a non-empty list/],
  ['kitchen: no dishes', () => lab.kitchen.cook({ dishes: [] }), /^dishes must be a non-empty list/],
  [
    'gil: switch interval 0',
    () => lab.gil.compare({ inputs: [10, 10], switchIntervalMs: 0 }),
    /^switchIntervalMs must be/,
  ],
  [
    'gil: switch interval NaN',
    () => lab.gil.compare({ inputs: [10, 10], switchIntervalMs: NaN }),
    /^switchIntervalMs must be .*NaN/,
  ],
  ['gil: zero threads', () => lab.gil.compare({ inputs: [10, 10], threads: 0 }), /^threads must be/],
  [
    'amdahl: serial fraction above 1',
    () => lab.gil.measureAmdahl({ serialFraction: 1.5 }),
    /^serialFraction must be a number from 0 to 1 \(got 1\.5\)$/,
  ],
  [
    'amdahl: negative serial fraction',
    () => lab.gil.measureAmdahl({ serialFraction: -0.1 }),
    /^serialFraction must be a number from 0 to 1 \(got -0\.1\)$/,
  ],
  [
    'amdahl: a pool size of 0',
    () => lab.gil.measureAmdahl({ serialFraction: 0.2, workers: [1, 0] }),
    /^workers\[1\] must be an integer from 1 to 64 \(got 0\)$/,
  ],
  [
    'server: negative latency',
    () => lab.io.startServer({ latencyMs: -1 }),
    /^latencyMs must be a number from 0 to \d+ \(got -1\)$/,
  ],
  ['server: NaN jitter', () => lab.io.startServer({ jitterMs: NaN }), /^jitterMs must be .* \(got NaN\)$/],
  [
    'server: fault share above 1',
    () => lab.io.startServer({ failShare: 2 }),
    /^failShare must be a number from 0 to 1 \(got 2\)$/,
  ],
  [
    'server: negative hang share',
    () => lab.io.startServer({ hangShare: -0.5 }),
    /^hangShare must be a number from 0 to 1/,
  ],
  ['io: zero requests', () => lab.io.measure({ requests: 0 }), /^requests must be an integer from 1/],
  [
    'io: a URL that is not http(s)',
    () => lab.io.measure({ urls: 'ftp://example.org/' }),
    /^urls must be an http\(s\) URL \(got "ftp:\/\/example\.org\/"\)$/,
  ],
  [
    'io: a connection limit of 0',
    () => lab.io.measure({ connections: [0] }),
    /^connections .*must be an integer from 1/,
  ],
  ['processes: zero children', () => lab.processes.childReports(0, 'fork'), /^children must be an integer from 1/],
  [
    'processes: an unknown start method',
    () => lab.processes.childReports(2, 'clone'),
    /^method must be one of spawn, fork \(got "clone"\)$/,
  ],
  ['threads: no message sizes', () => lab.threads.messageCosts({ sizes: [] }), /^sizes must be a non-empty list/],
];

const notebookParameters: Case[] = [
  [
    'an unknown notebook',
    () => lab.parameters('99-nope' as never),
    /^notebook must be one of 01-processes, .*05-cpu-bound/,
  ],
  [
    'a value out of range in the cell',
    () => lab.parameters('05-cpu-bound', { count: 0 }),
    /^count must be an integer from 1 to 10000 \(got 0\)$/,
  ],
  [
    'an unknown name in the cell',
    () => lab.parameters('05-cpu-bound', { cuont: 3 } as never),
    /^parameter name of 05-cpu-bound must be one of count, .* \(got "cuont"\)$/,
  ],
  [
    'a string where a number belongs',
    () => lab.parameters('04-io-bound', { latencyMs: 'slow' as never }),
    /^latencyMs must be a number from 0 to \d+ \(got "slow"\)$/,
  ],
  [
    'a number where a choice belongs',
    () => lab.parameters('01-processes', { method: 'clone' }),
    /^method must be one of fork, spawn \(got "clone"\)$/,
  ],
];

describe.each([
  ['the library', library],
  ['notebook parameters', notebookParameters],
])('%s', (_where, cases) => {
  test.each(cases)('%s', async (_name, call, message) => {
    let error: unknown;
    try {
      await call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(lab.ParameterError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(openResources()).toBe(0);
  });
});

test('the library: gil: a task step of an unknown kind is refused before the pools start', async () => {
  await expect(lab.gil.compare({ workload: 'steps', inputs: [{ sing: 1 } as never], repeats: 1 })).rejects.toThrow(
    /^inputs\[0\] must be one of \{ cpu \| spin \| wait \| serial \| fail: value \}/,
  );
});

describe('the command lines', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const start = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'build', 'tools', 'site.js'), ...args], { encoding: 'utf8' });
  test.each([
    ['cli: an unknown experiment', () => cli('fibers'), /fibers/],
    ['cli: an unknown flag', () => cli('cpu', '--nmu', '3'), /--nmu/],
    [
      'cli: a pool size of 0',
      () => cli('cpu', '--workers', '0'),
      /--workers must be an integer from 1 to 256 \(got 0\)/,
    ],
    ['cli: a value of the wrong type', () => cli('cpu', '--count', 'many'), /--count .*many/],
    ['cli: a module that does not exist', () => cli('/nonexistent/workload.js'), /\/nonexistent\/workload\.js/],
    ['cli: -m 0', () => cli('cpu', '-m', '0'), /--min-runs must be an integer from 1 to 1000 \(got "?0"?\)/],
    ['cli: -M of the wrong type', () => cli('cpu', '-M', 'lots'), /--max-runs must be an integer .*lots/],
    ['cli: an io flag given to cpu', () => cli('cpu', '--latency-ms', '5'), /unknown flag --latency-ms for cpu/],
    [
      'cli: a gil flag of the wrong type',
      () => cli('gil', '--threads', 'two'),
      /--threads must be an integer from 1 to 64 \(got "two"\)/,
    ],
    ['npm start: --set without =', () => start('--set', 'count'), /^--set: expected name=value \(got "count"\)$/],
    ['npm start: an unknown parameter', () => start('--set', 'bogus=1'), /^--set: unknown parameter "bogus"/],
    ['npm start: an unknown notebook', () => start('--only', '99-nope'), /^--only: no notebook named "99-nope"/],
  ])('%s', (_name, run, message) => {
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });
});

afterAll(async () => {
  expect(await childPids()).toEqual([]);
});
