/**
 * The course's Python programs as peers of the modes, with the real /usr/bin/python3 (or
 * the Python the library finds): tiny sizes, the same records and charts as the modes, a
 * missing module in one line, and nothing left running after a hang, an interrupt or a
 * parent that dies.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  closeAll,
  compare,
  cpu,
  gil,
  InterruptedError,
  io,
  openResources,
  summaryTable,
  timelineChart,
  toCSV,
  warnings,
  wallTimeChart,
  type Comparison,
} from 'concurrency-lab';
import { choosePython, runPython } from 'concurrency-lab/tooling';
import { childPids, newTag, tagged } from './helpers/processes';

const LIB = path.resolve(__dirname, '..', 'lib');

/** Runs `fn` with an environment variable set, and puts it back after. */
async function withEnv<T>(name: string, value: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env[name];
  process.env[name] = value;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  }
}

/** A fake Python: the real one without its site packages (-S), so requests and aiohttp are missing. */
function pythonWithoutPackages(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-python-'));
  const file = path.join(dir, 'python3');
  fs.writeFileSync(file, `#!/bin/sh\nexec /usr/bin/python3 -S "$@"\n`, { mode: 0o755 });
  return file;
}

afterEach(async () => {
  expect(openResources()).toBe(0);
  expect(await childPids()).toEqual([]);
});

describe("the course's CPU programs beside the modes", () => {
  let result: Comparison;
  beforeAll(async () => {
    result = await compare({
      workload: 'cpu',
      inputs: [10, 10, 10, 10],
      modes: ['sequential', 'threads'],
      workers: 2,
      repeats: 1,
      warmup: 0,
      endToEnd: true,
      peers: cpu.pythonPeers({ count: 4, num: 10, workers: 2 }),
    });
  }, 60_000);

  test('are found, and run with the same results as Node', () => {
    expect(choosePython([])).toHaveProperty('python');
    expect(result.peers!.map((p) => p.label)).toEqual([
      'threads (2), end to end',
      'Python sequential',
      'Python ThreadPoolExecutor(2)',
      'Python ProcessPoolExecutor(2)',
    ]);
    for (const series of result.peers!) {
      expect(series.runs).toHaveLength(1);
      expect(series.runs[0]!.results).toEqual(Array(4).fill(cpu.cpuBound(10)));
    }
    expect(result.skipped).toEqual([]);
  });

  test('record every task on the shared clock, where it ran: threads in one process, processes apart', () => {
    const [, seq, threads, processes] = result.peers!.map((p) => p.runs[0]!);
    for (const run of [seq!, threads!, processes!]) {
      expect(run.origin).toBe('python');
      expect(run.tasks.map((t) => t.index)).toEqual([0, 1, 2, 3]);
      for (const t of run.tasks) {
        expect(t.ok).toBe(true);
        expect(t.start).toBeGreaterThanOrEqual(run.start - 1);
        expect(t.end).toBeLessThanOrEqual(run.end + 1);
        // The same epoch clock as Node's records: within a minute of now.
        expect(Math.abs(t.end - Date.now())).toBeLessThan(60_000);
      }
    }
    expect(new Set(threads!.tasks.map((t) => t.pid)).size).toBe(1);
    const pids = new Set(processes!.tasks.map((t) => t.pid));
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.has(seq!.tasks[0]!.pid)).toBe(false);
  });

  test('appear in the summary table, the wall-time chart, a timeline and the CSV, labelled as Python', () => {
    const table = summaryTable(result);
    expect(table).toMatch(/^Python ProcessPoolExecutor\(2\)\s+2\s/m);
    expect(table).toMatch(/^threads \(2\), end to end\s+2\s.*incl\./m);
    const chart = wallTimeChart(result);
    expect(chart.data[0]!.x).toEqual([
      'sequential',
      'threads (2)',
      'threads (2), end to end',
      'Python sequential',
      'Python ThreadPoolExecutor(2)',
      'Python ProcessPoolExecutor(2)',
    ]);
    const marker = chart.data[0]!.marker as { pattern: { shape: string[] } };
    expect(marker.pattern.shape).toEqual(['', '', '.', '/', '/', '/']);
    const timeline = timelineChart(result.peers![3]!.runs[0]!);
    expect(timeline.title).toContain('Python ProcessPoolExecutor(2)');
    expect(
      toCSV(result)
        .split('\n')
        .filter((l) => l.startsWith('Python ProcessPoolExecutor(2),')),
    ).toHaveLength(4);
  });
});

test("the course's I/O programs run against the embedded server, beside the Node variants", async () => {
  const r = await io.measure({
    requests: 6,
    server: { latencyMs: 20 },
    variants: [{ label: 'sequential', workload: 'io', mode: 'sequential' }],
    repeats: 1,
    warmup: 0,
    python: true,
  });
  const summaries = io.summaries(r);
  expect(summaries.map((s) => s.label)).toEqual([
    'sequential',
    'Python requests',
    'Python aiohttp gather',
    'Python ThreadPoolExecutor(10)',
  ]);
  for (const s of summaries) {
    expect(s.failed).toBe(0);
    expect(s.medianMs).toBeGreaterThanOrEqual(s.boundMs! - 1);
    expect(s.peakInflight).toBeGreaterThanOrEqual(1);
  }
  expect(r.skipped).toEqual([]);
}, 60_000);

