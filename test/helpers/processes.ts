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
