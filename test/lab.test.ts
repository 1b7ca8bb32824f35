/**
 * `npm run lab` as a user meets it: the server starts on loopback with the kernel
 * registered, a notebook opened in Chromium runs all its cells live, and the charts draw
 * (under classic Notebook, whose require.js would otherwise swallow plotly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { launch } from './helpers/browser';
import { newTag, tagged } from './helpers/processes';

const ROOT = path.join(__dirname, '..');
const TOKEN = 'concurrency-lab-test';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

let lab: ChildProcess;
let browser: Browser;
let port: number;
let log = '';
const tag = newTag();

beforeAll(async () => {
  port = await freePort();
  lab = spawn(
    process.execPath,
    [
      path.join(ROOT, 'build', 'tools', 'lab.js'),
      '--no-browser',
      `--port=${port}`,
      `--NotebookApp.token=${TOKEN}`,
      `--ServerApp.token=${TOKEN}`,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, ...tag, CLAB_PARAMS_FILE: path.join(__dirname, 'notebook-params.json') },
      detached: true,
    },
  );
  lab.stdout!.on('data', (d) => (log += d));
  lab.stderr!.on('data', (d) => (log += d));
  const deadline = Date.now() + 60_000;
  while (!/http:\/\/127\.0\.0\.1:\d+/.test(log)) {
    if (Date.now() > deadline || lab.exitCode !== null) throw new Error(`the notebook server did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (lab && lab.exitCode === null) {
    process.kill(-lab.pid!, 'SIGTERM');
    await new Promise((r) => lab.once('exit', r));
  }
  expect(await tagged(tag, 10_000)).toEqual([]);
}, 60_000);

test('the server listens on 127.0.0.1 only', () => {
  expect(log).toContain(`http://127.0.0.1:${port}/`);
});

test('05-cpu-bound runs all its cells live and every chart draws', async () => {
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.route('**/*', (route) =>
    route.request().url().startsWith(`http://127.0.0.1:${port}/`) ? route.continue() : route.abort(),
  );
  await page.goto(`http://127.0.0.1:${port}/notebooks/05-cpu-bound.ipynb?token=${TOKEN}`);
  await page.waitForFunction(() => (window as any).Jupyter?.notebook?.kernel?.is_connected?.(), undefined, {
    timeout: 60_000,
  });
  await page.evaluate(() => (window as any).Jupyter.notebook.execute_all_cells());
  await page.waitForFunction(
    () => {
      const nb = (window as any).Jupyter.notebook;
      const busy = nb.get_cells().some((c: any) => c.element?.[0]?.classList.contains('running'));
      return !busy && document.querySelector('.clab-headline');
    },
    undefined,
    { timeout: 180_000 },
  );
  await page.waitForTimeout(1000);
  const charts = await page.$$eval('.clab-chart', (els) => els.map((el) => !!el.querySelector('.main-svg')));
  const errors = await page.$$eval('.output_error, .output_stderr', (els) => els.map((el) => el.textContent));
  await page.evaluate(() => (window as any).Jupyter.notebook.kernel.kill());
  await page.close();
  expect(errors).toEqual([]);
  expect(pageErrors).toEqual([]);
  expect(charts.length).toBeGreaterThanOrEqual(3);
  expect(charts.every(Boolean)).toBe(true);
}, 240_000);
