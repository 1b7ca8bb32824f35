/**
 * The I/O-bound notebook's clients and experiment for real: undici and the blocking client
 * against the embedded server (in its own process), every way of waiting as a row of one
 * compare, the server's own records of each run, faults, and bad input.
 */
import { compare, io, ParameterError, parameters } from 'concurrency-lab';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { blockingGet } from '../lib/dist/concepts/io/blocking';
import { createDispatcher, get as helperGet } from '../lib/dist/concepts/io/http';
import { peakInflight } from '../lib/dist/concepts/io/server/log';
import { ioWays } from '../lib/dist/concepts/io/summary';
import { connectionVariants } from '../lib/dist/concepts/io/run';
import { openResources } from '../lib/dist/core/teardown';
import { childPids, threadCount } from './helpers/processes';
import { formatMs } from '../lib/dist/core/summary';

type Server = Awaited<ReturnType<typeof io.startServer>>;
type Measured = Awaited<ReturnType<typeof io.measure>>;

/** Runs `work` with a server started with `options`, and closes it after, also when the work throws. */
async function withServer<T>(options: Parameters<typeof io.startServer>[0], work: (server: Server) => Promise<T>) {
  const server = await io.startServer(options);
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** Each way's numbers, as the charts and findings read them; and one way's, by label. */
const ways = (m: Measured) => ioWays(m);
const way = (m: Measured, label: string) => ioWays(m).find((w) => w.label === label)!;
const runOf = (m: Measured, label: string) => m.comparison.runs.find((r) => r.label === label)!;

afterAll(async () => {
  await io.closeClients();
});

describe('the io workloads', () => {
  test('io GETs with undici and returns the status and body size', async () => {
    await withServer({ latencyMs: 10, bodyBytes: 3000 }, async (server) => {
      expect(await io.get(server.url)).toEqual({ status: 200, bytes: 3000 });
    });
  });

  test('io honours the connection limit: the server never sees more in flight', async () => {
    await withServer({ latencyMs: 100 }, async (server) => {
      await Promise.all(Array.from({ length: 12 }, () => io.get({ url: server.url, connections: 3 })));
      expect(peakInflight(await server.records())).toBe(3);
    });
  });

  test('ioBlocking blocks its thread until the answer: a timer due meanwhile fires only after', async () => {
    await withServer({ latencyMs: 150, bodyBytes: 10 }, async (server) => {
      let fired = 0;
      const timer = new Promise<void>((resolve) => setTimeout(() => ((fired = performance.now()), resolve()), 0));
      const started = performance.now();
      const answer = io.blockingGet(server.url);
      const returned = performance.now();
      await timer;
      expect(answer).toEqual({ status: 200, bytes: 10 });
      expect(returned - started).toBeGreaterThanOrEqual(149);
      expect(fired).toBeGreaterThanOrEqual(returned);
    });
  });

  test('an error status, a timeout and an unreachable target each fail with one clear line', async () => {
    await withServer({ failShare: 1, latencyMs: 0 }, async (server) => {
      await expect(io.get(server.url)).rejects.toThrow(`GET ${server.url} answered HTTP 500`);
      expect(() => io.blockingGet(server.url)).toThrow(`GET ${server.url} answered HTTP 500`);
    });
    await withServer({ hangShare: 1 }, async (server) => {
      await expect(io.get({ url: server.url, timeoutMs: 200 })).rejects.toThrow(
        `GET ${server.url} timed out after 200 ms`,
      );
      expect(() => io.blockingGet({ url: server.url, timeoutMs: 200 })).toThrow(
        `GET ${server.url} timed out after 200 ms`,
      );
    });
    // Port 1 on loopback: nothing listens there.
    await expect(io.get('http://127.0.0.1:1/')).rejects.toThrow(
      /^GET http:\/\/127\.0\.0\.1:1\/ failed: .*ECONNREFUSED/,
    );
    expect(() => io.blockingGet('http://127.0.0.1:1/')).toThrow(
      /^GET http:\/\/127\.0\.0\.1:1\/ failed: .*ECONNREFUSED/,
    );
  });
});

/**
 * A node:http server on a thread of its own (the blocking client blocks this one): `/to/<n>`
 * redirects n times before a 200, `/gzip` and `/br` send a compressed body of 5000 bytes.
 */
async function answeringThread(): Promise<{ url: string; close: () => Promise<number> }> {
  const source = `
    const http = require('node:http');
    const zlib = require('node:zlib');
    const { parentPort } = require('node:worker_threads');
    const body = Buffer.alloc(5000, 'a');
    const server = http.createServer((req, res) => {
      const hops = req.url.startsWith('/to/') ? Number(req.url.slice(4)) : 0;
      if (hops > 0) {
        res.writeHead(302, { location: '/to/' + (hops - 1) });
        res.end('moved');
      } else if (req.url === '/gzip') {
        res.writeHead(200, { 'content-encoding': 'gzip' });
        res.end(zlib.gzipSync(body));
      } else if (req.url === '/br') {
        res.writeHead(200, { 'content-encoding': 'br' });
        res.end(zlib.brotliCompressSync(body));
      } else {
        res.end('final');
      }
    });
    server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`;
  const worker = new Worker(source, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, close: () => worker.terminate() };
}

describe('the blocking client, undici in its helper thread, as Python’s requests', () => {
  let server: Awaited<ReturnType<typeof answeringThread>>;
  beforeAll(async () => {
    server = await answeringThread();
  });
  afterAll(() => server.close());

  test('follows a redirect and reports the final answer', () => {
    expect(io.blockingGet(`${server.url}/to/1`)).toEqual({ status: 200, bytes: 5 });
  });

  test('follows up to 30 redirects; one more is an error naming the URL', () => {
    expect(io.blockingGet(`${server.url}/to/30`)).toEqual({ status: 200, bytes: 5 });
    expect(() => io.blockingGet(`${server.url}/to/31`)).toThrow(
      `GET ${server.url}/to/31 failed: more than 30 redirects`,
    );
  });

  test('accepts gzip and brotli bodies and counts the decoded bytes', () => {
    expect(io.blockingGet(`${server.url}/gzip`)).toEqual({ status: 200, bytes: 5000 });
    expect(io.blockingGet(`${server.url}/br`)).toEqual({ status: 200, bytes: 5000 });
  });

  test('a URL it cannot GET fails with one line naming it', () => {
    expect(() => blockingGet('ftp://127.0.0.1/', 1000)).toThrow('GET ftp://127.0.0.1/ failed: not an http(s) URL');
    expect(() => blockingGet('nowhere', 1000)).toThrow('GET nowhere failed: not a URL');
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
      const tlsServer = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (_req, res) =>
        res.end('safe'),
      );
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      const url = `https://localhost:${(tlsServer.address() as AddressInfo).port}/`;
      // The helper's own GET, on this thread (the blocking call could not take a certificate authority).
      const trusting = createDispatcher({ ca: cert });
      const strict = createDispatcher();
      try {
        expect(await helperGet(trusting, url, 5000)).toEqual({ status: 200, bytes: 4 });
        await expect(helperGet(strict, url, 5000)).rejects.toThrow(
          /^GET https:\/\/localhost:\d+\/ failed: self[- ]signed certificate/,
        );
      } finally {
        await Promise.all([trusting.destroy(), strict.destroy()]);
        tlsServer.closeAllConnections();
        await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('io.measure, the course’s experiment retold', () => {
  let result: Measured;
  const requests = 20;
  beforeAll(async () => {
    result = await io.measure({
      requests,
      server: { latencyMs: 50 },
      variants: [...io.courseVariants({ threads: [1, 4], processes: 2 }), ...connectionVariants([5])],
      repeats: 1,
    });
  });

  test('runs every way as a row of one comparison, every request answered', () => {
    expect(result.comparison.rows.map((r) => [r.label, r.mode, r.workers])).toEqual([
      ['sequential', 'sequential', 1],
      ['Promise.all', 'async', 1],
      ['blocking in Promise.all', 'async', 1],
      ['blocking, 1 thread', 'threads', 1],
      ['blocking, 4 threads', 'threads', 4],
      ['blocking, 2 processes', 'processes', 2],
      ['5 connections', 'async', 1],
    ]);
    for (const w of ways(result)) expect([w.label, w.failed, w.total]).toEqual([w.label, 0, requests]);
    expect(result).toMatchObject({ requests, latencyMs: 50, timeoutMs: 30_000 });
    expect(result.server!.pid).not.toBe(process.pid);
  });

  test('the server saw as many in flight as each way allows: the blocking client gains nothing on the loop', () => {
    const peaks = Object.fromEntries(ways(result).map((w) => [w.label, w.peakInflight]));
    expect(peaks).toEqual({
      sequential: 1,
      'Promise.all': requests,
      'blocking in Promise.all': 1,
      'blocking, 1 thread': 1,
      'blocking, 4 threads': 4,
      'blocking, 2 processes': 2,
      '5 connections': 5,
    });
    // The records come from the server: one per request of each run arrived while it ran. (The watcher's
    // window can also hold the warm-up's last request, which ended as the first run began.)
    for (const run of result.comparison.runs) {
      const records = run.detail!.watch as { start: number; end: number | null }[];
      expect(records.filter((r) => r.start >= run.start - 1 && r.start <= run.end)).toHaveLength(requests);
      expect(records.every((r) => r.end !== null && r.end >= run.start - 5)).toBe(true);
    }
  });

  test('sets each bound to ceil(requests / in flight) x latency, and no run beats it', () => {
    const bounds = Object.fromEntries(ways(result).map((w) => [w.label, w.boundMs]));
    expect(bounds).toEqual({
      sequential: 1000,
      'Promise.all': 50,
      'blocking in Promise.all': 1000,
      'blocking, 1 thread': 1000,
      'blocking, 4 threads': 250,
      'blocking, 2 processes': 500,
      '5 connections': 200,
    });
    for (const w of ways(result)) expect(w.minMs).toBeGreaterThanOrEqual(w.boundMs! - 1);
  });

  test('the pools run on their own lanes: 4 threads of this process, 2 other processes', () => {
    const lanes = (label: string) => new Set([...runOf(result, label).tasks].map((t) => `${t.pid}:${t.threadId}`));
    expect(lanes('blocking, 4 threads').size).toBe(4);
    expect([...lanes('blocking, 4 threads')].every((l) => l.startsWith(`${process.pid}:`))).toBe(true);
    expect(new Set([...lanes('blocking, 2 processes')].map((l) => l.split(':')[0])).size).toBe(2);
    expect(lanes('Promise.all')).toEqual(new Set([`${process.pid}:0`]));
  });

  test('the blocking client inside Promise.all makes its requests one after another, and its records show it', () => {
    const tasks = [...runOf(result, 'blocking in Promise.all').tasks];
    for (let i = 1; i < tasks.length; i++) {
      expect(tasks[i]!.start).toBeGreaterThanOrEqual(tasks[i - 1]!.end);
      expect(tasks[i - 1]!.end - tasks[i - 1]!.start).toBeLessThan(1000); // one request, not the whole run
    }
  });

  test('draws its charts, each with the same numbers as a text table', () => {
    const figures = [
      io.boundChart(result),
      io.inflightChart(result),
      io.timelineChart(result),
      io.concurrencyChart(result),
    ];
    for (const f of figures) {
      expect(f.data.length).toBeGreaterThan(0);
      expect(f.table).toMatch(/Promise\.all|connection/);
      expect(JSON.stringify(f.layout)).toMatch(/core/);
    }
    expect(io.boundChart(result).table).toMatch(/bound/);
    // Every request accounted for: 20 made, 20 ok, no HTTP error, timeout or other failure, no first error.
    expect(io.failureTable(result)).toMatch(/^sequential\s+20\s+20\s.*\s0\s+0\s+0\s+-$/m);
  });

  test('writes "what we measured" from these numbers, and no published figures', () => {
    const report = io.report({ main: result });
    const seq = way(result, 'sequential');
    expect(report.findings).toContain(`**sequential**: ${formatMs(seq.medianMs)} median`);
    expect(report.findings).not.toMatch(/(^|[^\d.])19 s/); // the course's published 19 s (a measured 1.19 s is fine)
    expect(report.findings).toMatch(/\*\*Node\*\*, all at once: /);
    expect(report.findings).toMatch(/4 blocking threads: /);
    expect(report.headline).toMatch(/^I\/O-bound, 20 requests: Promise\.all took /);
    expect(report.results.main).toBe(result.comparison);
  });

  test('leaves nothing running: server closed, pools shut down', async () => {
    expect(openResources()).toBe(0);
    expect(await childPids()).toEqual([]);
  });
});

test('a thread pool running the blocking client shares one I/O thread, which ends with the pool', async () => {
  await withServer({ latencyMs: 50 }, async (server) => {
    const before = threadCount();
    let during = 0;
    const result = await compare({
      workload: 'ioBlocking',
      inputs: Array.from({ length: 8 }, () => ({ url: server.url })),
      modes: ['threads'],
      workers: 4,
      oneWorker: false,
      repeats: 1,
      onProgress: () => (during = Math.max(during, threadCount())),
    });
    const tasks = [...result.runs[0]!.tasks];
    expect(tasks.every((t) => t.ok)).toBe(true);
    expect(new Set(tasks.map((t) => t.threadId)).size).toBe(4);
    expect(during - before).toBe(4 + 1); // four pool threads and one I/O thread, not a helper each
    // Threads end a moment after the pool says it has closed: wait for them, up to 5 s.
    for (const deadline = Date.now() + 5000; threadCount() > before && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(threadCount()).toBe(before);
  });
});

test('the main thread keeps one blocking helper for a whole measurement, not one per timed run', async () => {
  const threads = require('node:worker_threads') as { Worker: typeof Worker };
  const Original = threads.Worker;
  let helpers = 0;
  threads.Worker = class extends Original {
    constructor(file: string | URL, options?: object) {
      super(file, options);
      if (String(file).endsWith('io-thread.js')) helpers++;
    }
  };
  try {
    // Sequential takes over a second a run, longer than an idle helper is kept between calls.
    await io.measure({
      requests: 30,
      server: { latencyMs: 40 },
      variants: io
        .courseVariants({ threads: [], processes: 0 })
        .filter((v) => v.mode === 'sequential' || v.workload === 'ioBlocking'),
      repeats: 3,
      warmup: 1,
    });
  } finally {
    threads.Worker = Original;
  }
  expect(helpers).toBe(1);
  expect(openResources()).toBe(0);
}, 60_000);

test('with faults injected, failed requests are counted per way; a way whose every request fails still reports', async () => {
  const some = await io.measure({
    requests: 40,
    server: { latencyMs: 10, failShare: 0.25, hangShare: 0.1, seed: 1 },
    timeoutMs: 300,
    variants: io.courseVariants({ threads: [4], processes: 0 }).filter((v) => v.label !== 'blocking in Promise.all'),
    repeats: 1,
  });
  for (const w of ways(some)) {
    expect(w.failed).toBeGreaterThan(0);
    expect(w.httpErrors + w.timeouts + w.otherErrors).toBe(w.failed);
    expect(w.otherErrors).toBe(0);
    expect(w.timeouts).toBeGreaterThan(0);
  }
  // The server draws every run's faults afresh from its seed: each way met the same 500s and hung requests.
  expect(new Set(ways(some).map((w) => `${w.httpErrors} 500s, ${w.timeouts} hung`)).size).toBe(1);
  expect(io.boundChart(some).data[0]!.text).toEqual(expect.arrayContaining([expect.stringMatching(/failed/)]));
  const faults = io.report({ main: some, faults: some }).findings;
  expect(faults).toMatch(
    /\*\*With faults injected\*\* \(a share of 0\.25 of the answers are 500s and 0\.1 never come; timeout 300 ms\)/,
  );

  const none = await io.measure({
    requests: 10,
    server: { latencyMs: 0, failShare: 1 },
    variants: [io.courseVariants()[1]!],
    repeats: 2,
  });
  const all = way(none, 'Promise.all');
  expect([all.failed, all.total, all.httpErrors]).toEqual([20, 20, 20]);
  expect(all.medianMs).toBeGreaterThan(0);
  expect(io.failureTable(none)).toMatch(/answered HTTP 500/);
  expect(io.timelineChart(none).data.map((t) => t.name)).toEqual(['failed']);
});

test('an unreachable URL gives a clear error per request, not a crash', async () => {
  const result = await io.measure({
    requests: 3,
    urls: 'http://127.0.0.1:1/',
    variants: [io.courseVariants()[1]!],
    repeats: 1,
  });
  const w = way(result, 'Promise.all');
  expect(w.failed).toBe(3);
  expect(w.firstError).toMatch(/^GET http:\/\/127\.0\.0\.1:1\/ failed: .*ECONNREFUSED/);
  expect(w.boundMs).toBeUndefined();
  expect(result.server).toBeUndefined();
  expect(io.inflightChart(result).table).toMatch(/no server records/);
});

describe('bad input fails in one line naming the parameter, before any request', () => {
  test.each([
    [{ latencyMs: -1 }, 'latencyMs must be a number from 0 to 60000 (got -1)'],
    [{ jitterMs: 'NaN' }, 'jitterMs must be a number from 0 to 60000 (got "NaN")'],
    [{ failShare: 1.5 }, 'failShare must be a number from 0 to 1 (got 1.5)'],
    [{ requests: 0 }, 'requests must be an integer from 1 to 100000 (got 0)'],
    [{ connections: [10, 0] }, 'connections[1] must be an integer from 1 to 100000 (got 0)'],
  ])('the notebook parameters %j', (values, message) => {
    process.env.CLAB_PARAMS = JSON.stringify({ '04-io-bound': values });
    try {
      expect(() => parameters('04-io-bound')).toThrow(message);
    } finally {
      delete process.env.CLAB_PARAMS;
    }
  });

  test.each([
    [{ requests: 0 }, 'requests must be an integer from 1 to 1000000 (got 0)'],
    [{ urls: 'ftp://example.com/' }, 'urls must be an http(s) URL (got "ftp://example.com/")'],
    [{ urls: ['http://a.test/', 'nonsense'] }, 'urls[1] must be an http(s) URL (got "nonsense")'],
    [{ server: { latencyMs: NaN } }, 'latencyMs must be a number from 0 to 3600000 (got NaN)'],
    [{ server: { jitterMs: -1 } }, 'jitterMs must be a number from 0 to 3600000 (got -1)'],
    [{ server: { failShare: 2 } }, 'failShare must be a number from 0 to 1 (got 2)'],
    [{ connections: [0] }, 'connections (variants[0]) must be an integer from 1 to 100000 (got 0)'],
    [{ timeoutMs: 0 }, 'timeoutMs must be a number from 1 to 3600000 (got 0)'],
  ])('%j', async (options, message) => {
    const error = await io.measure(options as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParameterError);
    expect((error as Error).message).toBe(message);
    expect(await childPids(process.pid, 0)).toEqual([]);
  });
});
