/**
 * The embedded loopback server of notebook 04, for real: its own process, loopback only, the
 * set latency never early, in-flight counts, 1000 requests at once, jitter, injected faults,
 * closing and interrupts, bad options, what node:http does for it, and its due-time queue.
 */
import net from 'node:net';
import os from 'node:os';
import { closeAll, io, ParameterError } from 'concurrency-lab';
import { now } from '../lib/dist/core/clock';
import { dueQueue } from '../lib/dist/concepts/io/server/due';
import { seededRandom } from '../lib/dist/concepts/io/server/http';
import { peakInflight } from '../lib/dist/concepts/io/server/log';
import { openResources } from '../lib/dist/core/teardown';
import { childPids } from './helpers/processes';

type Server = Awaited<ReturnType<typeof io.startServer>>;

/** Asks `holds` again every 10 ms until it is true or `ms` have passed; its last answer. */
async function until(holds: () => Promise<boolean>, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 10))) {
    if (await holds()) return true;
    if (Date.now() > deadline) return false;
  }
}

afterAll(() => io.closeClients());

/** Runs `work` with a server started with `options`, and closes it after, also when the work throws. */
async function withServer<T>(options: Parameters<typeof io.startServer>[0], work: (server: Server) => Promise<T>) {
  const server = await io.startServer(options);
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

const get = (url: string, timeoutMs = 10_000) => io.get({ url, timeoutMs });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });

describe('the embedded server', () => {
  let server: Server;
  beforeAll(async () => {
    server = await io.startServer({ latencyMs: 150, bodyBytes: 2000 });
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
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && a.family === 'IPv4' && !a.internal)
      .map((a) => a!.address);
    expect(await connects('127.0.0.1', server.port)).toBe(true);
    for (const address of others) expect(await connects(address, server.port)).toBe(false);
  });

  test('answers after the set latency with a body of the set size', async () => {
    const started = performance.now();
    const answer = await get(server.url);
    const elapsed = performance.now() - started;
    expect(answer).toEqual({ status: 200, bytes: 2000 });
    expect(elapsed).toBeGreaterThanOrEqual(150);
    expect(elapsed).toBeLessThan(150 + 2000);
    const last = (await server.records()).at(-1)!;
    expect(last.outcome).toBe('ok');
    expect(last.end! - last.start).toBeGreaterThanOrEqual(150); // never early (server/due.ts)
  });

  test('counts requests in flight, live and over time', async () => {
    await withServer({ latencyMs: 2000 }, async (slow) => {
      const pending = Promise.all(Array.from({ length: 25 }, () => get(slow.url)));
      // Each waits 2 s on the server: all 25 are there together long before the first is answered.
      expect(await until(async () => (await slow.inflight()) === 25, 1500)).toBe(true);
      await pending;
      expect(await slow.inflight()).toBe(0);
      const records = await slow.records();
      expect(records).toHaveLength(25);
      expect(peakInflight(records)).toBe(25);
    });
  });

  test('one request after another never overlap on the server', async () => {
    const before = (await server.records()).length;
    for (let i = 0; i < 4; i++) await get(server.url);
    expect(peakInflight((await server.records()).slice(before))).toBe(1);
  });
});

