/**
 * Hosts on this one machine, for workers that really are elsewhere: each host is a network
 * namespace, and every command in it gets a UTS namespace with the host's name (clab-h1, ...).
 * A bridge in this (the root) namespace joins them, one veth pair per host, on a private /24
 * the run picked because nothing here used it. The broker listens on the bridge's address;
 * `cut(host)` sets that host's end of the bridge down (a partition), `restore(host)` brings
 * it back. No host has a route anywhere else.
 *
 * Everything is named after the process that made it (`clab<pid>...`, `clab-<pid>-...`) and
 * removed by `close()`, by the core's teardown on an interrupt, by a guard process when this
 * process dies (a kernel restart), and by the next `startHosts` if even the guard was killed.
 *
 * Needs root on Linux, iproute2's `ip` and util-linux's `unshare`. Elsewhere `startHosts`
 * throws HostsUnavailableError, one line, so a caller can fall back to local processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { now } from '../../core/clock';
import { InterruptedError, messageOf, ParameterError } from '../../core/errors';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';
import { findExecutable, stopChild } from './children';
import {
  deadRuns,
  findIp,
  freeSubnet,
  hostsUnavailable,
  ip,
  IP_ENV,
  names,
  ownerAlias,
  prefixesInUse,
  removeRun,
  startGuard,
} from './hosts-net';

export { hostsUnavailable };

/** Hosts cannot be made here (not Linux, not root, no `ip`, no permission): `reason` says which. */
export class HostsUnavailableError extends Error {
  override readonly name = 'HostsUnavailableError';
  constructor(readonly reason: string) {
    super(`hosts (network namespaces) are unavailable here: ${reason}`);
  }
}

/** Options of `startHosts`. */
export interface StartHostsOptions {
  /** How many hosts, 1 to 64 (a /24, and interface names of at most 15 characters). */
  count: number;
  /** Host i is called `${hostname}${i}` (default 'clab-h': clab-h1, clab-h2, ...). */
  hostname?: string;
  /** The `ip` binary (default $CLAB_IP, else ip on PATH, /usr/sbin/ip or /sbin/ip). */
  ip?: string;
}

/** One host: a network namespace with a hostname and an address; `spawn` starts `file args` in it, its output piped. */
export type Host = ReturnType<typeof makeHost>;

/** A job a host's worker holds (as the broker sees it), and when its link was cut (this process's clock). */
export type Held = { host: Host; jobId: string; index: number };
export type Cut = Held & { at: number };

/** The hosts of a run: see `startHosts`. */
export type Hosts = Awaited<ReturnType<typeof startHosts>>;

const RUN_IDS = '0123456789abcdefghijklmnopqrstuvwxyz';
const open = new Set<string>();

