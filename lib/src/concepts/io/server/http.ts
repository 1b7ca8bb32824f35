/**
 * The embedded HTTP server itself: answers every request after a set latency (plus jitter),
 * with a body of a set size, and injects faults (a share of 500s, a share of requests
 * never answered). Listens on 127.0.0.1 only. Runs wherever it is started: in its own
 * child process (server/child.ts, the default) or in the calling process.
 *
 * It speaks just enough HTTP/1.1 over node:net for any client: keep-alive, pipelined
 * requests answered in order, request bodies skipped by content-length, HEAD, HTTP/1.0,
 * `connection: close`, and a 400 (then close) for anything malformed. Why not node:http:
 * the server is the instrument of the I/O experiment, and on a 2-core machine every bit
 * of its CPU shows in what it measures. Its request and response objects cost about
 * 2-3 ms per 100 concurrent requests and 0.7 ms per round of ten, measured against this
 * server with the same clients; here each answer is one prepared buffer and one write.
 * Answers go out at their due time to within a few microseconds (due.ts), never early.
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import { now } from '../../../core/clock';
import { ParameterError } from '../../../core/errors';
import * as check from '../../../core/validate';
import { DueQueue } from './due';
import type { ServerRecord } from './log';

/** How the server behaves. */
export interface ServerOptions {
  /** Milliseconds the server waits before answering (default 100). */
  latencyMs?: number;
  /** Each answer's wait is latency ± up to this many ms, uniformly, never below 0 (default 0). */
  jitterMs?: number;
  /** Bytes in each answer's body (default 1024). */
  bodyBytes?: number;
  /** Share of requests answered with a 500 after the latency, from 0 to 1 (default 0). */
  failShare?: number;
  /** Share of requests never answered (the client must time out), from 0 to 1 (default 0). */
  hangShare?: number;
  /** Seed of the random jitter and faults, for a repeatable run (default: a random seed). */
  seed?: number;
}

/** Every server option, resolved. */
export type ResolvedServerOptions = Required<ServerOptions>;

/** Defaults of every server option. */
export const SERVER_DEFAULTS = { latencyMs: 100, jitterMs: 0, bodyBytes: 1024, failShare: 0, hangShare: 0 } as const;

/** The one address the server listens on. */
export const LOOPBACK = '127.0.0.1';

/** Checks server options up front; throws a one-line ParameterError naming the bad one. */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  if (options === null || typeof options !== 'object') throw new ParameterError('server options', 'an object', options);
  const o = { ...SERVER_DEFAULTS, ...options };
  const resolved: ResolvedServerOptions = {
    latencyMs: check.finite('latencyMs', o.latencyMs, 0, 3_600_000),
    jitterMs: check.finite('jitterMs', o.jitterMs, 0, 3_600_000),
    bodyBytes: check.integer('bodyBytes', o.bodyBytes, 0, 64 * 1024 * 1024),
    failShare: check.finite('failShare', o.failShare, 0, 1),
    hangShare: check.finite('hangShare', o.hangShare, 0, 1),
    seed: check.integer('seed', o.seed ?? Math.floor(Math.random() * 2 ** 31), 0, 2 ** 32 - 1),
  };
  if (resolved.failShare + resolved.hangShare > 1) {
    throw new ParameterError('failShare + hangShare', 'at most 1', resolved.failShare + resolved.hangShare);
  }
  return resolved;
}

/** A small fast seeded generator (mulberry32): uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The longest request head (request line and headers) accepted; longer gets a 431. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** An idle kept-alive connection is closed after this long without a request. */
export const KEEP_ALIVE_MS = 10_000;

const FAULT_BODY = Buffer.from('injected fault\n');

