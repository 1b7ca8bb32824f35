/**
 * A queue's workers on hosts of this machine (hosts.ts): the hosts, our redis-server on their
 * network with a password of the run's own, and on each host the command another machine
 * would run, `concurrency-lab worker --queue NAME` with the broker in REDIS_URL (so the
 * password is in no argv). Each worker names itself by its host's hostname, so every record
 * says where its task ran. Then the queue mode runs with `modeOptions` (no local workers):
 *
 *   const run = await startHostWorkers({ count: 3 });
 *   compare({ workload: 'cpu', inputs, modes: ['queue'], workers: 3, modeOptions: { queue: run.modeOptions } });
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { track } from '../../core/teardown';
import { startBroker } from './broker';
import { HostsUnavailableError, startHosts, type Cut, type Held, type StartHostsOptions } from './hosts';
import { partition, type Partition } from './partition';
import { checkQueueName, QUEUE_DEFAULTS, type QueueModeOptions } from './params';
import type { JobData } from './queue-worker';
import type { Broker } from './redis';
import { spawnWorker, type SpawnedWorker } from './remote';

/** Workers on hosts, and what a run needs to use them. */
export type HostWorkers = Awaited<ReturnType<typeof startHostWorkers>>;

/** Starts `count` hosts, a broker for them, and a worker on each; resolves once every worker has joined. */
export async function startHostWorkers(options: StartHostsOptions & { queueName?: string; stallMs?: number }) {
  const queueName = checkQueueName(options.queueName ?? QUEUE_DEFAULTS.queueName);
  const stallMs = options.stallMs ?? QUEUE_DEFAULTS.stallMs;
  const hosts = await startHosts(options);
  let broker: Broker | undefined;
  let queue: Queue<JobData> | undefined;
  const workers: SpawnedWorker[] = [];
  let closing: Promise<void> | undefined;
  const close = (force = false) =>
    (closing ??= (async () => {
      release();
      await queue?.close().catch(() => {});
      try {
        // The hosts end their processes (a cut-off worker cannot finish its job)...
        await hosts.close(force);
      } finally {
        // ...then each spawned worker sees its process gone, and the broker stops.
        await Promise.all(workers.map((w) => w.stop()));
        await broker?.close(force);
      }
    })());
  const release = track({ close });
  try {
    broker = await startBroker({ bind: hosts.address, password: randomBytes(18).toString('base64url') });
    const on = (host: (typeof hosts.hosts)[number]) => spawnWorker({ broker: broker!, host, queueName, stallMs });
    workers.push(...(await Promise.all(hosts.hosts.map(on))));
  } catch (error) {
    await close(true);
    throw error;
  }
  const theBroker = broker;

  /** The jobs the hosts' workers hold now, as the broker sees it. */
  const holding = async (): Promise<Held[]> => {
    queue ??= new Queue<JobData>(queueName, { connection: theBroker.connection });
    return (await queue.getActive()).flatMap((job) => {
      const host = hosts.hosts.find((h) => job.processedBy?.startsWith(`${h.hostname}:`));
      return host && job.id ? [{ host, jobId: job.id, index: job.data.index }] : [];
    });
  };

  return {
    hosts,
    broker: theBroker,
    /** One per host, in the hosts' order. */
    workers,
    /** The queue mode's options for a run on these workers: `modeOptions: { queue: run.modeOptions }`. */
    modeOptions: { broker: theBroker, queueName, stallMs, localWorkers: false },
    describe: () => `${hosts.describe()}; their broker: ${theBroker.describe()}`,
    holding,
    /** Cuts the link of a host whose worker holds a job now (the first such host); undefined if none does. */
    async cutBusyHost(): Promise<Cut | undefined> {
      // The job can finish between the look and the cut: then the link comes back, and again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const [busy] = await holding();
        if (!busy) return undefined;
        const at = await hosts.cut(busy.host);
        // What the broker holds for the host from now on is what the cut took.
        const held = (await holding()).find((h) => h.host === busy.host);
        if (held) return { ...held, at };
        await hosts.restore(busy.host);
      }
      return undefined;
    },
    /** Stops the workers, the broker and the hosts. Safe to call twice. */
    close,
  };
}

/** Workers on other machines, as `otherMachines` found them. */
export interface OtherMachines {
  /** True when they run on hosts of this machine (network namespaces); false: one local stand-in. */
  readonly onHosts: boolean;
  readonly workers: readonly SpawnedWorker[];
  /** The queue mode's options for a run on them: `modeOptions: { queue: remote.modeOptions }`. */
  readonly modeOptions: QueueModeOptions;
  /** One line: where they run, and why there when not on hosts. */
  describe(): string;
  /** On hosts: a run of `inputs` with one host's link cut mid-job, measured (partition.ts); elsewhere undefined. */
  partition(options: { workload: string; inputs: readonly unknown[] }): Promise<Partition | undefined>;
  close(): Promise<void>;
}

/**
 * Workers that join a queue from "other machines": `hosts` hosts of this machine, each a
 * network namespace with its own hostname and address, with their own broker on the hosts'
 * network; where hosts cannot be made (not root, not Linux), one worker process here standing
 * in for another machine, on `broker`, with its clock set `skewMs` ahead. Each runs the
 * README's worker command unchanged.
 */
export async function otherMachines(options: {
  broker: Broker;
  hosts?: number;
  queueName?: string;
  stallMs?: number;
  skewMs?: number;
}): Promise<OtherMachines> {
  const { broker, stallMs } = options;
  const queueName = checkQueueName(options.queueName ?? QUEUE_DEFAULTS.queueName);
  let why = 'no hosts asked for';
  if (options.hosts) {
    try {
      const run = await startHostWorkers({ count: options.hosts, queueName, stallMs });
      return { ...run, onHosts: true, partition: (o) => partition(run, o), close: () => run.close() };
    } catch (error) {
      if (!(error instanceof HostsUnavailableError)) throw error;
      why = error.message;
    }
  }
  const worker = await spawnWorker({ broker, queueName, skewMs: options.skewMs ?? 0, stallMs });
  return {
    onHosts: false,
    workers: [worker],
    modeOptions: { broker, queueName, localWorkers: false, ...(stallMs ? { stallMs } : {}) },
    describe: () => `one worker process on this machine stands in for another (${why}); it ran: ${worker.command}`,
    partition: async () => undefined,
    close: async () => void (await worker.stop()),
  };
}
