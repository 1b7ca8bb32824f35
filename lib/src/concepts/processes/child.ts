/** The child program of notebook 01 (run.ts): says where it runs, by message over fork's IPC channel or on stdout. */
import { threadId } from 'node:worker_threads';

const report = { pid: process.pid, ppid: process.ppid, threadId, line: `${process.pid} process | ${threadId} thread` };
if (process.send) process.send(report, () => process.disconnect());
else process.stdout.write(`${JSON.stringify(report)}\n`);
