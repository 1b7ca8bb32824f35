import { closeAll, gil, InterruptedError, openResources, spin } from 'concurrency-lab';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the event-loop monitor', () => {
  test('sees a known 300 ms block as a 300 ms delay, a 300 ms late heartbeat and a busy loop', async () => {
    const monitor = gil.monitorLoop({ heartbeatMs: 10, sampleMs: 20 });
    await pause(150);
    const blockStart = performance.timeOrigin + performance.now();
    spin(300);
    const blockEnd = performance.timeOrigin + performance.now();
    await pause(150);
    const trace = monitor.stop();

    const before = gil.loopStats(trace, trace.start, blockStart - 30);
    const during = gil.loopStats(trace, blockStart, blockEnd + 60);
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
    const monitor = gil.monitorLoop();
    expect(openResources()).toBe(before + 1);
    await pause(60);
    const trace = monitor.stop();
    expect(monitor.stop()).toBe(trace);
    expect(openResources()).toBe(before);
    expect(trace.samples.length).toBeGreaterThan(0);
    expect(trace.beats.length).toBeGreaterThan(0);
  });

  test('rejects a bad heartbeat or resolution with one line naming it', () => {
    expect(() => gil.monitorLoop({ heartbeatMs: 0 })).toThrow('heartbeatMs must be a number from 1 to 60000 (got 0)');
    expect(() => gil.monitorLoop({ resolutionMs: 0.5 })).toThrow(/^resolutionMs must be an integer from 1 to 60000/);
    expect(openResources()).toBe(0);
  });
});

describe('blocking the loop with CPU work', () => {
  let result: gil.LoopComparison;
  beforeAll(async () => {
    result = await gil.blockTheLoop({ count: 4, num: 25, quietMs: 100, latencyMs: 10, concurrency: 3 });
  }, 60_000);

  test('runs the work in each place, with requests in flight, and shuts the server and the pool', () => {
    expect(result.runs.map((r) => r.place)).toEqual(['main', 'main-yielding', 'worker']);
    for (const run of result.runs) {
      expect(run.tasks).toHaveLength(4);
      expect(run.tasks.every((t) => t.ok)).toBe(true);
      expect(run.requests.length).toBeGreaterThan(0);
      expect(run.requests.every((r) => r.ok)).toBe(true);
    }
    expect(openResources()).toBe(0);
  });

  test('on the loop, the heartbeat and the requests wait for the whole work; in a worker, they do not', () => {
    const by = Object.fromEntries(result.runs.map((r) => [r.place, gil.loopRunSummary(r)]));
    const main = by.main!;
    const worker = by.worker!;
    expect(main.utilization).toBeGreaterThan(0.9);
    expect(main.maxLatenessMs).toBeGreaterThan(0.7 * main.workMs);
    expect(main.maxLatencyMs).toBeGreaterThan(0.7 * main.workMs);
    expect(main.maxDelayMs).toBeGreaterThan(0.7 * main.workMs);
    expect(worker.maxLatenessMs).toBeLessThan(main.maxLatenessMs);
    expect(worker.utilization).toBeLessThan(main.utilization);
    // Yielding between tasks: the loop waits for one task at most, not all four.
    expect(by['main-yielding']!.maxLatenessMs).toBeLessThan(main.maxLatenessMs);
  });

  test('charts every place on one scale, with a summary table', () => {
    const figures = gil.loopCharts(result);
    expect(figures).toHaveLength(3);
    const ranges = figures.map((f) => (f.layout.yaxis as { range: number[] }).range);
    expect(new Set(ranges.map((r) => r[1])).size).toBe(1);
    const summary = gil.loopSummaryChart(result);
    expect(summary.data).toHaveLength(3);
    expect(summary.table).toMatch(/in a worker thread/);
  });

  test('rejects bad input before starting anything', async () => {
    await expect(gil.blockTheLoop({ count: 0 })).rejects.toThrow('count must be an integer from 1 to 10000 (got 0)');
    await expect(gil.blockTheLoop({ places: ['gpu' as never] })).rejects.toThrow(/^places\[0\] must be one of main/);
    expect(openResources()).toBe(0);
  });
});

describe('an interrupt', () => {
  test('stops the watch, the requests, the server and the pool', async () => {
    const run = gil.blockTheLoop({ count: 2, num: 15, quietMs: 500, places: ['main-yielding', 'worker'] });
    setTimeout(() => void closeAll('test interrupt'), 200);
    await expect(run).rejects.toThrow(InterruptedError);
    expect(openResources()).toBe(0);
  });
});
