"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/** The benchmark's parts at toy sizes: the shape of what `npm run bench` reports, not its speed. */
const bench_1 = require("../build/tools/bench");
const bench_io_1 = require("../build/tools/bench-io");
const processes_1 = require("./helpers/processes");
test('benchCpu reports medians for every mode, start-up apart, and the oversubscribed pools', async () => {
    const r = await (0, bench_1.benchCpu)(4, 10, 1, 3);
    expect(r).toMatchObject({ tasks: 4, num: 10, oversubscribed: { workers: 3 } });
    for (const key of ['sequentialMs', 'threadsMs', 'processesMs', 'threadsStartupMs', 'processesStartupMs']) {
        expect(r[key]).toBeGreaterThan(0);
    }
    expect(r.speedupThreads).toBeCloseTo(r.sequentialMs / r.threadsMs, 1);
    expect(r.oversubscribed.speedupProcesses).toBeCloseTo(r.sequentialMs / r.oversubscribed.processesMs, 1);
    expect(await (0, processes_1.childPids)()).toEqual([]);
}, 60000);
test('benchOverhead reports the per-task cost of the library and of bare workerpool', async () => {
    const r = await (0, bench_1.benchOverhead)(50, 2, 1);
    expect(r.tasks).toBe(50);
    expect(r.perTaskMs).toBeGreaterThan(0);
    expect(r.bareWorkerpoolPerTaskMs).toBeGreaterThan(0);
    expect(await (0, processes_1.childPids)()).toEqual([]);
}, 60000);
test('benchCeiling times the same work on one raw thread and on one per core', async () => {
    const r = await (0, bench_1.benchCeiling)(4, 10, 1);
    expect(r.threads).toBeGreaterThanOrEqual(1);
    expect(r.oneThreadMs).toBeGreaterThan(0);
    expect(r.manyThreadsMs).toBeGreaterThan(0);
    expect(r.speedup).toBeCloseTo(r.oneThreadMs / r.manyThreadsMs, 1);
}, 60000);
test('benchIo reports each way of waiting beside its bound, and never beats it', async () => {
    const r = await (0, bench_io_1.benchIo)({
        requests: 20,
        latencyMs: 30,
        repeats: 2,
        poolRepeats: 1,
        warmup: 1,
        poolWarmup: 1,
        sequentialRepeats: 1,
    });
    expect(r).toMatchObject({ requests: 20, latencyMs: 30, boundAsyncMs: 30, boundPool10Ms: 60 });
    expect(r.sequentialMs).toBeGreaterThanOrEqual(20 * 30);
    expect(r.asyncMs).toBeGreaterThanOrEqual(30);
    expect(r.threadPool10Ms).toBeGreaterThanOrEqual(60);
    expect(await (0, processes_1.childPids)()).toEqual([]);
}, 60000);
