/**
 * Notebook parameters: defaults from the parameters cell, overridable by CLAB_PARAMS (JSON such as
 * `{"05-cpu-bound": {"count": 20}}`, "*" for every notebook) or a CLAB_PARAMS_FILE of that shape.
 */
import fs from 'node:fs';
import { ParameterError } from './errors';
import * as check from './validate';

/** One parameter: its default (which fixes its type), its allowed range, and what it means. */
export interface ParamSpec<T = number | string | boolean | number[]> {
  default: T;
  help: string;
  /** For numbers: whole numbers only. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** For strings: the allowed values. */
  choices?: readonly string[];
  /** A further check only its notebook knows (a dish on the menu), after type and range: throws a ParameterError. */
  check?: (name: string, value: T) => void;
}

/** Largest parameters file read (CLAB_PARAMS_FILE, `npm start -- --params`), in bytes. */
export const PARAMS_FILE_LIMIT = 1024 * 1024;

/** The spec of parameter `key`, an own key of `specs` only (never `constructor` or `__proto__`). */
export function specOf<S extends Record<string, ParamSpec>>(specs: S, key: string): ParamSpec | undefined {
  return Object.hasOwn(specs, key) ? specs[key] : undefined;
}

/** Reads a parameters file given as `name`: a regular file (never a pipe or a device) of at most PARAMS_FILE_LIMIT bytes. */
export function readParamsFile(name: string, file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    throw new ParameterError(name, 'a readable JSON file', file);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new ParameterError(name, 'a JSON file (not a folder, a pipe or a device)', file);
    const limit = `a JSON file of at most ${PARAMS_FILE_LIMIT / 1024 / 1024} MB`;
    if (stat.size > PARAMS_FILE_LIMIT) throw new ParameterError(name, limit, file);
    const buffer = Buffer.alloc(PARAMS_FILE_LIMIT + 1);
    const read = fs.readSync(fd, buffer, 0, buffer.length, 0);
    if (read > PARAMS_FILE_LIMIT) throw new ParameterError(name, limit, file);
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** Own entries of a parsed JSON object, in a fresh object without a prototype to inherit from. */
function ownEntries(value: object): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, Object.fromEntries(Object.entries(value)));
}

function isObject(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Throws when `given` has a key that is not `known`. */
function checkNames(what: string, given: object, known: string[]): void {
  const unknown = Object.keys(given).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new ParameterError(what, `one of ${known.join(', ')}`, unknown);
}

export type ParamValues<S extends Record<string, ParamSpec>> = { [K in keyof S]: S[K]['default'] };

const PARAMS_ENV = 'CLAB_PARAMS';
const PARAMS_FILE_ENV = 'CLAB_PARAMS_FILE';

/** The overrides for `notebook` from CLAB_PARAMS_FILE, then CLAB_PARAMS, checked: an unknown name is an error. */
export function readOverrides(notebook: string, specs: Record<string, ParamSpec>): Record<string, unknown> {
  const known = Object.keys(specs);
  const layers: Record<string, unknown>[] = [];
  const file = process.env[PARAMS_FILE_ENV];
  const sources: [string, string | undefined][] = [
    [file ? `${PARAMS_FILE_ENV} (${file})` : PARAMS_FILE_ENV, file ? readParamsFile(PARAMS_FILE_ENV, file) : undefined],
    [PARAMS_ENV, process.env[PARAMS_ENV]],
  ];
  for (const [name, text] of sources) {
    if (!text) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ParameterError(name, 'JSON like {"05-cpu-bound": {"count": 20}}', text);
    }
    if (!isObject(parsed)) throw new ParameterError(name, 'a JSON object keyed by notebook name', parsed);
    const own = ownEntries(parsed);
    const all = own['*']; // what every notebook that has the parameter takes
    if (all && typeof all === 'object')
      layers.push(Object.fromEntries(Object.entries(all).filter(([k]) => known.includes(k))));
    const mine = own[notebook];
    if (mine !== undefined) {
      if (!isObject(mine)) throw new ParameterError(`${name}["${notebook}"]`, 'an object of parameter values', mine);
      checkNames(`${name}: parameter name of ${notebook}`, mine, known);
      layers.push(ownEntries(mine));
    }
  }
  const values = Object.assign(Object.create(null) as Record<string, unknown>, ...layers);
  for (const key of Object.keys(values)) values[key] = coerceParam(key, specs[key]!, values[key]);
  return values;
}

