/** The machine a measurement ran on, recorded with every result. */
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
