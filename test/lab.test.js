"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * `npm run lab` as a user meets it: the server starts on loopback with the kernel
 * registered, a notebook opened in Chromium runs all its cells live, and the charts draw
 * (under classic Notebook, whose require.js would otherwise swallow plotly).
 */
const node_child_process_1 = require("node:child_process");
const node_net_1 = __importDefault(require("node:net"));
const node_path_1 = __importDefault(require("node:path"));
const browser_1 = require("./helpers/browser");
const processes_1 = require("./helpers/processes");
const ROOT = node_path_1.default.join(__dirname, '..');
const TOKEN = 'concurrency-lab-test';
function freePort() {
    return new Promise((resolve, reject) => {
        const server = node_net_1.default.createServer();
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
        server.on('error', reject);
    });
}
let lab;
let browser;
let port;
let log = '';
const tag = (0, processes_1.newTag)();
beforeAll(async () => {
    port = await freePort();
    lab = (0, node_child_process_1.spawn)(process.execPath, [
        node_path_1.default.join(ROOT, 'build', 'tools', 'lab.js'),
        '--no-browser',
        `--port=${port}`,
        `--NotebookApp.token=${TOKEN}`,
        `--ServerApp.token=${TOKEN}`,
    ], {
        cwd: ROOT,
        env: { ...process.env, ...tag, CLAB_PARAMS_FILE: node_path_1.default.join(__dirname, 'notebook-params.json') },
        detached: true,
    });
    lab.stdout.on('data', (d) => (log += d));
    lab.stderr.on('data', (d) => (log += d));
    const deadline = Date.now() + 60000;
    while (!/http:\/\/127\.0\.0\.1:\d+/.test(log)) {
        if (Date.now() > deadline || lab.exitCode !== null)
            throw new Error(`the notebook server did not start:\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
    }
    browser = await (0, browser_1.launch)();
}, 120000);
afterAll(async () => {
    await browser?.close();
    if (lab && lab.exitCode === null) {
        process.kill(-lab.pid, 'SIGTERM');
        await new Promise((r) => lab.once('exit', r));
    }
    expect(await (0, processes_1.tagged)(tag, 10000)).toEqual([]);
}, 60000);
test('the server listens on 127.0.0.1 only', () => {
    expect(log).toContain(`http://127.0.0.1:${port}/`);
});
test('05-cpu-bound runs all its cells live and every chart draws', async () => {
    const page = await browser.newPage();
    const pageErrors = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.route('**/*', (route) => route.request().url().startsWith(`http://127.0.0.1:${port}/`) ? route.continue() : route.abort());
    await page.goto(`http://127.0.0.1:${port}/notebooks/05-cpu-bound.ipynb?token=${TOKEN}`);
    await page.waitForFunction(() => window.Jupyter?.notebook?.kernel?.is_connected?.(), undefined, {
        timeout: 60000,
    });
    await page.evaluate(() => window.Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(() => {
        const nb = window.Jupyter.notebook;
        const busy = nb.get_cells().some((c) => c.element?.[0]?.classList.contains('running'));
        return !busy && document.querySelector('.clab-headline');
    }, undefined, { timeout: 180000 });
    await page.waitForTimeout(1000);
    const charts = await page.$$eval('.clab-chart', (els) => els.map((el) => !!el.querySelector('.main-svg')));
    const errors = await page.$$eval('.output_error, .output_stderr', (els) => els.map((el) => el.textContent));
    await page.evaluate(() => window.Jupyter.notebook.kernel.kill());
    await page.close();
    expect(errors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(charts.length).toBeGreaterThanOrEqual(3);
    expect(charts.every(Boolean)).toBe(true);
}, 240000);
