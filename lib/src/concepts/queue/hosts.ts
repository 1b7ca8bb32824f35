/**
 * Hosts on this one machine, for workers that really are elsewhere: each host is a network
 * namespace whose commands get a UTS namespace with the host's name (clab-h1, ...), joined by
 * a bridge here (one veth pair each) on a private /24 nothing here uses. The broker listens on
 * the bridge; `cut(host)` sets the host's end of the bridge down (a partition), `restore` undoes it.
 *
 * Everything is named after the process that made it and removed by `close()`, by the core's
 * teardown, by a guard process when this process dies, or by the next `startHosts`. Needs root
 * on Linux, `ip` and `unshare`; elsewhere `startHosts` throws HostsUnavailableError.
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

/** `count` hosts, 1 to 64, called clab-h1, clab-h2, ...; the `ip` binary defaults to $CLAB_IP, else PATH's. */
export type StartHostsOptions = { count: number; ip?: string };

/** One host: a network namespace with a hostname and an address; `spawn` starts `file args` in it, its output piped. */
export type Host = Awaited<ReturnType<typeof startHosts>>['hosts'][number];

/** A job a host's worker holds (as the broker sees it), and when its link was cut (this process's clock). */
export type Held = { host: Host; jobId: string; index: number };
export type Cut = Held & { at: number };

const RUN_IDS = '0123456789abcdefghijklmnopqrstuvwxyz';
const open = new Set<string>();

/** Makes the hosts (see the file's comment); resolves once each link is up. Dead runs' leftovers go first. */
export async function startHosts(options: StartHostsOptions) {
  const count = check.integer('count', options.count, 1, 64);
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
      const g = guard;
      if (g) await stopChild(g, () => (g.connected ? g.send('done') : g.kill('SIGKILL')), 1000);
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
  const able = <T>(what: string, made: Promise<T>): Promise<T> =>
    made.catch((error: unknown) => {
      if (error instanceof InterruptedError) throw error;
      throw new HostsUnavailableError(`cannot ${what}: ${messageOf(error)}`);
    });
  let net = '';
  const each = Array.from({ length: count }, (_, k) => k + 1);
  try {
    // Whatever a run left behind when even its guard was killed (its owner gone) goes first.
    for (const dead of await able('list network namespaces', step(deadRuns(bin)))) {
      await removeRun(bin, dead.pid, dead.run);
    }
    guard = await step(startGuard(bin, id));
    // A MAC of its own: a bridge otherwise takes its ports' lowest, and changes it as they come and go.
    const mac = [2, 0xc1, process.pid >> 16, process.pid >> 8, process.pid, RUN_IDS.indexOf(id)]
      .map((b) => (b & 255).toString(16).padStart(2, '0'))
      .join(':');
    const alias = ownerAlias(process.pid);
    await able(
      'make a link',
      batch([`link add ${bridge} address ${mac} type bridge`, `link set ${bridge} alias "${alias}"`]),
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
    await able('make a network namespace', batch(each.map((i) => `netns add ${names.namespace(owner, i)}`)));
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
  const unshare = findExecutable('unshare')!;
  // A UTS namespace of its own, named before the command runs; every step execs the next.
  const named = 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"';
  const hosts = each.map((index) => {
    const hostname = `clab-h${index}`;
    const spawnIn = (file: string, args: readonly string[] = [], options: { env?: NodeJS.ProcessEnv } = {}) => {
      if (closing) throw new Error(`the hosts are closed: cannot start ${file} on ${hostname}`);
      const inside = ['netns', 'exec', names.namespace(owner, index), unshare, '--uts', '--', 'sh', '-c', named];
      const child = spawn(bin, [...inside, hostname, file, ...args], {
        env: options.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    };
    return { index, hostname, address: `${net}.${index + 1}`, link: names.link(owner, index), spawn: spawnIn };
  });
  type One = (typeof hosts)[number];
  const setLink = async (h: One | number, state: 'up' | 'down') => {
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
    guardPid: guard.pid!,
    describe: () =>
      `${count} host${count === 1 ? '' : 's'} on ${net}.0/24 (this side ${net}.1): ` +
      hosts.map((h) => `${h.hostname} ${h.address}`).join(', '),
    /** Cuts a host off (its link down); resolves to when (this process's clock). */
    cut: (h: One | number) => setLink(h, 'down'),
    /** Brings a cut host back (its link up); resolves to when. */
    restore: (h: One | number) => setLink(h, 'up'),
    /** Ends every process started in the hosts and removes every namespace and link. Safe to call twice. */
    close,
  };
}
