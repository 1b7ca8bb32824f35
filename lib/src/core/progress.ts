/**
 * Progress of a measurement in a notebook cell: after a second, one output that says what is
 * running, replaced in place a few times a second; at the end, one line that says what was
 * measured (a fast measurement shows nothing at all).
 */
import { now } from './clock';
import { liveOutput, type LiveOutput } from './kernel';
import type { Progress } from './rounds';

/** Shown only for measurements longer than this. */
const SHOW_AFTER_MS = 1000;
/** Replaced at most this often. */
const EVERY_MS = 250;

/** One line on where a measurement is: "threads (2), run 2 of 3: 57 of 100 tasks, 12.3 s". */
export function progressLine(p: Progress): string {
  const run = p.repeat < 0 ? 'warming up' : `run ${p.repeat + 1} of ${p.repeats}`;
  const tasks = p.total > 0 ? `: ${p.done} of ${p.total} tasks` : '';
  return `${p.label}, ${run}${tasks}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** A cell's progress output; both calls do nothing outside a kernel. */
export interface CellProgress {
  update(p: Progress): void;
  /** Replaces the progress with `summary` if it was ever shown. */
  done(summary: string): void;
}

/** Progress for the cell running now (nothing outside the tslab kernel). */
export function cellProgress(): CellProgress {
  const started = now();
  let output: LiveOutput | undefined;
  let last = 0;
  const show = (text: string) =>
    output?.set({ 'text/plain': text, 'text/html': `<pre class="clab-progress">${escape(text)}</pre>` });
  return {
    update(p) {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - last < EVERY_MS) return;
      output ??= liveOutput();
      last = t;
      show(`measuring: ${progressLine(p)}`);
    },
    done(summary) {
      show(summary);
    },
  };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
