/**
 * A broker that misbehaves, met as a careless user would: `queue --redis-url` and `worker
 * --redis` pointed at a server that accepts and never answers, one that answers garbage, a
 * web server, one that closes every connection, one that stalls mid-run, one that is slow, and
 * our own redis-server stopping mid-run. Each case: its exit code, its one line, an upper bound
 * on time, nothing created before the checks, nothing left running.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { queue } from 'concurrency-lab';
import { CLI, startCli, tagged, newTag } from './helpers/processes';

/** The command line run to its end without blocking this process, whose fake servers must answer meanwhile. */
async function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const cli = startCli(args, cwd, env);
  const status = await cli.exited;
  return { status, ...cli.output };
}

type Fake = { port: number; close(): Promise<void> };

/** A TCP server that treats each connection with `handle`. */
function fakeServer(handle: (socket: net.Socket) => void): Promise<Fake> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    handle(socket);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** A proxy to a real Redis that holds each answer `delayMs` before passing it on. */
function slowProxy(target: { host: string; port: number }, delayMs: number): Promise<Fake> {
  return fakeServer((client) => {
    const upstream = net.connect(target.port, target.host);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.on('data', (chunk) => setTimeout(() => client.writable && client.write(chunk), delayMs));
  });
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-broker-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const cases: { name: string; server: () => Promise<Fake>; line: RegExp }[] = [
  { name: 'accepts and never answers', server: () => fakeServer(() => {}), line: /gave no answer within \d+ s/ },
  {
    name: 'answers garbage',
    server: () => fakeServer((s) => s.on('data', () => s.write('\x00\xff\x13garbage\r\n'))),
    line: /does not speak Redis's protocol/,
  },
  {
    name: 'is a web server',
    server: () =>
      new Promise((resolve) => {
        const server = http.createServer((_req, res) => res.end('hello'));
        server.listen(0, '127.0.0.1', () =>
          resolve({
            port: (server.address() as net.AddressInfo).port,
            close: () => new Promise<void>((done) => server.close(() => done())),
          }),
        );
      }),
    line: /does not speak Redis's protocol \(it answered "H\.\.\."\)|cannot be reached/,
  },
  { name: 'closes every connection', server: () => fakeServer((s) => s.destroy()), line: /cannot be reached/ },
];

describe.each(cases)('a broker that $name', ({ server, line }) => {
  let fake: Fake;
  beforeAll(async () => {
    fake = await server();
  });
  afterAll(() => fake.close());

  test('queue --redis-url: one line, exit 1, within 15 s, no --out folder, nothing left running', async () => {
    const tag = newTag();
    const out = path.join(dir, `out-${fake.port}`);
    const started = Date.now();
    const r = await runCli(
      [
        'queue',
        '--redis-url',
        `redis://127.0.0.1:${fake.port}`,
        '--count',
        '2',
        '--num',
        '10',
        '-r',
        '1',
        '--no-progress',
        '--out',
        out,
      ],
      dir,
      tag,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^concurrency-lab: the Redis at redis:\/\/127\.0\.0\.1:\d+ \(redisUrl\) /);
    expect(lines[0]).toMatch(line);
    expect(fs.existsSync(out)).toBe(false);
    expect(await tagged(tag)).toEqual([]);
  }, 30_000);

  test('worker --redis: one line, exit 1, within 15 s', async () => {
    const started = Date.now();
    const r = await runCli(['worker', '--redis', `redis://127.0.0.1:${fake.port}`], dir);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  }, 30_000);
});

test('a slow broker (each answer held 20 ms) still runs: every task done, within a minute', async () => {
  const broker = await queue.openBroker();
  const proxy = await slowProxy({ host: broker.connection.host, port: broker.connection.port }, 20);
  try {
    const r = await runCli(
      [
        'queue',
        '--redis-url',
        `redis://127.0.0.1:${proxy.port}`,
        '--count',
        '4',
        '--num',
        '10',
        '-r',
        '1',
        '--modes',
        'queue',
        '--workers',
        '2',
      ],
      dir,
    );
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/queue \(2\)\s+2\s/);
  } finally {
    await proxy.close();
    await broker.close();
  }
}, 90_000);

test('a broker that stops answering mid-run (SIGSTOP): one line naming it within the run timeout, nothing left running', async () => {
  const broker = await queue.openBroker();
  const tag = newTag();
  const child = spawn(
    process.execPath,
    [
      CLI,
      'queue',
      '--redis-url',
      broker.url,
      '--count',
      '40',
      '--num',
      '26',
      '-r',
      '3',
      '--modes',
      'queue',
      '--timeout-ms',
      '2000',
    ],
    {
      cwd: dir,
      env: { ...process.env, ...tag },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  try {
    // Stopped once the first run is under way (progress prints a line per finished run).
    await new Promise<void>((resolve) => {
      const seen = () => /run 1 of \d+: 40 of 40 tasks/.test(stderr) && resolve();
      child.stderr.on('data', seen);
    });
    process.kill(broker.pid!, 'SIGSTOP');
    const started = Date.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(code).toBe(1);
    const errors = stderr.split('\n').filter((l) => l.startsWith('concurrency-lab:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/the broker stopped answering: Redis at redis:\/\/.* was unreachable for 2000 ms/);
    expect(await tagged(tag)).toEqual([]);
  } finally {
    process.kill(broker.pid!, 'SIGCONT');
    child.kill('SIGKILL');
    await broker.close();
  }
}, 60_000);
