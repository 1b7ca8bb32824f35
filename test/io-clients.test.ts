/**
 * Clients that agree: every Node way of waiting and the course's three Python programs, in
 * one run, against a server of ours whose answers redirect, redirect for ever, or come with
 * a head too large to read. Each case: every way's final statuses, or every way failing with
 * words that say why, within a bound on time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { io } from 'concurrency-lab';
import { startCli } from './helpers/processes';
import { ioWays } from '../lib/dist/concepts/io/summary';

/**
 * The server, in a child process of its own: the blocking client stops this process's event
 * loop while it waits (that is what it is for), so a server here could not answer it.
 */
const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  const url = new URL(req.url || '/', 'http://x');
  const hop = Number(url.searchParams.get('hop') || 0);
  if (url.pathname === '/chain' && hop < 3) {
    // 302, 301, 307: the kinds a site's front door uses, to another path on the same server.
    res.writeHead([302, 301, 307][hop], { location: '/chain?hop=' + (hop + 1) }).end();
  } else if (url.pathname === '/loop') {
    res.writeHead(302, { location: '/loop?hop=' + (hop + 1) }).end();
  } else if (url.pathname === '/big-head') {
    res.writeHead(200, { 'x-filler': 'y'.repeat(80 * 1024) }).end('ok');
  } else {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('final');
  }
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.stdin.on('end', () => process.exit(0)).resume(); // ends with the test
`;

let server: ChildProcess;
let base: string;

beforeAll(async () => {
  server = spawn(process.execPath, ['-e', SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    server.stdout!.once('data', (d: Buffer) => resolve(String(d).trim())),
  );
  base = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.stdin!.end();
  server.kill();
});

/** Every way, Node's and Python's, 4 requests to `path`, one run. */
async function everyWay(path: string) {
  const m = await io.measure({
    urls: [`${base}${path}`],
    requests: 4,
    repeats: 1,
    warmup: 0,
    timeoutMs: 10_000,
    variants: io.courseVariants({ threads: [2], processes: 1 }),
    python: true,
  });
  return { m, ways: ioWays(m) };
}

const cases = [
  {
    name: 'a chain of three redirects (302, 301, 307) is followed by every way to the same final 200',
    path: '/chain',
    check: (ways: ReturnType<typeof ioWays>) => {
      for (const w of ways) expect([w.label, w.statuses, w.failed]).toEqual([w.label, '200 ×4', 0]);
    },
  },
  {
    name: 'redirects without end: every way gives up, and says so',
    path: '/loop',
    check: (ways: ReturnType<typeof ioWays>) => {
      for (const w of ways) {
        expect([w.label, w.failed]).toEqual([w.label, 4]);
        if (w.origin === 'node') expect(w.firstError).toMatch(/failed: more than 30 redirects$/);
        else expect(w.firstError).toMatch(/TooManyRedirects|redirect/i);
      }
    },
  },
  {
    name: 'an answer head of 80 KB: every way fails, and Node names the limit',
    path: '/big-head',
    check: (ways: ReturnType<typeof ioWays>) => {
      for (const w of ways) {
        expect([w.label, w.failed]).toEqual([w.label, 4]);
        expect(w.firstError).toBeTruthy();
        if (w.origin === 'node')
          expect(w.firstError).toMatch(/failed: answer head over 64 KB \(UND_ERR_HEADERS_OVERFLOW\)$/);
      }
    },
  },
];

test.each(cases)(
  '$name',
  async ({ path, check }) => {
    const started = Date.now();
    const { m, ways } = await everyWay(path);
    expect(Date.now() - started).toBeLessThan(60_000);
    // Five Node ways and the three Python programs, all in this one run.
    expect(ways.map((w) => w.origin).filter((o) => o === 'python')).toHaveLength(3);
    expect(ways.filter((w) => w.origin === 'node')).toHaveLength(5);
    check(ways);
    // The table says what every way got, and that all of them follow redirects.
    expect(io.failureTable(m)).toMatch(/final statuses/);
    expect(io.failureTable(m)).toMatch(/follow redirects, at most 30/);
  },
  90_000,
);

test('concurrency-lab io --urls <a redirect> --python: the table gives every way, Python included, the same final 200', async () => {
  const cli = startCli(
    [
      'io',
      '--urls',
      `${base}/chain`,
      '--requests',
      '4',
      '-r',
      '1',
      '--python',
      '--threads',
      '2',
      '--processes',
      '1',
      '--no-progress',
    ],
    process.cwd(),
  );
  expect(await cli.exited).toBe(0);
  const table = cli.output.stdout.slice(cli.output.stdout.indexOf('final statuses'));
  const rows = table
    .split('\n')
    .slice(2)
    .filter((l) => /\s\d+\s+\d+\s/.test(l));
  expect(rows).toHaveLength(8);
  for (const row of rows) expect(row).toMatch(/\s4\s+4\s+200 ×4\s/);
}, 90_000);
