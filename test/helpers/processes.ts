/** What this process has left running: child processes and threads, read from /proc. */
import fs from 'node:fs';

/** Pids of this process's live children (zombies excluded), after a short grace for exits in flight. */
export async function childPids(pid = process.pid, graceMs = 1500): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const live = readChildren(pid);
    if (live.length === 0 || Date.now() > deadline) return live;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function readChildren(pid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** How many OS threads this process has now. */
export function threadCount(pid = process.pid): number {
  return fs.readdirSync(`/proc/${pid}/task`).length;
}

/** Pids of live processes whose command line matches `pattern` (zombies excluded). */
export function processesMatching(pattern: RegExp): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      if (pattern.test(cmdline)) out.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return out;
}

/** What the lab starts: tslab kernels, pool workers, embedded servers. */
export const LAB_PROCESS = /tslab\S* kernel|lib\/dist\/[\w/-]*worker\.js|lib\/dist\/[\w/-]*server[\w-]*\.js/;

/** Processes matching `pattern` that exist now but not in `before`, after a grace period for exits in flight. */
export async function newProcesses(
  before: readonly number[],
  pattern = LAB_PROCESS,
  graceMs = 3000,
): Promise<number[]> {
  const deadline = Date.now() + graceMs;
  for (;;) {
    const fresh = processesMatching(pattern).filter((pid) => !before.includes(pid));
    if (fresh.length === 0 || Date.now() > deadline) return fresh;
    await new Promise((r) => setTimeout(r, 100));
  }
}
