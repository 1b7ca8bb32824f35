"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.openAndInspect = exports.launch = exports.CHROMIUM = void 0;
/** Headless Debian Chromium driven by playwright-core, offline: only file:// and loopback pages load. */
const node_fs_1 = __importDefault(require("node:fs"));
const playwright_core_1 = require("playwright-core");
exports.CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Launches Chromium as this machine allows it (root: no sandbox; no background networking). */
async function launch() {
    if (!node_fs_1.default.existsSync(exports.CHROMIUM))
        throw new Error(`Chromium not found at ${exports.CHROMIUM}: apt-get install -y chromium`);
    return playwright_core_1.chromium.launch({
        executablePath: exports.CHROMIUM,
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
exports.launch = launch;
/** Opens a page (blocking every request that would leave the machine) and reports on its charts. */
async function openAndInspect(browser, url, settleMs = 15000) {
    const page = await browser.newPage();
    const pageErrors = [];
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
            .waitForFunction(() => [...document.querySelectorAll('.clab-chart')].every((el) => el.querySelector('.main-svg')), undefined, { timeout: settleMs })
            .catch(() => undefined);
        const charts = await page.$$eval('.clab-chart', (els) => els.map((el) => ({
            title: el.getAttribute('data-title') ?? '',
            rendered: !!el.querySelector('.main-svg'),
            traces: el.data?.length ?? 0,
        })));
        return { pageErrors, charts };
    }
    finally {
        await page.close();
    }
}
exports.openAndInspect = openAndInspect;
