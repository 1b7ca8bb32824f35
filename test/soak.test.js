"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** Load and soak: many requests and many runs in one process leave nothing behind. */
const node_v8_1 = __importDefault(require("node:v8"));
const node_vm_1 = __importDefault(require("node:vm"));
const concurrency_lab_1 = require("concurrency-lab");
const processes_1 = require("./helpers/processes");
node_v8_1.default.setFlagsFromString('--expose-gc');
const gc = node_vm_1.default.runInNewContext('gc');
const handles = () => process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout').length;
const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;
async function settle(check, ms = 5000) {
    const deadline = Date.now() + ms;
    while (!check() && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
}
test('the server answers a 10,000-request run without errors, and no socket is left open after', async () => {
    const before = sockets();
    const answered = await concurrency_lab_1.io.withServer({ latencyMs: 1 }, async (server) => {
        const inputs = Array.from({ length: 10000 }, () => ({ url: server.url, connections: 64 }));
        const r = await (0, concurrency_lab_1.compare)({ workload: 'io', inputs, modes: ['async'], repeats: 1, warmup: 0 });
        expect(r.runs[0].tasks.filter((t) => !t.ok)).toEqual([]);
        return (await server.records()).filter((rec) => rec.outcome === 'ok').length;
    });
    expect(answered).toBe(10000);
    await settle(() => sockets() <= before);
    expect(sockets()).toBe(before);
}, 120000);
test('50 runs in every mode in one process: no growth in handles, threads, child processes or memory', async () => {
    const once = () => (0, concurrency_lab_1.compare)({ workload: 'cpu', inputs: [8, 9, 10, 11], workers: 2, repeats: 1, warmup: 0 });
    await once(); // first use loads code and creates lazy singletons: the baseline comes after it
    gc();
    const start = { handles: handles(), threads: (0, processes_1.threadCount)(), heap: process.memoryUsage().heapUsed };
    for (let i = 0; i < 50; i++)
        await once();
    await settle(() => handles() <= start.handles && (0, processes_1.threadCount)() <= start.threads);
    gc();
    const heapGrowthMb = (process.memoryUsage().heapUsed - start.heap) / 2 ** 20;
    expect((0, concurrency_lab_1.openResources)()).toBe(0);
    expect(handles()).toBeLessThanOrEqual(start.handles);
    expect((0, processes_1.threadCount)()).toBeLessThanOrEqual(start.threads);
    expect(await (0, processes_1.childPids)()).toEqual([]);
    expect(heapGrowthMb).toBeLessThan(20);
}, 240000);
