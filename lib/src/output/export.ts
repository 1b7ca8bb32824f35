/**
 * One report shape, and the one writer of its files, for every concept: JSON whose
 * `results[]` is hyperfine's (a row per command: mean, stddev, median, min, max and times,
 * in seconds) with our comparisons beside it, CSV a row per row as hyperfine's, a CSV row per
 * task, markdown. Files are written as they are produced, never built as one giant string.
 */
import fs from 'node:fs';
import { describeValue } from '../core/errors';
import type { Run } from '../core/records';
import type { Report } from '../core/report';
export type { Report };
import { summaries, summaryTable } from '../core/summary';

/**
 * JSON of anything the library measured: BigInt values as strings, a function or a Symbol
 * as its description, a reference back to an enclosing object as "[circular]".
 */
export function jsonOf(value: unknown, indent?: number): string {
  const ancestors: unknown[] = [];
  return JSON.stringify(
    value,
    function (this: unknown, _key: string, v: unknown) {
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'function' || typeof v === 'symbol') return describeValue(v);
      if (typeof v !== 'object' || v === null) return v;
      while (ancestors.length > 0 && ancestors[ancestors.length - 1] !== this) ancestors.pop();
      if (ancestors.includes(v)) return '[circular]';
      ancestors.push(v);
      return v;
    },
    indent,
  );
}

/** A cell's text: strings that a spreadsheet would run as a formula get a leading quote. */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (typeof value === 'object') return JSON.stringify(value) ?? '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

/**
 * One CSV line: cells quoted where they hold a comma, a quote or a line break; a string that
 * starts with =, +, -, @, a tab or a carriage return is prefixed with ' (OWASP's guard against
 * formula injection), so an error message never runs as a formula in a spreadsheet.
 */
export function csvLine(cells: readonly unknown[]): string {
  return cells
    .map((value) => {
      const text = cellText(value);
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',');
}

/** A markdown table: the first row is the header; a | in a cell is escaped, a line break becomes a space. */
export function markdownTable(rows: readonly (readonly string[])[]): string {
  const cell = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  const line = (row: readonly string[]) => `| ${row.map(cell).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), `|${header.map(() => ' --- |').join('')}`, ...body.map(line)].join('\n') + '\n';
}

/** One row of hyperfine's `results[]` (seconds), with ours beside hyperfine's keys. */
export interface ResultRow {
  command: string;
  mean: number;
  stddev: number;
  median: number;
  /** CPU time, which hyperfine measures per process: not measured here (null). */
  user: null;
  system: null;
  min: number;
  max: number;
  times: number[];
  exit_codes: number[];
  comparison: string;
  mode: string;
  origin: string;
  workers: number;
  tasks: number;
  baseline: string | null;
  speedup: number | null;
  failed: number;
}

/** Every row of every comparison as hyperfine states a command (times in seconds); `command` is the row's label. */
export function resultRows(report: Pick<Report, 'results'>): ResultRow[] {
  const entries = Object.entries(report.results);
  return entries.flatMap(([name, comparison]) =>
    summaries(comparison).map((s) => {
      const runs = comparison.runs.filter((r) => r.label === s.label);
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

/** Writes to a file through a buffer, a piece at a time. */
class Sink {
  private readonly fd: number;
  private buffer = '';
  constructor(file: string) {
    this.fd = fs.openSync(file, 'w');
  }
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 16) this.flush();
  }
  private flush(): void {
    fs.writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    try {
      this.flush();
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

function writing(file: string, body: (sink: Sink) => void): void {
  const sink = new Sink(file);
  try {
    body(sink);
  } finally {
    sink.close();
  }
}

function writeRun(sink: Sink, run: Run): void {
  const { tasks, results, ...head } = run;
  sink.write(`${jsonOf(head).slice(0, -1)},"tasks":[`);
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
      runs.forEach((run, k) => {
        if (k) sink.write(',');
        writeRun(sink, run);
      });
      sink.write(']}');
    });
    sink.write('}}\n');
  });
}

const CSV_COLUMNS = ['command', 'mean', 'stddev', 'median', 'user', 'system', 'min', 'max'] as const;

/** The report as CSV, hyperfine's columns first (a row per row, seconds), then ours. */
export function writeCsv(file: string, report: Report): void {
  const extra = ['comparison', 'mode', 'origin', 'workers', 'tasks', 'runs', 'baseline', 'speedup', 'failed'] as const;
  writing(file, (sink) => {
    sink.write(`${csvLine([...CSV_COLUMNS, ...extra])}\n`);
    for (const r of resultRows(report)) {
      const cells = [
        ...CSV_COLUMNS.map((c) => r[c]),
        r.comparison,
        r.mode,
        r.origin,
        r.workers,
        r.tasks,
        r.times.length,
      ];
      sink.write(`${csvLine([...cells, r.baseline, r.speedup, r.failed])}\n`);
    }
  });
}

/** Every task of every run as a CSV row; times in ms from the start of its run. */
export function writeTasksCsv(file: string, report: Report): void {
  const header = ['comparison', 'row', 'mode', 'workers', 'run', 'index', 'host', 'pid', 'threadId'];
  writing(file, (sink) => {
    sink.write(`${csvLine([...header, 'startMs', 'endMs', 'durationMs', 'ok', 'error'])}\n`);
    for (const [name, comparison] of Object.entries(report.results)) {
      for (const run of comparison.runs) {
        for (const t of run.tasks) {
          const at = (ms: number) => (ms - run.start).toFixed(3);
          const cells = [name, run.label, run.mode, run.workers, run.repeat, t.index, t.host, t.pid, t.threadId];
          sink.write(`${csvLine([...cells, at(t.start), at(t.end), (t.end - t.start).toFixed(3), t.ok, t.error])}\n`);
        }
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
