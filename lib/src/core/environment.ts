/** The machine a measurement ran on, recorded with every result. */
import fs from 'node:fs';
import os from 'node:os';
import { attempt } from './errors';
import type { Environment } from './records';

const read = (file: string) => attempt(() => fs.readFileSync(file, 'utf8'));

/** CPU numbers in a Linux list such as "0-3,8-11". */
function cpuList(text: string): number[] {
  return text
    .trim()
    .split(',')
    .filter(Boolean)
    .flatMap((part) => {
      const [a, b] = part.split('-').map(Number);
      return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
    });
}

/** Physical cores among the logical CPUs this process may use (Linux topology), else undefined. */
function physicalCores(): number | undefined {
  const allowed = /^Cpus_allowed_list:\s*(\S+)/m.exec(read('/proc/self/status') ?? '')?.[1];
  if (!allowed) return undefined;
  const cores = new Set<string>();
  for (const cpu of cpuList(allowed)) {
    const siblings = read(`/sys/devices/system/cpu/cpu${cpu}/topology/thread_siblings_list`);
    if (siblings === undefined) return undefined;
    cores.add(siblings.trim());
  }
  return cores.size || undefined;
}

/** CPUs' worth of time a cgroup v2 (cpu.max) or v1 (cfs quota) limit allows this process, else undefined. */
function cpuQuota(): number | undefined {
  const v2 = read('/sys/fs/cgroup/cpu.max')?.trim().split(/\s+/);
  if (v2 && v2[0] !== 'max' && Number(v2[0]) > 0 && Number(v2[1]) > 0) return Number(v2[0]) / Number(v2[1]);
  const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
  const period = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  return quota > 0 && period > 0 ? quota / period : undefined;
}

let cached: Omit<Environment, 'date'> | undefined;

/** Describes this machine: the cores CPU work can use and why, the CPU model, Node, the platform, and now. */
export function environment(): Environment {
  if (!cached) {
    const logicalCpus = os.availableParallelism();
    const physical = Math.min(physicalCores() ?? logicalCpus, logicalCpus);
    const quota = cpuQuota();
    cached = {
      cores: Math.max(1, Math.min(physical, quota ?? Infinity)),
      logicalCpus,
      physicalCores: physical,
      ...(quota === undefined ? {} : { quota }),
      cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    };
  }
  return { ...cached, date: new Date().toISOString() };
}

export function cores(): number {
  return environment().cores;
}

/** How the cores were counted, for a chart's subtitle: "2 cores (2 logical CPUs)". */
export function describeCores(env: Pick<Environment, 'cores' | 'logicalCpus' | 'physicalCores' | 'quota'>): string {
  const n = Number.isInteger(env.cores) ? String(env.cores) : env.cores.toFixed(1);
  const why = [
    env.logicalCpus !== env.physicalCores ? `${env.physicalCores} physical of ${env.logicalCpus} logical CPUs` : '',
    env.quota !== undefined && env.quota < env.physicalCores ? `a CPU quota of ${env.quota.toFixed(1)}` : '',
  ].filter(Boolean);
  return `${n} core${env.cores === 1 ? '' : 's'}${why.length ? ` (${why.join(', ')})` : ''}`;
}

/** This process's limit on open files (the soft RLIMIT_NOFILE, `ulimit -n`) where it can be read (Linux), else undefined. */
export function openFileLimit(): number | undefined {
  const match = /^Max open files\s+(\d+)/m.exec(read('/proc/self/limits') ?? '');
  return match ? Number(match[1]) : undefined;
}

/** How many files (sockets, pipes...) this process has open now, where that can be counted (Linux), else 0. */
export function openFiles(): number {
  return attempt(() => fs.readdirSync('/proc/self/fd').length) ?? 0;
}
