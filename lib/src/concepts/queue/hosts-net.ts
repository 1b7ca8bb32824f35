/**
 * What hosts.ts needs from iproute2: running `ip`, the names a run gives what it makes (so anything left
 * behind says whose it was), a private /24 nobody here uses, removing what a run made (startHosts's sweep
 * of leftovers, and the guard: this file run as a process); and whether hosts can be made here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { findExecutable, isExecutable, kill } from './children';

/** The environment variable naming the `ip` binary (default: the one on PATH, else /usr/sbin/ip, /sbin/ip). */
export const IP_ENV = 'CLAB_IP';

const IP_TIMEOUT_MS = 10_000;

/** Whose something is: the process that made it, and which of its runs (one character: a notebook can have several). */
type Owner = { pid: number; run: string };

/** The names of what a run makes; interface names fit Linux's 15 characters (pid up to 7 digits, 64 hosts). */
export const names = {
  bridge: (o: Owner) => `clab${o.pid}b${o.run}`,
  /** The root side of host i's veth pair: the end that `cut` sets down. */
  link: (o: Owner, i: number) => `clab${o.pid}r${o.run}${i}`,
  namespace: (o: Owner, i: number) => `clab-${o.pid}-${o.run}-h${i}`,
};

const OWNED_LINK = /^clab(\d+)[br]([0-9a-z])\d*$/;
const OWNED_NAMESPACE = /^clab-(\d+)-([0-9a-z])-h\d+$/;

/** The `ip` binary: `given` ($CLAB_IP) if it is one, else the first found; undefined when there is none. */
export const findIp = (given?: string) => (given ? (isExecutable(given) ? given : undefined) : findExecutable('ip'));

