/**
 * What hosts.ts needs from iproute2: running `ip`, the names a run gives what it makes (so
 * anything left behind says whose it was), a private /24 nobody here uses, and removing
 * everything a run made, by the owner's pid (the guard process, hosts-guard.ts, and
 * startHosts's sweep of leftovers both call `removeRun`); and whether hosts can be made here.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** The environment variable naming the `ip` binary (default: the one on PATH, else /usr/sbin/ip, /sbin/ip). */
export const IP_ENV = 'CLAB_IP';

/** Every name a run gives starts with this; then the owner's pid. */
export const PREFIX = 'clab';

const IP_TIMEOUT_MS = 10_000;
const GUARD = path.join(__dirname, 'hosts-guard.js');
const GUARD_TIMEOUT_MS = 10_000;

/**
 * Whose something is: the process that made it, and which of that process's runs (one
 * character, so a notebook can have more than one set of hosts open).
 */
export interface Owner {
  pid: number;
  run: string;
}

/** The names of what a run makes; interface names fit Linux's 15 characters (pid up to 7 digits, 64 hosts). */
export const names = {
  bridge: (o: Owner) => `${PREFIX}${o.pid}b${o.run}`,
  /** The root side of host i's veth pair: the end that `cut` sets down. */
  link: (o: Owner, i: number) => `${PREFIX}${o.pid}r${o.run}${i}`,
  namespace: (o: Owner, i: number) => `${PREFIX}-${o.pid}-${o.run}-h${i}`,
};

const OWNED_LINK = new RegExp(`^${PREFIX}(\\d+)[br]([0-9a-z])\\d*$`);
const OWNED_NAMESPACE = new RegExp(`^${PREFIX}-(\\d+)-([0-9a-z])-h\\d+$`);

