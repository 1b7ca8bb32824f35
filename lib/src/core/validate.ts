/** Up-front checks for options and parameters; each throws a one-line ParameterError. */
import { ParameterError } from './errors';

/** An integer in [min, max]. */
export function integer(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new ParameterError(name, `an integer ${range}`, value);
  }
  return value;
}

/** A finite number in [min, max]. */
export function finite(name: string, value: unknown, min = -Infinity, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const [low, high] = [min !== -Infinity, max !== Infinity];
    const range = low && high ? ` from ${min} to ${max}` : low ? ` >= ${min}` : high ? ` <= ${max}` : '';
    throw new ParameterError(name, `a number${range}`, value);
  }
  return value;
}

/** The longest a timer can wait, in ms (2^31 - 1); setTimeout fires at once past it. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A finite number greater than zero, and at most `max`. */
export function positive(name: string, value: unknown, max = Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ParameterError(name, 'a number > 0', value);
  }
  if (value > max) throw new ParameterError(name, `at most ${max}`, value);
  return value;
}

/** A timeout in ms: a number > 0 that a timer can hold (at most 2^31 - 1). */
export function timeout(name: string, value: unknown): number {
  const ms = positive(name, value);
  if (ms <= MAX_TIMER_MS) return ms;
  throw new ParameterError(name, `at most ${MAX_TIMER_MS} ms, the longest a timer can wait`, value);
}

export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ParameterError(name, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

export function nonEmptyList<T>(name: string, value: unknown): T[] {
  if (!Array.isArray(value) || value.length === 0) throw new ParameterError(name, 'a non-empty list', value);
  return value as T[];
}

/** A non-empty list of distinct values each allowed. */
export function subsetOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T[] {
  const list = nonEmptyList<unknown>(name, value);
  list.forEach((item, i) => oneOf(`${name}[${i}]`, item, allowed));
  if (new Set(list).size !== list.length) throw new ParameterError(name, 'a list without repeats', value);
  return list as T[];
}
