/**
 * The points where a running task lets a simulated interpreter lock change hands: no-ops outside
 * the simulated GIL (concepts/gil), whose threads fill them in. A workload that calls `checkpoint()`
 * between slices of its work runs under the lock the way CPython runs bytecode under the GIL.
 */
export const interpreter = {
  /** Between two slices of work: the lock may pass to a waiting thread here. */
  checkpoint(): void {},
  /** Around a blocking wait (I/O): the lock is released while `wait` runs. */
  blocking<T>(wait: () => T): T {
    return wait();
  },
  /** Around a critical section: the lock is held throughout, even when the GIL is off. */
  critical<T>(work: () => T): T {
    return work();
  },
};
