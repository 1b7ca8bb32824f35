/**
 * The blocking client's wire (lib/src/http-get.ts): the answer reader fed byte by byte, and
 * the client against small raw servers that answer in every way HTTP/1.1 allows.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net, { type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { AnswerReader, GetClient, type GetResult, MAX_ANSWER_HEAD_BYTES } from '../lib/dist/concepts/io/http-get';
import { io } from 'concurrency-lab';

/** Feeds `text` to a fresh reader `step` bytes at a time, until the answer is complete; returns the reader and the bytes after the answer. */
function read(text: string, step = 1): { reader: AnswerReader; rest: string | undefined } {
  const reader = new AnswerReader();
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += step) {
    const rest = reader.push(bytes.subarray(i, i + step));
    if (rest) return { reader, rest: Buffer.concat([rest, bytes.subarray(i + step)]).toString('latin1') };
  }
  return { reader, rest: undefined };
}

describe('the answer reader', () => {
  test.each([1, 7, 10_000])('reads a content-length body fed %i bytes at a time, and says what came after', (step) => {
    const { reader, rest } = read('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1', step);
    expect([reader.done, reader.status, reader.bytes, reader.keepAlive]).toEqual([true, 200, 5, true]);
    expect(rest).toBe('HTTP/1.1');
  });

  test.each([1, 3, 10_000])('decodes a chunked body fed %i bytes at a time: extensions, trailers', (step) => {
    const body = '5;name=value\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Checksum: 1\r\n\r\n';
    const { reader } = read(`HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n${body}`, step);
    expect([reader.done, reader.status, reader.bytes, reader.keepAlive]).toEqual([true, 200, 21, true]);
  });

  test('reads a body without a length until the connection closes, and keeps no connection after it', () => {
    const { reader } = read('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nabc');
    expect([reader.done, reader.bytes, reader.keepAlive]).toEqual([false, 3, false]);
    reader.end();
    expect([reader.done, reader.status, reader.bytes]).toEqual([true, 200, 3]);
  });

  test('skips interim 1xx answers; 204 and 304 have no body even with a length', () => {
    const interim = read(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok',
    );
    expect([interim.reader.status, interim.reader.bytes]).toEqual([201, 2]);
    for (const status of [204, 304]) {
      const { reader, rest } = read(`HTTP/1.1 ${status} X\r\nContent-Length: 9\r\n\r\n`);
      expect([reader.done, reader.bytes, rest]).toEqual([true, 0, '']);
    }
  });

  test('keeps the connection as HTTP/1.0 and 1.1 say: close, keep-alive', () => {
    const keep = (head: string) => read(`${head}\r\nContent-Length: 0\r\n\r\n`).reader.keepAlive;
    expect(keep('HTTP/1.1 200 OK')).toBe(true);
    expect(keep('HTTP/1.1 200 OK\r\nConnection: close')).toBe(false);
    expect(keep('HTTP/1.0 200 OK')).toBe(false);
    expect(keep('HTTP/1.0 200 OK\r\nConnection: Keep-Alive')).toBe(true);
  });

  test('a malformed or oversized answer, or one cut short, is an error that says which', () => {
    expect(() => read('SSH-2.0-OpenSSH\r\n\r\n')).toThrow('not an HTTP/1.x answer (it starts "SSH-2.0-OpenSSH")');
    expect(() => read('HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n')).toThrow('a bad content-length in the answer');
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')).toThrow('a bad chunk size');
    expect(() => read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n')).toThrow(
      'a chunk of the answer is longer than its size says',
    );
    expect(() => read(`HTTP/1.1 200 OK\r\nX: ${'x'.repeat(MAX_ANSWER_HEAD_BYTES)}\r\n\r\n`, 4096)).toThrow(
      `the answer's head is over ${MAX_ANSWER_HEAD_BYTES} bytes`,
    );
    expect(() => read('HTTP/1.1 101 Switching Protocols\r\n\r\n')).toThrow('switched protocols');
    expect(() => new AnswerReader().end()).toThrow('the connection closed before any answer');
    expect(() => read('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc').reader.end()).toThrow(
      'the connection closed mid-answer',
    );
  });
});

