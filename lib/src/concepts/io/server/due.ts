/**
 * Calls each callback at its due time on the shared clock: never before it, and as little
 * after as the event loop allows. `setTimeout` counts from the loop's cached time in whole
 * milliseconds, so it can fire up to 1 ms early and usually fires 0.5-1.5 ms late: here one
 * timer wakes the loop shortly before the earliest due time, and the last stretch is waited
 * out with setImmediate, which checks the clock on every turn while still serving sockets.
 */
import { now } from '../../../core/clock';

/** How long before a due time the timer wakes the loop. */
const SPIN_MS = 1;

interface Entry {
  due: number;
  seq: number;
  fn: (() => void) | null;
}

/** Earlier due time first; ties keep the order they were added in. */
const before = (a: Entry, b: Entry) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/** A min-heap of callbacks by due time, run by one timer. */
export class DueQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;

  /** Pending callbacks (cancelled ones included until their time comes). */
  get size(): number {
    return this.heap.length;
  }

  /** Runs `fn` at `due` (ms on the shared clock); returns a function that cancels it. */
  add(due: number, fn: () => void): () => void {
    const entry: Entry = { due, seq: this.seq++, fn };
    const h = this.heap;
    let i = h.push(entry) - 1;
    while (i > 0 && before(entry, h[(i - 1) >> 1]!)) {
      h[i] = h[(i - 1) >> 1]!;
      i = (i - 1) >> 1;
    }
    h[i] = entry;
    if (i === 0) this.arm();
    return () => {
      entry.fn = null;
    };
  }

  /** Cancels everything. */
  clear(): void {
    this.heap.length = 0;
    this.arm();
  }

  private pop(): Entry {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length === 0) return top;
    let i = 0;
    for (let child = 1; child < h.length; child = 2 * i + 1) {
      if (child + 1 < h.length && before(h[child + 1]!, h[child]!)) child++;
      if (!before(h[child]!, last)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = last;
    return top;
  }

  private run = (): void => {
    const t = now();
    while (this.heap.length > 0 && this.heap[0]!.due <= t) this.pop().fn?.();
    this.arm();
  };

  /** Sets the one timer (or immediate) for the earliest due time, if any. */
  private arm(): void {
    clearTimeout(this.timer);
    clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    const first = this.heap[0];
    if (!first) return;
    const left = first.due - now();
    if (left > SPIN_MS) this.timer = setTimeout(this.run, left - SPIN_MS);
    else this.immediate = setImmediate(this.run);
  }
}
