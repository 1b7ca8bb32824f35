/**
 * A queue's workers on hosts of this machine (hosts.ts): our redis-server on their network,
 * with a password of the run's own, and on each host the command another machine would run
 * (remote.ts), named by its host's hostname so that every record says where its task ran.
 */
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { now } from '../../core/clock';
import { formatMs } from '../../core/summary';
import { track } from '../../core/teardown';
import { startBroker } from './broker';
import { HostsUnavailableError, startHosts, type Cut, type Held, type StartHostsOptions } from './hosts';
import { checkQueueName, QUEUE_DEFAULTS, type QueueModeOptions } from './params';
import type { JobData } from './queue-worker';
import { recovery } from './recovery';
import type { Broker } from './redis';
import { spawnWorker, type SpawnedWorker } from './remote';
import { open } from './run';

export type HostWorkers = Awaited<ReturnType<typeof startHostWorkers>>;

/** Starts `count` hosts, a broker for them, and a worker on each (`queueName` checked); resolves once all have joined. */
export async function startHostWorkers(options: StartHostsOptions & { queueName: string; stallMs?: number }) {
  const { queueName } = options;
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

/** How long the cut worker is given to say it lost the broker, and to rejoin once the link is back. */
const [SAY_LOST_MS, SAY_REJOINED_MS] = [15_000, 20_000];

/** When a worker printed a line starting with `prefix` ("lost the broker at <ISO time>: ..."), waiting up to `ms`. */
async function saidAt(worker: SpawnedWorker, prefix: string, ms: number): Promise<number | undefined> {
  const deadline = now() + ms;
  for (;;) {
    const line = worker.output().find((l) => l.startsWith(prefix));
    if (line) return Date.parse(line.slice(prefix.length).split(': ')[0]!);
    if (now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What a partition showed: the run (the cut host's job as the one lost), when the worker said what, and the story. */
export type Partition = NonNullable<Awaited<ReturnType<typeof partition>>>;

/**
 * A partition: runs `inputs` on the hosts' workers and, as soon as a host's worker holds a job, cuts that
 * host's link (`ip link set ... down`); then waits for that worker to say it lost the broker, restores the
 * link and waits for it to say it rejoined. The recovery shows the job handed on by BullMQ's stalled check
 * and counted once. Times are this machine's clock (the hosts share it). Undefined when no worker was seen
 * holding a job (tasks too short to catch).
 */
export async function partition(run: HostWorkers, options: { workload: string; inputs: readonly unknown[] }) {
  const executor = await open({ workload: options.workload, workers: run.workers.length, ...run.modeOptions });
  let finished = false;
  const cutting = (async () => {
    while (!finished) {
      const cut = await run.cutBusyHost();
      if (cut) return cut;
      await new Promise((r) => setTimeout(r, 20));
    }
    return undefined;
  })();
  const batch = await executor.run(options.inputs).finally(() => {
    finished = true;
    return executor.close();
  });
  const cut = await cutting;
  if (!cut) return undefined;
  const worker = run.workers[run.hosts.hosts.indexOf(cut.host)]!;
  const lostAt = await saidAt(worker, 'lost the broker at ', SAY_LOST_MS);
  await run.hosts.restore(cut.host);
  const restoredAt = now();
  const rejoinedAt = await saidAt(worker, 'rejoined at ', SAY_REJOINED_MS);
  const host = cut.host.hostname;
  const rec = recovery(executor, batch, { ...cut, pid: worker.pid, host, how: 'cut' });
  /** What happened, in sentences read from the numbers. */
  const story = () => {
    const t = (ms: number) => formatMs(ms - rec.run.start);
    const again = rec.run.tasks.at(cut.index);
    return [
      `${host}'s link went down at ${t(cut.at)}, while its worker held task ${cut.index}.`,
      lostAt === undefined
        ? `Its worker did not say it had lost the broker within ${SAY_LOST_MS / 1000} s.`
        : `Its worker said it had lost the broker ${formatMs(lostAt - cut.at)} after the cut.`,
      rec.restart === undefined
        ? `Task ${cut.index} was not seen starting again.`
        : `Task ${cut.index} started again ${formatMs(rec.delayMs!)} after the cut, on ${again.host ?? 'this machine'}, ` +
          `and ${again.ok ? 'finished' : 'failed'} there.`,
      `${rec.completed} of ${rec.tasks} tasks completed; every task counted once: ${rec.countedOnce ? 'yes' : 'no'}.`,
      rejoinedAt === undefined
        ? `The link came back at ${t(restoredAt)}; the worker did not say it had rejoined within ${SAY_REJOINED_MS / 1000} s.`
        : `The link came back at ${t(restoredAt)}, and the worker rejoined ${formatMs(Math.max(0, rejoinedAt - restoredAt))} later.`,
    ];
  };
  return { recovery: rec, lostAt, restoredAt, rejoinedAt, story };
}

/** Workers on other machines (`otherMachines`); `partition` cuts one host off mid-run and measures what follows. */
export interface OtherMachines {
  readonly onHosts: boolean;
  readonly workers: readonly SpawnedWorker[];
  readonly modeOptions: QueueModeOptions;
  describe(): string;
  partition(options: { workload: string; inputs: readonly unknown[] }): Promise<Partition | undefined>;
  close(): Promise<void>;
}

/**
 * Workers that join a queue from "other machines" (`onHosts`): `hosts` hosts of this machine with their own
 * broker; where hosts cannot be made (not root, not Linux), one worker process here standing in for another
 * machine, on `broker`, its clock `skewMs` ahead. Each runs the README's worker command; `describe()` says
 * where, and why there; `modeOptions` runs the queue on them.
 */
export async function otherMachines(
  options: Pick<QueueModeOptions, 'queueName' | 'stallMs'> & { broker: Broker; hosts?: number; skewMs?: number },
): Promise<OtherMachines> {
  const { broker, stallMs } = options;
  const queueName = checkQueueName(options.queueName ?? QUEUE_DEFAULTS.queueName);
  let why = 'no hosts asked for';
  if (options.hosts) {
    try {
      const run = await startHostWorkers({ count: options.hosts, queueName, stallMs });
      return { ...run, onHosts: true, partition: (o) => partition(run, o) };
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
