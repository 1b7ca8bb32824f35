/**
 * The queue mode on a real broker: our own redis-server (Debian's, or conda-forge's), BullMQ
 * workers in child processes, a "remote" worker started through the command line, and the
 * faults a distributed run meets: a task that throws, a worker killed mid-task, the broker
 * stopping mid-run, bad input, and what is left running afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Redis } from 'ioredis';
import { closeAll, compare, InterruptedError, queue, timelineChart, type Comparison, type Run } from 'concurrency-lab';
import { findRedisServer } from 'concurrency-lab/tooling';
import { writeTasksCsv } from '../lib/dist/output/export';
import { openResources } from '../lib/dist/core/teardown';
import { childPids, isLive } from './helpers/processes';

/** When each job was enqueued, started, finished (this clock) and how often it was started: the run's `detail.jobs`. */
interface Jobs {
  enqueued: number[];
  started: (number | null)[];
  finished: (number | null)[];
  attempts: number[];
}
const jobsOf = (run: { detail?: Record<string, unknown> }) => run.detail!.jobs as Jobs;
const queueRuns = (c: Comparison): Run[] => c.runs.filter((r) => r.mode === 'queue');

const CLI = path.join(__dirname, '..', 'lib', 'dist', 'cli.js');

/** Nothing of ours is left: no tracked resource, no child process (worker, guard, redis-server). */
async function nothingLeft(): Promise<void> {
  expect(openResources()).toBe(0);
  expect(await childPids(process.pid, 4000)).toEqual([]);
}

