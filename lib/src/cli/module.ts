/**
 * `concurrency-lab ./my-workload.js`: a module exporting a function of one input (default or `workload`) and
 * optionally `inputs`. The function goes to threads and processes as source text: no imports, no outer variables.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CPU_PARAMS } from '../concepts/cpu/params';
import { report } from '../concepts/cpu/experiment';
import type { CpuMeasured } from '../concepts/cpu/summary';
import { environment } from '../core/environment';
import { messageOf, ParameterError } from '../core/errors';
import { compare, sweep } from '../core/measure';
import type { Mode } from '../core/records';
import type { Experiment } from '../core/report';
import { resolveWorkload, type WorkloadFn } from '../core/workload';
import { UsageError } from './usage';

const EXTENSIONS = ['.js', '.cjs', '.mjs'];

/** True when a command-line word names a file rather than an experiment. */
export function looksLikePath(word: string): boolean {
  return /[\\/]/.test(word) || /\.[cm]?[jt]s$/.test(word) || fs.existsSync(word);
}

/** The module's file name as a name for its results. */
export const nameOf = (file: string) => path.basename(file, path.extname(file)).replace(/[^\w.-]+/g, '_') || 'module';

/** A real import() (module node16 keeps it in the CommonJS build), so .mjs files load too. */
const importModule = (url: string) => import(url) as Promise<Record<string, unknown>>;

/** Loads a workload module: its function and, if it has them, its inputs; every way it can be unusable is a UsageError naming the file. */
export async function loadWorkloadModule(
  target: string,
): Promise<{ file: string; fn: WorkloadFn; inputs?: unknown[] }> {
  const file = path.resolve(target);
  const bad = (why: string) => new UsageError(`module ${target} ${why}`);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile())
    throw bad(`does not exist: give the path of a ${EXTENSIONS.join(', ')} file`);
  const ext = path.extname(file);
  if (!EXTENSIONS.includes(ext))
    throw bad(`must be a ${EXTENSIONS.join(', ')} file (got ${ext || 'no extension'}); compile TypeScript first`);
  const mod = await importModule(pathToFileURL(file).href).catch((error: unknown) => {
    throw bad(`could not be loaded: ${messageOf(error)}`);
  });
  // The function and inputs as exported, or inside a default export (CommonJS seen from import()).
  const inner = mod.default as Record<string, unknown> | undefined;
  const nested = inner !== null && typeof inner === 'object' ? inner : undefined;
  const fn = [mod.default, mod.workload, nested?.default, nested?.workload].find((v) => typeof v === 'function');
  if (!fn) throw bad('exports no workload function: export a function of one input as default or as `workload`');
  try {
    resolveWorkload(fn);
  } catch (error) {
    throw new UsageError(
      `module ${target}: its workload must be ${error instanceof ParameterError ? error.allowed : messageOf(error)}`,
    );
  }
  let inputs =
    mod.inputs ?? nested?.inputs ?? (typeof inner === 'function' ? (inner as { inputs?: unknown }).inputs : undefined);
  if (inputs === undefined) return { file, fn: fn as WorkloadFn };
  try {
    if (typeof inputs === 'function') inputs = await (inputs as () => unknown)();
  } catch (error) {
    throw new UsageError(`module ${target}: its inputs() failed: ${messageOf(error)}`);
  }
  if (!Array.isArray(inputs) || inputs.length === 0)
    throw new UsageError(`module ${target}: its \`inputs\` must be a non-empty list (or a function returning one)`);
  return { file, fn: fn as WorkloadFn, inputs };
}

/** The experiment that runs a workload module in every mode (the module's path comes as `module`). */
export const moduleExperiment: Experiment<CpuMeasured> = {
  name: '<module>',
  notebook: '',
  summary: `a path to a ${EXTENSIONS.join('/')} module exporting a workload function (default or \`workload\`) and optionally \`inputs\``,
  params: {
    count: {
      default: 10,
      integer: true,
      min: 1,
      max: 1_000_000,
      help: 'tasks to run when the module exports no `inputs`; task i gets the input i',
    },
    workers: { ...CPU_PARAMS.workers, default: environment().cores },
    repeats: { default: 3, integer: true, min: 0, max: 1000, help: 'timed runs per row (0 = adapt, as with -m/-M)' },
  },
  compares: true,
  async measure(v, o) {
    const loaded = await loadWorkloadModule(v.module as string);
    const inputs = loaded.inputs ?? Array.from({ length: v.count as number }, (_, i) => i);
    const { workers, repeats } = v;
    const inputsFrom = loaded.inputs ? 'module' : '--count';
    const params = { module: loaded.file, count: inputs.length, inputsFrom, workers, repeats };
    const runs = repeats ? { repeats: repeats as number } : { minRuns: o.minRuns, maxRuns: o.maxRuns };
    const { timeoutMs, warmup, onProgress } = o;
    const common = { workload: loaded.fn, inputs, timeoutMs, warmup, onProgress, params, ...runs };
    const modes = o.modes as Mode[] | undefined;
    const result = await compare({ ...common, workers: workers as number, ...(modes && { modes }) });
    if (!o.sweep) return { result };
    return { result, scaling: await sweep({ ...common, mode: o.sweep.mode as Mode, workers: o.sweep.workers }) };
  },
  report: (m) => ({ ...report(m), name: nameOf(String(m.result.params.module)) }),
};