test('answers 1000 concurrent requests', async () => {
  await withServer({ latencyMs: 3000 }, async (server) => {
    const answers = await Promise.all(Array.from({ length: 1000 }, () => get(server.url, 30_000)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const records = await server.records();
    expect(records).toHaveLength(1000);
    expect(records.every((r) => r.outcome === 'ok')).toBe(true);
    expect(peakInflight(records)).toBe(1000); // all open together: each waits 3 s, far longer than they take to arrive
  });
});

test('jitter spreads the latency within latency ± jitter', async () => {
  await withServer({ latencyMs: 100, jitterMs: 50, seed: 7 }, async (server) => {
    await Promise.all(Array.from({ length: 60 }, () => get(server.url)));
    const waits = (await server.records()).map((r) => r.end! - r.start);
    expect(Math.min(...waits)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...waits)).toBeLessThan(150 + 500);
    expect(Math.max(...waits) - Math.min(...waits)).toBeGreaterThan(30);
  });
});

test('injects 500s and hangs at the set rates (within 5 standard deviations)', async () => {
  const n = 1000;
  const failShare = 0.2;
  const hangShare = 0.1;
  await withServer({ latencyMs: 0, failShare, hangShare }, async (server) => {
    const outcomes = await Promise.allSettled(Array.from({ length: n }, () => get(server.url, 4000)));
    const messages = outcomes.map((o) => (o.status === 'rejected' ? String((o.reason as Error).message) : 'ok'));
    const fivesigma = (p: number) => 5 * Math.sqrt(n * p * (1 - p));
    const count = (re: RegExp) => messages.filter((m) => re.test(m)).length;
    expect(Math.abs(count(/answered HTTP 500/) - n * failShare)).toBeLessThan(fivesigma(failShare));
    expect(Math.abs(count(/timed out after 4000 ms/) - n * hangShare)).toBeLessThan(fivesigma(hangShare));
    expect(count(/^ok$/) + count(/HTTP 500/) + count(/timed out/)).toBe(n); // nothing else, nothing dropped
    // The client gave up on the hung ones; the server logs each as hung when it sees its connection close.
    await until(async () => (await server.inflight()) === 0, 5000);
    const records = await server.records();
    expect(records.filter((r) => r.outcome === 'fault').length).toBe(count(/HTTP 500/));
    expect(records.filter((r) => r.outcome === 'hung').length).toBe(count(/timed out/));
  });
});

describe('closing', () => {
  test('close() ends the server process and frees the port; a second close is harmless', async () => {
    const server = await io.startServer({ latencyMs: 0 });
    await get(server.url);
    expect(openResources()).toBe(1);
    await server.close();
    await server.close();
    expect(server.closed).toBe(true);
    expect(alive(server.pid)).toBe(false);
    expect(await connects('127.0.0.1', server.port)).toBe(false);
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
  });

  test('an interrupt (teardown closeAll) closes a running server, also with requests hanging', async () => {
    const server = await io.startServer({ hangShare: 1 });
    const hanging = get(server.url, 20_000).catch((e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 100));
    await closeAll('test');
    expect(server.closed).toBe(true);
    expect(await hanging).toMatch(/failed/);
    expect(await childPids()).toEqual([]);
  });

  test('in-process servers close too', async () => {
    const server = await io.startServer({ inProcess: true, latencyMs: 10 });
    expect(server.pid).toBe(process.pid);
    expect((await get(server.url)).status).toBe(200);
    await server.close();
    expect(await connects('127.0.0.1', server.port)).toBe(false);
    expect(openResources()).toBe(0);
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
    const error = await io.startServer(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as Error).message).toBe(message);
    expect(await childPids(process.pid, 0)).toEqual([]);
  });
});

/** Opens a socket, writes each chunk in turn, and collects everything until the server closes or `until` holds. */
function converse(
  port: number,
  chunks: string[],
  until: (text: string) => boolean = () => false,
): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, closedByServer });
    };
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      text += d;
      if (until(text)) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('error', reject);
    const writeSlowly = async () => {
      for (const chunk of chunks) {
        socket.write(chunk);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    socket.on('connect', () => void writeSlowly());
  });
}

const count = (text: string, what: string | RegExp) => text.split(what).length - 1;

