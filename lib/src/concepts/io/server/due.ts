/**
 * Calls each callback at its due time, never before and as little after as the loop allows:
 * `setTimeout` can fire 1 ms early or late, so a timer wakes the loop shortly before the earliest
 * due time and setImmediate, which still serves sockets, waits out the rest.
 */
import { now } from '../../../core/clock';

/** How long before a due time the timer wakes the loop. */
const SPIN_MS = 1;

type Entry = { due: number; fn: (() => void) | null };

/**
 * Callbacks by due time, run by one timer. They arrive nearly in due order (arrival + latency
 * ± jitter), so each is inserted by a short walk back from the end; ties keep their order.
 */
export function dueQueue() {
  const queue: Entry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const run = (): void => {
    const t = now();
    while (queue.length > 0 && queue[0]!.due <= t) queue.shift()!.fn?.();
    arm();
  };
  // The one timer (or immediate) for the earliest due time, if any.
  const arm = (): void => {
    clearTimeout(timer);
    clearImmediate(immediate);
    timer = immediate = undefined;
    const first = queue[0];
    if (!first) return;
    const left = first.due - now();
    if (left > SPIN_MS) timer = setTimeout(run, left - SPIN_MS);
    else immediate = setImmediate(run);
  };
  return {
    /** Pending callbacks (cancelled ones included until their time comes). */
    size: () => queue.length,
    /** Runs `fn` at `due` (ms on the shared clock); returns a function that cancels it. */
    add(due: number, fn: () => void): () => void {
      const entry: Entry = { due, fn };
      let i = queue.length;
      while (i > 0 && queue[i - 1]!.due > due) i--;
      queue.splice(i, 0, entry);
      if (i === 0) arm();
      return () => void (entry.fn = null);
    },
    /** Cancels everything. */
    clear(): void {
      queue.length = 0;
      arm();
    },
  };
}
