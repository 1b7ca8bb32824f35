/** `concurrency-lab worker --redis redis://host:port`: a queue worker joining a run from this machine. */
import os from 'node:os';
import { Command, Option } from 'commander';
import { connectBroker, parseRedisUrl, redactUrl, REDIS_URL_ENV } from '../concepts/queue/broker';
import { checkQueueName, QUEUE_DEFAULTS } from '../concepts/queue/params';
import type { BrokerEvent } from '../concepts/queue/heartbeat';
import { WATCH_PARENT_ENV } from '../concepts/queue/remote';
import { startQueueWorker, type WorkerEvent } from '../concepts/queue/queue-worker';
import { messageOf } from '../core/errors';
import { watchParent } from '../core/watchdog';
import { intOption } from './flags';
import { onStopSignal } from './signals';
import { asUsage, EXIT, UsageError } from './usage';

type WorkerFlags = { redis?: string; queue: string; name: string; stallMs: number };

const STALL_HELP = "how long a job may go without this worker's heartbeat before another gets it";

/** One line per finished job, as the worker sees it. */
function describeEvent(event: Exclude<WorkerEvent, { type: 'active' }>): string {
  const what = `task ${event.index} of ${event.name} (run ${event.run})`;
  return event.ok
    ? `${what}: done in ${event.ms.toFixed(1)} ms`
    : `${what}: failed after ${event.ms.toFixed(1)} ms: ${event.error}`;
}

/** One line when the broker is lost, answers again, or refuses what this worker says about a job. */
function describeBrokerEvent(event: BrokerEvent): string {
  const at = new Date(event.at).toISOString();
  if (event.type === 'lost') {
    return (
      `lost the broker at ${at}: no answer for ${event.silentMs.toFixed(0)} ms; a job held here goes to ` +
      'another worker once its lock runs out (--stall-ms), and this worker rejoins when the broker answers again'
    );
  }
  if (event.type === 'back')
    return `rejoined at ${at}: the broker answers again after ${(event.awayMs / 1000).toFixed(2)} s`;
  return `the broker refused what this worker said about job ${event.jobId}: it had handed the job on (${event.message})`;
}

/** Runs a worker until Ctrl-C (or SIGTERM); resolves to the exit code. */
async function runWorker(flags: WorkerFlags, out = console.log): Promise<number> {
  // Started by the library as a stand-in for another machine (queue.spawnWorker): end with it.
  if (process.env[WATCH_PARENT_ENV]) watchParent();
  const given = flags.redis ?? process.env[REDIS_URL_ENV];
  if (!given) throw new UsageError(`worker needs --redis redis://host:port (or ${REDIS_URL_ENV}) to find the broker`);
  const [url, queueName] = asUsage(() => [parseRedisUrl('--redis', given), checkQueueName(flags.queue, '--queue')]);
  const broker = await connectBroker(url, '--redis');
  const worker = await startQueueWorker({
    redisUrl: url,
    queueName,
    host: flags.name,
    stallMs: flags.stallMs,
    onEvent: (event) => event.type === 'active' || out(describeEvent(event)),
    onBroker: (event) => out(describeBrokerEvent(event)),
  });
  const ahead = -worker.clock.offsetMs;
  out(
    `worker pid ${worker.pid} on ${worker.host}: joined queue "${queueName}" on Redis ${broker.version} at ${redactUrl(url)}; ` +
      `this clock is ${Math.abs(ahead).toFixed(2)} ms ${ahead >= 0 ? 'ahead of' : 'behind'} the broker's ` +
      `(± ${(worker.clock.rttMs / 2).toFixed(2)} ms), and every time it reports is put on the broker's. ` +
      'Ctrl-C stops it after the current job.',
  );
  // The signals are the worker's from now on (the command line's default exits at once): it finishes its job first.
  let release = () => {};
  const code = await new Promise<number>((resolve) => {
    let stopping = false;
    release = onStopSignal((signal) => {
      const code = signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated;
      if (stopping) {
        // A second signal: stop now, the job in hand too (the broker hands it to another worker).
        out('stopping now');
        void worker.close(true);
        setTimeout(() => process.exit(code), 200);
        return resolve(code);
      }
      stopping = true;
      out('stopping after the current job (Ctrl-C again to stop now)');
      const stopped = (line: string, exit: number) => {
        out(line);
        resolve(exit);
      };
      worker.close(false).then(
        () => stopped('stopped', EXIT.ok),
        (error: unknown) => stopped(`stopped: ${messageOf(error)}`, EXIT.failed),
      );
    });
  });
  release();
  return code;
}

/** The `worker` command; `done` receives its exit code. */
export function workerCommand(done: (code: number) => void): Command {
  return new Command('worker')
    .description('join a queue run from this machine: take its tasks off the broker and run them')
    .summary('join a queue run from another machine: concurrency-lab worker --redis redis://host:port')
    .usage('--redis redis://host:port [--queue name] [--name host]')
    .addOption(new Option('--redis <url>', `the broker (default: $${REDIS_URL_ENV})`))
    .addOption(new Option('--queue <name>', 'the queue of the run to join').default(QUEUE_DEFAULTS.queueName))
    .addOption(new Option('--name <host>', 'what the records call this machine').default(os.hostname()))
    .addOption(intOption('--stall-ms <ms>', STALL_HELP, 200, 600_000).default(QUEUE_DEFAULTS.stallMs))
    .action(async (flags: WorkerFlags) => done(await runWorker(flags)));
}
