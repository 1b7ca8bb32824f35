/**
 * The process that removes a run's hosts when the process that made them is gone:
 *
 *   node hosts-guard.js <ip> <owner pid> <run>
 *
 * Started before the first namespace is made, in a process group of its own (an interrupt
 * to the kernel's group must not end it), it checks its owner every 250 ms. When the owner
 * has died (a kernel restart, a crash, SIGKILL) it removes every namespace, link and process
 * named after the owner, then leaves. "done" (the owner closed its hosts itself) ends it at
 * once. A lost IPC channel changes nothing: only the owner's death, seen in /proc, counts.
 */
import { alive, removeRun } from './hosts-net';

const [bin, ownerText, run] = process.argv.slice(2);
const owner = Number(ownerText);

let cleaning = false;
function ownerGone(): void {
  if (cleaning) return;
  cleaning = true;
  void removeRun(bin!, owner, run).finally(() => process.exit(0));
}

process.on('message', (message) => {
  if (message === 'done') process.exit(0);
});
process.on('SIGINT', () => {}); // interrupts are for the owner
setInterval(() => {
  if (!alive(owner)) ownerGone();
}, 250);
process.send?.({ type: 'ready' });
