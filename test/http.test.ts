/**
 * The embedded server's HTTP, spoken over raw sockets: keep-alive, pipelining answered in
 * order, HEAD, HTTP/1.0, request bodies, malformed and oversized requests; and the due-time
 * queue behind its latency (never early).
 */
import net from 'node:net';
import { io } from 'concurrency-lab';
import { DueQueue } from '../lib/dist/concepts/io/server/due';
import { MAX_HEAD_BYTES, parseHead, seededRandom } from '../lib/dist/concepts/io/server/http';
import { now } from '../lib/dist/core/clock';

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
    socket.on('connect', () => {
      void (async () => {
        for (const chunk of chunks) {
          socket.write(chunk);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
    });
  });
}

const count = (text: string, what: string) => text.split(what).length - 1;

describe('HTTP over raw sockets', () => {
  let server: io.Server;
  beforeAll(async () => {
    server = await io.startServer({ inProcess: true, latencyMs: 20, bodyBytes: 10 });
  });
  afterAll(() => server.close());

  test('a GET gets a keep-alive answer with the set body', async () => {
    const { text, closedByServer } = await converse(server.port, ['GET / HTTP/1.1\r\nhost: x\r\n\r\n'], (t) =>
      t.endsWith('x'.repeat(10)),
    );
    expect(text).toBe(
      'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 10\r\nconnection: keep-alive\r\n\r\nxxxxxxxxxx',
    );
    expect(closedByServer).toBe(false);
  });

  test('a request cut into one-byte pieces is still read', async () => {
    const request = 'GET /a HTTP/1.1\r\nhost: x\r\n\r\n';
    const { text } = await converse(server.port, [...request], (t) => t.endsWith('x'.repeat(10)));
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  test('HTTP/1.0 and "connection: close" get their answer, then the server closes', async () => {
    for (const request of ['GET / HTTP/1.0\r\n\r\n', 'GET / HTTP/1.1\r\nconnection: close\r\n\r\n']) {
      const { text, closedByServer } = await converse(server.port, [request]);
      expect(text).toContain('connection: close\r\n');
      expect(text.endsWith('x'.repeat(10))).toBe(true);
      expect(closedByServer).toBe(true);
    }
  });

  test('HEAD gets the headers of a GET and no body', async () => {
    const { text } = await converse(server.port, ['HEAD / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n'], (t) =>
      t.endsWith('x'.repeat(10)),
    );
    expect(count(text, 'HTTP/1.1 200 OK')).toBe(2);
    expect(count(text, 'content-length: 10')).toBe(2);
    expect(count(text, 'x'.repeat(10))).toBe(1);
  });

  test('a request body is skipped by its content-length, and the next request on the connection is answered', async () => {
    const before = (await server.records()).length;
    const body = 'GET / HTTP/1.1\r\n\r\n'; // a body that looks like a request must not be read as one
    const { text } = await converse(
      server.port,
      [`POST / HTTP/1.1\r\ncontent-length: ${body.length}\r\n\r\n${body}`, 'GET / HTTP/1.1\r\n\r\n'],
      (t) => count(t, 'x'.repeat(10)) === 2,
    );
    expect(count(text, 'HTTP/1.1 200 OK')).toBe(2);
    expect((await server.records()).length - before).toBe(2);
  });

  test.each([
    ['a bad request line', 'HELLO\r\n\r\n', '400 Bad Request'],
    ['a header without a colon', 'GET / HTTP/1.1\r\nnonsense\r\n\r\n', '400 Bad Request'],
    ['a chunked body', 'POST / HTTP/1.1\r\ntransfer-encoding: chunked\r\n\r\n', '400 Bad Request'],
    ['an oversized head', `GET / HTTP/1.1\r\nx-big: ${'y'.repeat(MAX_HEAD_BYTES)}\r\n\r\n`, '431 Request Header'],
  ])('%s gets a %s and the connection closes, unlogged', async (_name, request, status) => {
    const before = (await server.records()).length;
    const { text, closedByServer } = await converse(server.port, [request]);
    expect(text.startsWith(`HTTP/1.1 ${status}`)).toBe(true);
    expect(closedByServer).toBe(true);
    expect((await server.records()).length).toBe(before);
  });

  test('a client that leaves before its answer is logged as aborted and no longer in flight', async () => {
    const slow = await io.startServer({ inProcess: true, latencyMs: 5000 });
    try {
      const socket = net.connect({ host: '127.0.0.1', port: slow.port });
      socket.write('GET / HTTP/1.1\r\n\r\n');
      await new Promise((r) => setTimeout(r, 100));
      expect(await slow.inflight()).toBe(1);
      socket.destroy();
      await new Promise((r) => setTimeout(r, 100));
      expect(await slow.inflight()).toBe(0);
      expect((await slow.records()).map((r) => [r.outcome, r.status])).toEqual([['aborted', 0]]);
    } finally {
      await slow.close();
    }
  });
});

test('pipelined requests are answered in the order they came, even when a later one is due first', async () => {
  // Find a seed whose second request draws a shorter wait than its first (each request draws fate, then jitter).
  const jitterMs = 40;
  const waits = (seed: number) => {
    const r = seededRandom(seed);
    return [0, 1].map(() => (r(), 50 + (r() * 2 - 1) * jitterMs));
  };
  const seed = [...Array(100).keys()].find((s) => waits(s)[1]! < waits(s)[0]! - 20)!;
  const server = await io.startServer({ inProcess: true, latencyMs: 50, jitterMs, seed, bodyBytes: 3 });
  try {
    // The first is a GET (with a body), the second a HEAD (none): the order shows in the bytes.
    const { text } = await converse(server.port, ['GET / HTTP/1.1\r\n\r\nHEAD / HTTP/1.1\r\n\r\n'], (t) =>
      t.endsWith('keep-alive\r\n\r\n'),
    );
    const answer = 'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 3\r\nconnection: keep-alive\r\n\r\n';
    expect(text).toBe(`${answer}xxx${answer}`);
  } finally {
    await server.close();
  }
});

describe('parseHead', () => {
  test.each([
    ['GET / HTTP/1.1', { method: 'GET', keepAlive: true, bodyBytes: 0 }],
    ['GET / HTTP/1.0', { method: 'GET', keepAlive: false, bodyBytes: 0 }],
    ['GET / HTTP/1.0\r\nConnection: Keep-Alive', { method: 'GET', keepAlive: true, bodyBytes: 0 }],
    [
      'POST /x HTTP/1.1\r\nContent-Length: 12\r\nConnection: close',
      { method: 'POST', keepAlive: false, bodyBytes: 12 },
    ],
    ['GET / HTTP/2.0', 'bad request line'],
    ['GET / HTTP/1.1\r\ncontent-length: -1', 'bad content-length'],
  ])('%j', (head, expected) => {
    expect(parseHead(head)).toEqual(expected);
  });
});

describe('DueQueue', () => {
  test('runs each callback at its due time, in due order, never early', async () => {
    const queue = new DueQueue();
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
    const queue = new DueQueue();
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
    expect(queue.size).toBe(0);
  });
});
