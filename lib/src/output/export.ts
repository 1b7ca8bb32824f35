/**
 * The one writer of a report's files (JSON and CSV as hyperfine's with ours beside, a CSV row per task,
 * markdown), written as they are produced, never built as one giant string.
 */
import fs from 'node:fs';
import { describeValue } from '../core/errors';
import { runsOf } from '../core/plan';
import type { Run } from '../core/records';
import type { Report } from '../core/report';
export type { Report };
import { summaries, summaryTable } from '../core/summary';

/** JSON of anything measured: a BigInt as a string, a function or Symbol described, a reference back as "[circular]". */
export function jsonOf(value: unknown, indent?: number): string {
  const ancestors: unknown[] = [];
  const replacer = function (this: unknown, _key: string, v: unknown) {
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'function' || typeof v === 'symbol') return describeValue(v);
    if (typeof v !== 'object' || v === null) return v;
    while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
    if (ancestors.includes(v)) return '[circular]';
    ancestors.push(v);
    return v;
  };
  return JSON.stringify(value, replacer, indent);
}

function cellText(value: unknown): string {
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value) ?? '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

/** One CSV line, quoted where needed; a string a spreadsheet would run as a formula gets a leading ' (as OWASP advises). */
export function csvLine(cells: readonly unknown[]): string {
  const quoted = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return cells.map((value) => quoted(cellText(value))).join(',');
}

/** A markdown table: the first row is the header; a | in a cell is escaped, a line break becomes a space. */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const line = (row: readonly string[]) => `| ${row.map(cell).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), `|${header.map(() => ' --- |').join('')}`, ...body.map(line)].join('\n') + '\n';
}

/** Every row of every comparison as hyperfine states a command (seconds), ours beside; CPU time is not measured. */
function resultRows(report: Pick<Report, 'results'>) {
  const entries = Object.entries(report.results);
  return entries.flatMap(([name, comparison]) =>
    summaries(comparison).map((s) => {
      const runs = runsOf(comparison, s.label);
      return {
        command: entries.length > 1 ? `${name}: ${s.label}` : s.label,
        mean: s.wall.mean / 1000,
        stddev: s.wall.sd / 1000,
        median: s.wall.median / 1000,
        user: null,
        system: null,
        min: s.wall.min / 1000,
        max: s.wall.max / 1000,
        times: runs.map((r) => r.wallMs / 1000),
        exit_codes: runs.map((r) => (r.tasks.failed().length ? 1 : 0)),
        comparison: name,
        mode: s.mode,
        origin: s.origin,
        workers: s.workers,
        tasks: s.tasks,
        baseline: s.baseline ?? null,
        speedup: s.speedup ?? null,
        failed: s.failures.length,
      };
    }),
  );
}

type Sink = { write(text: string): void };

/** Writes `file` through a buffer, a piece at a time, as `body` produces it. */
function writing(file: string, body: (sink: Sink) => void): void {
  const fd = fs.openSync(file, 'w');
  let buffer = '';
  const flush = () => {
    fs.writeSync(fd, buffer);
    buffer = '';
  };
  try {
    body({
      write(text) {
        buffer += text;
        if (buffer.length > 1 << 16) flush();
      },
    });
  } finally {
    try {
      flush();
    } finally {
      fs.closeSync(fd);
    }
  }
}

function writeRun(sink: Sink, run: Run, k: number): void {
  const { tasks, results, ...head } = run;
  sink.write(`${k ? ',' : ''}${jsonOf(head).slice(0, -1)},"tasks":[`);
  let i = 0;
  for (const task of tasks) sink.write(`${i++ ? ',' : ''}${JSON.stringify(task)}`);
  sink.write('],"results":[');
  results.forEach((value, k) => sink.write(`${k ? ',' : ''}${jsonOf(value ?? null) ?? 'null'}`));
  sink.write(']}');
}

/** The report as JSON: hyperfine's `results[]` first (scripts read it unchanged), then every comparison with its runs. */
export function writeJson(file: string, report: Report): void {
  writing(file, (sink) => {
    const { results, figures: _figures, ...head } = report;
    sink.write(`${jsonOf({ ...head, results: resultRows(report) }).slice(0, -1)},"comparisons":{`);
    Object.entries(results).forEach(([name, comparison], i) => {
      const { runs, ...meta } = comparison;
      sink.write(`${i ? ',' : ''}${JSON.stringify(name)}:${jsonOf(meta).slice(0, -1)},"runs":[`);
      runs.forEach((run, k) => writeRun(sink, run, k));
      sink.write(']}');
    });
    sink.write('}}\n');
  });
}

/** The CSV's columns: hyperfine's (seconds), then ours. */
const CSV_COLUMNS = [
  ...['command', 'mean', 'stddev', 'median', 'user', 'system', 'min', 'max'],
  ...['comparison', 'mode', 'origin', 'workers', 'tasks', 'runs', 'baseline', 'speedup', 'failed'],
] as const;

/** The report as CSV, a row per row of each comparison, as hyperfine writes a row per command. */
export function writeCsv(file: string, report: Report): void {
  writing(file, (sink) => {
    sink.write(`${csvLine(CSV_COLUMNS)}\n`);
    for (const r of resultRows(report)) {
      sink.write(`${csvLine(CSV_COLUMNS.map((c) => (c === 'runs' ? r.times.length : r[c])))}\n`);
    }
  });
}

/** Every task of every run as a CSV row; times in ms from the start of its run. */
export function writeTasksCsv(file: string, report: Report): void {
  const header = ['comparison', 'row', 'mode', 'workers', 'run', 'index', 'host', 'pid', 'threadId'];
  writing(file, (sink) => {
    sink.write(`${csvLine([...header, 'startMs', 'endMs', 'durationMs', 'ok', 'error'])}\n`);
    const all = Object.entries(report.results).flatMap(([name, { runs }]) => runs.map((run) => [name, run] as const));
    for (const [name, run] of all) {
      const at = (ms: number) => (ms - run.start).toFixed(3);
      for (const t of run.tasks) {
        const cells = [name, run.label, run.mode, run.workers, run.repeat, t.index, t.host, t.pid, t.threadId];
        sink.write(`${csvLine([...cells, at(t.start), at(t.end), (t.end - t.start).toFixed(3), t.ok, t.error])}\n`);
      }
    }
  });
}

/** The report as markdown: the title, each comparison's table, and the findings. */
export function reportMarkdown(report: Report): string {
  const tables = Object.entries(report.results).map(([name, comparison]) => {
    const [header, , ...rows] = summaryTable(comparison)
      .split('\n')
      .filter((l) => !l.startsWith('not run:'));
    const cut = (line: string) => line.split(/\s{2,}/).map((c) => c.trim());
    return `## ${name}\n\n${markdownTable([cut(header!), ...rows.map(cut)])}`;
  });
  return [`# ${report.title}`, '', `**${report.headline}**`, '', ...tables, report.findings, ''].join('\n');
}

/** Writes `<base>.json` and `<base>.csv` (what a notebook's run leaves for the site's downloads). */
export function writeResults(base: string, report: Report): void {
  writeJson(`${base}.json`, report);
  writeCsv(`${base}.csv`, report);
}
