/**
 * The embedded HTTP server: answers every request after a set latency (± jitter) with a body of
 * a set size, and injects faults (a share of 500s, a share never answered). The HTTP is
 * node:http's, on 127.0.0.1 only; what is ours is the timing: answers go out at their due time,
 * never early (due.ts), and every request is logged on the shared clock until it ends.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { now } from '../../../core/clock';
import { ParameterError } from '../../../core/errors';
import * as check from '../../../core/validate';
import { dueQueue } from './due';
import type { ServerRecord } from './log';

/**
 * How the server behaves: ms before answering (default 100), ± up to `jitterMs` uniformly, never
 * below 0 (default 0); bytes per body (default 1024); shares of requests answered 500 and never
 * answered (default 0); the seed of the jitter and faults (default random), drawn afresh in each timed run.
 */
export interface ServerOptions {
  latencyMs?: number;
  jitterMs?: number;
  bodyBytes?: number;
  failShare?: number;
  hangShare?: number;
  seed?: number;
}

export type ResolvedServerOptions = Required<ServerOptions>;

/** The one address the server listens on. */
export const LOOPBACK = '127.0.0.1';

/** Checks server options up front; throws a one-line ParameterError naming the bad one. */
export function resolveServerOptions(options: ServerOptions = {}): ResolvedServerOptions {
  if (options === null || typeof options !== 'object') throw new ParameterError('server options', 'an object', options);
  const o = { latencyMs: 100, jitterMs: 0, bodyBytes: 1024, failShare: 0, hangShare: 0, ...options };
  const resolved: ResolvedServerOptions = {
    latencyMs: check.finite('latencyMs', o.latencyMs, 0, 3_600_000),
    jitterMs: check.finite('jitterMs', o.jitterMs, 0, 3_600_000),
    bodyBytes: check.integer('bodyBytes', o.bodyBytes, 0, 64 * 1024 * 1024),
    failShare: check.finite('failShare', o.failShare, 0, 1),
    hangShare: check.finite('hangShare', o.hangShare, 0, 1),
    seed: check.integer('seed', o.seed ?? Math.floor(Math.random() * 2 ** 31), 0, 2 ** 32 - 1),
  };
  const faults = resolved.failShare + resolved.hangShare;
  if (faults > 1) throw new ParameterError('failShare + hangShare', 'at most 1', faults);
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

/** An idle kept-alive connection is closed after this long without a request. */
export const KEEP_ALIVE_MS = 10_000;
/** A connection that sends no request, or half of one, for this long is answered 408 and closed. */
export const HEAD_TIMEOUT_MS = 10_000;

/** Starts the server on an ephemeral port in this process; `records(since)`: the requests open since then. */
export async function listen(options: ServerOptions = {}) {
  const o = resolveServerOptions(options);
  let random = seededRandom(o.seed);
  // Both answers prepared once; node:http writes a flat header list as given.
  const answer = (status: number, body: Buffer) => {
    return { status, headers: ['content-type', 'text/plain', 'content-length', String(body.length)], body };
  };
  const ok = answer(200, Buffer.alloc(o.bodyBytes, 'x'));
  const answers = { ok, fault: answer(500, Buffer.from('injected fault\n')) };
  const log: ServerRecord[] = [];
  const due = dueQueue();
  // Each connection's open requests, ended if it closes first: node:http does not tell a request
  // waiting behind a pipelined one.
  const openOn = new WeakMap<Socket, Set<() => void>>();

  const server = http.createServer(
    {
      keepAliveTimeout: KEEP_ALIVE_MS, // node's default is 5 s
      // Only a request's head is timed (a 408): an answer may be due an hour later, a hung one never.
      headersTimeout: HEAD_TIMEOUT_MS,
      connectionsCheckingInterval: 1000,
      requestTimeout: 0,
      noDelay: true, // each answer is one write: send it now
      requireHostHeader: false, // answer HTTP/1.1 without a Host too, as a test tool should
    },
    (req, res) => {
      const record: ServerRecord = { start: now(), end: null, status: 0, outcome: 'open' };
      log.push(record);
      // Draw both numbers for every request, so a seed gives the same faults whatever the jitter.
      const fate = random();
      const jitter = (random() * 2 - 1) * o.jitterMs;
      const kind = fate < o.failShare ? 'fault' : fate < o.failShare + o.hangShare ? 'hung' : 'ok';
      const cancel =
        kind === 'hung'
          ? undefined
          : due.add(record.start + Math.max(0, o.latencyMs + jitter), () => {
              const a = answers[kind];
              record.status = a.status;
              record.outcome = kind;
              res.writeHead(a.status, a.headers);
              // Ended when handed over: its client can read it, and send its next, only after this
              // ('finish' may come later, after the next request has arrived).
              record.end = now();
              // node:http drops the body of an answer to HEAD and keeps its content-length.
              res.end(req.method === 'HEAD' ? undefined : a.body);
            });
      const pending = openOn.get(req.socket)!;
      // The connection closed first: the client gave up, or the server was closed.
      const gone = () => {
        if (record.end !== null) return;
        cancel?.();
        record.end = now();
        if (record.outcome === 'open') record.outcome = kind === 'hung' ? 'hung' : 'aborted';
      };
      pending.add(gone);
      res.once('finish', () => {
        pending.delete(gone);
        record.end ??= now();
      });
    },
  );
  server.on('connection', (socket: Socket) => {
    const pending = new Set<() => void>();
    openOn.set(socket, pending);
    socket.once('close', () => pending.forEach((gone) => gone()));
  });
  server.listen({ port: 0, host: LOOPBACK, backlog: 4096 });
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    options: o,
    records: (since = -Infinity) =>
      log.filter((r) => r.start >= since - 1 || r.end === null || r.end >= since).map((r) => ({ ...r })),
    inflight: () => log.filter((r) => r.end === null).length,
    /** Starts the seed's draws again: every timed run gets the same faults and delays, in the order they arrive. */
    reseed: () => ((random = seededRandom(o.seed)), true),
    close: () =>
      new Promise<void>((resolve) => {
        due.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
