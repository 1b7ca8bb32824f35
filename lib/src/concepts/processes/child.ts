/**
 * The child program of notebook 01's experiments (run.ts). Started as a separate Node
 * process, it says where it runs and exits:
 * - `report`: its pid, its parent's pid and its thread id, the course's line;
 * - `ready`: only "I am up" (for timing start-up);
 * With an IPC channel (fork) it answers by message, otherwise by one JSON line on stdout.
 */
import { threadId } from 'node:worker_threads';
import { now } from '../../core/clock';

function reply(message: unknown): void {
  if (process.send) process.send(message, () => process.disconnect());
  else process.stdout.write(`${JSON.stringify(message)}\n`);
}

const task = process.argv[2] ?? 'report';
if (task === 'ready') {
  reply({ pid: process.pid, at: now() });
} else {
  reply({
    pid: process.pid,
    ppid: process.ppid,
    threadId,
    at: now(),
    line: `${process.pid} process | ${threadId} thread`,
  });
}