describe('what node:http does for the server, as the server promises it', () => {
  let server: Server;
  beforeAll(async () => {
    server = await io.startServer({ inProcess: true, latencyMs: 20, bodyBytes: 10 });
  });
  afterAll(() => server.close());

  test('a GET gets a kept-alive answer with the set body, after the latency', async () => {
    const started = performance.now();
    const { text, closedByServer } = await converse(server.port, ['GET / HTTP/1.1\r\nhost: x\r\n\r\n'], (t) =>
      t.endsWith('x'.repeat(10)),
    );
    expect(performance.now() - started).toBeGreaterThanOrEqual(20);
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/\r\ncontent-length: 10\r\n/i);
    expect(text).toMatch(/\r\nconnection: keep-alive\r\n/i);
    expect(closedByServer).toBe(false);
  });

  test('HTTP/1.0, "connection: close" and a request without a Host get their answer, then the server closes', async () => {
    for (const request of ['GET / HTTP/1.0\r\n\r\n', 'GET / HTTP/1.1\r\nconnection: close\r\n\r\n']) {
      const { text, closedByServer } = await converse(server.port, [request]);
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).toMatch(/\r\nconnection: close\r\n/i);
      expect(text.endsWith('x'.repeat(10))).toBe(true);
      expect(closedByServer).toBe(true);
    }
  });

  test('HEAD gets the headers of a GET and no body', async () => {
    const { text } = await converse(server.port, ['HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n'], (t) =>
      t.endsWith('x'.repeat(10)),
    );
    expect(count(text, 'HTTP/1.1 200 OK')).toBe(2);
    expect(count(text, /content-length: 10/i)).toBe(2);
    expect(count(text, 'x'.repeat(10))).toBe(1);
  });

  test('a malformed request gets a 400 and the connection closes, unlogged', async () => {
    const before = (await server.records()).length;
    const { text, closedByServer } = await converse(server.port, ['HELLO\r\n\r\n']);
    expect(text.startsWith('HTTP/1.1 400 Bad Request')).toBe(true);
    expect(closedByServer).toBe(true);
    expect((await server.records()).length).toBe(before);
  });

  test('pipelined requests are answered in the order they came, even when a later one is due first', async () => {
    // Find a seed whose second request draws a shorter wait than its first (each request draws fate, then jitter).
    const jitterMs = 40;
    const waits = (seed: number) => {
      const r = seededRandom(seed);
      return [0, 1].map(() => (r(), 50 + (r() * 2 - 1) * jitterMs));
    };
    const seed = [...Array(100).keys()].find((s) => waits(s)[1]! < waits(s)[0]! - 20)!;
    const jittery = await io.startServer({ inProcess: true, latencyMs: 50, jitterMs, seed, bodyBytes: 3 });
    try {
      // The first is a GET (with a body), the second a HEAD (none): the order shows in the bytes.
      const { text } = await converse(jittery.port, ['GET / HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\n'], (t) =>
        /HTTP\/1\.1 200 OK[^]*HTTP\/1\.1 200 OK[^]*\r\n\r\n$/.test(t),
      );
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nxxxHTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n$/);
      const records = await jittery.records();
      expect(records.map((r) => r.outcome)).toEqual(['ok', 'ok']);
      for (const [i, r] of records.entries()) expect(r.end! - r.start).toBeGreaterThanOrEqual(waits(seed)[i]!);
    } finally {
      await jittery.close();
    }
  });

  test('a client that leaves before its answers is logged as aborted, pipelined ones too, and none stays in flight', async () => {
    const slow = await io.startServer({ inProcess: true, latencyMs: 5000 });
    try {
      const socket = net.connect({ host: '127.0.0.1', port: slow.port });
      socket.write('GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\n');
      expect(await until(async () => (await slow.inflight()) === 3, 2000)).toBe(true);
      socket.destroy();
      expect(await until(async () => (await slow.inflight()) === 0, 2000)).toBe(true);
      expect((await slow.records()).map((r) => [r.outcome, r.status])).toEqual([
        ['aborted', 0],
        ['aborted', 0],
        ['aborted', 0],
      ]);
    } finally {
      await slow.close();
    }
  });
});

describe('dueQueue', () => {
  test('runs each callback at its due time, in due order, never early', async () => {
    const queue = dueQueue();
    const base = now() + 20;
    const offsets = [7, 0, 3, 3, 12, 1.5];
    const ran: { i: number; late: number }[] = [];
    await new Promise<void>((resolve) => {
      offsets.forEach((o, i) =>
        queue.add(base + o, () => {
          ran.push({ i, late: now() - (base + o) });
          if (ran.length === offsets.length) resolve();
        }),
      );
    });
    expect(ran.map((r) => r.i)).toEqual([1, 5, 2, 3, 0, 4]); // ties keep the order they were added in
    for (const r of ran) expect(r.late).toBeGreaterThanOrEqual(0);
  });

  test('a cancelled callback never runs; clear() cancels all and leaves no timer', async () => {
    const queue = dueQueue();
    const ran: string[] = [];
    const cancel = queue.add(now() + 10, () => ran.push('cancelled'));
    queue.add(now() + 15, () => ran.push('kept'));
    cancel();
    await new Promise((r) => setTimeout(r, 40));
    expect(ran).toEqual(['kept']);
    queue.add(now() + 10_000, () => ran.push('cleared'));
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'Immediate').length;
    const withPending = timers();
    queue.clear();
    expect(timers()).toBe(withPending - 1);
    expect(queue.size()).toBe(0);
  });
});
