/** SIGINT and SIGTERM from the first moment (cli.ts imports this first), then handed to the run under way. */
import { EXIT } from './usage';

type Handler = (signal: NodeJS.Signals) => void;
let current: Handler | undefined;

function dispatch(signal: NodeJS.Signals): void {
  if (current) current(signal);
  else process.exit(signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
}

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