/** Host `index` of a run: commands in it run in its network namespace, with its hostname. */
function makeHost(
  run: { bin: string; owner: { pid: number; run: string }; net: string; prefix: string; children: Set<ChildProcess> },
  index: number,
  closed: () => boolean,
) {
  const namespace = names.namespace(run.owner, index);
  const hostname = `${run.prefix}${index}`;
  const unshare = findExecutable('unshare')!;
  // A UTS namespace of its own, named before the command runs; every step execs the next.
  const named = 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"';
  return {
    index,
    hostname,
    address: `${run.net}.${index + 1}`,
    link: names.link(run.owner, index),
    spawn(file: string, args: readonly string[] = [], options: { env?: NodeJS.ProcessEnv } = {}) {
      if (closed()) throw new Error(`the hosts are closed: cannot start ${file} on ${hostname}`);
      const argv = ['netns', 'exec', namespace, unshare, '--uts', '--', 'sh', '-c', named, hostname, file, ...args];
      const child = spawn(run.bin, argv, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
      run.children.add(child);
      child.once('exit', () => run.children.delete(child));
      return child;
    },
  };
}

/**
 * Makes `count` hosts (see the file's comment) and resolves once each has its address and
 * its link is up. Leftovers of runs whose process is gone are removed first.
 */
export async function startHosts(options: StartHostsOptions) {
  const count = check.integer('count', options.count, 1, 64);
  const prefix = options.hostname ?? 'clab-h';
  if (typeof prefix !== 'string' || !/^[a-z][a-z0-9-]{0,40}$/.test(prefix)) {
    throw new ParameterError('hostname', 'lowercase letters, digits and -, starting with a letter', prefix);
  }
  const unavailable = hostsUnavailable(options);
  if (unavailable) throw new HostsUnavailableError(unavailable);
  const bin = findIp(options.ip ?? process.env[IP_ENV])!;
  const id = [...RUN_IDS].find((c) => !open.has(c));
  if (!id) throw new Error(`this process has ${RUN_IDS.length} sets of hosts open: close some first`);
  open.add(id);
  const owner = { pid: process.pid, run: id };
  const bridge = names.bridge(owner);
  const children = new Set<ChildProcess>();
  let guard: ChildProcess | undefined;
  let closing: Promise<void> | undefined;
  const close = (force = false) =>
    (closing ??= (async () => {
      const signal = force ? 'SIGKILL' : 'SIGTERM';
      await Promise.all([...children].map((c) => stopChild(c, () => c.kill(signal), force ? 0 : 1000)));
      const failed = await removeRun(bin, process.pid, id);
      if (guard?.connected) {
        const gone = new Promise((resolve) => guard!.once('exit', resolve));
        guard.send('done');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 1000))]);
      }
      release();
      open.delete(id);
      if (failed.length) throw new Error(`could not remove ${failed.join(', ')}`);
    })());
  const release = track({ close });
  const step = async <T>(what: Promise<T>): Promise<T> => {
    const value = await what;
    if (closing) throw new InterruptedError('interrupted while the hosts were being made');
    return value;
  };
  const batch = (lines: string[], ns?: string) =>
    step(ip(bin, [...(ns ? ['-n', ns] : []), '-batch', '-'], `${lines.join('\n')}\n`));
  // The first of each kind of thing made: failing there means this machine will not let us.
  const able = async <T>(what: string, made: () => Promise<T>): Promise<T> => {
    try {
      return await made();
    } catch (error) {
      if (error instanceof InterruptedError) throw error;
      throw new HostsUnavailableError(`cannot ${what}: ${messageOf(error)}`);
    }
  };

  let net = '';
  try {
    // Whatever a run left behind when even its guard was killed (its owner gone) goes first.
    for (const dead of await able('list network namespaces', () => step(deadRuns(bin)))) {
      await removeRun(bin, dead.pid, dead.run);
    }
    guard = await step(startGuard(bin, id));
    // A MAC of its own: a bridge otherwise takes its ports' lowest, and changes it as they come and go.
    const mac = [2, 0xc1, process.pid >> 16, process.pid >> 8, process.pid, RUN_IDS.indexOf(id)]
      .map((b) => (b & 255).toString(16).padStart(2, '0'))
      .join(':');
    await able('make a link', () =>
      batch([`link add ${bridge} address ${mac} type bridge`, `link set ${bridge} alias "${ownerAlias(process.pid)}"`]),
    );
    // A /24 nobody uses, checked again once ours is on: another run may have taken it meanwhile.
    const tried = new Set<string>();
    for (;;) {
      net = freeSubnet(await step(prefixesInUse(bin)), process.pid, tried);
      await batch([`addr add ${net}.1/24 dev ${bridge}`, `link set ${bridge} up`]);
      const addrs = await step(ip(bin, ['-4', '-o', 'addr', 'show']));
      if (!addrs.split('\n').some((l) => l.includes(` inet ${net}.`) && !l.includes(` ${bridge} `))) break;
      await batch([`addr del ${net}.1/24 dev ${bridge}`]);
      tried.add(net);
    }
    const each = Array.from({ length: count }, (_, k) => k + 1);
    await able('make a network namespace', () => batch(each.map((i) => `netns add ${names.namespace(owner, i)}`)));
    await batch(
      each.flatMap((i) => [
        `link add ${names.link(owner, i)} type veth peer name eth0 netns ${names.namespace(owner, i)}`,
        `link set ${names.link(owner, i)} master ${bridge} up`,
      ]),
    );
    const up = (i: number) => [`addr add ${net}.${i + 1}/24 dev eth0`, 'link set eth0 up', 'link set lo up'];
    await Promise.all(each.map((i) => batch(up(i), names.namespace(owner, i))));
  } catch (error) {
    await close(true).catch(() => {});
    throw error;
  }

  const hosts = Array.from({ length: count }, (_, k) =>
    makeHost({ bin, owner, net, prefix, children }, k + 1, () => closing !== undefined),
  );
  const setLink = async (h: Host | number, state: 'up' | 'down') => {
    const host = hosts.find((x) => x === h || x.index === h);
    if (!host) throw new ParameterError('host', `one of this run's hosts, 1 to ${count}`, h);
    await ip(bin, ['link', 'set', host.link, state]);
    return now();
  };
  return {
    hosts,
    /** This (the root) namespace's address on the hosts' network: where their broker listens. */
    address: `${net}.1`,
    subnet: `${net}.0/24`,
    /** The guard process's pid (it removes everything if this process dies). */
    guardPid: guard.pid!,
    describe: () =>
      `${count} host${count === 1 ? '' : 's'} on ${net}.0/24 (this side ${net}.1): ` +
      hosts.map((h) => `${h.hostname} ${h.address}`).join(', '),
    /** Cuts a host off (its link down); resolves to when (this process's clock). */
    cut: (h: Host | number) => setLink(h, 'down'),
    /** Brings a cut host back (its link up); resolves to when. */
    restore: (h: Host | number) => setLink(h, 'up'),
    /** Ends every process started in the hosts and removes every namespace and link. Safe to call twice. */
    close,
  };
}
