/** Output safety: strings from the user reach pages as text, never as markup or script. */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, page, timelineChart, wallTimeChart } from 'concurrency-lab';
import { launch } from './helpers/browser';

const EVIL = '<img src=x onerror=alert(1)>';

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
  const file = path.join(__dirname, '..', 'build', 'test', 'safety.html');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    page(`results of ${EVIL}`, [wallTimeChart(result), timelineChart(result.runs), `error: ${EVIL}`]),
  );

  const browser = await launch();
  try {
    const tab = await browser.newPage();
    const dialogs: string[] = [];
    const errors: string[] = [];
    tab.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    tab.on('pageerror', (e) => errors.push(e.message));
    await tab.goto(pathToFileURL(file).href);
    await tab.waitForFunction(() => document.querySelectorAll('.clab-chart .main-svg').length >= 2, undefined, {
      timeout: 30_000,
    });
    await tab.hover('.clab-chart .main-svg');
    await tab.waitForTimeout(300);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await tab.$$('img')).toHaveLength(0);
    expect(await tab.textContent('h1')).toBe(`results of ${EVIL}`);
    const svgText = await tab.$$eval('.clab-chart .gtitle', (els) => els.map((el) => el.textContent));
    expect(svgText[0]).toContain(EVIL);
  } finally {
    await browser.close();
  }
}, 60_000);
