/**
 * The one engine, `compare`, in every built-in mode with real workers: its rows (each pool
 * beside a one-worker pool of its kind), their baselines, the records of every task, entries
 * and peers, and nothing left running afterwards.
 */
import { compare, type Comparison, cpu, summaries, type TaskRecord } from 'concurrency-lab';
import { runsOf } from '../lib/dist/core/measure';
import { openResources } from '../lib/dist/core/teardown';
import { Tasks } from '../lib/dist/core/records';
import { childPids, threadCount } from './helpers/processes';

const double = (n: number) => n * 2;
const tasksOf = (runs: readonly { tasks: Tasks }[]): TaskRecord[] => runs.flatMap((r) => [...r.tasks]);

describe('every mode', () => {
  const inputs = [12, 8, 10, 6, 9, 7];
  let result: Comparison;
  beforeAll(async () => {
    result = await compare({ workload: 'cpu', inputs, workers: 3, repeats: 2, warmup: 1 });
  });

  test('has a row per mode, each pool beside a one-worker pool of its own kind', () => {
    expect(result.rows.map((r) => r.label)).toEqual([
      'sequential',
      'async',
      'threads (1)',
      'threads (3)',
      'processes (1)',
      'processes (3)',
    ]);
    expect(result.rows.map((r) => r.workers)).toEqual([1, 1, 1, 3, 1, 3]);
    expect(result).toMatchObject({ workload: 'cpu', tasks: 6, workers: 3 });
  });

  test('reads each pool against its one-worker pool, the one-worker pools and async against sequential', () => {
    const baselines = Object.fromEntries(result.rows.map((r) => [r.label, r.baseline]));
    expect(baselines).toEqual({
      sequential: undefined,
      async: 'sequential',
      'threads (1)': 'sequential',
      'threads (3)': 'threads (1)',
      'processes (1)': 'sequential',
      'processes (3)': 'processes (1)',
    });
    const cores = result.env.cores;
    const ideal = Object.fromEntries(summaries(result).map((s) => [s.label, s.idealSpeedup]));
    expect(ideal['threads (3)']).toBe(Math.min(3, cores));
    expect(ideal['threads (1)']).toBe(1);
    expect(ideal.async).toBe(1);
  });

  test('returns the right results, in input order, in every row and repeat', () => {
    const expected = inputs.map(cpu.cpuBound);
    expect(result.runs).toHaveLength(result.rows.length * 2);
    for (const row of result.rows) expect(runsOf(result, row.label).map((r) => r.repeat)).toEqual([0, 1]);
    for (const run of result.runs) expect(run.results).toEqual(expected);
  });

  test('keeps one record per task with its index, on the shared clock inside the run', () => {
    for (const run of result.runs) {
      expect(run.tasks.length).toBe(6);
      expect([...run.tasks].map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(run.tasks.failed()).toEqual([]);
      expect(run.cores).toBe(result.env.cores);
      for (const t of run.tasks) {
        expect(t.ok).toBe(true);
        expect(t.start).toBeGreaterThanOrEqual(run.start - 1);
        expect(t.end).toBeLessThanOrEqual(run.end + 1);
        expect(t.end).toBeGreaterThanOrEqual(t.start);
      }
      // JSON of a run's tasks is its records.
      expect(JSON.parse(JSON.stringify(run.tasks))).toEqual([...run.tasks]);
    }
  });

  test('runs sequential and async on the calling thread', () => {
    const local = result.runs.filter((r) => r.mode === 'sequential' || r.mode === 'async');
    expect(new Set(tasksOf(local).map((t) => `${t.pid}:${t.threadId}`))).toEqual(new Set([`${process.pid}:0`]));
  });

  test('sequential tasks never overlap', () => {
    for (const seq of runsOf(result, 'sequential')) {
      for (let i = 1; i < seq.tasks.length; i++)
        expect(seq.tasks.at(i).start).toBeGreaterThanOrEqual(seq.tasks.at(i - 1).end);
    }
  });

  test('threads share this pid with distinct thread ids; a one-worker pool uses one thread', () => {
    const threads = tasksOf(runsOf(result, 'threads (3)'));
    expect(new Set(threads.map((t) => t.pid))).toEqual(new Set([process.pid]));
    const ids = new Set(threads.map((t) => t.threadId));
    expect(ids.has(0)).toBe(false);
    expect(ids.size).toBeGreaterThanOrEqual(2);
    expect(ids.size).toBeLessThanOrEqual(3);
    expect(new Set(tasksOf(runsOf(result, 'threads (1)')).map((t) => t.threadId)).size).toBe(1);
  });

  test('processes have distinct pids, none of them this one', () => {
    const pids = new Set(tasksOf(runsOf(result, 'processes (3)')).map((t) => t.pid));
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.size).toBeGreaterThanOrEqual(2);
    expect(pids.size).toBeLessThanOrEqual(3);
    expect(new Set(tasksOf(runsOf(result, 'processes (1)')).map((t) => t.pid)).size).toBe(1);
  });

  test('measures pool start-up apart from the work, and records the machine', () => {
    const startup = Object.fromEntries(result.rows.map((r) => [r.label, r.startupMs]));
    for (const pool of ['threads (1)', 'threads (3)', 'processes (1)', 'processes (3)'])
      expect(startup[pool]).toBeGreaterThan(0);
    expect(startup.sequential).toBe(0);
    expect(result.rows.every((r) => !r.startupIncluded)).toBe(true);
    expect(result.env.cores).toBeGreaterThanOrEqual(1);
    expect(result.env.cores).toBeLessThanOrEqual(result.env.logicalCpus);
    expect(result.env.node).toBe(process.version);
  });

  test('leaves no pool, worker thread or child process behind', async () => {
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
    expect(threadCount()).toBeLessThan(20);
  });
});

