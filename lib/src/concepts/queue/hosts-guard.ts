/**
 * The process that removes a run's hosts when the process that made them is gone:
 *
 *   node hosts-guard.js <ip> <owner pid> <run>
 *
 * Started before the first namespace is made, in a process group of its own (an interrupt to
 * the kernel's group must not end it). Once its owner has died (a kernel restart, a crash,
 * SIGKILL), as /proc says, it removes every namespace, link and process named after the
 * owner, then leaves; a lost IPC channel changes nothing. "done" (the owner closed its hosts
 * itself) ends it at once.
 */
import { alive, removeRun } from './hosts-net';

const [bin, owner, run] = process.argv.slice(2);
let cleaning = false;

process.on('message', (message) => message === 'done' && process.exit(0));
process.on('SIGINT', () => {}); // interrupts are for the owner
setInterval(() => {
  if (cleaning || alive(Number(owner))) return;
  cleaning = true;
  void removeRun(bin!, Number(owner), run).finally(() => process.exit(0));
}, 250);
process.send?.({ type: 'ready' });
