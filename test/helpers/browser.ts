/** Headless Debian Chromium driven by playwright-core, offline: a page under test loads only itself. */
import fs from 'node:fs';
import path from 'node:path';
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

/** What a page showed: its uncaught errors, every chart, every request it made, and its site links. */
export interface PageReport {
  pageErrors: string[];
  charts: { title: string; rendered: boolean; traces: number }[];
  /** Every URL the page requested, the page itself first (data: URLs are not requests). */
  requests: string[];
  /** The requests that would leave the page: any http(s): or file: URL other than the page's own file. */
  outside: string[];
  /** The site's links (rel index, prev, next) and its downloads, as written in the page. */
  links: { rel: string; href: string }[];
  downloads: string[];
}

/** True for a request a page shared as one file must not make: the network, or the exporting machine's files. */
export function leavesPage(url: string, pageUrl: string): boolean {
  return /^(https?|file):/i.test(url) && url !== pageUrl;
}

/**
 * Opens a page and reports on it: records every request it makes (and lets through none but
 * the page itself, so a page that would wait on a CDN or a local folder shows it at once),
 * then waits for its charts.
 */
export async function openAndInspect(browser: Browser, url: string, settleMs = 15000): Promise<PageReport> {
  const page: Page = await browser.newPage();
  const pageErrors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => requests.push(request.url()));
  await page.route('**/*', (route) => (leavesPage(route.request().url(), url) ? route.abort() : route.continue()));
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
    const links = await page.$$eval('nav.clab-site a[rel]', (els) =>
      els.map((el) => ({ rel: el.getAttribute('rel') ?? '', href: el.getAttribute('href') ?? '' })),
    );
    const downloads = await page.$$eval('a.clab-download', (els) => els.map((el) => el.getAttribute('href') ?? ''));
    return { pageErrors, charts, requests, outside: requests.filter((u) => leavesPage(u, url)), links, downloads };
  } finally {
    await page.close();
  }
}

/** The links of a page (relative to its file) whose targets do not exist. */
export function missingTargets(pageFile: string, hrefs: readonly string[]): string[] {
  return hrefs.filter((href) => !fs.existsSync(path.join(path.dirname(pageFile), decodeURIComponent(href))));
}
