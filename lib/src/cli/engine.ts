/**
 * The engine of a command-line run, in a worker thread of its own: it prepares the
 * experiment, measures it and builds what is printed and saved. The main thread (run.ts)
 * only shows progress, writes files and answers signals, and never runs a workload: a task
 * that never yields, or a blocking pass on the event loop, holds up this thread, not the
 * one that has to answer Ctrl-C. A stop message closes every pool and server here; if this
 * thread is too busy to read it, the main thread terminates it.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { describeValue, InterruptedError, messageOf, ParameterError } from '../core/errors';
import type { Progress } from '../core/measure';
import { closeAll } from '../core/teardown';
import '../workloads';
import type { Outcome, Prepared, SelfMeasured } from './experiment';
import { experimentNamed } from './experiments';
import type { CommonFlags } from './flags';
import { measureExperiment, plannedTasks } from './measure';
import type { ProgressReporter } from './progress';
import { compareOutcome } from './report';
import { UsageError } from './usage';

/** What the engine is asked to run. */
export interface EngineJob {
  experiment: string;
  flags: CommonFlags & Record<string, unknown>;
  target?: string;
}

/** Messages from the main thread. */
export type ToEngine = { type: 'go' } | { type: 'stop'; reason: string };

/** Messages to the main thread, in the order they come. */
export type FromEngine =
  | { type: 'prepared'; name: string; title: string; total: number; unit?: string }
  | { type: 'progress'; phase: string; name?: string; progress: Progress }
  | { type: 'advance'; what: string; count: number }
  | { type: 'done'; outcome: Outcome }
  | { type: 'usage'; message: string }
  | { type: 'failed'; message: string }
  | { type: 'stopped' };

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * A parameter as the user typed it: `urls[1]` of the io experiment is `--urls[1]` when the
 * experiment has a --urls flag; anything else stays as the library named it.
 */
export function asFlag(error: ParameterError, flags: Record<string, unknown>): string {
  const [, head = '', rest = ''] = /^([A-Za-z]+)(.*)$/.exec(error.parameter) ?? [];
  if (!head || !Object.hasOwn(flags, head)) return error.message;
  return new ParameterError(`--${kebab(head)}${rest}`, error.allowed, error.got).message;
}

/** Progress that crosses to the main thread, which draws it. */
function remoteProgress(post: (message: FromEngine) => void): ProgressReporter {
  return {
    listener: (phase, name) => (progress) => post({ type: 'progress', phase, name, progress }),
    advance: (what, count = 1) => post({ type: 'advance', what, count }),
    stop: () => {},
  };
}

/** Runs a job to its end, posting what happens; never throws. */
export async function runJob(job: EngineJob, post: (message: FromEngine) => void, go: Promise<boolean>): Promise<void> {
  const { flags } = job;
  const experiment = experimentNamed(job.experiment);
  if (!experiment) return post({ type: 'failed', message: `no experiment named ${describeValue(job.experiment)}` });
  let prepared: Prepared | SelfMeasured;
  try {
    prepared = await experiment.prepare(flags, job.target);
  } catch (error) {
    if (error instanceof UsageError) return post({ type: 'usage', message: messageOf(error) });
    if (error instanceof ParameterError) return post({ type: 'usage', message: asFlag(error, flags) });
    return post({ type: 'failed', message: messageOf(error) });
  }
  try {
    const self = 'measure' in prepared ? prepared : undefined;
    const plain = 'measure' in prepared ? undefined : prepared;
    post({
      type: 'prepared',
      name: prepared.name,
      title: prepared.title,
      total: self ? self.totalTasks : plannedTasks(plain!, flags),
      unit: self?.unit,
    });
    if (!(await go)) return;
    const progress = remoteProgress(post);
    const outcome = self
      ? await self.measure(progress)
      : await compareOutcome(plain!, await measureExperiment(plain!, flags, progress));
    post({ type: 'done', outcome });
  } catch (error) {
    if (error instanceof InterruptedError) post({ type: 'stopped' });
    else if (error instanceof ParameterError) post({ type: 'usage', message: asFlag(error, flags) });
    else post({ type: 'failed', message: messageOf(error) });
  } finally {
    if ('close' in prepared) await prepared.close?.();
  }
}

const job = (workerData as { engine?: EngineJob } | null)?.engine;
if (!isMainThread && parentPort && job) {
  const port = parentPort;
  const post = (message: FromEngine) => port.postMessage(message);
  let answer: (go: boolean) => void = () => {};
  const go = new Promise<boolean>((resolve) => (answer = resolve));
  port.on('message', (message: ToEngine) => {
    if (message.type === 'go') {
      // From now on the port does not keep the thread alive: when nothing is left to wait
      // for (a task whose promise nothing will settle), the thread ends and the main thread says so.
      port.unref();
      return answer(true);
    }
    answer(false);
    void closeAll(message.reason).finally(() => post({ type: 'stopped' }));
  });
  void runJob(job, post, go).finally(() => port.unref());
}
