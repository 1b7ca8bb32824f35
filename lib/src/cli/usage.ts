/** The command line's exit codes and its own error: bad input that stops the run before anything starts. */
import { messageOf } from '../core/errors';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130, terminated: 143 } as const;

/** Bad input: unknown flag or experiment, a bad value, a module that cannot be used. One line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What `check` returns; what it throws, as bad input. */
export function asUsage<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
}
