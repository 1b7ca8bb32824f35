/**
 * How a pool's workers fail, in one line each (an uncopyable input, a timeout, a death, no memory left),
 * and their output passed on less V8's out-of-memory report, which the failed task's one line replaces.
 */
import { serialize } from 'node:v8';
import { messageOf } from './errors';
import type { ExecutorOptions } from './executor';

/** A task input that cannot be copied to a worker, described; undefined when it can. */
export function uncopyable(input: unknown): string | undefined {
  if (typeof input === 'function' || typeof input === 'symbol') return `a ${typeof input} cannot be copied to a worker`;
  if (typeof input !== 'object' || input === null) return undefined;
  try {
    serialize(input);
    return undefined;
  } catch (error) {
    return `its input cannot be copied to a worker: ${messageOf(error)}`;
  }
}

/** What happened to a task whose workerpool worker failed (timed out, died, ran out of memory), as one line. */
export function explainWorkerError(error: unknown, kind: string, options: ExecutorOptions, oom = false): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `timed out after ${options.timeoutMs} ms; its ${kind} was stopped and replaced`;
  }
  const text = error instanceof Error ? error.message : String(error);
  const field = (name: string) => {
    const value = new RegExp(`${name}: \`([^\`]*)\``).exec(text)?.[1];
    return value && value !== 'undefined' && value !== 'null' ? value : undefined;
  };
  const limit = options.memoryLimitMb ? `the limit is ${options.memoryLimitMb} MB` : "Node's own heap limit";
  const outOfMemory = `its ${kind} ran out of memory (${limit}) and was replaced`;
  if (/terminated unexpectedly/i.test(text)) {
    const code = field('exitCode');
    const signal = field('signalCode');
    if ((options.memoryLimitMb || oom) && (code === '134' || signal === 'SIGABRT')) return outOfMemory;
    const how = code !== undefined ? `exit code ${code}` : signal ? `signal ${signal}` : 'no exit code';
    return `its ${kind} died (${how}) and was replaced`;
  }
  return /memory limit/i.test(text) ? outOfMemory : messageOf(error);
}

/** A line of V8's out-of-memory report. */
const OOM_LINE =
  /^(<--- (Last few GCs|JS stacktrace) --->|FATAL ERROR: |----- Native stack trace -----|\s*\d+: 0x[0-9a-f]+ |\[\d+:0x[0-9a-f]+\]\s+\d+ ms: )/;

/** `text` without the lines of V8's out-of-memory report (and without the blank lines around them). */
function withoutOomReport(text: string): string {
  const lines = text.split('\n');
  const kept = lines.filter((l) => !OOM_LINE.test(l));
  if (kept.length === lines.length) return text;
  return kept.every((l) => l.trim() === '') ? '' : kept.join('\n');
}

/** workerpool's `on` for a task in a worker process started with `emitStdStreams`; true when V8 reported running out of memory. */
export function relayOutput(payload: { stdout?: string; stderr?: string }): boolean {
  if (payload.stdout) process.stdout.write(payload.stdout);
  if (payload.stderr === undefined) return false;
  const err = withoutOomReport(payload.stderr);
  if (err) process.stderr.write(err);
  return err !== payload.stderr;
}
