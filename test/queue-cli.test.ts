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
  expect(result.stderr).toMatch(/queue \(2\), run 1 of 1: 4 of 4 tasks/);
  expect(result.status).toBe(0);
  // Each pool beside its one-worker row, which its speedup is read against.
  for (const row of ['sequential', 'processes \\(1\\)', 'processes \\(2\\)', 'queue \\(1\\)', 'queue \\(2\\)']) {
    expect(result.stdout).toMatch(new RegExp(`^${row}\\s+\\d`, 'm'));
  }
  expect(result.stdout).toMatch(/^queue \(2\)\s+2\s.*\s+queue \(1\)\s/m);
  expect(result.stdout).toMatch(/^BullMQ on Redis, on \d+ cores?: 2 queue workers ran 4 x cpu\(12\) at /m);
  for (const file of ['queue.json', 'queue.csv', 'queue-tasks.csv', 'queue.html', 'queue.md']) {
    expect(fs.existsSync(path.join(out, file))).toBe(true);
  }
  const html = fs.readFileSync(path.join(out, 'queue.html'), 'utf8');
  expect(html).toContain('The queue: 2 workers, a lane per host · pid · thread');
  const tasks = fs.readFileSync(path.join(out, 'queue-tasks.csv'), 'utf8').trim().split('\n');
  expect(tasks[0]).toBe('comparison,row,mode,workers,run,index,host,pid,threadId,startMs,endMs,durationMs,ok,error');
  const queued = tasks.filter((l) => l.startsWith('compare,queue (2),'));
  expect(queued).toHaveLength(4);
  for (const line of queued) expect(line.split(',')[6]).not.toBe(''); // the host each task ran on
  const rows = fs.readFileSync(path.join(out, 'queue.csv'), 'utf8').trim().split('\n');
  expect(rows.find((l) => l.startsWith('queue (2),'))).toMatch(/,compare,queue,node,2,4,1,queue \(1\),/);
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
      /^concurrency-lab: --workers must be an integer from 0 to 64 \(got 65\)/,
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
  await stderrHas(' of 20 tasks'); // a run has ended: the workers and the broker are up
  expect((await tagged(tag, 0)).length).toBeGreaterThanOrEqual(4); // the CLI, the guard, redis-server, 2 workers
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(await tagged(tag, 5000)).toEqual([]);
}, 120_000);
