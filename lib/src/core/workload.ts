/**
 * What a user passes as `workload`: a registered name, a self-contained function, or a
 * workload defined in a module (`defineWorkload`). Pool workers load a module workload by
 * its file, so the core needs to know no workload of any experiment.
 */
import type workerpool from 'workerpool';
import { ParameterError } from './errors';

/** A workload: one task turns one input into one (structured-cloneable) result. */
export type WorkloadFn = (input: any) => unknown;

/** Per-pool setup a workload needs in one mode, e.g. a thread shared by a pool's workers. */
export interface PoolSetup {
  /** Called for each new worker; what it returns is merged into the worker's options. */
  onCreateWorker?: NonNullable<workerpool.WorkerPoolOptions['onCreateWorker']>;
  /** Called when the pool has ended. */
  close(): Promise<void>;
}

/** A workload that lives in a module: callable here, and loadable by path in every worker. */
export interface ModuleWorkload {
  name: string;
  fn: WorkloadFn;
  /** The module's file, as `__filename` of the compiled module that exports `fn`. */
  module: string;
  /** The name `fn` is exported under. */
  export: string;
  /** Setup a pool of this mode needs before its workers start (none by default). */
  pool?: (mode: 'threads' | 'processes') => PoolSetup | undefined;
}

/** A workload as every mode needs it: callable here, and describable to a worker. */
export interface ResolvedWorkload {
  name: string;
  fn: WorkloadFn;
  /** What a worker is sent: `['runModule', file, exportName]` or `['runSource', source]`. */
  remote: ['runModule', string, string] | ['runSource', string];
  pool?: ModuleWorkload['pool'];
}

const registry = new Map<string, ModuleWorkload>();

/** Registers a module workload under its name (so `workload: 'cpu'` finds it) and returns it. */
export function defineWorkload(workload: ModuleWorkload): ModuleWorkload {
  registry.set(workload.name, workload);
  return workload;
}

/** The names `workload` accepts. */
export function workloadNames(): string[] {
  return [...registry.keys()];
}

function allowed(): string {
  return `one of ${workloadNames().join(', ')} or a function`;
}

function fromModule(w: ModuleWorkload): ResolvedWorkload {
  return { name: w.name, fn: w.fn, remote: ['runModule', w.module, w.export], pool: w.pool };
}

function isModuleWorkload(value: unknown): value is ModuleWorkload {
  const w = value as Partial<ModuleWorkload> | null;
  return (
    typeof w === 'object' &&
    w !== null &&
    typeof w.fn === 'function' &&
    typeof w.module === 'string' &&
    typeof w.export === 'string'
  );
}

/** Checks a workload up front and returns it ready for every mode. */
export function resolveWorkload(workload: unknown): ResolvedWorkload {
  if (typeof workload === 'string') {
    const found = registry.get(workload);
    if (!found) throw new ParameterError('workload', allowed(), workload);
    return fromModule(found);
  }
  if (isModuleWorkload(workload)) return fromModule(workload);
  if (typeof workload === 'function') {
    const source = String(workload);
    try {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval -- only parsed here, to check it up front
      new Function(`"use strict"; return (${source});`);
    } catch {
      throw new ParameterError(
        'workload',
        'a self-contained function (an arrow function or a function expression, not a method)',
        workload,
      );
    }
    const name = workload.name || 'custom';
    return { name, fn: workload as WorkloadFn, remote: ['runSource', source] };
  }
  throw new ParameterError('workload', allowed(), workload);
}
