/**
 * `concurrency-lab ./my-workload.js`: a workload of your own, from a module that exports a
 * function of one input (as its default export, or named `workload`) and optionally
 * `inputs` (a list, or a function returning one). The function is sent to threads and
 * processes as source text, so it must be self-contained: no imports, no outer variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { report } from '../concepts/cpu/report';
import type { CpuMeasured } from '../concepts/cpu/summary';
import { environment } from '../core/environment';
import { messageOf, ParameterError } from '../core/errors';
import { compare, sweep } from '../core/measure';
import type { ParamSpec } from '../core/params';
import type { Mode } from '../core/records';
import type { Experiment } from '../core/report';
import { resolveWorkload } from '../core/workload';
import type { WorkloadFn } from '../core/workload';
import { UsageError } from './usage';

/** Files the module experiment can load. */
export const MODULE_EXTENSIONS = ['.js', '.cjs', '.mjs'];

/** Tasks to run when the module exports no `inputs`. */
export const DEFAULT_MODULE_COUNT = 10;

/** True when a command-line word names a file rather than an experiment. */
export function looksLikePath(word: string): boolean {
  return /[\\/]/.test(word) || /\.[cm]?[jt]s$/.test(word) || fs.existsSync(word);
}

/** A real import() (module node16 keeps it in the CommonJS build), so .mjs files load too. */
const importModule = (url: string) => import(url) as Promise<Record<string, unknown>>;

function pick(mod: Record<string, unknown>, key: 'workload' | 'inputs'): unknown {
  const inner = mod.default as Record<string, unknown> | undefined;
  const nested = inner !== null && typeof inner === 'object' ? inner : undefined;
  if (key === 'workload') {
    for (const v of [mod.default, mod.workload, nested?.default, nested?.workload]) {
      if (typeof v === 'function') return v;
    }
    return undefined;
  }
  return mod.inputs ?? nested?.inputs ?? (typeof inner === 'function' ? (inner as any).inputs : undefined);
}

/** A workload module, loaded and checked: its function and, if it has them, its inputs. */
export interface LoadedModule {
  name: string;
  file: string;
  fn: WorkloadFn;
  inputs?: unknown[];
}

/** Loads a workload module; every way it can be unusable is a UsageError naming the file. */
export async function loadWorkloadModule(target: string): Promise<LoadedModule> {
  const file = path.resolve(target);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new UsageError(`module ${target} does not exist: give the path of a ${MODULE_EXTENSIONS.join(', ')} file`);
  }
  const ext = path.extname(file);
  if (!MODULE_EXTENSIONS.includes(ext)) {
    throw new UsageError(
      `module ${target} must be a ${MODULE_EXTENSIONS.join(', ')} file (got ${ext || 'no extension'}); compile TypeScript first`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(pathToFileURL(file).href);
  } catch (error) {
    throw new UsageError(`module ${target} could not be loaded: ${messageOf(error)}`);
  }
  const fn = pick(mod, 'workload') as WorkloadFn | undefined;
  if (!fn) {
    throw new UsageError(
      `module ${target} exports no workload function: export a function of one input as default or as \`workload\``,
    );
  }
  try {
    resolveWorkload(fn);
  } catch (error) {
    const allowed = error instanceof ParameterError ? error.allowed : messageOf(error);
    throw new UsageError(`module ${target}: its workload must be ${allowed}`);
  }
  let inputs = pick(mod, 'inputs');
  if (inputs !== undefined) {
    try {
      if (typeof inputs === 'function') inputs = await inputs();
    } catch (error) {
      throw new UsageError(`module ${target}: its inputs() failed: ${messageOf(error)}`);
    }
    if (!Array.isArray(inputs) || inputs.length === 0) {
      throw new UsageError(`module ${target}: its \`inputs\` must be a non-empty list (or a function returning one)`);
    }
  }
  const name = path.basename(file, ext).replace(/[^\w.-]+/g, '_') || 'module';
  return { name, file, fn, inputs: inputs as unknown[] | undefined };
}

/** The parameters of a workload module's experiment. */
const MODULE_PARAMS = {
  count: {
    default: DEFAULT_MODULE_COUNT,
    integer: true,
    min: 1,
    max: 1_000_000,
    help: 'tasks to run when the module exports no `inputs`; task i gets the input i',
  },
  workers: {
    default: environment().cores,
    integer: true,
    min: 1,
    max: 256,
    help: 'pool size of the thread and process pools',
  },
  repeats: { default: 3, integer: true, min: 0, max: 1000, help: 'timed runs per row (0 = adapt, as with -m/-M)' },
} satisfies Record<string, ParamSpec>;

/** The experiment that runs a workload module in every mode (the module's path comes as `module`). */
export const moduleExperiment: Experiment<CpuMeasured> = {
  name: '<module>',
  notebook: '',
  summary: `a path to a ${MODULE_EXTENSIONS.join('/')} module exporting a workload function (default or \`workload\`) and optionally \`inputs\``,
  params: MODULE_PARAMS,
  compares: true,
  async measure(v, o) {
    const loaded = await loadWorkloadModule(v.module as string);
    const inputs = loaded.inputs ?? Array.from({ length: v.count as number }, (_, i) => i);
    const params = {
      module: loaded.file,
      count: inputs.length,
      inputsFrom: loaded.inputs ? 'module' : '--count',
      workers: v.workers,
      repeats: v.repeats,
    };
    const runs = v.repeats ? { repeats: v.repeats as number } : { minRuns: o.minRuns, maxRuns: o.maxRuns };
    const common = {
      workload: loaded.fn,
      inputs,
      timeoutMs: o.timeoutMs,
      warmup: o.warmup,
      onProgress: o.onProgress,
      params,
      ...runs,
    };
    const result = await compare({
      ...common,
      workers: v.workers as number,
      ...(o.modes ? { modes: o.modes as Mode[] } : {}),
    });
    if (!o.sweep) return { result };
    return { result, scaling: await sweep({ ...common, mode: o.sweep.mode as Mode, workers: o.sweep.workers }) };
  },
  report: (m) => ({
    ...report(m),
    name:
      path
        .basename(String(m.result.params.module), path.extname(String(m.result.params.module)))
        .replace(/[^\w.-]+/g, '_') || 'module',
  }),
};
