/**
 * Progress on stderr while an experiment runs: a bar per row's run on a terminal
 * (cli-progress: tasks done, their rate, the row and run), one plain line per finished run
 * when stderr is a pipe or a file, nothing with --no-progress.
 */
import { Presets, SingleBar } from 'cli-progress';
import { progressLine } from '../core/progress';
import type { Progress } from '../core/rounds';

/** Reports a measurement's progress. */
export interface ProgressReporter {
  update(p: Progress): void;
  /** Stops drawing (and restores the cursor); safe to call twice. */
  stop(): void;
}

/** A reporter written to `stream`: a bar only when it is a terminal. */
export function createProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const bars = enabled && stream.isTTY;
  let bar: SingleBar | undefined;
  let row = '';
  let stopped = !enabled;
  // Said only once the run is under way: a run refused by its own checks prints its one line alone.
  const starting =
    enabled && !bars ? setTimeout(() => stream.write('starting pools and warming up\n'), 300) : undefined;
  starting?.unref();
  return {
    update(p) {
      if (stopped) return;
      if (bars && `${p.label}:${p.repeat}` !== row) {
        row = `${p.label}:${p.repeat}`;
        bar?.stop();
        const format = ' {bar} {value}/{total} tasks | {rate} tasks/s | {what}';
        bar = new SingleBar(
          { stream, format, hideCursor: true, clearOnComplete: true, barsize: 20 },
          Presets.shades_classic,
        );
        bar.start(Math.max(1, p.total), 0, { what: '', rate: '-' });
      }
      const seconds = p.runMs / 1000;
      const rate = seconds > 0 ? Math.round(p.done / seconds).toLocaleString('en-US') : '-';
      if (bar) bar.update(p.done, { what: progressLine(p), rate });
      else if (p.done === p.total) stream.write(`${progressLine(p)} (${rate} tasks/s)\n`);
    },
    stop() {
      clearTimeout(starting);
      if (!stopped) bar?.stop();
      stopped = true;
    },
  };
}