describe('rows of your own', () => {
  test('entries set a label, a pool size, inputs and a baseline; oneWorker: false adds no row', async () => {
    const r = await compare({
      workload: double,
      inputs: [1, 2, 3],
      modes: [
        'sequential',
        { mode: 'threads', label: 'two threads', workers: 2 },
        { mode: 'async', label: 'short', inputs: [5], baseline: null },
        { mode: 'processes', workers: 2, baseline: 'two threads' },
      ],
      oneWorker: false,
      repeats: 1,
      warmup: 0,
    });
    expect(r.rows.map((row) => [row.label, row.workers, row.tasks, row.baseline])).toEqual([
      ['sequential', 1, 3, undefined],
      ['two threads', 2, 3, 'sequential'],
      ['short', 1, 1, undefined],
      ['processes (2)', 2, 3, 'two threads'],
    ]);
    expect(runsOf(r, 'short')[0]!.results).toEqual([10]);
    expect(runsOf(r, 'two threads')[0]!.results).toEqual([2, 4, 6]);
  });

  test("a pool's one-worker baseline runs its work its way, not an earlier one-worker row of the mode", async () => {
    const r = await compare({
      workload: double,
      inputs: [1, 2, 3, 4],
      modes: [{ mode: 'threads', label: 'one short task', workers: 1, inputs: [1] }, 'threads', 'processes'],
      workers: 2,
      repeats: 1,
      warmup: 0,
    });
    expect(r.rows.map((row) => [row.label, row.tasks, row.baseline])).toEqual([
      ['one short task', 1, undefined],
      ['threads (1)', 4, undefined],
      ['threads (2)', 4, 'threads (1)'],
      ['processes (1)', 4, undefined],
      ['processes (2)', 4, 'processes (1)'],
    ]);
  });

  test('two rows with one label are refused before anything starts', async () => {
    await expect(
      compare({ workload: double, inputs: [1], modes: ['sequential', { mode: 'async', label: 'sequential' }] }),
    ).rejects.toThrow('modes and peers must be rows with distinct labels (got "sequential")');
    expect(openResources()).toBe(0);
  });

  test('a peer runs in turns with the modes; one whose run throws becomes a run whose every task failed', async () => {
    let calls = 0;
    const peer = {
      label: 'crashing program',
      origin: 'test',
      mode: 'sequential' as const,
      workers: 1,
      startupIncluded: false,
      run: async () => {
        calls++;
        throw new Error('exit code 1: Traceback ...');
      },
    };
    const r = await compare({ workload: double, inputs: [1, 2], modes: ['sequential'], peers: [peer], repeats: 2 });
    expect(calls).toBe(2);
    expect(r.rows.map((row) => [row.label, row.origin])).toEqual([
      ['sequential', 'node'],
      ['crashing program', 'test'],
    ]);
    const runs = runsOf(r, 'crashing program');
    expect(runs).toHaveLength(2);
    for (const run of runs) {
      expect(run.tasks.failed()).toHaveLength(2);
      expect(run.tasks.at(0).error).toBe('crashing program failed: exit code 1: Traceback ...');
    }
  });
});

