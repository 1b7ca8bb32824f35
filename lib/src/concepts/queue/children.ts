/** Child-process plumbing the queue's parts share: waiting for an exit, stopping with a deadline, finding a binary. */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Resolves once `child` has exited (at once if it has already). */
export function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Asks `child` to stop (`ask`), calls `kill` if it has not exited within `graceMs`, and waits for its exit. */
export async function stopChild(
  child: ChildProcess,
  ask: () => void,
  graceMs: number,
  kill: () => void = () => child.kill('SIGKILL'),
): Promise<void> {
  const done = exited(child);
  try {
    ask();
  } catch {
    kill(); // its IPC channel closed under us
  }
  const timer = setTimeout(kill, graceMs);
  await done;
  clearTimeout(timer);
}

/** SIGKILL to `pid`, if it is still there. */
export function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone already
  }
}

export function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The first executable `name` in `dirs`: by default PATH's folders, then where most systems put it. */
export function findExecutable(name: string, dirs?: readonly string[]): string | undefined {
  const usual = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  return (dirs ?? [...(process.env.PATH ?? '').split(path.delimiter), ...usual])
    .filter(Boolean)
    .map((dir) => path.join(dir, name))
    .find(isExecutable);
}
