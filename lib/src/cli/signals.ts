/**
 * SIGINT and SIGTERM for the command line, from the first moment: imported first by
 * cli.ts, it answers a signal that comes while the program is still loading (exit 130 or
 * 143, nothing to clean up yet) and hands later ones to the run that is going on.
 */
import { EXIT } from './usage';

type Handler = (signal: NodeJS.Signals) => void;

let current: Handler | undefined;

function dispatch(signal: NodeJS.Signals): void {
  if (current) current(signal);
  else process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
}

/** Listens for SIGINT and SIGTERM (once); until a run takes them over, a signal exits at once. */
function installSignals(): void {
  if (process.listeners('SIGINT').includes(dispatch)) return;
  process.on('SIGINT', dispatch);
  process.on('SIGTERM', dispatch);
}

/** Hands signals to `handler` until the returned function is called. */
export function onStopSignal(handler: Handler): () => void {
  installSignals();
  current = handler;
  return () => {
    if (current === handler) current = undefined;
  };
}

// Run as the command line (node lib/dist/cli.js, or the bin): listen before anything else loads.
if (/[\\/](cli\.js|concurrency-lab(\.js)?)$/.test(require.main?.filename ?? '')) installSignals();
