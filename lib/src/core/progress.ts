/** Progress in a notebook cell: after a second, one line replaced in place a few times a second; at the end, a summary. */
import { now } from './clock';
import { liveOutput } from './kernel';
import type { Progress } from './rounds';

/** Shown only for measurements longer than this, and replaced at most every EVERY_MS. */
const SHOW_AFTER_MS = 1000;
const EVERY_MS = 250;

/** One line on where a measurement is: "threads (2), run 2 of 3: 57 of 100 tasks, 12.3 s". */
export function progressLine(p: Progress): string {
  const run = p.repeat < 0 ? 'warming up' : `run ${p.repeat + 1} of ${p.repeats}`;
  const tasks = p.total > 0 ? `: ${p.done} of ${p.total} tasks` : '';
  return `${p.label}, ${run}${tasks}, ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

/** Progress for the cell running now: `update` it, then `done` replaces it (if shown) with a summary; nothing outside tslab. */
export function cellProgress() {
  const started = now();
  let output: ReturnType<typeof liveOutput>;
  let last = 0;
  const show = (text: string) => {
    const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    output?.({ 'text/plain': text, 'text/html': `<pre class="clab-progress">${html}</pre>` });
  };
  return {
    update(p: Progress) {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - last < EVERY_MS) return;
      output ??= liveOutput();
      last = t;
      show(`measuring: ${progressLine(p)}`);
    },
    done: (summary: string) => show(summary),
  };
}