/** Runs `ip args...`; resolves to its stdout, rejects with its last line of stderr. */
export function ip(bin: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(bin, args, { timeout: IP_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const said = stderr.trim().split('\n').filter(Boolean).pop();
      const how = error.killed ? `timed out after ${IP_TIMEOUT_MS / 1000} s` : `exit code ${String(error.code)}`;
      reject(new Error(`${said ?? error.message} (ip ${args.join(' ')}: ${how})`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Process `pid`'s state and start time (clock ticks since boot: with the pid, who it is), from /proc; undefined when gone. */
function stat(pid: number): { state: string; started: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, started: fields[19]! };
  } catch {
    return undefined;
  }
}

/** Whether a process runs now (a zombie does not). */
const alive = (pid: number) => ![undefined, 'Z'].includes(stat(pid)?.state);

/** The bridge's alias records its owner: a pid alone could be a new process by now. */
export const ownerAlias = (pid: number) => `clab owner ${pid} ${stat(pid)?.started ?? '?'}`;

/** An IPv4 prefix as [first address, last address] numbers. */
function rangeOf(cidr: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
  if (!m) return undefined;
  const size = 2 ** (32 - Number(m[5] ?? 32));
  const first = Math.floor(m.slice(1, 5).reduce((n, part) => n * 256 + Number(part), 0) / size) * size;
  return [first, first + size - 1];
}

/** Every IPv4 prefix this machine has an address in or a route to, except the default route. */
export async function prefixesInUse(bin: string): Promise<string[]> {
  const [addrs, routes] = await Promise.all([
    ip(bin, ['-4', '-o', 'addr', 'show']),
    ip(bin, ['-4', 'route', 'show', 'table', 'all']),
  ]);
  const TYPES = /^(local|broadcast|unicast|unreachable|blackhole|prohibit|throw|multicast|anycast|nat)$/;
  const dests = routes.split('\n').map((line) => {
    const words = line.trim().split(/\s+/);
    return TYPES.test(words[0] ?? '') ? words[1] : words[0];
  });
  return [
    ...[...addrs.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1]!),
    ...dests.filter((d): d is string => !!d && d !== 'default' && rangeOf(d) !== undefined),
  ];
}

/**
 * The first private /24 ("10.213.7") that overlaps none of `inUse`: 10.213.x.0/24, then
 * 172.29.x.0/24, from an x that depends on `seed` (the pid), so two runs rarely try the same.
 */
export function freeSubnet(inUse: readonly string[], seed: number, skip: ReadonlySet<string>): string {
  const used = inUse.map(rangeOf).filter((r): r is [number, number] => r !== undefined);
  for (const base of ['10.213', '172.29']) {
    for (let j = 0; j < 256; j++) {
      const net = `${base}.${(seed + j) % 256}`;
      const [a, b] = rangeOf(`${net}.0/24`)!;
      if (!skip.has(net) && !used.some(([c, d]) => a <= d && c <= b)) return net;
    }
  }
  throw new Error('no private /24 is free here: 10.213.0.0/16 and 172.29.0.0/16 are all in use');
}

/** What exists now that a run named: namespaces and links, each with its owner. */
async function owned(bin: string): Promise<[name: string, owner: Owner][]> {
  // One after the other: when `ip` fails, the first command names the failure, always the same one.
  const nsText = await ip(bin, ['netns', 'list']);
  const linkText = await ip(bin, ['-o', 'link', 'show']);
  const found = (name: string, pattern: RegExp): [string, Owner][] => {
    const m = pattern.exec(name);
    return m ? [[m[0], { pid: Number(m[1]), run: m[2]! }]] : [];
  };
  return [
    ...nsText.split('\n').flatMap((line) => found(line.trim().split(' ')[0] ?? '', OWNED_NAMESPACE)),
    ...[...linkText.matchAll(/^\d+: ([^:@\s]+)/gm)].flatMap((m) => found(m[1]!, OWNED_LINK)),
  ];
}

/**
 * Removes what run `run` of `pid` made: kills the processes in its namespaces, deletes its links (a veth
 * pair goes at once with its root side; a namespace's cleanup in the kernel would take it later), then its
 * bridge and namespaces. Never throws; resolves to what is still there afterwards.
 */
export async function removeRun(bin: string, pid: number, run: string): Promise<string[]> {
  const mine = async () => (await owned(bin).catch(() => [])).filter(([, o]) => o.pid === pid && o.run === run);
  const found = (await mine()).map(([name]) => name);
  const namespaces = found.filter((n) => OWNED_NAMESPACE.test(n));
  const inside = await Promise.all(namespaces.map((ns) => ip(bin, ['netns', 'pids', ns]).catch(() => '')));
  for (const p of inside.join(' ').split(/\s+/).filter(Boolean)) kill(Number(p));
  const isBridge = (name: string) => /^clab\d+b/.test(name);
  const links = found.filter((n) => OWNED_LINK.test(n)).sort((a, b) => Number(isBridge(a)) - Number(isBridge(b)));
  // One `ip` for all, going on past errors (-force): what is gone already is no failure.
  const lines = [...links.map((l) => `link delete ${l}`), ...namespaces.map((ns) => `netns delete ${ns}`)];
  if (lines.length) await ip(bin, ['-force', '-batch', '-'], `${lines.join('\n')}\n`).catch(() => {});
  return (await mine()).map(([name]) => name);
}

/** The runs of what exists now whose owner is gone (or whose pid now names another process). */
export async function deadRuns(bin: string): Promise<Owner[]> {
  const runs = new Map((await owned(bin)).map(([, o]) => [`${o.pid}.${o.run}`, o]));
  const dead: Owner[] = [];
  for (const o of runs.values()) {
    const live = alive(o.pid);
    const alias = live ? await ip(bin, ['-o', 'link', 'show', names.bridge(o)]).catch(() => '') : '';
    const started = new RegExp(`alias clab owner ${o.pid} (\\S+)`).exec(alias)?.[1];
    if (!live || (started && started !== '?' && started !== stat(o.pid)?.started)) dead.push(o);
  }
  return dead;
}

/** Why hosts cannot be made here, or undefined when they can (as far as can be told without making one). */
export function hostsUnavailable(options: { ip?: string } = {}): string | undefined {
  if (process.platform !== 'linux') return `network namespaces are Linux's, and this is ${process.platform}`;
  const uid = process.getuid?.();
  if (uid !== 0) return `making network namespaces needs root, and this process runs as uid ${uid}`;
  const given = options.ip ?? process.env[IP_ENV];
  if (!findIp(given)) {
    return given
      ? `ip ${given}${options.ip ? '' : ` (from ${IP_ENV})`} is not an executable file`
      : 'ip (iproute2) was not found: on Debian/Ubuntu `apt-get install -y iproute2`';
  }
  if (!findExecutable('unshare')) return 'unshare (util-linux) was not found';
  return undefined;
}

export function startGuard(bin: string, run: string): Promise<ChildProcess> {
  const guard = spawn(process.execPath, [__filename, bin, String(process.pid), run], {
    detached: true, // a process group of its own: Jupyter's interrupt goes to the kernel's group, not to the guard
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the hosts guard did not start')), 10_000);
    guard.once('message', () => (clearTimeout(timer), resolve(guard)));
    guard.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the hosts guard exited (${code})`))));
  });
}

/**
 * The guard, `node hosts-net.js <ip> <owner pid> <run>`: once its owner has died, as /proc says,
 * it removes what the run made; "done" (the owner closed its hosts) ends it. A lost IPC channel changes nothing.
 */
if (require.main === module) {
  const [bin, owner, run] = process.argv.slice(2);
  let cleaning = false;
  process.on('message', (message) => message === 'done' && process.exit(0));
  process.on('SIGINT', () => {}); // interrupts are for the owner
  setInterval(() => {
    if (cleaning || alive(Number(owner))) return;
    cleaning = true;
    void removeRun(bin!, Number(owner), run!).finally(() => process.exit(0));
  }, 250);
  process.send?.({ type: 'ready' });
}
