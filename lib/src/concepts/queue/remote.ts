/** A stand-in for another machine: the `concurrency-lab worker` command as a child process, here or on a host (hosts.ts). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';
import { exited, stopChild } from './children';
import { CLOCK_SKEW_ENV } from './clock';
import type { Host } from './hosts';
import { redactUrl, REDIS_URL_ENV, type Broker } from './redis';

/** Set for a worker the library starts as a stand-in for another machine: it ends with its parent. */
export const WATCH_PARENT_ENV = 'CLAB_WATCH_PARENT';

const CLI = path.join(__dirname, '..', '..', '..', 'bin', 'concurrency-lab.js');

export type SpawnedWorker = Awaited<ReturnType<typeof spawnWorker>>;

/**
 * Starts `concurrency-lab worker --queue <name>`, the command a second machine would run, on `host`
 * if given (named by its hostname, else 'another-machine'); resolves once it has joined. Tracked like
 * a pool: an interrupt or the kernel's end stops it. `skewMs` sets its clock off; `stallMs` is its --stall-ms.
 * The broker's URL goes in REDIS_URL, read when --redis is not given: a password in argv is readable by every user.
 */
export async function spawnWorker(options: {
  broker: Broker;
  /** Checked by the caller. */
  queueName: string;
  skewMs?: number;
  host?: Host;
  stallMs?: number;
}) {
  const { queueName } = options;
  const skewMs = check.finite('skewMs', options.skewMs ?? 0, -86_400_000, 86_400_000);
  const stall = options.stallMs === undefined ? [] : ['--stall-ms', String(options.stallMs)];
  const args = ['worker', '--queue', queueName, ...(options.host ? [] : ['--name', 'another-machine']), ...stall];
  const env = {
    ...process.env,
    [REDIS_URL_ENV]: options.broker.url,
    [WATCH_PARENT_ENV]: '1',
    [CLOCK_SKEW_ENV]: String(skewMs),
  };
  const child = options.host
    ? options.host.spawn(process.execPath, [CLI, ...args], { env })
    : spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let joined: (ok: boolean) => void = () => {};
  const read = (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter(Boolean));
    if (parts.some((l) => l.includes('joined'))) joined(true);
  };
  child.stdout.setEncoding('utf8').on('data', read);
  child.stderr.setEncoding('utf8').on('data', read);
  const close = (force: boolean) => stopChild(child, () => child.kill(force ? 'SIGKILL' : 'SIGINT'), 5000);
  const release = track({ close });
  void exited(child).then(() => joined(false));
  if (!(await new Promise<boolean>((resolve) => (joined = resolve)))) {
    release();
    throw new Error(`the worker did not join: ${lines[lines.length - 1] ?? 'it exited without a word'}`);
  }
  return {
    /** The command another machine would run (the password hidden). */
    command: ['npx concurrency-lab worker --redis', redactUrl(options.broker.url), ...args.slice(1)].join(' '),
    pid: child.pid!,
    /** What it printed so far, line by line. */
    output: () => [...lines],
    /** Ctrl-C (it finishes its job and leaves); resolves to everything it printed. */
    async stop() {
      await close(false);
      release();
      if (partial) lines.push(partial);
      return [...lines];
    },
  };
}
