/** Headless Debian Chromium driven by playwright-core, offline: only file:// and loopback pages load. */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium as this machine allows it (root: no sandbox; no background networking). */
export async function launch(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What a page showed: its uncaught errors, and for every chart whether plotly drew it. */
export interface PageReport {
  pageErrors: string[];
  charts: { title: string; rendered: boolean; traces: number }[];
}

/** Opens a page (blocking every request that would leave the machine) and reports on its charts. */
export async function openAndInspect(browser: Browser, url: string, settleMs = 15000): Promise<PageReport> {
  const page: Page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.route('**/*', (route) => {
    const u = route.request().url();
    return u.startsWith('file:') || u.startsWith('data:') || /^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u)
      ? route.continue()
      : route.abort();
  });
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 60000 });
    // Every chart is drawn once plotly is there: wait until each chart holds an SVG (or time runs out).
    await page
      .waitForFunction(
        () => [...document.querySelectorAll('.clab-chart')].every((el) => el.querySelector('.main-svg')),
        undefined,
        { timeout: settleMs },
      )
      .catch(() => undefined);
    const charts = await page.$$eval('.clab-chart', (els) =>
      els.map((el) => ({
        title: el.getAttribute('data-title') ?? '',
        rendered: !!el.querySelector('.main-svg'),
        traces: (el as unknown as { data?: unknown[] }).data?.length ?? 0,
      })),
    );
    return { pageErrors, charts };
  } finally {
    await page.close();
  }
}
