/**
 * The embedded HTTP server itself: answers every GET after a set latency (plus jitter),
 * with a body of a set size, and injects faults (a share of 500s, a share of requests
 * never answered). Listens on 127.0.0.1 only. Runs wherever it is started: in its own
 * child process (server/child.ts, the default) or in the calling process.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { now } from '../clock';
import { ParameterError } from '../errors';
import * as check from '../validate';
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

const FAULT_BODY = Buffer.from('injected fault\n');
const FAULT_HEADERS = ['content-type', 'text/plain', 'content-length', String(FAULT_BODY.length)];

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

/** Starts the server on 127.0.0.1 and an ephemeral port. */
export async function listen(options: ServerOptions = {}): Promise<LocalHttpServer> {
  const o = resolveServerOptions(options);
  const random = seededRandom(o.seed);
  const body = Buffer.alloc(o.bodyBytes, 'x');
  // Headers prepared once, as a flat list (the cheapest form for node:http to write).
  const headers = ['content-type', 'text/plain', 'content-length', String(body.length)];
  const log: ServerRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let open = 0;

  const server = http.createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    const record: ServerRecord = { start: now(), end: null, status: 0, outcome: 'open' };
    log.push(record);
    open++;
    // Draw both numbers for every request, so a seed gives the same faults whatever the jitter.
    const fate = random();
    const jitter = (random() * 2 - 1) * o.jitterMs;
    const kind = fate < o.failShare ? 'fault' : fate < o.failShare + o.hangShare ? 'hung' : 'ok';
    const answer = () => {
      if (timer) timers.delete(timer);
      const status = kind === 'fault' ? 500 : 200;
      const payload = kind === 'fault' ? FAULT_BODY : body;
      record.status = status;
      record.outcome = kind;
      res.sendDate = false;
      res.writeHead(status, kind === 'fault' ? FAULT_HEADERS : headers);
      res.end(payload, () => {
        if (record.end === null) {
          record.end = now();
          open--;
        }
      });
    };
    // A hung request is never answered: the client has to give up.
    const timer = kind === 'hung' ? undefined : setTimeout(answer, Math.max(0, o.latencyMs + jitter));
    if (timer) timers.add(timer);
    res.on('close', () => {
      if (timer) {
        clearTimeout(timer);
        timers.delete(timer);
      }
      if (record.end === null) {
        record.end = now();
        if (record.outcome === 'open') record.outcome = kind === 'hung' ? 'hung' : 'aborted';
        open--;
      }
    });
    req.resume(); // a GET has no body, but drain anything sent
  });
  server.on('clientError', (_error, socket) => socket.destroy());

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
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
