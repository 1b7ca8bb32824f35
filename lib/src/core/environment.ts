/** The machine a measurement ran on, recorded with every result. */
import fs from 'node:fs';
import os from 'node:os';
import type { Environment } from './records';

/** Cores this process may use (os.availableParallelism). */
export function cores(): number {
  return os.availableParallelism();
}

/** Describes this machine: cores, CPU model, Node version, platform, and now. */
export function environment(): Environment {
  return {
    cores: cores(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}

/** This process's limit on open files (the soft RLIMIT_NOFILE, `ulimit -n`) where it can be read (Linux), else undefined. */
export function openFileLimit(): number | undefined {
  try {
    const match = /^Max open files\s+(\d+)/m.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** How many files (sockets, pipes...) this process has open now, where that can be counted (Linux), else 0. */
export function openFiles(): number {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}
