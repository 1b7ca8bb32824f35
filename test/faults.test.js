"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/** Faults in every mode: tasks that throw, workers that die or run out of memory, tasks that hang. */
const concurrency_lab_1 = require("concurrency-lab");
const processes_1 = require("./helpers/processes");
afterEach(async () => {
    expect((0, concurrency_lab_1.openResources)()).toBe(0);
    expect(await (0, processes_1.childPids)()).toEqual([]);
});
const failures = (r, mode) => r.runs.filter((run) => run.mode === mode).flatMap((run) => run.tasks.filter((t) => !t.ok));
describe('a worker that dies', () => {
    const exitOnTwo = (n) => {
        if (n === 2)
            process.exit(3);
        return n;
    };
    test.each(['threads', 'processes'])('in %s: reported with its index, replaced, the other results kept', async (mode) => {
        const r = await (0, concurrency_lab_1.compare)({
            workload: exitOnTwo,
            inputs: [1, 2, 3, 4, 5],
            modes: [mode],
            workers: 2,
            repeats: 2,
            warmup: 0,
        });
        for (const run of r.runs) {
            expect(run.results).toEqual([1, undefined, 3, 4, 5]);
            expect(run.tasks.filter((t) => !t.ok)).toEqual([
                expect.objectContaining({
                    index: 1,
                    error: `its ${mode === 'threads' ? 'worker thread' : 'worker process'} died (exit code 3) and was replaced`,
                }),
            ]);
        }
    });
    test.each(['threads', 'processes'])('in %s: an uncaught error outside the task is reported too', async (mode) => {
        const throwLater = (n) => new Promise((resolve) => {
            if (n === 1)
                setTimeout(() => {
                    throw new Error('escaped');
                }, 1);
            else
                resolve(n);
        });
        const r = await (0, concurrency_lab_1.compare)({
            workload: throwLater,
            inputs: [0, 1, 2],
            modes: [mode],
            workers: 2,
            repeats: 1,
            warmup: 0,
        });
        expect(r.runs[0].results).toEqual([0, undefined, 2]);
        expect(failures(r, mode)).toEqual([expect.objectContaining({ index: 1, ok: false })]);
    });
    test.each(['threads', 'processes'])('in %s: a worker over its memory limit is reported and replaced', async (mode) => {
        const hog = (n) => {
            if (n !== 1)
                return n;
            const keep = [];
            for (;;)
                keep.push(new Array(1e5).fill(n));
        };
        const r = await (0, concurrency_lab_1.compare)({
            workload: hog,
            inputs: [0, 1, 2],
            modes: [mode],
            workers: 2,
            repeats: 1,
            warmup: 0,
            memoryLimitMb: 32,
        });
        expect(r.runs[0].results).toEqual([0, undefined, 2]);
        const [failed] = failures(r, mode);
        expect(failed).toMatchObject({ index: 1, ok: false });
        expect(failed.error).toMatch(/out of memory|died/);
    }, 60000);
});
describe('a task that hangs', () => {
    const hangOnOne = (n) => (n === 1 ? new Promise(() => undefined) : n);
    const spinOnOne = (n) => {
        if (n === 1)
            for (;;)
                ;
        return n;
    };
    test.each(['sequential', 'async'])('in %s: a waiting task is ended by the timeout, and says so', async (mode) => {
        const r = await (0, concurrency_lab_1.compare)({
            workload: hangOnOne,
            inputs: [0, 1, 2],
            modes: [mode],
            repeats: 1,
            warmup: 0,
            timeoutMs: 200,
        });
        expect(r.runs[0].results).toEqual([0, undefined, 2]);
        expect(failures(r, mode)).toEqual([expect.objectContaining({ index: 1, error: 'timed out after 200 ms' })]);
    });
    test.each(['threads', 'processes'])('in %s: a spinning task is stopped by the timeout, its worker replaced', async (mode) => {
        const r = await (0, concurrency_lab_1.compare)({
            workload: spinOnOne,
            inputs: [0, 1, 2, 3],
            modes: [mode],
            workers: 2,
            repeats: 2,
            warmup: 0,
            timeoutMs: 1500,
        });
        for (const run of r.runs) {
            expect(run.results).toEqual([0, undefined, 2, 3]);
            expect(run.tasks.filter((t) => !t.ok)).toEqual([
                expect.objectContaining({
                    index: 1,
                    error: expect.stringMatching(/^timed out after 1500 ms; its worker (thread|process) was stopped and replaced$/),
                }),
            ]);
        }
    }, 30000);
    test('on the calling thread a busy task cannot be stopped, but it is failed for running over', async () => {
        const busy = (ms) => {
            const until = Date.now() + ms;
            while (Date.now() < until)
                ;
            return ms;
        };
        const r = await (0, concurrency_lab_1.compare)({
            workload: busy,
            inputs: [1, 150],
            modes: ['sequential'],
            repeats: 1,
            warmup: 0,
            timeoutMs: 50,
        });
        expect(r.runs[0].results).toEqual([1, undefined]);
        expect(failures(r, 'sequential')[0].error).toMatch(/^took \d+ ms, over the timeout of 50 ms/);
    });
});
test('a run with failures still draws its charts, with the failures marked', async () => {
    const failOdd = (n) => {
        if (n % 2)
            throw new Error(`odd ${n}`);
        return n;
    };
    const r = await (0, concurrency_lab_1.compare)({
        workload: failOdd,
        inputs: [0, 1, 2, 3],
        modes: ['sequential', 'threads'],
        workers: 2,
        repeats: 1,
        warmup: 0,
    });
    const bars = (0, concurrency_lab_1.wallTimeChart)(r).data[0];
    expect(bars.text).toEqual(['1.00x · 2 failed', expect.stringMatching(/^\d+\.\d\dx · 2 failed$/)]);
    const timeline = (0, concurrency_lab_1.timelineChart)(r.runs);
    const failed = timeline.data.find((t) => t.name === 'failed');
    expect(failed.text).toEqual(['task 1: odd 1', 'task 3: odd 3', 'task 1: odd 1', 'task 3: odd 3']);
});
