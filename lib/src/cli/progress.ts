/** Progress on stderr: a bar on a terminal, a line per finished run to a pipe or file, nothing with --no-progress. */
import { Presets, SingleBar } from 'cli-progress';
import { progressLine } from '../core/progress';
import type { Progress } from '../core/rounds';

/** Reports a measurement's progress on stderr (a bar only on a terminal); `stop` is safe to call twice. */
export function createProgress(enabled: boolean) {
  const stream = process.stderr;
  const bars = enabled && stream.isTTY;
  let bar: SingleBar | undefined;
  let row = '';
  let stopped = !enabled;
  // Said only once the run is under way: a run refused by its own checks prints its one line alone.
  const starting =
    enabled && !bars ? setTimeout(() => stream.write('starting pools and warming up\n'), 300) : undefined;
  starting?.unref();
  return {
    update(p: Progress) {
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
