/** Errors the library throws, each a single line that names what to fix. */

/** Renders a received value for an error message: short, unambiguous, one line. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (value === null || value === undefined || typeof value !== 'object') return String(value);
  try {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}...` : text;
  } catch {
    return 'an object';
  }
}

/** A parameter or option that is not allowed: `workers must be an integer >= 1 (got 0)`. */
export class ParameterError extends Error {
  override readonly name = 'ParameterError';
  constructor(
    /** The parameter's name as the user wrote it. */
    readonly parameter: string,
    /** What is allowed, as a phrase: "an integer >= 1". */
    readonly allowed: string,
    /** The value that was given. */
    readonly got: unknown,
  ) {
    super(`${parameter} must be ${allowed} (got ${describeValue(got)})`);
  }
}

/** One failed task inside a run: its index and its error message. */
export interface TaskFailure {
  index: number;
  message: string;
}

/** The run was stopped from outside (Ctrl-C, a cell interrupt, an explicit stop). */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(reason = 'interrupted') {
    super(`run stopped: ${reason}; every worker, process and server was shut down`);
  }
}

/** Text of any thrown value, on one line. */
export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? '';
}

/**
 * A network error in one line, with its code (ECONNREFUSED, ENOTFOUND, ...) when there is
 * one; used by both HTTP clients, the `io` workload and the blocking client's helper thread.
 */
export function describeNetworkError(error: unknown): string {
  const e = error as { message?: string; code?: string; cause?: { message?: string; code?: string } };
  const message = e?.cause?.message ?? e?.message ?? String(error);
  const code = e?.cause?.code ?? e?.code;
  const line = message.split('\n')[0] ?? '';
  return code && !line.includes(code) ? `${line} (${code})` : line;
}
