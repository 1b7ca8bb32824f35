/**
 * The one writer of every report's files: JSON whose `results[]` is hyperfine's, CSV a row
 * per row with hyperfine's columns first, CSV a row per task, markdown; and the one CSV
 * writer and JSON writer under them (formula guard, quoting, BigInt, cycles).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compare, type Comparison, type Report } from 'concurrency-lab';
import {
  csvLine,
  jsonOf,
  markdownTable,
  reportMarkdown,
  writeCsv,
  writeJson,
  writeTasksCsv,
} from '../lib/dist/output/export';

let dir: string;
let result: Comparison;
let report: Report;

const HYPERFINE_KEYS = ['command', 'mean', 'stddev', 'median', 'user', 'system', 'min', 'max', 'times', 'exit_codes'];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clab-export-'));
  result = await compare({
    workload: (n: number) => {
      if (n === 1) throw new Error('=HYPERLINK("http://example.org")');
      return n;
    },
    inputs: [0, 1, 2],
    modes: ['sequential', { mode: 'async', label: '=cmd' }],
    repeats: 2,
    warmup: 0,
  });
  report = {
    name: 'exported',
    title: 'Exported | a title',
    headline: 'The headline.',
    findings: '- **One finding.**',
    figures: [],
    results: { main: result },
    env: result.env,
    params: { count: 3 },
  };
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each([
  ['=1+1', "'=1+1"],
  ['+1', "'+1"],
  ['-1+2', "'-1+2"],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['\tx', "'\tx"],
])('a CSV cell starting with %j is guarded against running as a formula', (cell, written) => {
  expect(csvLine([cell])).toBe(written);
});

test('CSV cells with commas, quotes and line breaks are quoted; numbers are not guarded', () => {
  expect(csvLine(['a,b', 'say "hi"', 'one\ntwo', -3, 1n, true, undefined, null])).toBe(
    '"a,b","say ""hi""","one\ntwo",-3,1,true,,',
  );
});

test('JSON: BigInt as a string, a cycle as "[circular]", a function described', () => {
  const value: Record<string, unknown> = { n: 12n, f: function named() {} };
  value.self = value;
  expect(JSON.parse(jsonOf(value))).toEqual({ n: '12', f: 'a function named()', self: '[circular]' });
  const shared = { x: 1 };
  expect(JSON.parse(jsonOf({ a: shared, b: shared }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
});

test("the JSON's results[] is hyperfine's: one entry per row, its keys first and in its order, in seconds", () => {
  const file = path.join(dir, 'r.json');
  writeJson(file, report);
  const json = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(json.results.map((r: { command: string }) => r.command)).toEqual(['sequential', '=cmd']);
  for (const row of json.results) {
    expect(Object.keys(row).slice(0, HYPERFINE_KEYS.length)).toEqual(HYPERFINE_KEYS);
    const walls = result.runs.filter((r) => r.label === row.command).map((r) => r.wallMs / 1000);
    expect(row.times).toEqual(walls);
    expect(row.min).toBe(Math.min(...walls));
    expect(row.max).toBe(Math.max(...walls));
    expect(row.mean).toBeCloseTo((walls[0]! + walls[1]!) / 2, 12);
    expect(row.median).toBeCloseTo((walls[0]! + walls[1]!) / 2, 12);
    expect(row.stddev).toBeCloseTo(Math.abs(walls[0]! - walls[1]!) / Math.SQRT2, 12);
    // CPU time is not measured per row: null, not a made-up number.
    expect(row.user).toBeNull();
    expect(row.system).toBeNull();
    // A run in which a task failed exits 1, as a failing command does in hyperfine.
    expect(row.exit_codes).toEqual([1, 1]);
  }
  expect(json.results[1]).toMatchObject({ comparison: 'main', mode: 'async', baseline: 'sequential', failed: 2 });
  // Beside it, every comparison with its rows and runs, each task a record.
  const main = json.comparisons.main;
  expect(main.rows.map((r: { label: string }) => r.label)).toEqual(['sequential', '=cmd']);
  expect(main.runs).toHaveLength(4);
  expect(main.runs[0].tasks[1]).toMatchObject({ index: 1, ok: false, error: '=HYPERLINK("http://example.org")' });
  expect(main.runs[0].results).toEqual([0, null, 2]);
  expect(json).toMatchObject({ name: 'exported', headline: 'The headline.', params: { count: 3 } });
  expect(json.figures).toBeUndefined();
});

test("the rows CSV: hyperfine's columns first, a row per row, labels guarded", () => {
  const file = path.join(dir, 'r.csv');
  writeCsv(file, report);
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(header!.split(',').slice(0, 8)).toEqual([
    'command',
    'mean',
    'stddev',
    'median',
    'user',
    'system',
    'min',
    'max',
  ]);
  expect(header).toBe(
    'command,mean,stddev,median,user,system,min,max,comparison,mode,origin,workers,tasks,runs,baseline,speedup,failed',
  );
  expect(rows).toHaveLength(2);
  expect(rows[0]).toMatch(/^sequential,[\d.e-]+,[\d.e-]+,[\d.e-]+,,,[\d.e-]+,[\d.e-]+,main,sequential,node,1,3,2,,,2$/);
  expect(rows[1]).toMatch(/^'=cmd,.*,main,async,node,1,3,2,sequential,[\d.e-]+,2$/);
});

test('the tasks CSV: a row per task of every run, a task error that looks like a formula guarded', () => {
  const file = path.join(dir, 'tasks.csv');
  writeTasksCsv(file, report);
  const [header, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(header).toBe('comparison,row,mode,workers,run,index,host,pid,threadId,startMs,endMs,durationMs,ok,error');
  expect(rows).toHaveLength(4 * 3);
  expect(rows[1]).toMatch(
    new RegExp(
      `^main,sequential,sequential,1,0,1,,${process.pid},0,[\\d.]+,[\\d.]+,[\\d.]+,false,"'=HYPERLINK\\(""http://example\\.org""\\)"$`,
    ),
  );
  expect(rows.filter((r) => r.startsWith("main,'=cmd,async,1,"))).toHaveLength(6);
});

test('markdown: a table, and a report as its title, headline, tables and findings', () => {
  expect(
    markdownTable([
      ['a', 'b|c'],
      ['1', '2'],
    ]),
  ).toBe('| a | b\\|c |\n| --- | --- |\n| 1 | 2 |\n');
  const md = reportMarkdown(report).split('\n');
  expect(md.slice(0, 5)).toEqual(['# Exported | a title', '', '**The headline.**', '', '## main']);
  expect(md[6]).toBe(
    '| row | workers | median | min | max | cv | runs | vs | speedup | CPU ideal | start-up | failed |',
  );
  expect(md.find((l) => l.startsWith('| =cmd | 1 |'))).toMatch(/\| sequential \| [\d.]+x \| 1x \| - \| 2 \|$/);
  expect(md).toContain('- **One finding.**');
});
