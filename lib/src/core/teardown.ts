/**
 * Everything a run starts (pools, servers) is registered here while it lives, so that an
 * interrupt (Ctrl-C in a terminal, "interrupt kernel" in Jupyter: both are SIGINT) or the
 * process exiting shuts it down instead of leaving it running.
 */

/** Something that can be shut down; `force` means now, without waiting for work in flight. */
export interface Closable {
  close(force: boolean): Promise<void>;
}

const open = new Set<Closable>();
const interruptListeners = new Set<(reason: string) => void>();
let installed = false;

function onSigint(): void {
  // Nobody else listens (no tslab kernel, no CLI handler): after cleaning up, behave like
  // Node's default and end the process. Decided now, before closeAll removes this listener.
  const alone = process.listenerCount('SIGINT') === 1;
  void closeAll('interrupted').finally(() => {
    if (alone) process.exit(130);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  // Not synchronously. A tslab cell runs in Node's vm with breakOnSigint, which removes the
  // SIGINT listeners, runs the cell's synchronous part, resets SIGINT to Node's exit handler
  // and then re-adds the listeners. A listener added during that part keeps the old signal
  // handle alive, so the reset would stand and the next interrupt would kill the kernel.
  setImmediate(() => {
    if (installed && !process.listeners('SIGINT').includes(onSigint)) process.on('SIGINT', onSigint);
  }).unref();
}

function uninstallWhenIdle(): void {
  if (installed && open.size === 0 && interruptListeners.size === 0) {
    installed = false;
    process.removeListener('SIGINT', onSigint);
  }
}

/** Registers a resource until `release` is called; returns `release`. */
export function track(resource: Closable): () => void {
  install();
  open.add(resource);
  return () => {
    open.delete(resource);
    uninstallWhenIdle();
  };
}

/** Calls `listener(reason)` when running work is stopped from outside; returns an unsubscribe. */
export function onInterrupt(listener: (reason: string) => void): () => void {
  install();
  interruptListeners.add(listener);
  return () => {
    interruptListeners.delete(listener);
    uninstallWhenIdle();
  };
}

/** Shuts down every open resource now; what a cell interrupt or Ctrl-C triggers. */
export async function closeAll(reason = 'stopped'): Promise<void> {
  for (const listener of [...interruptListeners]) listener(reason);
  const resources = [...open];
  open.clear();
  await Promise.allSettled(resources.map((r) => r.close(true)));
  uninstallWhenIdle();
}

/** How many pools and servers are open right now (for tests and diagnostics). */
export function openResources(): number {
  return open.size;
}
