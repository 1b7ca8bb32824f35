/** A `workload`: a registered name, a self-contained function, or a module's (`defineWorkload`), loaded by file. */
import type workerpool from 'workerpool';
import { ParameterError } from './errors';

/** A workload: one task turns one input into one (structured-cloneable) result. */
export type WorkloadFn = (input: any) => unknown;

/** Per-pool setup a workload needs in one mode, e.g. a thread shared by a pool's workers. */
export interface PoolSetup {
  /** Called for each new worker (what it returns is merged into the worker's options), and once the pool has ended. */
  onCreateWorker?: NonNullable<workerpool.WorkerPoolOptions['onCreateWorker']>;
  close(): Promise<void>;
}

/** A workload that lives in a module: callable here, and loadable by path in every worker. */
export interface ModuleWorkload {
  name: string;
  fn: WorkloadFn;
  /** The file (`__filename`) of the compiled module that exports `fn`, and the name it is exported under. */
  module: string;
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

export function workloadNames(): string[] {
  return [...registry.keys()];
}

function isModuleWorkload(value: unknown): value is ModuleWorkload {
  const w = value as Partial<ModuleWorkload> | null;
  return (
    typeof w === 'object' && typeof w?.fn === 'function' && typeof w.module === 'string' && typeof w.export === 'string'
  );
}

const SELF_CONTAINED = 'a self-contained function (an arrow function or a function expression, not a method)';

/** Checks a workload up front and returns it ready for every mode. */
export function resolveWorkload(workload: unknown): ResolvedWorkload {
  const w = typeof workload === 'string' ? registry.get(workload) : isModuleWorkload(workload) ? workload : undefined;
  if (w) return { name: w.name, fn: w.fn, remote: ['runModule', w.module, w.export], pool: w.pool };
  if (typeof workload !== 'function') {
    throw new ParameterError('workload', `one of ${workloadNames().join(', ')} or a function`, workload);
  }
  const source = String(workload);
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- only parsed here, to check it up front
    new Function(`"use strict"; return (${source});`);
  } catch {
    throw new ParameterError('workload', SELF_CONTAINED, workload);
  }
  return { name: workload.name || 'custom', fn: workload as WorkloadFn, remote: ['runSource', source] };
}