/** The `ip` binary to use: `given`, else $CLAB_IP, else the first found; undefined when there is none. */
export function findIp(given = process.env[IP_ENV]): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  const candidates = given ? [given] : dirs.filter(Boolean).map((d) => `${d}/ip`);
  return candidates.find((file) => {
    try {
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

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

/** Whether a process runs now (a zombie does not). */
export function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** When process `pid` started (clock ticks since boot, /proc/pid/stat field 22): with the pid, who it is. */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** The bridge's alias records its owner: a pid alone could be a new process by now. */
export const ownerAlias = (pid: number) => `${PREFIX} owner ${pid} ${startTime(pid) ?? '?'}`;

/** An IPv4 prefix as [first address, last address] numbers. */
type Range = [number, number];

function rangeOf(cidr: string): Range | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)(?:\/(\d+))?$/.exec(cidr);
  if (!m) return undefined;
  const base = m.slice(1, 5).reduce((n, part) => n * 256 + Number(part), 0);
  const bits = Number(m[5] ?? 32);
  const size = 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

/** Every IPv4 prefix this machine has an address in or a route to, except the default route. */
export async function prefixesInUse(bin: string): Promise<string[]> {
  const [addrs, routes] = await Promise.all([
    ip(bin, ['-4', '-o', 'addr', 'show']),
    ip(bin, ['-4', 'route', 'show', 'table', 'all']),
  ]);
  const out: string[] = [];
  for (const m of addrs.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)) out.push(m[1]!);
  const TYPES = /^(local|broadcast|unicast|unreachable|blackhole|prohibit|throw|multicast|anycast|nat)$/;
  for (const line of routes.split('\n')) {
    const words = line.trim().split(/\s+/);
    const dest = TYPES.test(words[0] ?? '') ? words[1] : words[0];
    if (dest && dest !== 'default' && rangeOf(dest)) out.push(dest);
  }
  return out;
}

/**
 * The private /24s a run tries, starting at a place that depends on `seed` (its pid), so two
 * runs at once rarely try the same one: 10.213.x.0/24, then 172.29.x.0/24.
 */
export function candidateSubnets(seed: number): string[] {
  const out: string[] = [];
  for (const base of ['10.213', '172.29']) {
    for (let j = 0; j < 256; j++) out.push(`${base}.${(seed + j) % 256}`);
  }
  return out;
}

/** The first candidate /24 ("10.213.7") that overlaps none of `inUse`. */
export function freeSubnet(inUse: readonly string[], seed: number, skip: ReadonlySet<string> = new Set()): string {
  const used = inUse.map(rangeOf).filter((r): r is Range => r !== undefined);
  for (const net of candidateSubnets(seed)) {
    if (skip.has(net)) continue;
    const [a, b] = rangeOf(`${net}.0/24`)!;
    if (!used.some(([c, d]) => a <= d && c <= b)) return net;
  }
  throw new Error('no private /24 is free here: 10.213.0.0/16 and 172.29.0.0/16 are all in use');
}

/** Something a run named, and its owner. */
type Found = [name: string, owner: Owner];

/** What exists now that a run named: namespaces and links, each with its owner. */
export async function owned(bin: string): Promise<{ namespaces: Found[]; links: Found[] }> {
  // One after the other: when `ip` fails, the first command names the failure, always the same one.
  const nsText = await ip(bin, ['netns', 'list']);
  const linkText = await ip(bin, ['-o', 'link', 'show']);
  const found = (name: string, pattern: RegExp): Found[] => {
    const m = pattern.exec(name);
    return m ? [[m[0], { pid: Number(m[1]), run: m[2]! }]] : [];
  };
  return {
    namespaces: nsText.split('\n').flatMap((line) => found(line.trim().split(' ')[0] ?? '', OWNED_NAMESPACE)),
    links: [...linkText.matchAll(/^\d+: ([^:@\s]+)/gm)].flatMap((m) => found(m[1]!, OWNED_LINK)),
  };
}

/** Kills every process in namespace `ns` (SIGKILL). */
async function killInside(bin: string, ns: string): Promise<void> {
  const pids = await ip(bin, ['netns', 'pids', ns]).catch(() => '');
  for (const pid of pids.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

const ownedBy = (pid: number, run?: string) => (f: Found) =>
  f[1].pid === pid && (run === undefined || f[1].run === run);

/**
 * Removes what a run made (every run of `pid` when `run` is undefined): kills the processes
 * in its namespaces, deletes its links (a veth pair goes at once with its root side; a
 * namespace's cleanup in the kernel would take it later) and its namespaces. Never throws;
 * resolves to what is still there afterwards.
 */
export async function removeRun(bin: string, pid: number, run?: string): Promise<string[]> {
  const empty = { namespaces: [] as Found[], links: [] as Found[] };
  const found = await owned(bin).catch(() => empty);
  const namespaces = found.namespaces.filter(ownedBy(pid, run)).map(([n]) => n);
  const links = found.links.filter(ownedBy(pid, run)).map(([n]) => n);
  await Promise.all(namespaces.map((ns) => killInside(bin, ns)));
  // One `ip` for all, going on past errors (-force): what is gone already is no failure.
  const lines = [
    ...links.filter((l) => !isBridge(l)).map((l) => `link delete ${l}`),
    ...links.filter(isBridge).map((l) => `link delete ${l}`),
    ...namespaces.map((ns) => `netns delete ${ns}`),
  ];
  if (lines.length) await ip(bin, ['-force', '-batch', '-'], `${lines.join('\n')}\n`).catch(() => {});
  const left = await owned(bin).catch(() => empty);
  return [...left.namespaces, ...left.links].filter(ownedBy(pid, run)).map(([n]) => n);
}

const isBridge = (name: string) => /^\D+\d+b/.test(name);

/** The runs of what exists now whose owner is gone (or whose pid now names another process). */
export async function deadRuns(bin: string): Promise<Owner[]> {
  const { namespaces, links } = await owned(bin);
  const runs = new Map([...namespaces, ...links].map(([, o]) => [`${o.pid}.${o.run}`, o]));
  const dead: Owner[] = [];
  for (const o of runs.values()) {
    if (!alive(o.pid)) dead.push(o);
    else {
      const alias = await ip(bin, ['-o', 'link', 'show', names.bridge(o)]).catch(() => '');
      const recorded = new RegExp(`alias ${PREFIX} owner ${o.pid} (\\S+)`).exec(alias)?.[1];
      if (recorded && recorded !== '?' && recorded !== startTime(o.pid)) dead.push(o);
    }
  }
  return dead;
}

/** Where `file` is: the first of PATH's folders (then the usual system ones) that holds it. */
export function onPath(file: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/bin', '/usr/sbin', '/sbin'];
  return dirs.map((d) => path.join(d, file)).find((f) => fs.existsSync(f));
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
  if (!onPath('unshare')) return 'unshare (util-linux) was not found';
  return undefined;
}

/** Starts the guard and resolves once it runs. */
export function startGuard(bin: string, run: string): Promise<ChildProcess> {
  const guard = spawn(process.execPath, [GUARD, bin, String(process.pid), run], {
    detached: true, // a process group of its own: Jupyter's interrupt goes to the kernel's group
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the hosts guard did not start')), GUARD_TIMEOUT_MS);
    guard.once('message', () => (clearTimeout(timer), resolve(guard)));
    guard.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the hosts guard exited (${code})`))));
  });
}
