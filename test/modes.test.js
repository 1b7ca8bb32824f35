"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const concurrency_lab_1 = require("concurrency-lab");
const processes_1 = require("./helpers/processes");
const double = (n) => n * 2;
describe('every mode', () => {
    let result;
    beforeAll(async () => {
        result = await (0, concurrency_lab_1.compare)({ workload: 'cpu', inputs: [12, 8, 10, 6, 9, 7], workers: 3, repeats: 2, warmup: 1 });
    });
    test('returns the right results, in input order, in every mode and repeat', () => {
        const expected = [12, 8, 10, 6, 9, 7].map(concurrency_lab_1.cpu.cpuBound);
        expect(result.runs).toHaveLength(concurrency_lab_1.MODES.length * 2);
        for (const run of result.runs)
            expect(run.results).toEqual(expected);
    });
    test('keeps one record per task with its index, on the shared clock inside the run', () => {
        for (const run of result.runs) {
            expect(run.tasks.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5]);
            for (const t of run.tasks) {
                expect(t.ok).toBe(true);
                expect(t.start).toBeGreaterThanOrEqual(run.start - 1);
                expect(t.end).toBeLessThanOrEqual(run.end + 1);
                expect(t.end).toBeGreaterThanOrEqual(t.start);
            }
        }
    });
    test('runs sequential and async on the calling thread', () => {
        for (const run of result.runs.filter((r) => r.mode === 'sequential' || r.mode === 'async')) {
            expect(new Set(run.tasks.map((t) => `${t.pid}:${t.threadId}`))).toEqual(new Set([`${process.pid}:0`]));
        }
    });
    test('sequential tasks never overlap; async ones start before the first one ends only if they wait', () => {
        const seq = result.runs.find((r) => r.mode === 'sequential');
        for (let i = 1; i < seq.tasks.length; i++)
            expect(seq.tasks[i].start).toBeGreaterThanOrEqual(seq.tasks[i - 1].end);
    });
    test('threads share this pid with distinct thread ids', () => {
        const threads = result.runs.filter((r) => r.mode === 'threads').flatMap((r) => r.tasks);
        expect(new Set(threads.map((t) => t.pid))).toEqual(new Set([process.pid]));
        const ids = new Set(threads.map((t) => t.threadId));
        expect(ids.has(0)).toBe(false);
        expect(ids.size).toBeGreaterThanOrEqual(2);
        expect(ids.size).toBeLessThanOrEqual(3);
    });
    test('processes have distinct pids, none of them this one', () => {
        const tasks = result.runs.filter((r) => r.mode === 'processes').flatMap((r) => r.tasks);
        const pids = new Set(tasks.map((t) => t.pid));
        expect(pids.has(process.pid)).toBe(false);
        expect(pids.size).toBeGreaterThanOrEqual(2);
        expect(pids.size).toBeLessThanOrEqual(3);
    });
    test('measures pool start-up apart from the work, and records the machine', () => {
        expect(result.startupMs.threads).toBeGreaterThan(0);
        expect(result.startupMs.processes).toBeGreaterThan(0);
        expect(result.startupMs.sequential).toBe(0);
        expect(result.env.cores).toBeGreaterThanOrEqual(1);
        expect(result.env.node).toBe(process.version);
    });
    test('leaves no pool, worker thread or child process behind', async () => {
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
        expect(await (0, processes_1.childPids)()).toEqual([]);
        expect((0, processes_1.threadCount)()).toBeLessThan(20);
    });
});
describe('custom workloads', () => {
    test('a self-contained function written by the user runs in every mode', async () => {
        const r = await (0, concurrency_lab_1.compare)({ workload: double, inputs: [1, 2, 3], workers: 2, repeats: 1, warmup: 0 });
        for (const run of r.runs)
            expect(run.results).toEqual([2, 4, 6]);
        expect(r.workload).toBe('double');
    });
    test('async functions are awaited, so waits overlap in async mode', async () => {
        const wait = (ms) => new Promise((resolve) => setTimeout(() => resolve(ms), ms));
        const r = await (0, concurrency_lab_1.compare)({
            workload: wait,
            inputs: [60, 60, 60, 60],
            modes: ['sequential', 'async'],
            repeats: 1,
            warmup: 0,
        });
        const seq = r.runs.find((x) => x.mode === 'sequential');
        const all = r.runs.find((x) => x.mode === 'async');
        expect(seq.wallMs).toBeGreaterThanOrEqual(4 * 60 - 5);
        // All four were waiting at the same moment: each started before any finished.
        const firstEnd = Math.min(...all.tasks.map((t) => t.end));
        for (const t of all.tasks)
            expect(t.start).toBeLessThan(firstEnd);
    });
    test('BigInt inputs and results cross to child processes', async () => {
        const square = (n) => n * n;
        const r = await (0, concurrency_lab_1.compare)({
            workload: square,
            inputs: [2n ** 70n],
            modes: ['processes', 'threads'],
            workers: 1,
            repeats: 1,
            warmup: 0,
        });
        for (const run of r.runs)
            expect(run.results).toEqual([2n ** 140n]);
    });
});
describe('a failing task', () => {
    const failOnThree = (n) => {
        if (n === 3)
            throw new Error(`cannot handle ${n}`);
        return n;
    };
    test('is reported with its index and message in every mode, the other results kept', async () => {
        const r = await (0, concurrency_lab_1.compare)({ workload: failOnThree, inputs: [1, 2, 3, 4], workers: 2, repeats: 1, warmup: 0 });
        for (const run of r.runs) {
            expect(run.results).toEqual([1, 2, undefined, 4]);
            const failed = run.tasks.filter((t) => !t.ok);
            expect(failed).toEqual([expect.objectContaining({ index: 2, ok: false, error: 'cannot handle 3' })]);
        }
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
        expect(await (0, processes_1.childPids)()).toEqual([]);
    });
});
