/**
 * `concurrency-lab queue` and `concurrency-lab worker`, run as a user runs them (the
 * remote-worker run itself is in queue.test.ts).
 */
import type { SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newTag, runCli, startCli, tagged } from './helpers/processes';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-queue-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return runCli(args, dir, env);
}

test('queue runs the course tasks sequentially, in the process pool and on the queue, and writes its files', async () => {
  const tag = newTag();
  const out = path.join(dir, 'small');
  const result = cli(['queue', '--count', '4', '--num', '12', '--workers', '2', '--repeats', '1', '--out', out], tag);
  expect(result.stderr).toMatch(/queue \(2\), repeat 1\/1: 4 tasks done/);
  expect(result.status).toBe(0);
  for (const mode of ['sequential', 'processes', 'queue']) {
    expect(result.stdout).toMatch(new RegExp(`^${mode}\\s+\\d`, 'm'));
  }
  const html = fs.readFileSync(path.join(out, 'queue.html'), 'utf8');
  expect(html).toContain('Timeline: queue (2 workers)');
  const csv = fs.readFileSync(path.join(out, 'queue.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toMatch(/,host,enqueuedMs,startedMs,finishedMs,attempts$/);
  expect(csv.filter((l) => l.startsWith('queue,'))).toHaveLength(4);
  expect(await tagged(tag)).toEqual([]);
}, 120_000);

describe('bad input gets one line and runs nothing', () => {
  test.each([
    [
      'a queue name Redis keys should not hold',
      ['queue', '--queue-name', 'a b'],
      2,
      /--queue-name must be 1 to 100 letters/,
    ],
    [
      'too many queue workers',
      ['queue', '--workers', '65'],
      2,
      /--workers must be an integer from 1 to 64 in the queue mode/,
    ],
    [
      'a Redis URL that is not one',
      ['queue', '--redis-url', 'localhost'],
      2,
      /--redis-url must be a URL like redis:\/\//,
    ],
    ['a worker without a broker', ['worker'], 2, /worker needs --redis redis:\/\/host:port/],
    [
      'a worker whose broker refuses',
      ['worker', '--redis', 'redis://127.0.0.1:1'],
      1,
      /cannot be reached: connect ECONNREFUSED/,
    ],
  ])('%s', (_name, args, code, message) => {
    const out = path.join(dir, `bad-${args.join('_').replace(/\W/g, '')}`);
    const result = cli([...args, ...(args[0] === 'queue' ? ['--out', out] : [])], { REDIS_URL: '' });
    expect(result.status).toBe(code);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(out)).toBe(false);
  });
});

test('Ctrl-C during a long queue run stops the workers and our redis-server and exits 130', async () => {
  const tag = newTag();
  const args = ['queue', '--count', '20', '--num', '30', '--workers', '2', '--repeats', '50', '--modes', 'queue'];
  const { child, exited, stderrHas } = startCli(args, dir, tag);
  await stderrHas('tasks done');
  expect((await tagged(tag, 0)).length).toBeGreaterThanOrEqual(4); // the CLI, the guard, redis-server, 2 workers
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(await tagged(tag, 5000)).toEqual([]);
}, 120_000);
