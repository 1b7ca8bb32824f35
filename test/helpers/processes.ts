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

/** A fresh marker for the environment of what a test starts; every descendant inherits it. */
export function newTag(): { CLAB_TEST_TAG: string } {
  return { CLAB_TEST_TAG: `t${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` };
}

/** Live processes (zombies excluded) whose environment carries `tag`, after a grace period for exits in flight. */
export async function tagged(tag: { CLAB_TEST_TAG: string }, graceMs = 3000): Promise<number[]> {
  const needle = `CLAB_TEST_TAG=${tag.CLAB_TEST_TAG}\0`;
  const scan = () => {
    const out: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      try {
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
        if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').includes(needle)) out.push(Number(entry));
      } catch {
        // gone while we looked
      }
    }
    return out;
  };
  const deadline = Date.now() + graceMs;
  for (;;) {
    const live = scan();
    if (live.length === 0 || Date.now() > deadline) return live;
    await new Promise((r) => setTimeout(r, 100));
  }
}
