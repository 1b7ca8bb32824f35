/** Saving results: JSON of everything, CSV of every task record. */
import fs from 'node:fs';
import path from 'node:path';
import { describeValue } from '../core/errors';
import type { Comparison, Sweep } from '../core/measure';
import type { Run, TaskRecord } from '../core/records';

/** Every run of a comparison (its peers' after the modes') or a sweep (its baseline first). */
export function runsOf(result: Comparison | Sweep): Run[] {
  if ('points' in result) return [...result.baseline, ...result.points.flatMap((p) => p.runs)];
  return [...result.runs, ...(result.peers ?? []).flatMap((p) => p.runs)];
}

/**
 * JSON of anything the library measured, indented: BigInt values as strings, a function or
 * a Symbol as its description, a reference back to an enclosing object as "[circular]".
 */
export function jsonOf(value: unknown): string {
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
    2,
  );
}

/** JSON of a result, with task results (BigInt as strings) for the record. */
export function toJSON(result: Comparison | Sweep): string {
  return jsonOf(result);
}

/** A cell's text: strings that a spreadsheet would run as a formula get a leading quote. */
function cellText(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  if (typeof value === 'object') return value === null ? '' : (JSON.stringify(value) ?? '');
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return ''; // a function or a symbol has no cell
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

/**
 * A fixed-width text table (core/summary textTable: a header, a line of dashes, the rows)
 * as a markdown table; lines after the table become a paragraph below it.
 */
export function markdownOfTextTable(text: string): string {
  const lines = text.split('\n');
  const dashes = lines.findIndex((l) => /^-+( +-+)*$/.test(l));
  if (dashes < 1) return `${text}\n`;
  const spans = [...lines[dashes]!.matchAll(/-+/g)].map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length] as const);
  const cut = (line: string) =>
    spans.map(([from, to], i) => line.slice(from, i === spans.length - 1 ? undefined : to).trim());
  const body = lines.slice(dashes + 1);
  const lastStart = spans[spans.length - 1]?.[0] ?? 0;
  const end = body.findIndex((l) => l.trim() === '' || l.length < lastStart);
  const rows = end === -1 ? body : body.slice(0, end);
  const after = end === -1 ? [] : body.slice(end).filter((l) => l.trim() !== '');
  const table = markdownTable([cut(lines[dashes - 1]!), ...rows.map(cut)]);
  return after.length ? `${table}\n${after.join('\n')}\n` : table;
}

/** The columns of one task record in CSV, after the columns that say which run it was in. */
export const TASK_COLUMNS = ['index', 'pid', 'threadId', 'startMs', 'endMs', 'durationMs', 'ok', 'error'] as const;

/** A task record's cells for TASK_COLUMNS, times in ms from the start of its run. */
export function taskCells(task: TaskRecord, runStart: number): unknown[] {
  return [
    task.index,
    task.pid,
    task.threadId,
    (task.start - runStart).toFixed(3),
    (task.end - runStart).toFixed(3),
    (task.end - task.start).toFixed(3),
    task.ok,
    task.error,
  ];
}

/** Columns added when tasks crossed machines (the queue mode): where, the job's times, and its attempts. */
export const QUEUE_COLUMNS = ['host', 'enqueuedMs', 'startedMs', 'finishedMs', 'attempts'] as const;

/** A task record's cells for QUEUE_COLUMNS, times in ms from the start of its run (empty where not recorded). */
export function queueCells(task: TaskRecord, runStart: number): unknown[] {
  const ms = (t: number | undefined) => (t === undefined ? undefined : (t - runStart).toFixed(3));
  return [task.host, ms(task.enqueued), ms(task.started), ms(task.finished), task.attempts];
}

/**
 * CSV with one row per task: mode (a peer's label for a peer's runs, e.g. 'Python
 * ProcessPoolExecutor(10)'), pool size, repeat, index, where it ran, when (ms from the
 * run's start), outcome; plus host and the job's times when some task ran in the queue mode.
 */
export function toCSV(result: Comparison | Sweep): string {
  const runs = runsOf(result);
  const queued = runs.some((run) => run.tasks.some((t) => t.host !== undefined));
  const lines = [csvLine(['mode', 'workers', 'repeat', ...TASK_COLUMNS, ...(queued ? QUEUE_COLUMNS : [])])];
  for (const run of runs) {
    for (const t of run.tasks) {
      const extra = queued ? queueCells(t, run.start) : [];
      lines.push(csvLine([run.label ?? run.mode, run.workers, run.repeat, ...taskCells(t, run.start), ...extra]));
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<name>.json` and `<name>.csv` into `dir` (created if needed); returns their paths. */
export function save(result: Comparison | Sweep, dir: string, name: string): { json: string; csv: string } {
  fs.mkdirSync(dir, { recursive: true });
  const json = path.join(dir, `${name}.json`);
  const csv = path.join(dir, `${name}.csv`);
  fs.writeFileSync(json, toJSON(result));
  fs.writeFileSync(csv, toCSV(result));
  return { json, csv };
}
