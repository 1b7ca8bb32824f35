/**
 * A partition: the link of a host whose worker holds a job is cut mid-run (`ip link set ...
 * down`, hosts.ts), and everything after is measured: the job handed on by BullMQ's stalled
 * check and counted once, the cut worker saying it lost the broker, and, once the link is
 * back, the worker saying it rejoined. Times are this machine's clock: the hosts share it.
 */
import { now } from '../../core/clock';
import { formatMs } from '../../core/summary';
import type { WorkloadFn } from '../../core/workload';
import type { Cut, Hosts } from './hosts';
import type { QueueModeOptions } from './params';
import { recovery } from './recovery';
import type { SpawnedWorker } from './remote';
import { open } from './run';

/** What a partition needs of the hosts' workers (hosts-workers.ts, which imports this file). */
interface HostWorkers {
  readonly hosts: Hosts;
  readonly workers: readonly SpawnedWorker[];
  readonly modeOptions: QueueModeOptions;
  cutBusyHost(): Promise<Cut | undefined>;
}

/** How long the cut worker is given to say it lost the broker, and to rejoin once the link is back. */
const SAY_LOST_MS = 15_000;
const SAY_REJOINED_MS = 20_000;

/** What a partition showed: the run (the cut host's job as the one lost), when the worker said what, and the story. */
export type Partition = NonNullable<Awaited<ReturnType<typeof partition>>>;

/** When a worker printed a line starting with `prefix` ("lost the broker at <ISO time>: ..."), waiting up to `ms`. */
async function saidAt(output: () => string[], prefix: string, ms: number): Promise<number | undefined> {
  const deadline = now() + ms;
  for (;;) {
    const line = output().find((l) => l.startsWith(prefix));
    if (line) return Date.parse(line.slice(prefix.length).split(': ')[0]!);
    if (now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Runs `inputs` on the hosts' workers and, as soon as a host's worker holds a job, cuts that
 * host's link; then waits for that worker to notice, restores the link and waits for it to
 * rejoin. Undefined when no worker was seen holding a job (tasks too short to catch).
 */
export async function partition(
  run: HostWorkers,
  options: { workload: string | WorkloadFn; inputs: readonly unknown[] },
) {
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
  let batch;
  try {
    batch = await executor.run(options.inputs);
  } finally {
    finished = true;
    await executor.close();
  }
  const cut = await cutting;
  if (!cut) return undefined;
  const worker = run.workers[run.hosts.hosts.indexOf(cut.host)]!;
  const lostAt = await saidAt(() => worker.output(), 'lost the broker at ', SAY_LOST_MS);
  await run.hosts.restore(cut.host);
  const restoredAt = now();
  const rejoinedAt = await saidAt(() => worker.output(), 'rejoined at ', SAY_REJOINED_MS);
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
