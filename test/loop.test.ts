/**
 * The event loop as Node's GIL (notebook 06): the loop monitor against a known block, and
 * `gil.blockTheLoop`, the same CPU work on the loop, on the loop yielding, and in a worker
 * thread, one compare with a watcher, requests in flight to the embedded server.
 */
import { closeAll, gil, InterruptedError, type Comparison } from 'concurrency-lab';
import { loopStats, monitorLoop } from '../lib/dist/concepts/gil/loop-monitor';
import { loopRows } from '../lib/dist/concepts/gil/summary';
import { openResources } from '../lib/dist/core/teardown';
import { childPids } from './helpers/processes';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Keeps this thread busy for `ms`. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('the event-loop monitor', () => {
  test('sees a known 300 ms block as a 300 ms delay, a 300 ms late heartbeat and a busy loop', async () => {
    const monitor = monitorLoop({ heartbeatMs: 10, sampleMs: 20 });
    await pause(150);
    const blockStart = performance.timeOrigin + performance.now();
    spin(300);
    const blockEnd = performance.timeOrigin + performance.now();
    await pause(150);
    const trace = monitor.stop();

    const before = loopStats(trace, trace.start, blockStart - 30);
    const during = loopStats(trace, blockStart, blockEnd + 60);
    // Generous bounds: the machine may be busy, but a 300 ms stall cannot look like 30 ms or 3 s.
    expect(during.maxDelayMs).toBeGreaterThan(250);
    expect(during.maxDelayMs).toBeLessThan(700);
    expect(during.maxLatenessMs).toBeGreaterThan(250);
    expect(during.maxLatenessMs).toBeLessThan(700);
    expect(before.maxLatenessMs).toBeLessThan(150);
    // The sample right after the block covers it, and the loop was busy nearly all that window.
    const covering = trace.samples.find((s) => s.t >= blockEnd)!;
    expect(covering.windowMs).toBeGreaterThan(290);
    expect(covering.utilization).toBeGreaterThan(0.8);
    // No beat can fire inside the block.
    expect(trace.beats.filter((b) => b.t > blockStart + 5 && b.t < blockEnd - 5)).toEqual([]);
  });

  test('stops once, returns the same trace twice, and leaves nothing registered', async () => {
    const before = openResources();
    const monitor = monitorLoop();
    expect(openResources()).toBe(before + 1);
    await pause(60);
    const trace = monitor.stop();
    expect(monitor.stop()).toBe(trace);
    expect(openResources()).toBe(before);
    expect(trace.samples.length).toBeGreaterThan(0);
    expect(trace.beats.length).toBeGreaterThan(0);
  });

  test('rejects a bad heartbeat or resolution with one line naming it', () => {
    expect(() => monitorLoop({ heartbeatMs: 0 })).toThrow('heartbeatMs must be a number from 1 to 60000 (got 0)');
    expect(() => monitorLoop({ resolutionMs: 0.5 })).toThrow(/^resolutionMs must be an integer from 1 to 60000/);
    expect(openResources()).toBe(0);
  });
});

describe('blocking the loop with CPU work', () => {
  const ROWS = ['on the event loop (Promise.all)', 'on the event loop, yielding between tasks', 'in a worker thread'];
  let result: Comparison;
  beforeAll(async () => {
    result = await gil.blockTheLoop({ count: 10, num: 25, quietMs: 100, latencyMs: 10, concurrency: 3 });
  }, 60_000);

  test('runs the work each way, one compare, with requests in flight, and shuts the server and the pool', async () => {
    expect(result.rows.map((r) => [r.label, r.mode, r.workers])).toEqual([
      [ROWS[0], 'async', 1],
      [ROWS[1], 'sequential', 1],
      [ROWS[2], 'threads', 1],
    ]);
    for (const run of result.runs) {
      expect(run.tasks).toHaveLength(10);
      expect(run.tasks.failed()).toEqual([]);
      const watch = run.detail!.watch as { requests: { ok: boolean }[]; trace: { beats: unknown[] } };
      expect(watch.requests.length).toBeGreaterThan(0);
      expect(watch.requests.every((r) => r.ok)).toBe(true);
      expect(watch.trace.beats.length).toBeGreaterThan(0);
    }
    expect(result.params).toMatchObject({ count: 10, num: 25, concurrency: 3, latencyMs: 10 });
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
  });

  test('on the loop, the heartbeat and the requests wait for the whole work; in a worker, they do not', () => {
    const [main, yielding, worker] = loopRows(result);
    // Generous bounds: the machine may be busy, but a stall of the whole work cannot look like a third of it.
    expect(main!.utilization).toBeGreaterThan(0.9);
    expect(main!.maxLatenessMs).toBeGreaterThan(0.7 * main!.workMs);
    expect(main!.maxLatencyMs).toBeGreaterThan(0.7 * main!.workMs);
    expect(main!.maxDelayMs).toBeGreaterThan(0.7 * main!.workMs);
    expect(worker!.maxLatenessMs).toBeLessThan(main!.maxLatenessMs);
    expect(worker!.utilization).toBeLessThan(main!.utilization);
    // Yielding between tasks: the loop waits for a task or two, not all ten. Ten tasks, not four: late in a full
    // jest run, the yielding row once saw a 306 ms stall of the test process, more than four tasks took on the loop.
    expect(yielding!.maxLatenessMs).toBeLessThan(main!.maxLatenessMs);
  });

  test('charts every way on one scale, with a summary table, and says what it measured', () => {
    const figures = gil.loopCharts(result);
    expect(figures).toHaveLength(3);
    const ranges = figures.map((f) => (f.layout.yaxis as { range: number[] }).range);
    expect(new Set(ranges.map((r) => r[1])).size).toBe(1);
    const summary = gil.loopSummaryChart(result);
    expect(summary.data).toHaveLength(3);
    expect(summary.table).toMatch(/in a worker thread/);
    const report = gil.report({ loop: result });
    expect(report.findings).toMatch(
      /^- \*\*The event loop\.\*\* 10 x cpu\(25\) all at once with `Promise\.all` on the event loop took /m,
    );
    expect(report.findings).toMatch(/^- In a worker thread the same work took /m);
  });

  test('rejects bad input before starting anything', async () => {
    await expect(gil.blockTheLoop({ count: 0 })).rejects.toThrow('count must be an integer from 1 to 10000 (got 0)');
    await expect(gil.blockTheLoop({ heartbeatMs: 0 })).rejects.toThrow(
      'heartbeatMs must be a number from 1 to 60000 (got 0)',
    );
    await expect(gil.blockTheLoop({ concurrency: -1 })).rejects.toThrow(
      'concurrency must be an integer from 0 to 256 (got -1)',
    );
    expect(openResources()).toBe(0);
    expect(await childPids(process.pid, 0)).toEqual([]);
  });
});

describe('an interrupt', () => {
  test('stops the watch, the requests, the server and the pool', async () => {
    const run = gil.blockTheLoop({ count: 2, num: 15, quietMs: 500 });
    setTimeout(() => void closeAll('test interrupt'), 200);
    await expect(run).rejects.toThrow(InterruptedError);
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
  });

  test('in the quiet time around a run, when no work is running, still stops the experiment', async () => {
    const progress: string[] = [];
    const run = gil.blockTheLoop({ count: 2, num: 15, quietMs: 3000, onProgress: (p) => void progress.push(p.label) });
    setTimeout(() => void closeAll('test interrupt'), 1500);
    await expect(run).rejects.toThrow(InterruptedError);
    expect(progress).toEqual([]); // no row's work began: it did not go on after the interrupt
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
  });
});
