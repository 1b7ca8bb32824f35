/** `npm start` as a user runs it: a process, with --only and --set, producing build/html and its index. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, missingTargets, openAndInspect } from './helpers/browser';

const ROOT = path.join(__dirname, '..');
const SITE = path.join(ROOT, 'build', 'tools', 'site.js');
const OUT = path.join(ROOT, 'build', 'test', 'site', 'html');

function start(...args: string[]) {
  return spawnSync(process.execPath, [SITE, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
}

describe('npm start -- --only 05-cpu-bound --set ...', () => {
  let run: ReturnType<typeof start>;
  beforeAll(() => {
    fs.rmSync(path.dirname(OUT), { recursive: true, force: true });
    run = start(
      '--only',
      '05-cpu-bound',
      '--set',
      'count=5',
      '--set',
      'num=11',
      '--set',
      'workers=2',
      '--set',
      'repeats=1',
      '--set',
      'sweepCount=3',
      '--set',
      'sweepMax=2',
      '--set',
      'sweepRepeats=1',
      '--out',
      OUT,
    );
  }, 600_000);

  test('exits 0 and says where the pages are', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`open ${path.join(OUT, 'index.html')}`);
  });

  test('the values given reached the executed notebook and its exported page', () => {
    const page = fs.readFileSync(path.join(OUT, '05-cpu-bound.html'), 'utf8');
    expect(page).toMatch(/count\s+= 5/);
    expect(page).toMatch(/num\s+= 11/);
    expect(page).toContain('5 x cpu(11)');
  });

  test('the index lists the notebook with its headline read from this run, and the machine', () => {
    const index = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
    expect(index).toContain('href="05-cpu-bound.html"');
    expect(index).toMatch(
      /CPU-bound, 5 x cpu\(11\) on \d+ cores?: a pool of 2 threads (ran [\d.]+x (faster|slower) than|showed no measurable difference from) one worker thread/,
    );
    expect(index).toMatch(/Run on \d+ cores/);
    expect(index).toContain('parameters changed: count=5');
  });

  test('a later --only run into the same folder adds its notebook and keeps the earlier one, marked', () => {
    const again = start('--only', '01-processes', '--set', 'children=2', '--set', 'startupRepeats=1', '--out', OUT);
    expect(again.status).toBe(0);
    const index = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
    expect(index.indexOf('href="01-processes.html"')).toBeGreaterThan(-1);
    expect(index.indexOf('href="01-processes.html"')).toBeLessThan(index.indexOf('href="05-cpu-bound.html"'));
    expect(index).toMatch(/05-cpu-bound: [^<]*<\/a> <span class="earlier">\(from an earlier run, /);
    expect(index).toMatch(/CPU-bound, 5 x cpu\(11\)/);
    expect(index).toContain('parameters changed: children=2, startupRepeats=1');
  }, 600_000);

  test("after it, the earlier page links to the new one, each page's links resolve, and nothing loads from elsewhere", async () => {
    const browser = await launch();
    try {
      const want: Record<string, { rel: string; href: string }[]> = {
        '01-processes.html': [
          { rel: 'index', href: 'index.html' },
          { rel: 'next', href: '05-cpu-bound.html' },
        ],
        '05-cpu-bound.html': [
          { rel: 'prev', href: '01-processes.html' },
          { rel: 'index', href: 'index.html' },
        ],
        'index.html': [],
      };
      for (const [file, links] of Object.entries(want)) {
        const page = path.join(OUT, file);
        const report = await openAndInspect(browser, pathToFileURL(page).href, file === 'index.html' ? 1000 : 15000);
        expect({ file, errors: report.pageErrors, outside: report.outside }).toEqual({ file, errors: [], outside: [] });
        expect(report.links).toEqual(links.length ? [...links, ...links] : []);
        expect(report.downloads).toEqual(
          expect.arrayContaining(
            file === 'index.html' ? ['01-processes.ipynb', '05-cpu-bound.ipynb'] : [file.replace('.html', '.ipynb')],
          ),
        );
        expect(missingTargets(page, [...report.links.map((l) => l.href), ...report.downloads])).toEqual([]);
        expect(report.charts.every((c) => c.rendered)).toBe(true);
      }
    } finally {
      await browser.close();
    }
  }, 120_000);

  test('the page loads no script from elsewhere: no require.js, no MathJax, no CDN', () => {
    const page = fs.readFileSync(path.join(OUT, '05-cpu-bound.html'), 'utf8');
    const head = page.slice(0, page.indexOf('</head>'));
    expect(head).not.toMatch(/<script[^>]*\ssrc=/);
    expect(head).not.toMatch(/<link[^>]*\shref=/);
    expect(head).not.toMatch(/mathjax|require\.js|require\.min\.js|cdn|unpkg|\/usr\/share\/javascript/i);
  });

  test('the executed notebook is offered beside its page', () => {
    const nb = JSON.parse(fs.readFileSync(path.join(OUT, '05-cpu-bound.ipynb'), 'utf8'));
    const outputs = nb.cells.flatMap((c: { outputs?: unknown[] }) => c.outputs ?? []);
    expect(outputs.length).toBeGreaterThan(0);
    expect(nb.metadata.kernelspec.name).toBe('tslab');
    const index = fs.readFileSync(path.join(OUT, 'index.html'), 'utf8');
    expect(index).toContain('href="05-cpu-bound.ipynb"');
  });

  test('the index opens in Chromium without errors and its link leads to the notebook page', async () => {
    const browser = await launch();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(path.join(OUT, 'index.html')).href);
      await page.click('a[href="05-cpu-bound.html"]');
      await page.waitForSelector('.clab-chart .main-svg', { timeout: 30_000 });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});

describe('a bad command line is one line on stderr, exit code 2, and nothing run', () => {
  test.each([
    [['--set', 'count'], /^--set: expected name=value \(got "count"\)$/],
    [['--set', 'nope=1'], /^--set: unknown parameter "nope"; allowed: .*count/],
    [['--set', 'count=0'], /^--set: count must be an integer from 1 to 10000 \(got 0\)$/],
    [['--set', 'workers=two'], /^--set: workers must be an integer from 1 to 256 \(got "two"\)$/],
    [['--only', 'nope'], /^--only: no notebook named "nope"; allowed: .*05-cpu-bound/],
    [['--params', '/nonexistent/params.json'], /^--params: cannot read "\/nonexistent\/params.json" as JSON/],
    [['--bogus'], /^Unknown option '--bogus'.*allowed: --only, --set, --params, --out, --help$/],
  ])('%j', (args, message) => {
    const r = start('--out', path.join(ROOT, 'build', 'test', 'never'), ...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(fs.existsSync(path.join(ROOT, 'build', 'test', 'never'))).toBe(false);
  });
});