/** A raw server on loopback that hands each request's head to `answer`, and counts connections. */
async function rawServer(answer: (socket: Socket, head: string, nth: number) => void) {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let data = '';
    let nth = 0;
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      let end: number;
      while ((end = data.indexOf('\r\n\r\n')) >= 0) {
        const head = data.slice(0, end);
        data = data.slice(end + 4);
        answer(socket, head, nth++);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const get = (client: GetClient, url: string, timeoutMs = 5000) =>
  new Promise<GetResult>((resolve, reject) =>
    client.get(url, timeoutMs, (error, result) => (error ? reject(error) : resolve(result!))),
  );

describe('the GET client', () => {
  const client = new GetClient();
  afterAll(() => client.close());

  test('GETs from the embedded server over one kept-alive connection', async () => {
    await io.withServer({ latencyMs: 0, bodyBytes: 3000 }, async (server) => {
      for (let i = 0; i < 3; i++) expect(await get(client, server.url)).toEqual({ status: 200, bytes: 3000 });
      const answers = await Promise.all([get(client, server.url), get(client, server.url)]);
      expect(answers).toEqual([
        { status: 200, bytes: 3000 },
        { status: 200, bytes: 3000 },
      ]);
    });
  });

  test('sends one well-formed GET with the path, the query and the Host', async () => {
    const heads: string[] = [];
    const server = await rawServer((socket, head) => {
      heads.push(head);
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    });
    try {
      await get(client, `${server.url}/a/b?c=1`);
      const [line, ...headers] = heads[0]!.split('\r\n');
      expect(line).toBe('GET /a/b?c=1 HTTP/1.1');
      expect(headers).toContain(`Host: ${new URL(server.url).host}`);
    } finally {
      await server.close();
    }
  });

  test('reuses a connection after a chunked answer, opens a new one after a close-delimited one', async () => {
    const server = await rawServer((socket, head) => {
      if (head.startsWith('GET /chunked'))
        socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n');
      else socket.end('HTTP/1.1 200 OK\r\n\r\nuntil close');
    });
    try {
      expect(await get(client, `${server.url}/chunked`)).toEqual({ status: 200, bytes: 3 });
      expect(await get(client, `${server.url}/chunked`)).toEqual({ status: 200, bytes: 3 });
      expect(server.connections()).toBe(1);
      expect(await get(client, `${server.url}/close`)).toEqual({ status: 200, bytes: 11 });
      expect(await get(client, `${server.url}/chunked`)).toEqual({ status: 200, bytes: 3 });
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  test('retries once on a new connection when the server dropped a kept-alive one', async () => {
    // The second request on every connection is dropped unanswered, as a server closing an idle connection would.
    const server = await rawServer((socket, _head, nth) => {
      if (nth === 0) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      else socket.destroy();
    });
    try {
      expect(await get(client, server.url)).toEqual({ status: 200, bytes: 2 });
      expect(await get(client, server.url)).toEqual({ status: 200, bytes: 2 });
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  test('a dropped new connection, a malformed answer, a refused connection (port 1, port 0) and a timeout each fail with one line', async () => {
    const server = await rawServer((socket, head) => {
      if (head.startsWith('GET /drop')) socket.destroy();
      else if (head.startsWith('GET /garbage')) socket.write('hello\r\n\r\n');
      // GET /hang: never answered
    });
    const fresh = new GetClient();
    try {
      await expect(get(fresh, `${server.url}/drop`)).rejects.toThrow(
        `GET ${server.url}/drop failed: the connection closed before any answer`,
      );
      await expect(get(fresh, `${server.url}/garbage`)).rejects.toThrow(
        `GET ${server.url}/garbage failed: not an HTTP/1.x answer (it starts "hello")`,
      );
      await expect(get(fresh, `${server.url}/hang`, 100)).rejects.toThrow(
        `GET ${server.url}/hang timed out after 100 ms`,
      );
      await expect(get(fresh, 'http://127.0.0.1:1/')).rejects.toThrow(
        /^GET http:\/\/127\.0\.0\.1:1\/ failed: .*ECONNREFUSED/,
      );
      await expect(get(fresh, 'ftp://127.0.0.1/')).rejects.toThrow('GET ftp://127.0.0.1/ failed: not an http(s) URL');
      // Port 0 is port 0, not the default 80: nothing can listen there.
      await expect(get(fresh, 'http://127.0.0.1:0/')).rejects.toThrow(
        /^GET http:\/\/127\.0\.0\.1:0\/ failed: connect ECONNREFUSED 127\.0\.0\.1$/,
      );
    } finally {
      fresh.close();
      await server.close();
    }
  });

  test('speaks HTTPS, and refuses a certificate it does not trust', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cl-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=localhost',
          '-addext',
          'subjectAltName=DNS:localhost',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = fs.readFileSync(path.join(dir, 'cert.pem'));
      const server = tls.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (socket) => {
        socket.on('error', () => {});
        socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nsafe'));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `https://localhost:${(server.address() as AddressInfo).port}/`;
      const trusting = new GetClient({ ca: cert });
      try {
        expect(await get(trusting, url)).toEqual({ status: 200, bytes: 4 });
        await expect(get(new GetClient(), url)).rejects.toThrow(
          /^GET https:\/\/localhost:\d+\/ failed: self[- ]signed certificate/,
        );
      } finally {
        trusting.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
