/**
 * `node guard.js <redis-server> [args...]`: between the library and the redis-server it starts,
 * in a process group of its own (Jupyter's interrupt goes to the kernel's whole group). It
 * reports Redis's pid and ends it: gracefully on "stop" (SIGTERM, SIGKILL two seconds later),
 * at once on "kill" and when the process that started it is gone (a kernel restart, a crash).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [bin, ...args] = process.argv.slice(2);
const parent = process.ppid;
// Removed here once Redis has ended, however that happened: after a kernel restart only we are left.
const dir = args[args.indexOf('--dir') + 1];
const removeDir = () => {
  if (dir && path.basename(dir).startsWith('clab-redis-')) fs.rmSync(dir, { recursive: true, force: true });
};
const send = (message: unknown) => process.connected && process.send?.(message);

// A password comes in the environment, not argv (which every user can read), and goes to
// redis-server as configuration on its standard input (`redis-server -`).
const password = process.env.CLAB_REDIS_REQUIREPASS;
delete process.env.CLAB_REDIS_REQUIREPASS;
const redis = spawn(bin!, password ? ['-', ...args] : args, {
  stdio: [password ? 'pipe' : 'ignore', 'inherit', 'inherit'],
});
if (password) redis.stdin!.end(`requirepass "${password.replace(/[\\"]/g, (c) => `\\${c}`)}"\n`);

let stopping = false;
function stop(force: boolean): void {
  if (!stopping && !force) setTimeout(() => redis.kill('SIGKILL'), 2000).unref();
  stopping = true;
  redis.kill(force ? 'SIGKILL' : 'SIGTERM');
}

redis.once('spawn', () => send({ type: 'started', pid: redis.pid }));
redis.once('error', () => process.exit(1)); // the library reads its output and sees this process end
redis.once('exit', (code, signal) => {
  removeDir();
  send({ type: 'exit', code, signal });
  setTimeout(() => process.exit(0), 50); // once the message is out
});

process.on('message', (message) => {
  if (message === 'stop' || message === 'kill') stop(message === 'kill');
});
process.on('SIGTERM', () => stop(false));
process.on('SIGINT', () => {}); // interrupts are for the process that started us: it decides when Redis stops

const orphaned = () => {
  redis.kill('SIGKILL');
  // Wait for Redis to be gone before removing its directory; leave in any case.
  redis.once('exit', () => process.exit(0));
  setTimeout(() => {
    removeDir();
    process.exit(0);
  }, 1000).unref();
};
process.on('disconnect', orphaned);
// Once the process that started us is gone, we have a new parent (init or a subreaper).
setInterval(() => process.ppid !== parent && orphaned(), 250);
