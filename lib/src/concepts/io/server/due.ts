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
export class DueQueue {
  private readonly queue: Entry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  /** Pending callbacks (cancelled ones included until their time comes). */
  get size(): number {
    return this.queue.length;
  }

  /** Runs `fn` at `due` (ms on the shared clock); returns a function that cancels it. */
  add(due: number, fn: () => void): () => void {
    const entry: Entry = { due, fn };
    let i = this.queue.length;
    while (i > 0 && this.queue[i - 1]!.due > due) i--;
    this.queue.splice(i, 0, entry);
    if (i === 0) this.arm();
    return () => {
      entry.fn = null;
    };
  }

  /** Cancels everything. */
  clear(): void {
    this.queue.length = 0;
    this.arm();
  }

  private run = (): void => {
    const t = now();
    while (this.queue.length > 0 && this.queue[0]!.due <= t) this.queue.shift()!.fn?.();
    this.arm();
  };

  /** Sets the one timer (or immediate) for the earliest due time, if any. */
  private arm(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    const first = this.queue[0];
    if (!first) return;
    const left = first.due - now();
    if (left > SPIN_MS) this.timer = setTimeout(this.run, left - SPIN_MS);
    else this.immediate = setImmediate(this.run);
  }
}
