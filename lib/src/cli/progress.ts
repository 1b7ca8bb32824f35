/**
 * Progress on stderr while an experiment runs: a bar on a terminal (cli-progress), one
 * plain line per finished run when stderr is a pipe or a file, nothing with --no-progress.
 */
import { Presets, SingleBar } from 'cli-progress';
import type { Progress } from '../core/measure';
import { isPoolMode } from '../core/modes';
import { formatMs } from '../core/summary';

/** How progress is shown. */
export type ProgressStyle = 'bar' | 'lines' | 'none';

/** Picks the style: a bar only when stderr is a terminal. */
export function progressStyle(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressStyle {
  if (!enabled) return 'none';
  return stream.isTTY ? 'bar' : 'lines';
}

/** Reports a measurement's progress; `phase` tells a comparison from a sweep. */
export interface ProgressReporter {
  /** The measure onProgress callback for one phase ('compare', 'sweep', ...); `name` replaces the mode in what is shown. */
  listener(phase: string, name?: string): (progress: Progress) => void;
  /** Counts `count` more units done at once (an experiment that reports whole runs); `what` says what finished. */
  advance(what: string, count?: number): void;
  /** Stops drawing (and restores the cursor); safe to call twice. */
  stop(): void;
}

function label(p: Progress): string {
  if (p.label) return p.label;
  const pool = isPoolMode(p.mode) ? ` (${p.workers})` : '';
  return `${p.mode}${pool}`;
}

/**
 * A reporter for `totalTasks` units in all (every mode, repeat and pool size), written to
 * `stream`; `unit` names what is counted (tasks, or runs for experiments that report whole runs).
 */
export function createProgress(
  style: ProgressStyle,
  totalTasks: number,
  stream: NodeJS.WriteStream = process.stderr,
  unit = 'tasks',
): ProgressReporter {
  const done = new Map<string, number>();
  let advanced = 0;
  const started = Date.now();
  const sum = () => [...done.values()].reduce((a, b) => a + b, advanced);
  let bar: SingleBar | undefined;
  if (style === 'bar') {
    bar = new SingleBar(
      {
        stream,
        format: ` {bar} {percentage}% | {what} | {value}/{total} ${unit} | {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        barsize: 24,
        etaBuffer: 50,
      },
      Presets.shades_classic,
    );
    bar.start(totalTasks, 0, { what: 'starting pools and warming up' });
  }
  if (style === 'lines') stream.write(`starting pools and warming up; then ${totalTasks} ${unit} to time\n`);
  let stopped = false;
  return {
    listener(phase, name) {
      const prefix = phase === 'sweep' ? 'sweep · ' : '';
      return (p) => {
        if (stopped) return;
        done.set(`${phase}:${p.label ?? p.mode}:${p.workers}:${p.repeat}`, p.done);
        const what = `${prefix}${name ?? label(p)} · repeat ${p.repeat + 1}/${p.repeats} · task ${p.done}/${p.total}`;
        if (bar) bar.update(sum(), { what });
        else if (style === 'lines' && p.done === p.total) {
          const elapsed = formatMs(Date.now() - started);
          stream.write(
            `${prefix}${name ?? label(p)}, repeat ${p.repeat + 1}/${p.repeats}: ${p.total} tasks done (${sum()}/${totalTasks} in all, ${elapsed} elapsed)\n`,
          );
        }
      };
    },
    advance(what, count = 1) {
      if (stopped) return;
      advanced += count;
      if (bar) bar.update(sum(), { what });
      else if (style === 'lines') {
        const elapsed = formatMs(Date.now() - started);
        stream.write(`${what} (${sum()}/${totalTasks} ${unit} done, ${elapsed} elapsed)\n`);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
