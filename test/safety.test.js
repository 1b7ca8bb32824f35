"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/** Output safety: strings from the user reach pages as text, never as markup or script. */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const node_url_1 = require("node:url");
const concurrency_lab_1 = require("concurrency-lab");
const browser_1 = require("./helpers/browser");
const EVIL = '<img src=x onerror=alert(1)>';
test('a workload named like markup, failing with markup in its message, shows as text in Chromium', async () => {
    const evil = (n) => {
        if (n === 1)
            throw new Error('<script>alert(2)</script>');
        return n;
    };
    Object.defineProperty(evil, 'name', { value: EVIL });
    const result = await (0, concurrency_lab_1.compare)({
        workload: evil,
        inputs: [0, 1],
        modes: ['sequential', 'threads'],
        workers: 1,
        repeats: 1,
        warmup: 0,
    });
    expect(result.workload).toBe(EVIL);
    const file = node_path_1.default.join(__dirname, '..', 'build', 'test', 'safety.html');
    node_fs_1.default.mkdirSync(node_path_1.default.dirname(file), { recursive: true });
    node_fs_1.default.writeFileSync(file, (0, concurrency_lab_1.page)(`results of ${EVIL}`, [(0, concurrency_lab_1.wallTimeChart)(result), (0, concurrency_lab_1.timelineChart)(result.runs), `error: ${EVIL}`]));
    const browser = await (0, browser_1.launch)();
    try {
        const tab = await browser.newPage();
        const dialogs = [];
        const errors = [];
        tab.on('dialog', (d) => {
            dialogs.push(d.message());
            void d.dismiss();
        });
        tab.on('pageerror', (e) => errors.push(e.message));
        await tab.goto((0, node_url_1.pathToFileURL)(file).href);
        await tab.waitForFunction(() => document.querySelectorAll('.clab-chart .main-svg').length >= 2, undefined, {
            timeout: 30000,
        });
        await tab.hover('.clab-chart .main-svg');
        await tab.waitForTimeout(300);
        expect(dialogs).toEqual([]);
        expect(errors).toEqual([]);
        expect(await tab.$$('img')).toHaveLength(0);
        expect(await tab.textContent('h1')).toBe(`results of ${EVIL}`);
        const svgText = await tab.$$eval('.clab-chart .gtitle', (els) => els.map((el) => el.textContent));
        expect(svgText[0]).toContain(EVIL);
    }
    finally {
        await browser.close();
    }
}, 60000);
