/**
 * Output safety: strings from the user (a workload's name, a task's error, a module's file
 * name) reach pages as text, never as markup or script: a page of charts built in code, and
 * the page the command line writes with --export-html, opened in Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, timelineChart, wallTimeChart } from 'concurrency-lab';
import type { Browser } from 'playwright-core';
import { page } from '../lib/dist/output/display';
import { launch } from './helpers/browser';
import { runCli } from './helpers/processes';

const EVIL = '<img src=x onerror=alert(1)>';

let dir: string;
let browser: Browser;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-safety-'));
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Opens a page in Chromium, hovers its first chart, and says what ran: dialogs, errors, images. */
async function open(file: string, charts: number) {
  const tab = await browser.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  tab.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  tab.on('pageerror', (e) => errors.push(e.message));
  await tab.goto(pathToFileURL(file).href);
  await tab.waitForFunction((n) => document.querySelectorAll('.clab-chart .main-svg').length >= n, charts, {
    timeout: 30_000,
  });
  await tab.hover('.clab-chart .main-svg');
  await tab.waitForTimeout(300);
  return {
    tab,
    dialogs,
    errors,
    images: (await tab.$$('img')).length,
  };
}

test('a workload named like markup, failing with markup in its message, shows as text in Chromium', async () => {
  const evil = (n: number) => {
    if (n === 1) throw new Error('<script>alert(2)</script>');
    return n;
  };
  Object.defineProperty(evil, 'name', { value: EVIL });
  const result = await compare({
    workload: evil,
    inputs: [0, 1],
    modes: ['sequential', 'threads'],
    workers: 1,
    repeats: 1,
    warmup: 0,
  });
  expect(result.workload).toBe(EVIL);
  const file = path.join(dir, 'safety.html');
  fs.writeFileSync(
    file,
    page(`results of ${EVIL}`, [wallTimeChart(result), timelineChart(result.runs), `error: ${EVIL}`], `- ${EVIL}`),
  );
  const seen = await open(file, 2);
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(seen.images).toBe(0);
  expect(await seen.tab.textContent('h1')).toBe(`results of ${EVIL}`);
  const titles = await seen.tab.$$eval('.clab-chart .gtitle', (els) => els.map((el) => el.textContent));
  expect(titles[0]).toContain(EVIL);
  expect(await seen.tab.textContent('.clab-findings')).toBe(`- ${EVIL}`);
}, 60_000);

test('the page the command line writes shows a markup-named module and its markup errors as text', async () => {
  const module = path.join(dir, 'evil.cjs');
  fs.writeFileSync(
    module,
    [
      'const f = (n) => { if (n === 1) throw new Error("<script>alert(3)</script><img src=y onerror=alert(4)>"); return n; };',
      `Object.defineProperty(f, 'name', { value: ${JSON.stringify(EVIL)} });`,
      'module.exports = { workload: f, inputs: [0, 1, 2] };',
      '',
    ].join('\n'),
  );
  const html = runCli(
    [
      './evil.cjs',
      '--modes',
      'sequential,threads',
      '--workers',
      '1',
      '-r',
      '1',
      '-w',
      '0',
      '--no-progress',
      '-i',
      '--export-html',
      'evil.html',
    ],
    dir,
  );
  expect(html.stderr).toBe('');
  expect(html.status).toBe(0);
  const file = path.join(dir, 'evil.html');
  expect(fs.readFileSync(file, 'utf8')).not.toMatch(/<img|<script>alert/);
  const seen = await open(file, 1);
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(seen.images).toBe(0);
  expect(await seen.tab.textContent('body')).toContain('<script>alert(3)</script>');
}, 120_000);
