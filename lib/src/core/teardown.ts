/** Everything a run starts (pools, servers) is registered here while it lives, so that SIGINT (Ctrl-C, "interrupt kernel") shuts it down. */

/** Something that can be shut down; `force` means now, without waiting for work in flight. */
type Closable = { close(force: boolean): Promise<void> };

const open = new Set<Closable>();
const interruptListeners = new Set<(reason: string) => void>();
let installed = false;

function onSigint(): void {
  // Nobody else listens (no kernel, no CLI): after cleaning up, end the process as Node would. Decided now.
  const alone = process.listenerCount('SIGINT') === 1;
  void closeAll('interrupted').finally(() => {
    if (alone) process.exit(130);
  });
}

function uninstallWhenIdle(): void {
  if (installed && open.size === 0 && interruptListeners.size === 0) {
    installed = false;
    process.removeListener('SIGINT', onSigint);
  }
}

/** Adds `item` to `set`, with the SIGINT handler installed, until the function it returns is called. */
function hold<T>(set: Set<T>, item: T): () => void {
  if (!installed) {
    installed = true;
    // Not synchronously: a tslab cell runs under vm's breakOnSigint, which removes the SIGINT listeners
    // while the cell's synchronous part runs; one added then would leave the next interrupt killing the kernel.
    setImmediate(() => {
      if (installed && !process.listeners('SIGINT').includes(onSigint)) process.on('SIGINT', onSigint);
    }).unref();
  }
  set.add(item);
  return () => {
    set.delete(item);
    uninstallWhenIdle();
  };
}

export function track(resource: Closable): () => void {
  return hold(open, resource);
}

/** Calls `listener(reason)` when running work is stopped from outside; returns an unsubscribe. */
export function onInterrupt(listener: (reason: string) => void): () => void {
  return hold(interruptListeners, listener);
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
