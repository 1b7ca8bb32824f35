/** The one CSV writer and the one JSON writer: formula guard, quoting, BigInt, cycles, markdown tables. */
import { compare } from 'concurrency-lab';
import { csvLine, jsonOf, markdownOfTextTable, markdownTable, toCSV } from '../lib/dist/output/export';
import { ioCSV } from '../lib/dist/cli/io';

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

test('a task error that looks like a formula is guarded in the records CSV', async () => {
  const r = await compare({
    workload: (n: number) => {
      if (n === 1) throw new Error('=HYPERLINK("http://example.org")');
      return n;
    },
    inputs: [0, 1],
    modes: ['sequential'],
    repeats: 1,
    warmup: 0,
  });
  const row = toCSV(r).trim().split('\n')[2]!;
  expect(row).toMatch(/,false,"'=HYPERLINK\(""http:\/\/example\.org""\)"$/);
});

test('the io CSV writes its variant labels through the same writer', () => {
  const run = { mode: 'async', workers: 1, repeat: 0, start: 0, tasks: [] };
  const fake = {
    variants: [
      {
        variant: { label: '=cmd' },
        comparison: { runs: [{ ...run, tasks: [{ index: 0, pid: 1, threadId: 0, start: 1, end: 2, ok: true }] }] },
      },
    ],
  };
  const [header, row] = ioCSV(fake as never)
    .trim()
    .split('\n');
  expect(header).toBe('variant,mode,workers,repeat,index,pid,threadId,startMs,endMs,durationMs,ok,error');
  expect(row).toBe("'=cmd,async,1,0,0,1,0,1.000,2.000,1.000,true,");
});

test('JSON: BigInt as a string, a cycle as "[circular]", a function described', () => {
  const value: Record<string, unknown> = { n: 12n, f: function named() {} };
  value.self = value;
  expect(JSON.parse(jsonOf(value))).toEqual({ n: '12', f: 'a function named()', self: '[circular]' });
  const shared = { x: 1 };
  expect(JSON.parse(jsonOf({ a: shared, b: shared }))).toEqual({ a: { x: 1 }, b: { x: 1 } });
});

test('markdown: a table, and a fixed-width text table turned into one', () => {
  expect(
    markdownTable([
      ['a', 'b|c'],
      ['1', '2'],
    ]),
  ).toBe('| a | b\\|c |\n| --- | --- |\n| 1 | 2 |\n');
  const text = 'variant      median\n-----------  ------\nblocking, 2  10 ms\none          2.00 s\nnote below';
  expect(markdownOfTextTable(text)).toBe(
    '| variant | median |\n| --- | --- |\n| blocking, 2 | 10 ms |\n| one | 2.00 s |\n\nnote below\n',
  );
});