/** Converts and checks one value against its spec, wherever it comes from; throws a ParameterError naming `name`. */
export function coerceParam(name: string, spec: ParamSpec, value: unknown): ParamSpec['default'] {
  const result = coerceType(name, spec, value);
  spec.check?.(name, result);
  return result;
}

function coerceType(name: string, spec: ParamSpec, value: unknown): ParamSpec['default'] {
  const d = spec.default;
  const number = (label: string, v: unknown) => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    try {
      return spec.integer
        ? check.integer(label, n, spec.min ?? -Number.MAX_SAFE_INTEGER, spec.max)
        : check.finite(label, n, spec.min, spec.max);
    } catch (error) {
      // Name what the user wrote ("two"), not what it converted to (NaN).
      throw new ParameterError(label, (error as ParameterError).allowed, Number.isNaN(n) ? v : n);
    }
  };
  if (typeof d === 'number') return number(name, value);
  if (typeof d === 'boolean') {
    if (value === 'true' || value === true) return true;
    if (value === 'false' || value === false) return false;
    throw new ParameterError(name, 'true or false', value);
  }
  if (Array.isArray(d)) {
    const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value;
    return check.nonEmptyList<unknown>(name, list).map((v, i) => number(`${name}[${i}]`, v));
  }
  if (typeof value !== 'string') throw new ParameterError(name, 'a string', value);
  if (spec.choices) return check.oneOf(name, value, spec.choices);
  return value;
}

/** A spec, not values: every entry is an object with a `default` (a value never is). */
export function isSpec(value: unknown): value is Record<string, ParamSpec> {
  const entries = value !== null && typeof value === 'object' ? Object.values(value) : [];
  return entries.length > 0 && entries.every((v) => isObject(v) && 'default' in v);
}

let lastNotebook: string | undefined;

/** The notebook whose parameters were read last in this process (a notebook's parameters cell names it). */
export function currentNotebook(): string | undefined {
  return lastNotebook;
}

/** Values for `spec`: its defaults, then `inCell`, then CLAB_PARAMS_FILE, then CLAB_PARAMS, each checked. */
export function resolveParameters(
  notebook: string,
  spec: Record<string, ParamSpec>,
  inCell: Record<string, unknown> = {},
): Record<string, unknown> {
  const names = Object.keys(spec);
  lastNotebook = notebook;
  checkNames(`parameter name of ${notebook}`, inCell, names);
  const overrides = Object.assign(ownEntries(inCell), readOverrides(notebook, spec));
  const values: Record<string, unknown> = {};
  for (const name of names) {
    const s = spec[name]!;
    coerceParam(name, s, s.default); // a wrong default is a bug in the notebook: say so
    values[name] = Object.hasOwn(overrides, name) ? coerceParam(name, s, overrides[name]) : s.default;
  }
  return values;
}

/** The parameters as a text table: name, value, and (given its spec) what each means. */
export function describeValues(values: Record<string, unknown>, specs?: Record<string, ParamSpec>): string {
  const width = Math.max(...Object.keys(values).map((k) => k.length));
  const lines = Object.entries(values).map(([k, v]) => {
    const help = specs?.[k]?.help;
    return `${k.padEnd(width)} = ${JSON.stringify(v)}${help ? `   (${help})` : ''}`;
  });
  return lines.join('\n');
}
