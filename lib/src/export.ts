/** Saving results: JSON of everything, CSV of every task record. */
import fs from 'node:fs';
import path from 'node:path';
import type { Comparison, Sweep } from './measure';
import type { Run } from './records';

/** Every run of a comparison or a sweep (a sweep's baseline first). */
export function runsOf(result: Comparison | Sweep): Run[] {
  return 'points' in result ? [...result.baseline, ...result.points.flatMap((p) => p.runs)] : result.runs;
}

/** JSON of a result, with task results (BigInt as strings) for the record. */
export function toJSON(result: Comparison | Sweep): string {
  return JSON.stringify(result, (_key, value) => (typeof value === 'bigint' ? value.toString() : value), 2);
}

function csvCell(value: unknown): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with one row per task: mode, pool size, repeat, index, where it ran, when (ms from the run's start), outcome. */
export function toCSV(result: Comparison | Sweep): string {
  const header = [
    'mode',
    'workers',
    'repeat',
    'index',
    'pid',
    'threadId',
    'startMs',
    'endMs',
    'durationMs',
    'ok',
    'error',
  ];
  const lines = [header.join(',')];
  for (const run of runsOf(result)) {
    for (const t of run.tasks) {
      lines.push(
        [
          run.mode,
          run.workers,
          run.repeat,
          t.index,
          t.pid,
          t.threadId,
          (t.start - run.start).toFixed(3),
          (t.end - run.start).toFixed(3),
          (t.end - t.start).toFixed(3),
          t.ok,
          t.error,
        ]
          .map(csvCell)
          .join(','),
      );
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