/** The pids of live redis-server processes that listen on `port` (read from /proc's command lines). */
function redisOn(port: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return cmd[0]!.endsWith('redis-server') && cmd.includes(String(port)) && isLive(Number(pid));
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('the queue mode', () => {
  let result: Comparison;
  const inputs = [12, 8, 10, 6, 9, 7];
  beforeAll(async () => {
    result = await compare({
      workload: 'cpu',
      inputs,
      modes: ['sequential', 'queue'],
      workers: 2,
      oneWorker: false,
      repeats: 2,
    });
  }, 60_000);

  test('returns the same results as sequential, in input order, in every repeat', () => {
    const expected = result.runs.find((r) => r.mode === 'sequential')!.results;
    const runs = queueRuns(result);
    expect(runs.map((r) => r.label)).toEqual(['queue (2)', 'queue (2)']);
    for (const run of runs) expect(run.results).toEqual(expected);
  });

  test('keeps one record per task, by index, with its host, its worker process and thread, each job started once', () => {
    for (const run of queueRuns(result)) {
      const tasks = [...run.tasks];
      expect(tasks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
      const pids = new Set(tasks.map((t) => t.pid));
      expect(pids.has(process.pid)).toBe(false);
      expect(pids.size).toBeGreaterThanOrEqual(1);
      expect(pids.size).toBeLessThanOrEqual(2);
      for (const t of tasks) {
        expect(t).toMatchObject({ ok: true, host: expect.any(String) });
        expect(t.threadId).toBeGreaterThan(0); // the task ran on the worker's thread, off its event loop
      }
      expect(jobsOf(run).attempts).toEqual([1, 1, 1, 1, 1, 1]);
    }
  });

  test('puts the job times on the run clock: enqueued, started, ran, finished, in that order, inside the run', () => {
    const ms = 2; // clock offsets are measured to within half a loopback round trip; the broker counts whole ms
    for (const run of queueRuns(result)) {
      const jobs = jobsOf(run);
      for (const t of run.tasks) {
        const [enqueued, started, finished] = [jobs.enqueued, jobs.started, jobs.finished].map((a) => a[t.index]!);
        expect(enqueued).toBeGreaterThanOrEqual(run.start - ms);
        expect(started).toBeGreaterThanOrEqual(enqueued! - ms);
        expect(t.start).toBeGreaterThanOrEqual(started! - ms);
        expect(t.end).toBeGreaterThanOrEqual(t.start);
        expect(finished).toBeGreaterThanOrEqual(t.end - ms);
        expect(finished).toBeLessThanOrEqual(run.end + ms);
      }
    }
  });

  test('is summarised and charted like every mode: a pool with a start-up, lanes per host · pid · thread', () => {
    const timeline = timelineChart(queueRuns(result)[0]!);
    expect(timeline.table).toMatch(/ · pid \d+ · thread \d+/);
    expect(result.rows.find((r) => r.mode === 'queue')!.startupMs).toBeGreaterThan(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-queue-csv-'));
    try {
      writeTasksCsv(path.join(dir, 'tasks.csv'), queue.report({ comparison: result }));
      const lines = fs.readFileSync(path.join(dir, 'tasks.csv'), 'utf8').trim().split('\n');
      expect(lines[0]).toMatch(/,host,pid,threadId,/);
      expect(lines.filter((l) => l.includes(',queue (2),'))).toHaveLength(12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('leaves no worker, no redis-server and no connection behind', async () => {
    await nothingLeft();
  });

  test("runs each row on its own workers, so queue (1) is one process; a row's queue is gone after it", async () => {
    const broker = await queue.openBroker();
    const redis = new Redis(broker.connection);
    try {
      const r = await compare({
        workload: 'cpu',
        inputs: Array(8).fill(22),
        modes: ['queue'],
        workers: 2,
        repeats: 2,
        modeOptions: { queue: { broker } },
      });
      const pids = (label: string) =>
        new Set(r.runs.filter((run) => run.label === label).flatMap((run) => [...run.tasks].map((t) => t.pid)));
      expect(pids('queue (1)').size).toBe(1);
      expect([...pids('queue (2)')].some((pid) => pids('queue (1)').has(pid))).toBe(false);
      expect(await redis.keys('bull:*')).toEqual([]);
    } finally {
      redis.disconnect();
      await broker.close();
    }
    await nothingLeft();
  }, 60_000);
});

describe('a failing task', () => {
  test('a job that throws is a failed task with its index and message; the others are kept', async () => {
    const failOnThree = (n: number) => {
      if (n === 3) throw new Error(`cannot handle ${n}`);
      return n;
    };
    const r = await compare({
      workload: failOnThree,
      inputs: [1, 2, 3, 4],
      modes: ['queue'],
      workers: 2,
      oneWorker: false,
      repeats: 1,
    });
    const run = r.runs[0]!;
    expect(run.results).toEqual([1, 2, undefined, 4]);
    expect(run.tasks.failed()).toEqual([
      expect.objectContaining({ index: 2, ok: false, error: 'cannot handle 3', host: expect.any(String) }),
    ]);
    await nothingLeft();
  }, 60_000);

  test('timeoutMs fails a task that runs too long, stops its thread, and the run goes on', async () => {
    const busy = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until);
      return ms;
    };
    const r = await compare({
      workload: busy,
      inputs: [10, 8000, 10],
      modes: ['queue'],
      workers: 1,
      repeats: 1,
      warmup: 0,
      timeoutMs: 2000,
    });
    const run = r.runs[0]!;
    expect(run.results).toEqual([10, undefined, 10]);
    expect(run.tasks.at(1)).toMatchObject({
      ok: false,
      error: 'timed out after 2000 ms; its worker thread was stopped and replaced',
    });
    expect(run.wallMs).toBeLessThan(7000);
    await nothingLeft();
  }, 60_000);
});

describe('a worker killed mid-task', () => {
  test("its job is handed to another worker by BullMQ's stalled check: every task completes once", async () => {
    const spin = (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until);
      return ms;
    };
    const executor = await queue.open({ workload: spin, workers: 2, stallMs: 2000 });
    let killed: ReturnType<typeof queue.killBusyWorker>;
    try {
      const batch = await executor.run(Array(8).fill(300), () => {
        killed ??= queue.killBusyWorker(executor); // the worker that took a job last: surely mid-task
      });
      expect(killed).toBeDefined();
      const tasks = [...batch.tasks];
      expect(tasks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(tasks.every((t) => t.ok)).toBe(true);
      const attempts = (batch.detail!.jobs as Jobs).attempts;
      const twice = attempts.flatMap((n, index) => (n === 2 ? [index] : []));
      expect(twice).toEqual([killed!.index]);
      expect(attempts.filter((n) => n !== 1 && n !== 2)).toEqual([]);
      expect(batch.tasks.at(killed!.index).pid).not.toBe(killed!.pid);
      expect(isLive(killed!.pid)).toBe(false);
      const read = queue.recovery(executor, batch, killed!);
      expect(read).toMatchObject({ tasks: 8, completed: 8, countedOnce: true, ranTwice: [killed!.index] });
      expect(read.delayMs).toBeGreaterThan(0);
      // The dead worker is replaced, as a pool replaces its workers.
      const deadline = Date.now() + 20_000;
      while (executor.processes().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(executor.processes()).toHaveLength(2);
    } finally {
      await executor.close();
    }
    await nothingLeft();
  }, 60_000);
});

describe('the broker stopping mid-run', () => {
  test('our redis-server killed: the run ends at once with an error naming the broker, nothing left', async () => {
    const broker = await queue.openBroker();
    const port = broker.port;
    const started = Date.now();
    let killedAt = 0;
    const run = compare({
      workload: 'spin',
      inputs: Array(40).fill(100),
      modes: ['queue'],
      workers: 2,
      oneWorker: false,
      repeats: 1,
      warmup: 0,
      modeOptions: { queue: { broker } },
      onProgress: (p) => {
        if (p.done === 2 && !killedAt) {
          killedAt = Date.now();
          process.kill(broker.pid!, 'SIGKILL');
        }
      },
    });
    await expect(run).rejects.toThrow(
      /the broker stopped mid-run: our redis-server \(pid \d+, 127\.0\.0\.1:\d+\) exited \(signal SIGKILL\)/,
    );
    // At once: it does not wait out a timeout (stopping the workers after it takes a loaded machine a few seconds).
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(Date.now() - started).toBeLessThan(30_000);
    await broker.close();
    expect(redisOn(port)).toEqual([]);
    expect(fs.existsSync(broker.dir!)).toBe(false); // its temporary directory went with it
    await nothingLeft();
  }, 60_000);

  test("a Redis of someone else's stopping: the run ends after its timeout with an error naming it", async () => {
    // Played by a redis-server started apart; the run only knows its URL.
    const outside = await queue.openBroker();
    try {
      let killedAt = 0;
      const run = compare({
        workload: 'spin',
        inputs: Array(40).fill(100),
        modes: ['queue'],
        workers: 2,
        oneWorker: false,
        repeats: 1,
        warmup: 0,
        timeoutMs: 2000,
        modeOptions: { queue: { redisUrl: outside.url } },
        onProgress: (p) => {
          if (p.done === 2 && !killedAt) {
            killedAt = Date.now();
            process.kill(outside.pid!, 'SIGKILL');
          }
        },
      });
      await expect(run).rejects.toThrow(
        /the broker stopped answering: Redis at redis:\/\/127\.0\.0\.1:\d+ was unreachable for 2000 ms/,
      );
      // It waits out its 2 s for the broker to come back, then stops the workers: a loaded machine adds seconds, not minutes.
      const took = Date.now() - killedAt;
      expect(took).toBeGreaterThanOrEqual(1900);
      expect(took).toBeLessThan(20_000);
    } finally {
      await outside.close();
    }
    await nothingLeft();
  }, 60_000);
});

describe('bad input gets one line before anything starts', () => {
  const base = { workload: 'spin', inputs: [1], modes: ['queue'] as const, repeats: 1, warmup: 0 };

  test.each([
    [
      'a worker count out of range',
      { workers: 65 },
      /workers must be an integer from 1 to 64 in the queue mode \(got 65\)/,
    ],
    [
      'a queue name with a colon',
      { modeOptions: { queue: { queueName: 'jobs:today' } } },
      /queueName must be 1 to 100 letters, digits, '\.', '_' or '-'.*\(got "jobs:today"\)/,
    ],
    [
      'a URL that is not one',
      { modeOptions: { queue: { redisUrl: 'localhost:6379' } } },
      /redisUrl must be a URL like redis:\/\/host:6379/,
    ],
    [
      'a Redis that refuses the connection',
      { modeOptions: { queue: { redisUrl: 'redis://127.0.0.1:1' } } },
      /the Redis at redis:\/\/127\.0\.0\.1:1 \(redisUrl\) cannot be reached: connect ECONNREFUSED/,
    ],
    [
      'an unknown option',
      { modeOptions: { queue: { queue: 'x' } } },
      /modeOptions\.queue must be options from redisUrl/,
    ],
  ])('%s', async (_name, extra, message) => {
    await expect(compare({ ...base, modes: [...base.modes, 'processes'], ...extra })).rejects.toThrow(message);
    await nothingLeft(); // not even the process pool started
  });

  test('a Redis that needs a password, without one or with a wrong one', async () => {
    const locked = await queue.openBroker({ password: 'correct-horse-battery' });
    try {
      const url = `redis://127.0.0.1:${locked.port}`;
      await expect(compare({ ...base, modeOptions: { queue: { redisUrl: url } } })).rejects.toThrow(
        /the Redis at redis:\/\/127\.0\.0\.1:\d+ \(redisUrl\) needs a password, and none was given: put it in the URL/,
      );
      await expect(
        compare({ ...base, modeOptions: { queue: { redisUrl: `redis://:wrong-password@127.0.0.1:${locked.port}` } } }),
      ).rejects.toThrow(/refused the password given \(WRONGPASS\)/);
      // With it, the run works; the password never shows in what we print.
      const ok = await compare({ ...base, modeOptions: { queue: { redisUrl: locked.url } } });
      expect(ok.runs[0]!.tasks.at(0).ok).toBe(true);
    } finally {
      await locked.close();
    }
    await nothingLeft();
  }, 60_000);

  test('a redis-server that cannot be found, or cannot start', async () => {
    await expect(queue.openBroker({ redisServer: '/nonexistent/redis-server' })).rejects.toThrow(
      /redis-server \/nonexistent\/redis-server .* is not an executable file/,
    );
    const saved = { path: process.env.PATH, bin: process.env.CLAB_REDIS_SERVER };
    try {
      process.env.PATH = '/nonexistent';
      delete process.env.CLAB_REDIS_SERVER;
      expect(() => findRedisServer(undefined, ['/nonexistent'])).toThrow(
        /redis-server was not found: on Debian\/Ubuntu `sudo apt-get install -y redis-server`, with conda `conda install -c conda-forge redis-server`/,
      );
    } finally {
      process.env.PATH = saved.path;
      if (saved.bin !== undefined) process.env.CLAB_REDIS_SERVER = saved.bin;
    }
    await expect(queue.openBroker({ redisServer: '/bin/false' })).rejects.toThrow(
      /redis-server could not start \(exit code 1\)/,
    );
    await expect(queue.openBroker({ bind: '0.0.0.0' })).rejects.toThrow(
      /password must be given when bind is not the loopback/,
    );
    await nothingLeft();
  });
});

describe('a worker on another machine', () => {
  let remote: ChildProcess | undefined;
  afterEach(() => remote?.kill('SIGKILL'));

  test('joins through the command line, its clock put on ours, and stops after its job on Ctrl-C', async () => {
    const broker = await queue.openBroker();
    try {
      // Another machine, played by a process whose clock is a minute ahead.
      remote = spawn(
        process.execPath,
        [CLI, 'worker', '--redis', broker.url, '--queue', 'elsewhere', '--name', 'remote-1'],
        {
          env: { ...process.env, CLAB_CLOCK_SKEW_MS: '60000' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      remote.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      const exited = new Promise<number | null>((resolve) => remote!.once('exit', resolve));
      while (!out.includes('joined')) await new Promise((r) => setTimeout(r, 50));
      const joined = out.match(
        /worker pid \d+ on remote-1: joined queue "elsewhere" on Redis [\d.]+ at redis:\/\/127\.0\.0\.1:\d+; this clock is (\d+\.\d\d) ms ahead of the broker's/,
      );
      // The skew, give or take the measurement (half a round trip to Redis): 59999.99 is right too.
      expect(Math.abs(Number(joined?.[1]) - 60_000)).toBeLessThan(250);
      const spin = (ms: number) => {
        const until = Date.now() + ms;
        while (Date.now() < until);
        return ms;
      };
      const r = await compare({
        workload: spin,
        inputs: Array(12).fill(40),
        modes: ['queue'],
        workers: 1,
        repeats: 1,
        modeOptions: { queue: { broker, queueName: 'elsewhere', localWorkers: false } },
      });
      const run = r.runs[0]!;
      const tasks = [...run.tasks];
      expect(new Set(tasks.map((t) => t.host))).toEqual(new Set(['remote-1']));
      expect(tasks.every((t) => t.ok)).toBe(true);
      for (const t of tasks.filter((t) => t.host === 'remote-1')) {
        // Without the offset these would be a minute in the future; with it, inside the run give or take
        // the offset's own error (half a round trip to Redis, longer on a loaded machine).
        expect(t.start).toBeGreaterThanOrEqual(run.start - 50);
        expect(jobsOf(run).finished[t.index]!).toBeLessThanOrEqual(run.end + 50);
      }
      expect(out).toMatch(/task \d+ of spin \(run \w+\): done in [\d.]+ ms/);
      remote.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toMatch(/stopping after the current job[\s\S]*stopped/);
    } finally {
      await broker.close();
    }
    await nothingLeft();
  }, 60_000);
});

describe('an interrupt', () => {
  test('stops every worker and our redis-server promptly; the run throws InterruptedError', async () => {
    let stoppedAt = 0;
    const run = compare({
      workload: 'spin',
      inputs: Array(40).fill(200),
      modes: ['queue'],
      workers: 2,
      oneWorker: false,
      repeats: 1,
      warmup: 0,
      onProgress: (p) => {
        if (p.done === 1 && !stoppedAt) {
          stoppedAt = Date.now();
          void closeAll('interrupted');
        }
      },
    });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000); // no job's end awaited: seconds at most, on a loaded machine
    await nothingLeft();
  }, 60_000);

  test('an outside Redis is left with no connection of ours', async () => {
    const outside = await queue.openBroker();
    const admin = new Redis(outside.connection);
    try {
      await compare({
        workload: 'spin',
        inputs: [5, 5],
        modes: ['queue'],
        workers: 2,
        modeOptions: { queue: { redisUrl: outside.url } },
      });
      const clients = (await admin.client('LIST')) as string;
      expect(clients.trim().split('\n')).toHaveLength(1); // only this admin connection
    } finally {
      admin.disconnect();
      await outside.close();
    }
    await nothingLeft();
  }, 60_000);
});
