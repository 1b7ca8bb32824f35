/**
 * Calls each callback at its due time on the shared clock: never before it, and as little
 * after it as the event loop allows.
 *
 * A plain `setTimeout(fn, latency)` is not good enough for a server whose latency is the
 * thing being measured: Node counts timers from the loop's cached time, in whole
 * milliseconds, so one can fire up to 1 ms early, and it usually fires 0.5-1.5 ms late.
 * Here one timer wakes the loop shortly before the earliest due time, and the last stretch
 * is waited out with setImmediate, which checks the clock on every turn of the loop while
 * still serving sockets in between.
 */
import { now } from '../../../core/clock';

/** How long before a due time the timer wakes the loop; the rest is waited out turn by turn. */
export const SPIN_MS = 1;

interface Entry {
  due: number;
  /** Ties keep the order they were added in. */
  seq: number;
  fn: (() => void) | null;
}

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

  /** Runs `fn` at `due` (ms on the shared clock, see clock.ts); returns a function that cancels it. */
  add(due: number, fn: () => void): () => void {
    const entry: Entry = { due, seq: this.seq++, fn };
    this.push(entry);
    if (this.heap[0] === entry) this.arm();
    return () => {
      entry.fn = null;
    };
  }

  /** Cancels everything. */
  clear(): void {
    for (const entry of this.heap) entry.fn = null;
    this.heap.length = 0;
    this.disarm();
  }

  private run = (): void => {
    this.timer = undefined;
    this.immediate = undefined;
    const t = now();
    while (this.heap.length > 0 && this.heap[0]!.due <= t) {
      const entry = this.pop()!;
      const fn = entry.fn;
      entry.fn = null;
      fn?.();
    }
    this.arm();
  };

  private arm(): void {
    this.disarm();
    const first = this.heap[0];
    if (!first) return;
    const left = first.due - now();
    if (left > SPIN_MS) this.timer = setTimeout(this.run, left - SPIN_MS);
    else this.immediate = setImmediate(this.run);
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private static before(a: Entry, b: Entry): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  private push(entry: Entry): void {
    const h = this.heap;
    h.push(entry);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!DueQueue.before(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && DueQueue.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && DueQueue.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
