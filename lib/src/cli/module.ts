/**
 * `concurrency-lab ./my-workload.js`: a workload of your own, from a module that exports a
 * function of one input (as its default export, or named `workload`) and optionally
 * `inputs` (a list, or a function returning one). The function is sent to threads and
 * processes as source text, so it must be self-contained: no imports, no outer variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Option } from 'commander';
import { environment } from '../core/environment';
import { messageOf, ParameterError } from '../core/errors';
import { resolveWorkload } from '../core/workload';
import type { WorkloadFn } from '../core/workload';
import type { Experiment } from './experiment';
import { specParser } from './flags';
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

/** The experiment that runs a workload module in every mode. */
export const moduleExperiment: Experiment = {
  name: '<module>',
  summary: `a path to a ${MODULE_EXTENSIONS.join('/')} module exporting a workload function (default or \`workload\`) and optionally \`inputs\``,
  workers: environment().cores,
  workersText: `the number of cores, ${environment().cores} here`,
  addFlags(command) {
    command.addOption(
      new Option('--count <n>', 'tasks to run when the module exports no `inputs`; task i gets the input i')
        .default(DEFAULT_MODULE_COUNT)
        .argParser(
          specParser('--count', {
            default: DEFAULT_MODULE_COUNT,
            integer: true,
            min: 1,
            max: 100_000,
            help: '',
          }),
        ),
    );
  },
  async prepare(flags, target) {
    const loaded = await loadWorkloadModule(target!);
    const inputs = loaded.inputs ?? Array.from({ length: flags.count as number }, (_, i) => i);
    return {
      name: loaded.name,
      title: `${loaded.name}: ${inputs.length} tasks of ${loaded.fn.name || 'the workload'} from ${path.basename(loaded.file)}`,
      workload: loaded.fn,
      inputs,
      params: { module: loaded.file, count: inputs.length, inputsFrom: loaded.inputs ? 'module' : '--count' },
    };
  },
};