/** A whole response, status line to body, ready to write. */
function response(status: number, reason: string, body: Buffer, close: boolean, head = false): Buffer {
  const lines =
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\n` +
    `connection: ${close ? 'close' : 'keep-alive'}\r\n\r\n`;
  return head ? Buffer.from(lines, 'latin1') : Buffer.concat([Buffer.from(lines, 'latin1'), body]);
}

/** A request's head, read. */
interface Head {
  method: string;
  /** Whether the connection stays open after the answer. */
  keepAlive: boolean;
  /** Body bytes that follow the head (skipped). */
  bodyBytes: number;
}

/** Reads a request head (without its final blank line); a string is what is wrong with it. */
export function parseHead(text: string): Head | string {
  const lines = text.split('\r\n');
  const m = /^([A-Z]+) \S+ HTTP\/1\.([01])$/.exec(lines[0] ?? '');
  if (!m) return 'bad request line';
  const http10 = m[2] === '0';
  let connection = '';
  let bodyBytes = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return 'bad header line';
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value)) return 'bad content-length';
      bodyBytes = Number(value);
    } else if (name === 'transfer-encoding') {
      return 'transfer-encoded request bodies are not accepted';
    } else if (name === 'connection') {
      connection = value.toLowerCase();
    }
  }
  const keepAlive = http10 ? connection.includes('keep-alive') : !connection.includes('close');
  return { method: m[1]!, keepAlive, bodyBytes };
}

/** A running server in this process. */
export interface LocalHttpServer {
  port: number;
  options: ResolvedServerOptions;
  /** Every request so far (requests still open have end null). */
  records(): ServerRecord[];
  /** Requests open right now. */
  inflight(): number;
  /** Stops listening and drops every connection, answered or not. */
  close(): Promise<void>;
}

/** One request on a connection, waiting for its turn to be answered. */
interface Pending {
  /** Null for a malformed request, which is answered but not logged. */
  record: ServerRecord | null;
  kind: 'ok' | 'fault' | 'hung';
  /** The whole answer once it is due; null until then (forever for a hung request). */
  answer: Buffer | null;
  close: boolean;
  cancel?: () => void;
}

/** Starts the server on 127.0.0.1 and an ephemeral port. */
export async function listen(options: ServerOptions = {}): Promise<LocalHttpServer> {
  const o = resolveServerOptions(options);
  const random = seededRandom(o.seed);
  const body = Buffer.alloc(o.bodyBytes, 'x');
  // Every possible answer, prepared once: by kind, then [keep-alive, close], as GET and HEAD.
  const prepare = (status: number, reason: string, payload: Buffer) =>
    [false, true].map((close) => ({
      get: response(status, reason, payload, close),
      head: response(status, reason, payload, close, true),
    }));
  const prepared = { ok: prepare(200, 'OK', body), fault: prepare(500, 'Internal Server Error', FAULT_BODY) };
  const log: ServerRecord[] = [];
  const due = new DueQueue();
  const sockets = new Set<Socket>();
  let open = 0;

  const finish = (record: ServerRecord | null, outcome?: ServerRecord['outcome']) => {
    if (!record || record.end !== null) return;
    record.end = now();
    if (outcome) record.outcome = outcome;
    open--;
  };

  const serve = (socket: Socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(KEEP_ALIVE_MS);
    const queue: Pending[] = [];
    let buffered: Buffer | null = null;
    let skip = 0;
    let closing = false;

    // Writes every answer that is ready, in the order the requests came.
    const flush = () => {
      while (queue.length > 0 && queue[0]!.answer) {
        const p = queue.shift()!;
        if (p.record && p.kind !== 'hung') {
          p.record.status = p.kind === 'fault' ? 500 : 200;
          p.record.outcome = p.kind;
        }
        socket.write(p.answer!, () => finish(p.record));
        if (p.close) {
          socket.end();
          return;
        }
      }
    };

    const reject = (status: number, reason: string) => {
      closing = true;
      queue.push({
        record: null,
        kind: 'fault',
        answer: response(status, reason, Buffer.from(`${reason}\n`), true),
        close: true,
      });
      flush();
    };

    const arrive = (head: Head) => {
      const record: ServerRecord = { start: now(), end: null, status: 0, outcome: 'open' };
      log.push(record);
      open++;
      // Draw both numbers for every request, so a seed gives the same faults whatever the jitter.
      const fate = random();
      const jitter = (random() * 2 - 1) * o.jitterMs;
      const kind = fate < o.failShare ? 'fault' : fate < o.failShare + o.hangShare ? 'hung' : 'ok';
      const p: Pending = { record, kind, answer: null, close: !head.keepAlive };
      if (!head.keepAlive) closing = true;
      queue.push(p);
      // A hung request is never answered: the client has to give up.
      if (kind === 'hung') return;
      p.cancel = due.add(record.start + Math.max(0, o.latencyMs + jitter), () => {
        p.answer = prepared[kind][p.close ? 1 : 0]![head.method === 'HEAD' ? 'head' : 'get'];
        flush();
      });
    };

    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      let data = buffered ? Buffer.concat([buffered, chunk]) : chunk;
      buffered = null;
      while (data.length > 0 && !closing) {
        if (skip > 0) {
          const n = Math.min(skip, data.length);
          skip -= n;
          data = data.subarray(n);
          continue;
        }
        const end = data.indexOf('\r\n\r\n');
        if (end < 0) {
          if (data.length > MAX_HEAD_BYTES) reject(431, 'Request Header Fields Too Large');
          else buffered = data;
          return;
        }
        if (end > MAX_HEAD_BYTES) return reject(431, 'Request Header Fields Too Large');
        const head = parseHead(data.toString('latin1', 0, end));
        if (typeof head === 'string') return reject(400, 'Bad Request');
        data = data.subarray(end + 4);
        skip = head.bodyBytes;
        arrive(head);
      }
    });
    // An idle kept-alive connection is closed; one with a request still open is not.
    socket.on('timeout', () => {
      if (queue.length === 0) socket.destroy();
    });
    socket.on('error', () => {}); // 'close' follows
    socket.on('close', () => {
      sockets.delete(socket);
      for (const p of queue.splice(0)) {
        p.cancel?.();
        finish(
          p.record,
          p.record?.outcome === 'open' ? (p.answer === null && p.cancel === undefined ? 'hung' : 'aborted') : undefined,
        );
      }
    });
  };

  const server = net.createServer(serve);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: 0, host: LOOPBACK, backlog: 4096 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    options: o,
    records: () => log.map((r) => ({ ...r })),
    inflight: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        due.clear();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}
