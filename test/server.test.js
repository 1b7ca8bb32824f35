"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const node_net_1 = __importDefault(require("node:net"));
const node_os_1 = __importDefault(require("node:os"));
const concurrency_lab_1 = require("concurrency-lab");
const processes_1 = require("./helpers/processes");
afterAll(() => concurrency_lab_1.io.closeIoClients());
const get = (url, timeoutMs = 10000) => concurrency_lab_1.io.get({ url, timeoutMs });
const alive = (pid) => {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch {
        return false;
    }
};
const connects = (host, port) => new Promise((resolve) => {
    const socket = node_net_1.default.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
});
describe('the embedded server', () => {
    let server;
    beforeAll(async () => {
        server = await concurrency_lab_1.io.startServer({ latencyMs: 150, bodyBytes: 2000 });
    });
    afterAll(() => server.close());
    test('runs in its own process, on 127.0.0.1 and an ephemeral port, started in well under a second', () => {
        expect(server.pid).not.toBe(process.pid);
        expect(alive(server.pid)).toBe(true);
        expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
        expect(server.port).toBeGreaterThan(1024);
        expect(server.startupMs).toBeLessThan(3000); // ~100-200 ms here; generous for a loaded machine
    });
    test('listens on loopback only: the machine’s other addresses refuse the connection', async () => {
        const others = Object.values(node_os_1.default.networkInterfaces())
            .flat()
            .filter((a) => a && a.family === 'IPv4' && !a.internal)
            .map((a) => a.address);
        expect(await connects('127.0.0.1', server.port)).toBe(true);
        for (const address of others)
            expect(await connects(address, server.port)).toBe(false);
    });
    test('answers after the set latency with a body of the set size', async () => {
        const started = performance.now();
        const answer = await get(server.url);
        const elapsed = performance.now() - started;
        expect(answer).toEqual({ status: 200, bytes: 2000 });
        expect(elapsed).toBeGreaterThanOrEqual(150);
        expect(elapsed).toBeLessThan(150 + 2000);
        const last = (await server.records()).at(-1);
        expect(last.outcome).toBe('ok');
        expect(last.end - last.start).toBeGreaterThanOrEqual(150); // never early (server/due.ts)
    });
    test('counts requests in flight, live and over time', async () => {
        const before = (await server.records()).length;
        const pending = Promise.all(Array.from({ length: 25 }, () => get(server.url)));
        await new Promise((r) => setTimeout(r, 80));
        expect(await server.inflight()).toBe(25);
        await pending;
        expect(await server.inflight()).toBe(0);
        const records = (await server.records()).slice(before);
        expect(records).toHaveLength(25);
        expect(concurrency_lab_1.io.peakInflight(records)).toBe(25);
    });
    test('one request after another never overlap on the server', async () => {
        const before = (await server.records()).length;
        for (let i = 0; i < 4; i++)
            await get(server.url);
        expect(concurrency_lab_1.io.peakInflight((await server.records()).slice(before))).toBe(1);
    });
});
test('answers 1000 concurrent requests', async () => {
    await concurrency_lab_1.io.withServer({ latencyMs: 3000 }, async (server) => {
        const answers = await Promise.all(Array.from({ length: 1000 }, () => get(server.url, 30000)));
        expect(answers.every((a) => a.status === 200)).toBe(true);
        const records = await server.records();
        expect(records).toHaveLength(1000);
        expect(records.every((r) => r.outcome === 'ok')).toBe(true);
        expect(concurrency_lab_1.io.peakInflight(records)).toBe(1000); // all open together: each waits 3 s, far longer than they take to arrive
    });
});
test('jitter spreads the latency within latency ± jitter', async () => {
    await concurrency_lab_1.io.withServer({ latencyMs: 100, jitterMs: 50, seed: 7 }, async (server) => {
        await Promise.all(Array.from({ length: 60 }, () => get(server.url)));
        const waits = (await server.records()).map((r) => r.end - r.start);
        expect(Math.min(...waits)).toBeGreaterThanOrEqual(50);
        expect(Math.max(...waits)).toBeLessThan(150 + 500);
        expect(Math.max(...waits) - Math.min(...waits)).toBeGreaterThan(30);
    });
});
test('injects 500s and hangs at the set rates (within 5 standard deviations)', async () => {
    const n = 1000;
    const failShare = 0.2;
    const hangShare = 0.1;
    await concurrency_lab_1.io.withServer({ latencyMs: 0, failShare, hangShare }, async (server) => {
        const outcomes = await Promise.allSettled(Array.from({ length: n }, () => get(server.url, 4000)));
        const messages = outcomes.map((o) => (o.status === 'rejected' ? String(o.reason.message) : 'ok'));
        const fivesigma = (p) => 5 * Math.sqrt(n * p * (1 - p));
        const count = (re) => messages.filter((m) => re.test(m)).length;
        expect(Math.abs(count(/answered HTTP 500/) - n * failShare)).toBeLessThan(fivesigma(failShare));
        expect(Math.abs(count(/timed out after 4000 ms/) - n * hangShare)).toBeLessThan(fivesigma(hangShare));
        expect(count(/^ok$/) + count(/HTTP 500/) + count(/timed out/)).toBe(n); // nothing else, nothing dropped
        // The client gave up on the hung ones; the server logs each as hung when it sees its connection close.
        for (const deadline = Date.now() + 5000; (await server.inflight()) > 0 && Date.now() < deadline;) {
            await new Promise((resolve) => setTimeout(resolve, 10));
        }
        const records = await server.records();
        expect(records.filter((r) => r.outcome === 'fault').length).toBe(count(/HTTP 500/));
        expect(records.filter((r) => r.outcome === 'hung').length).toBe(count(/timed out/));
    });
});
describe('closing', () => {
    test('close() ends the server process and frees the port; a second close is harmless', async () => {
        const server = await concurrency_lab_1.io.startServer({ latencyMs: 0 });
        await get(server.url);
        expect((0, concurrency_lab_1.openResources)()).toBe(1);
        await server.close();
        await server.close();
        expect(server.closed).toBe(true);
        expect(alive(server.pid)).toBe(false);
        expect(await connects('127.0.0.1', server.port)).toBe(false);
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
        expect(await (0, processes_1.childPids)()).toEqual([]);
    });
    test('withServer closes the server when the work throws', async () => {
        let pid = 0;
        await expect(concurrency_lab_1.io.withServer({}, async (server) => {
            pid = server.pid;
            throw new Error('boom');
        })).rejects.toThrow('boom');
        expect(alive(pid)).toBe(false);
        expect(await (0, processes_1.childPids)()).toEqual([]);
    });
    test('an interrupt (teardown closeAll) closes a running server, also with requests hanging', async () => {
        const server = await concurrency_lab_1.io.startServer({ hangShare: 1 });
        const hanging = get(server.url, 20000).catch((e) => e.message);
        await new Promise((r) => setTimeout(r, 100));
        await (0, concurrency_lab_1.closeAll)('test');
        expect(server.closed).toBe(true);
        expect(await hanging).toMatch(/failed/);
        expect(await (0, processes_1.childPids)()).toEqual([]);
    });
    test('in-process servers close too', async () => {
        const server = await concurrency_lab_1.io.startServer({ inProcess: true, latencyMs: 10 });
        expect(server.pid).toBe(process.pid);
        expect((await get(server.url)).status).toBe(200);
        await server.close();
        expect(await connects('127.0.0.1', server.port)).toBe(false);
        expect((0, concurrency_lab_1.openResources)()).toBe(0);
    });
});
describe('bad options fail in one line naming the option, before anything starts', () => {
    test.each([
        [{ latencyMs: -1 }, 'latencyMs must be a number from 0 to 3600000 (got -1)'],
        [{ latencyMs: NaN }, 'latencyMs must be a number from 0 to 3600000 (got NaN)'],
        [{ jitterMs: -5 }, 'jitterMs must be a number from 0 to 3600000 (got -5)'],
        [{ failShare: 1.5 }, 'failShare must be a number from 0 to 1 (got 1.5)'],
        [{ hangShare: -0.1 }, 'hangShare must be a number from 0 to 1 (got -0.1)'],
        [{ failShare: 0.6, hangShare: 0.6 }, 'failShare + hangShare must be at most 1 (got 1.2)'],
    ])('%j', async (options, message) => {
        const error = await concurrency_lab_1.io.startServer(options).catch((e) => e);
        expect(error).toBeInstanceOf(concurrency_lab_1.ParameterError);
        expect(error.message).toBe(message);
        expect(await (0, processes_1.childPids)(process.pid, 0)).toEqual([]);
    });
});
