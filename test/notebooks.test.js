"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Every notebook, executed by the real tslab kernel with small parameters
 * (test/notebook-params.json), then exported to HTML and opened in headless Chromium.
 */
const node_fs_1 = __importDefault(require("node:fs"));
const node_path_1 = __importDefault(require("node:path"));
const node_url_1 = require("node:url");
const jupyter_1 = require("../build/tools/jupyter");
const site_1 = require("../build/tools/site");
const browser_1 = require("./helpers/browser");
const processes_1 = require("./helpers/processes");
const OUT = node_path_1.default.join(__dirname, '..', 'build', 'test', 'notebooks');
const PARAMS = node_path_1.default.join(__dirname, 'notebook-params.json');
const notebooks = (0, site_1.listNotebooks)();
const join = (s) => (Array.isArray(s) ? s.join('') : (s ?? ''));
let python;
let browser;
beforeAll(async () => {
    python = (0, jupyter_1.ensureJupyter)();
    (0, jupyter_1.installKernel)(python);
    browser = await (0, browser_1.launch)();
}, 600000);
afterAll(async () => {
    await browser?.close();
});
test('there are notebooks, each with small test parameters', () => {
    expect(notebooks.length).toBeGreaterThan(0);
    const params = JSON.parse(node_fs_1.default.readFileSync(PARAMS, 'utf8'));
    for (const name of notebooks)
        expect(Object.keys(params)).toContain(name);
});
describe.each(notebooks)('%s', (name) => {
    let run;
    let outputs;
    const tag = (0, processes_1.newTag)();
    beforeAll(() => {
        run = (0, jupyter_1.executeNotebook)(node_path_1.default.join(__dirname, '..', 'notebooks', `${name}.ipynb`), {
            python,
            executedDir: node_path_1.default.join(OUT, 'executed'),
            htmlDir: node_path_1.default.join(OUT, 'html'),
            env: { ...tag, CLAB_PARAMS_FILE: PARAMS },
            cellTimeout: 300,
        });
        outputs = run.ok
            ? JSON.parse(node_fs_1.default.readFileSync(run.executed, 'utf8')).cells.flatMap((c) => c.outputs ?? [])
            : [];
    }, 900000);
    test('is committed without outputs', () => {
        const nb = JSON.parse(node_fs_1.default.readFileSync(node_path_1.default.join(__dirname, '..', 'notebooks', `${name}.ipynb`), 'utf8'));
        for (const cell of nb.cells) {
            if (cell.cell_type !== 'code')
                continue;
            expect(cell.outputs).toEqual([]);
            expect(cell.execution_count).toBeNull();
        }
        expect(nb.metadata.kernelspec.name).toBe('tslab');
    });
    test('executes through the tslab kernel without an error', () => {
        expect(run.error ?? '').toBe('');
        expect(run.ok).toBe(true);
        const errors = outputs.filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'));
        expect(errors.map((o) => `${o.ename ?? ''} ${o.evalue ?? ''} ${join(o.text)}`.trim())).toEqual([]);
    });
    test('shows its parameters, charts with plotly inlined once, and a headline result', () => {
        const html = outputs.map((o) => join(o.data?.['text/html'])).join('\n');
        expect(html.match(/class="clab-chart"/g)?.length ?? 0).toBeGreaterThan(0);
        expect(html.match(/plotly\.js \(basic - minified\)/g)?.length).toBe(1);
        expect(html).toMatch(/class="clab-headline"/);
        const text = outputs.map((o) => join(o.text)).join('\n');
        expect(text).toMatch(/ = /); // describeParams printed name = value lines
    });
    test('leaves no kernel, worker or server process running after the kernel shut down', async () => {
        expect(await (0, processes_1.tagged)(tag)).toEqual([]);
    });
    test('renders every chart in Chromium, offline, without page errors', async () => {
        expect(run.ok).toBe(true);
        const html = node_fs_1.default.readFileSync(run.html, 'utf8');
        expect(html.length).toBeLessThan(2 * 1024 * 1024);
        const report = await (0, browser_1.openAndInspect)(browser, (0, node_url_1.pathToFileURL)(run.html).href);
        expect(report.pageErrors).toEqual([]);
        expect(report.charts.length).toBe(html.match(/class="clab-chart"/g)?.length);
        for (const chart of report.charts) {
            expect({ title: chart.title, rendered: chart.rendered }).toEqual({ title: chart.title, rendered: true });
            expect(chart.traces).toBeGreaterThan(0);
        }
    }, 120000);
});