test('a missing module is one line naming it and how to install it, and the Node part still runs', async () => {
  await withEnv('CLAB_PYTHON', pythonWithoutPackages(), async () => {
    const peers = io.pythonPeers({ urls: 'http://127.0.0.1:9/', requests: 2 });
    expect(peers.map((p) => p.unavailable)).toEqual([
      expect.stringMatching(/^the Python module requests is missing from .*python3 \(CLAB_PYTHON\): install with/),
      expect.stringMatching(/^the Python module aiohttp is missing from /),
      expect.stringMatching(/^the Python module requests is missing from /),
    ]);
    for (const p of peers) {
      expect(p.unavailable).toContain('sudo apt-get install -y python3-aiohttp python3-requests');
      expect(p.unavailable).toContain('conda env update -f environment.yml');
      expect(p.unavailable).not.toContain('\n');
    }
    const r = await compare({ workload: 'sleep', inputs: [5, 5], modes: ['async'], repeats: 1, warmup: 0, peers });
    expect(r.runs).toHaveLength(1);
    expect(r.peers).toEqual([]);
    expect(r.skipped!.map((s) => s.label)).toEqual([
      'Python requests',
      'Python aiohttp gather',
      'Python ThreadPoolExecutor(10)',
    ]);
    const said = warnings(r).filter((w) => w.includes('not run'));
    expect(said).toHaveLength(2); // one line per reason, naming the programs it stops
    expect(said[0]).toMatch(/^Python requests, Python ThreadPoolExecutor\(10\): not run; the Python module requests/);
    expect(summaryTable(r)).toContain('not run: Python aiohttp gather: the Python module aiohttp is missing');
  });
}, 60_000);

test('a Python program that fails is reported with the tail of its stderr', async () => {
  const chosen = choosePython([]);
  if (!('python' in chosen)) throw new Error(chosen.unavailable);
  await expect(runPython('cpu_sequential.py', ['--bogus'], { python: chosen.python })).rejects.toThrow(
    /cpu_sequential\.py failed \(exit code 2\): .*unrecognized arguments: --bogus/,
  );
});

test('a hanging Python program is stopped at its timeout, its pool with it: nothing is left running', async () => {
  const tag = newTag();
  await withEnv('CLAB_TEST_TAG', tag.CLAB_TEST_TAG, async () => {
    const peers = cpu.pythonPeers({ count: 4, num: 200, workers: 2, programs: ['processes'], timeoutMs: 2000 });
    const started = Date.now();
    await expect(compare({ workload: 'cpu', inputs: [200], modes: [], peers, repeats: 1 })).rejects.toThrow(
      /cpu_processes\.py did not finish within 2\.00 s; it was stopped with every process it started/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
  expect(await tagged(tag)).toEqual([]);
}, 30_000);

test('an interrupt stops a running Python program and its pool processes', async () => {
  const tag = newTag();
  await withEnv('CLAB_TEST_TAG', tag.CLAB_TEST_TAG, async () => {
    const peers = cpu.pythonPeers({ count: 4, num: 200, workers: 2, programs: ['processes'] });
    const run = compare({ workload: 'cpu', inputs: [200], modes: [], peers, repeats: 1 });
    setTimeout(() => void closeAll('test interrupt'), 1500);
    await expect(run).rejects.toThrow(InterruptedError);
  });
  expect(await tagged(tag)).toEqual([]);
}, 30_000);

test('when the Node process dies, its pool processes and its Python programs die with it', async () => {
  const tag = newTag();
  const script = `
    const lab = require(${JSON.stringify(LIB)});
    const peers = lab.cpu.pythonPeers({ count: 4, num: 200, workers: 2, programs: ['processes'] });
    void lab.compare({ workload: 'cpu', inputs: [200, 200], modes: ['processes'], workers: 2, warmup: 0, repeats: 1 });
    void lab.compare({ workload: 'cpu', inputs: [200], modes: [], repeats: 1, peers });
    setTimeout(() => process.send('started'), 2500);
  `;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, ...tag },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  await new Promise((resolve) => child.once('message', resolve));
  // Node's pool processes and the Python program with its own pool: at least 5 processes.
  expect((await tagged(tag, 0)).length).toBeGreaterThanOrEqual(5);
  child.kill('SIGKILL');
  expect(await tagged(tag, 5000)).toEqual([]);
}, 30_000);

test("the real GIL: Python's CPU tasks on one thread and on two, with the speedup", async () => {
  const r = await gil.measurePython({ count: 4, num: 14, threads: 2, repeats: 1 });
  expect(r.unavailable).toBeUndefined();
  expect(r.gilEnabled).toBe(true);
  expect(r.oneThread).toHaveLength(1);
  expect(r.threaded).toHaveLength(1);
  for (const run of [...r.oneThread, ...r.threaded]) expect(run.results).toEqual(Array(4).fill(cpu.cpuBound(14)));
  expect(new Set(r.oneThread[0]!.tasks.map((t) => t.threadId)).size).toBe(1);
  expect(new Set(r.threaded[0]!.tasks.map((t) => t.threadId)).size).toBeLessThanOrEqual(2);
  expect(r.speedup).toBeCloseTo(r.oneThreadMs / r.threadedMs, 5);
  expect(r.switchIntervalMs).toBe(5);
}, 60_000);

test('a peer that ran a different number of tasks than the modes is said not to compare', async () => {
  const peers = cpu.pythonPeers({ count: 3, num: 5, programs: ['sequential'] });
  const r = await compare({ workload: 'cpu', inputs: [5, 5], modes: ['sequential'], repeats: 1, warmup: 0, peers });
  expect(warnings(r)).toContain('Python sequential: ran 3 tasks a run where the modes ran 2; its times do not compare');
}, 30_000);