describe('custom workloads', () => {
  test('a self-contained function written by the user runs in every mode', async () => {
    const r = await compare({ workload: double, inputs: [1, 2, 3], workers: 2, repeats: 1, warmup: 0 });
    for (const run of r.runs) expect(run.results).toEqual([2, 4, 6]);
    expect(r.workload).toBe('double');
  });

  test('async functions are awaited, so waits overlap in async mode', async () => {
    const wait = (ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms));
    const r = await compare({
      workload: wait,
      inputs: [60, 60, 60, 60],
      modes: ['sequential', 'async'],
      repeats: 1,
      warmup: 0,
    });
    const [seq] = runsOf(r, 'sequential');
    const [all] = runsOf(r, 'async');
    expect(seq!.wallMs).toBeGreaterThanOrEqual(4 * 60 - 5);
    // All four were waiting at the same moment: each started before any finished.
    const firstEnd = Math.min(...[...all!.tasks].map((t) => t.end));
    for (const t of all!.tasks) expect(t.start).toBeLessThan(firstEnd);
  });

  test('BigInt inputs and results cross to child processes', async () => {
    const square = (n: bigint) => n * n;
    const r = await compare({
      workload: square,
      inputs: [2n ** 70n],
      modes: ['processes', 'threads'],
      workers: 1,
      repeats: 1,
      warmup: 0,
    });
    for (const run of r.runs) expect(run.results).toEqual([2n ** 140n]);
  });

  test('an input that cannot be copied to a worker fails its task with one line; the run goes on', async () => {
    const call = (f: unknown) => (typeof f === 'function' ? (f as () => number)() : f);
    const r = await compare({
      workload: call,
      inputs: [1, () => 2, 3],
      modes: ['sequential', 'threads', 'processes'],
      workers: 1,
      repeats: 1,
      warmup: 0,
    });
    expect(runsOf(r, 'sequential')[0]!.results).toEqual([1, 2, 3]);
    for (const label of ['threads (1)', 'processes (1)']) {
      const [run] = runsOf(r, label);
      expect(run!.results).toEqual([1, undefined, 3]);
      const failed = run!.tasks.failed();
      expect(failed.map((t) => t.index)).toEqual([1]);
      expect(failed[0]!.error).toBe('a function cannot be copied to a worker');
    }
    expect(openResources()).toBe(0);
  });
});

describe('a failing task', () => {
  const failOnThree = (n: number) => {
    if (n === 3) throw new Error(`cannot handle ${n}`);
    return n;
  };

  test('is reported with its index and message in every mode, the other results kept', async () => {
    const r = await compare({ workload: failOnThree, inputs: [1, 2, 3, 4], workers: 2, repeats: 1, warmup: 0 });
    for (const run of r.runs) {
      expect(run.results).toEqual([1, 2, undefined, 4]);
      expect(run.tasks.failed()).toEqual([expect.objectContaining({ index: 2, ok: false, error: 'cannot handle 3' })]);
    }
    for (const s of summaries(r)) expect(s.failures).toEqual([{ index: 2, message: 'cannot handle 3', repeat: 0 }]);
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
  });
});
