"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const concurrency_lab_1 = require("concurrency-lab");
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
describe('the event-loop monitor', () => {
    test('sees a known 300 ms block as a 300 ms delay, a 300 ms late heartbeat and a busy loop', async () => {
        const monitor = concurrency_lab_1.gil.monitorLoop({ heartbeatMs: 10, sampleMs: 20 });
        await pause(150);
        const blockStart = performance.timeOrigin + performance.now();
        (0, concurrency_lab_1.spin)(300);
        const blockEnd = performance.timeOrigin + performance.now();
        await pause(150);
        const trace = monitor.stop();
        const before = concurrency_lab_1.gil.loopStats(trace, trace.start, blockStart - 30);
        const during = concurrency_lab_1.gil.loopStats(trace, blockStart, blockEnd + 60);
        // Generous bounds: the machine may be busy, but a 300 ms stall cannot look like 30 ms or 3 s.
        expect(during.maxDelayMs).toBeGreaterThan(250);
        expect(during.maxDelayMs).toBeLessThan(700);
        expect(during.maxLatenessMs).toBeGreaterThan(250);
        expect(during.maxLatenessMs).toBeLessThan(700);
        expect(before.maxLatenessMs).toBeLessThan(150);
        // The sample right after the block covers it, and the loop was busy nearly all that window.
        const covering = trace.samples.find((s) => s.t >= blockEnd);
        expect(covering.windowMs).toBeGreaterThan(290);
        expect(covering.utilization).toBeGreaterThan(0.8);
        // No beat can fire inside the block.
        expect(trace.beats.filter((b) => b.t > blockStart + 5 && b.t < blockEnd - 5)).toEqual([]);
    });
    test('stops once, returns the same trace twice, and leaves nothing registered', async () => {
        const before = (0, concurrency_lab_1.openResources)();
        const monitor = concurrency_lab_1.gil.monitorLoop();
        expect((0, concurrency_lab_1.openResources)()).toBe(before + 1);
        await pause(60);
        const trace = monitor.stop();
        expect(monitor.stop()).toBe(trace);
        expect((0, concurrency_lab_1.openResources)()).toBe(before);
        expect(trace.samples.length).toBeGreaterThan(0);
        expect(trace.beats.length).toBeGreaterThan(0);
    });
    test('rejects a bad heartbeat or resolution with one line naming it', () => {
        expect(() => concurrency_lab_1.gil.monitorLoop({ heartbeatMs: 0 })).toThrow('heartbeatMs must be a number from 1 to 60000 (got 0)');
        expect(() => concurrency_lab_1.gil.monitorLoop({ resolutionMs: 0.5 })).toThrow(/^resolutionMs must be an integer >= 1/);
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
    });
});
describe('blocking the loop with CPU work', () => {
    let result;
    beforeAll(async () => {
        result = await concurrency_lab_1.gil.blockTheLoop({ count: 4, num: 25, quietMs: 100, latencyMs: 10, concurrency: 3 });
    }, 60000);
    test('runs the work in each place, with requests in flight, and shuts the server and the pool', () => {
        expect(result.runs.map((r) => r.place)).toEqual(['main', 'main-yielding', 'worker']);
        for (const run of result.runs) {
            expect(run.tasks).toHaveLength(4);
            expect(run.tasks.every((t) => t.ok)).toBe(true);
            expect(run.requests.length).toBeGreaterThan(0);
            expect(run.requests.every((r) => r.ok)).toBe(true);
        }
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
    });
    test('on the loop, the heartbeat and the requests wait for the whole work; in a worker, they do not', () => {
        const by = Object.fromEntries(result.runs.map((r) => [r.place, concurrency_lab_1.gil.loopRunSummary(r)]));
        const main = by.main;
        const worker = by.worker;
        expect(main.utilization).toBeGreaterThan(0.9);
        expect(main.maxLatenessMs).toBeGreaterThan(0.7 * main.workMs);
        expect(main.maxLatencyMs).toBeGreaterThan(0.7 * main.workMs);
        expect(main.maxDelayMs).toBeGreaterThan(0.7 * main.workMs);
        expect(worker.maxLatenessMs).toBeLessThan(main.maxLatenessMs);
        expect(worker.utilization).toBeLessThan(main.utilization);
        // Yielding between tasks: the loop waits for one task at most, not all four.
        expect(by['main-yielding'].maxLatenessMs).toBeLessThan(main.maxLatenessMs);
    });
    test('charts every place on one scale, with a summary table', () => {
        const figures = concurrency_lab_1.gil.loopCharts(result);
        expect(figures).toHaveLength(3);
        const ranges = figures.map((f) => f.layout.yaxis.range);
        expect(new Set(ranges.map((r) => r[1])).size).toBe(1);
        const summary = concurrency_lab_1.gil.loopSummaryChart(result);
        expect(summary.data).toHaveLength(3);
        expect(summary.table).toMatch(/in a worker thread/);
    });
    test('rejects bad input before starting anything', async () => {
        await expect(concurrency_lab_1.gil.blockTheLoop({ count: 0 })).rejects.toThrow('count must be an integer from 1 to 10000 (got 0)');
        await expect(concurrency_lab_1.gil.blockTheLoop({ places: ['gpu'] })).rejects.toThrow(/^places\[0\] must be one of main/);
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
    });
});
describe('an interrupt', () => {
    test('stops the watch, the requests, the server and the pool', async () => {
        const run = concurrency_lab_1.gil.blockTheLoop({ count: 2, num: 15, quietMs: 500, places: ['main-yielding', 'worker'] });
        setTimeout(() => void (0, concurrency_lab_1.closeAll)('test interrupt'), 200);
        await expect(run).rejects.toThrow(concurrency_lab_1.InterruptedError);
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
    });
});
