/**
 * The embedded server holds no socket without end: a connection that sends nothing, or half
 * a request head, is answered 408 and closed after HEAD_TIMEOUT_MS (10 s); one idle between
 * requests is closed after KEEP_ALIVE_MS (10 s). The README says both.
 */
import net from 'node:net';
import { io } from 'concurrency-lab';
import { HEAD_TIMEOUT_MS, KEEP_ALIVE_MS } from '../lib/dist/concepts/io/server/http';

const cases = [
  { name: 'sends nothing', send: '', limitMs: HEAD_TIMEOUT_MS, answer: /^HTTP\/1\.1 408 / },
  {
    name: 'sends half a request head',
    send: 'GET / HTTP/1.1\r\nHost: x\r\n',
    limitMs: HEAD_TIMEOUT_MS,
    answer: /^HTTP\/1\.1 408 /,
  },
  {
    name: 'is idle after one request',
    send: 'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
    limitMs: KEEP_ALIVE_MS,
    answer: /^HTTP\/1\.1 200 /,
  },
];

test('the limits are the documented 10 s', () => {
  expect([HEAD_TIMEOUT_MS, KEEP_ALIVE_MS]).toEqual([10_000, 10_000]);
});

test.concurrent.each(cases)(
  'a connection that $name is closed after its limit, not before, and not much after',
  async ({ send, limitMs, answer }) => {
    const server = await io.startServer({ latencyMs: 0 });
    try {
      const { port } = new URL(server.url);
      const started = Date.now();
      const { closedMs, got } = await new Promise<{ closedMs: number; got: string }>((resolve) => {
        let got = '';
        const socket: net.Socket = net.connect(Number(port), '127.0.0.1', () => send && socket.write(send));
        socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
        socket.on('error', () => {});
        socket.on('close', () => resolve({ closedMs: Date.now() - started, got }));
      });
      expect(got).toMatch(answer);
      expect(closedMs).toBeGreaterThanOrEqual(limitMs - 100);
      expect(closedMs).toBeLessThan(limitMs + 3000); // checked every second
    } finally {
      await server.close();
    }
  },
  30_000,
);
