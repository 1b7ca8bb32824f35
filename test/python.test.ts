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
  summaryTable,
  timelineChart,
  warnings,
  wallTimeChart,
  type Comparison,
} from 'concurrency-lab';
import { choosePython, runPython } from 'concurrency-lab/tooling';
import { ioWays } from '../lib/dist/concepts/io/summary';
import { ioPeers } from '../lib/dist/python/peers';
import { writeTasksCsv } from '../lib/dist/output/export';
import { openResources } from '../lib/dist/core/teardown';
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

/** The version of the Python the library picks here, as its rows are labelled: 'Python 3.11.2 sequential'. */
function pythonVersion(): string {
  const chosen = choosePython([]);
  if (!('version' in chosen)) throw new Error('unavailable' in chosen ? chosen.unavailable : 'no Python');
  return chosen.version;
}
const runsOf = (c: Comparison, label: string) => c.runs.filter((r) => r.label === label);

describe("the course's CPU programs beside the modes", () => {
  let result: Comparison;
  let py: (name: string) => string;
  beforeAll(async () => {
    const version = pythonVersion();
    py = (name) => `Python ${version} ${name}`;
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

  test('are found, and run as rows beside the modes with the same results as Node', () => {
    expect(choosePython([])).toHaveProperty('python');
    expect(result.rows.map((r) => [r.label, r.origin, r.startupIncluded])).toEqual([
      ['sequential', 'node', false],
      ['threads (1)', 'node', false],
      ['threads (2)', 'node', false],
      ['threads (2), end to end', 'node', true],
      [py('sequential'), 'python', true],
      [py('ThreadPoolExecutor(2)'), 'python', true],
      [py('ProcessPoolExecutor(2)'), 'python', true],
    ]);
    for (const row of result.rows) {
      const runs = runsOf(result, row.label);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.results).toEqual(Array(4).fill(cpu.cpuBound(10)));
    }
    // Each Python program is read against Python's own one after another.
    expect(result.rows.find((r) => r.label === py('ProcessPoolExecutor(2)'))!.baseline).toBe(py('sequential'));
    expect(result.skipped).toEqual([]);
  });

  test('record every task on the shared clock, where it ran: threads in one process, processes apart', () => {
    const [seq, threads, processes] = ['sequential', 'ThreadPoolExecutor(2)', 'ProcessPoolExecutor(2)'].map(
      (name) => runsOf(result, py(name))[0]!,
    );
    for (const run of [seq!, threads!, processes!]) {
      expect(run.origin).toBe('python');
      expect(run.detail).toMatchObject({ python: expect.any(String), gilEnabled: true });
      expect([...run.tasks].map((t) => t.index)).toEqual([0, 1, 2, 3]);
      for (const t of run.tasks) {
        expect(t.ok).toBe(true);
        expect(t.start).toBeGreaterThanOrEqual(run.start - 1);
        expect(t.end).toBeLessThanOrEqual(run.end + 1);
        // The same epoch clock as Node's records: within a minute of now.
        expect(Math.abs(t.end - Date.now())).toBeLessThan(60_000);
      }
    }
    expect(new Set([...threads!.tasks].map((t) => t.pid)).size).toBe(1);
    const pids = new Set([...processes!.tasks].map((t) => t.pid));
    expect(pids.has(process.pid)).toBe(false);
    expect(pids.has(seq!.tasks.at(0).pid)).toBe(false);
  });

  test('appear in the summary table, the wall-time chart, a timeline, the tasks CSV and the findings, labelled as Python', () => {
    const table = summaryTable(result);
    expect(table).toMatch(/^Python [\d.]+ ProcessPoolExecutor\(2\)\s+2\s/m);
    expect(table).toMatch(/^threads \(2\), end to end\s+2\s.*incl\./m);
    const chart = wallTimeChart(result);
    expect(chart.data[0]!.x).toEqual(result.rows.map((r) => r.label));
    const marker = chart.data[0]!.marker as { pattern: { shape: string[] } };
    // Hatched for Python, dotted for Node's pool timed end to end, plain for the modes.
    expect(marker.pattern.shape).toEqual(['', '', '', '.', '/', '/', '/']);
    const timeline = timelineChart(runsOf(result, py('ProcessPoolExecutor(2)')));
    expect(timeline.table).toContain('ProcessPoolExecutor(2)');
    const report = cpu.report({ result });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-python-csv-'));
    try {
      writeTasksCsv(path.join(dir, 'tasks.csv'), report);
      const lines = fs.readFileSync(path.join(dir, 'tasks.csv'), 'utf8').split('\n');
      expect(lines.filter((l) => l.startsWith(`compare,${py('ProcessPoolExecutor(2)')},`))).toHaveLength(4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(report.findings).toContain("**The course's Python programs**, run here on the same inputs");
    expect(report.findings).toMatch(/\| one after another \| Python [\d.]+ sequential: /);
  });
});

test("the course's I/O programs run against the embedded server, beside the Node ways", async () => {
  const version = pythonVersion();
  const r = await io.measure({
    requests: 6,
    server: { latencyMs: 20 },
    variants: [{ label: 'sequential', workload: 'io', mode: 'sequential' }],
    repeats: 1,
    warmup: 0,
    python: true,
  });
  const ways = ioWays(r);
  expect(ways.map((w) => w.label)).toEqual([
    'sequential',
    `Python ${version} requests`,
    `Python ${version} aiohttp gather`,
    `Python ${version} ThreadPoolExecutor(10)`,
  ]);
  for (const w of ways) {
    expect(w.failed).toBe(0);
    expect(w.medianMs).toBeGreaterThanOrEqual(w.boundMs! - 1);
    expect(w.peakInflight).toBeGreaterThanOrEqual(1);
  }
  // aiohttp had all 6 on the server at once, by its connector's limit of 100; requests one at a time.
  expect(ways.find((w) => w.client === 'python' && w.mode === 'async')!.peakInflight).toBe(6);
  expect(ways.find((w) => w.client === 'python' && w.mode === 'sequential')!.peakInflight).toBe(1);
  expect(r.comparison.skipped).toEqual([]);
}, 60_000);

test('a missing module is one line naming it and how to install it, and the Node part still runs', async () => {
  await withEnv('CLAB_PYTHON', pythonWithoutPackages(), async () => {
    const peers = ioPeers({ urls: 'http://127.0.0.1:9/', requests: 2 });
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
    expect(r.rows.map((row) => row.label)).toEqual(['async']);
    // Each row is named with the Python that would have run it.
    const py = `Python ${pythonVersion()}`;
    expect(r.skipped.map((s) => s.label)).toEqual([
      `${py} requests`,
      `${py} aiohttp gather`,
      `${py} ThreadPoolExecutor(10)`,
    ]);
    const said = warnings(r).filter((w) => w.includes('not run'));
    expect(said).toHaveLength(2); // one line per reason, naming the programs it stops
    expect(said[0]).toMatch(
      new RegExp(`^${py} requests, ${py} ThreadPoolExecutor\\(10\\): not run; the Python module requests`),
    );
    expect(summaryTable(r)).toContain(`not run: ${py} aiohttp gather: the Python module aiohttp is missing`);
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
    // A program that fails is a run whose tasks all failed, with the one line that says why; the comparison goes on.
    const r = await compare({ workload: 'cpu', inputs: [200], modes: [], peers, repeats: 1 });
    expect(Date.now() - started).toBeLessThan(10_000);
    const [run] = r.runs;
    expect(run!.tasks.failed()).toHaveLength(1);
    expect(run!.tasks.at(0).error).toMatch(
      /ProcessPoolExecutor\(2\) failed: .*cpu_processes\.py did not finish within 2\.00 s; it was stopped with every process it started/,
    );
    expect(warnings(r).join('\n')).toMatch(/ProcessPoolExecutor\(2\): 1 task failed; first: task 0 \(run 1\)/);
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

test("the real GIL: Python's CPU tasks on one thread and on two, beside the simulated lock", async () => {
  const version = pythonVersion();
  const r = await gil.compare({
    inputs: [14, 14, 14, 14],
    threads: 2,
    repeats: 1,
    peers: gil.pythonPeers({ count: 4, num: 14, threads: 2 }),
  });
  const one = runsOf(r, `Python ${version} one thread`);
  const two = runsOf(r, `Python ${version} 2 threads`);
  expect(r.skipped).toEqual([]);
  expect(one).toHaveLength(1);
  expect(two).toHaveLength(1);
  for (const run of [...one, ...two]) {
    expect(run.results).toEqual(Array(4).fill(cpu.cpuBound(14)));
    expect(run.detail).toMatchObject({ gilEnabled: true, switchIntervalMs: 5 });
  }
  expect(new Set([...one[0]!.tasks].map((t) => t.threadId)).size).toBe(1);
  expect(new Set([...two[0]!.tasks].map((t) => t.threadId)).size).toBeLessThanOrEqual(2);
  expect(r.rows.find((row) => row.label === `Python ${version} 2 threads`)!.baseline).toBe(
    `Python ${version} one thread`,
  );
  const line = gil
    .report({ cpu: r })
    .findings.split('\n')
    .find((l) => l.startsWith('- **The real GIL.**'));
  expect(line).toMatch(
    new RegExp(
      `^- \\*\\*The real GIL\\.\\*\\* Python ${version.replace(/\./g, '\\.')} 2 threads against Python [\\d.]+ one thread, the same 4 tasks: `,
    ),
  );
}, 60_000);

test('a peer that ran a different number of tasks than the modes is said not to compare', async () => {
  const peers = cpu.pythonPeers({ count: 3, num: 5, programs: ['sequential'] });
  const r = await compare({ workload: 'cpu', inputs: [5, 5], modes: ['sequential'], repeats: 1, warmup: 0, peers });
  expect(warnings(r)).toContain(
    `Python ${pythonVersion()} sequential: ran 3 tasks a run where the modes ran 2; its times do not compare`,
  );
}, 30_000);
