/** Errors the library throws, each a single line that names what to fix. */
import { inspect } from 'node:util';

/** Longest message of a failed task or a one-line error, in characters. */
const MESSAGE_LIMIT = 500;

/** Longest description of a value, in characters. */
export const DESCRIPTION_LIMIT = 200;

const LINE_BREAKS = /[\r\n\u2028\u2029]+/g;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Text on one line and at most `limit` characters: line breaks become spaces, other control characters go. */
export function oneLine(text: string, limit = MESSAGE_LIMIT): string {
  const line = text.replace(LINE_BREAKS, ' ').replace(CONTROL, '').trim();
  return line.length > limit ? `${line.slice(0, limit - 3)}...` : line;
}

const PREVIEW = { depth: 1, maxArrayLength: 8, maxStringLength: 60, breakLength: Infinity, compact: true } as const;

function preview(value: object, limit: number): string {
  return oneLine(inspect(value, { ...PREVIEW, customInspect: false, getters: false, showProxy: true }), limit);
}

/** Renders any value for a message in one line of at most `limit` characters; never throws, whatever the value. */
export function describeValue(value: unknown, limit = 60): string {
  try {
    switch (typeof value) {
      case 'string':
        return JSON.stringify(value.length > limit ? `${value.slice(0, Math.max(1, limit - 5))}...` : value);
      case 'bigint': {
        // The decimal digits of a huge BigInt take long to compute: count them from its hex form.
        const hex = (value < 0n ? -value : value).toString(16).length;
        return hex <= 16
          ? `${value}n`
          : `a BigInt of about ${Math.round(hex * Math.log10(16)).toLocaleString('en-US')} digits`;
      }
      case 'symbol':
        return oneLine(value.toString(), limit);
      case 'function':
        return oneLine(`a function${value.name ? ` ${String(value.name)}()` : ''}`, limit);
      case 'object':
        if (value === null) return 'null';
        if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
        if (Object.getPrototypeOf(value) === Object.prototype) {
          const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
          if (text !== undefined) return oneLine(text, limit);
        }
        return preview(value, limit);
      default:
        return String(value);
    }
  } catch {
    try {
      return preview(value as object, limit);
    } catch {
      return 'a value that cannot be described';
    }
  }
}

/** A parameter or option that is not allowed: `workers must be an integer >= 1 (got 0)`. */
export class ParameterError extends Error {
  override readonly name = 'ParameterError';
  /** `parameter` as the user wrote it, what is `allowed` as a phrase ("an integer >= 1"), and the value it `got`. */
  constructor(
    readonly parameter: string,
    readonly allowed: string,
    readonly got: unknown,
  ) {
    super(`${parameter} must be ${allowed} (got ${describeValue(got)})`);
  }
}

/** The run was stopped from outside (Ctrl-C, a cell interrupt, an explicit stop). */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor(reason = 'interrupted') {
    super(`run stopped: ${reason}; every worker, process and server was shut down`);
  }
}

/** What a thrown value says, on one line: its message, the string itself, or "threw <its description>". */
export function messageOf(thrown: unknown): string {
  try {
    if (typeof thrown === 'string') return oneLine(thrown) || 'threw an empty string';
    if ((typeof thrown === 'object' && thrown !== null) || typeof thrown === 'function') {
      const message = (thrown as { message?: unknown }).message;
      // Node's module errors append the stack of requiring files: not part of what went wrong.
      if (typeof message === 'string' && message.trim() !== '') return oneLine(message.split('\nRequire stack:')[0]!);
      if (thrown instanceof Error) {
        const name = (thrown as { name?: unknown }).name;
        return `${typeof name === 'string' && name ? oneLine(name, 60) : 'Error'} with no message`;
      }
    }
  } catch {
    // A getter or a Proxy trap threw: describe the value instead.
  }
  return `threw ${describeValue(thrown, DESCRIPTION_LIMIT)}`;
}

/** What `fn` returns, or undefined where it throws (a file not there, a process gone already). */
export function attempt<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

/** A network error in one line, with its code (ECONNREFUSED, ENOTFOUND, ...) when there is one. */
export function describeNetworkError(error: unknown): string {
  try {
    const e = error as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } };
    const cause = e?.cause;
    const line = typeof cause?.message === 'string' && cause.message ? oneLine(cause.message) : messageOf(error);
    const code = typeof cause?.code === 'string' ? cause.code : typeof e?.code === 'string' ? e.code : undefined;
    return code && !line.includes(code) ? `${line} (${code})` : line;
  } catch {
    return messageOf(error);
  }
}
