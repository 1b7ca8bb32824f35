/** The parameters of 01-processes: default (which fixes the type), range, and meaning. */
import type { ParamSpec } from '../../core/params';

export const PROCESSES_PARAMS = {
  children: { default: 4, integer: true, min: 1, max: 64, help: 'child processes to start at once' },
  method: { default: 'fork', choices: ['fork', 'spawn'], help: 'how to start them: fork (with IPC) or spawn' },
  startupRepeats: { default: 10, integer: true, min: 1, max: 200, help: 'timed starts of each kind of start-up' },
} satisfies Record<string, ParamSpec>;
