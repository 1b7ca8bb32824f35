/** After the warm-up passes: waiting for the background work they leave behind to die down. */
import os from 'node:os';
import { now } from './clock';

/** Busy and total milliseconds of every processor so far (`os.cpus()`). */
function cpuTimes(): [number, number] {
  const all = os.cpus().map(({ times: t }) => [t.user + t.nice + t.sys + t.irq, t.idle] as const);
  return all.reduce<[number, number]>(([b, n], [busy, idle]) => [b + busy, n + busy + idle], [0, 0]);
}

/**
 * Waits until the processors are at most `quiet` busy over a `windowMs` window, for at most `maxMs`. Pool
 * workers that have just warmed up go on compiling and collecting garbage: after 04's warm-up of a pool of
 * 10 processes, both cores of a 2-core machine stayed busy for 0.8 s, and the next row's first timed run
 * took 3x its later runs. Returns how long it waited, in ms.
 */
export async function settle(maxMs = 2000, windowMs = 100, quiet = 0.3): Promise<number> {
  const start = now();
  for (let [busy, total] = cpuTimes(); now() - start < maxMs;) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const [b, t] = cpuTimes();
    if (t > total && (b - busy) / (t - total) <= quiet) break;
    [busy, total] = [b, t];
  }
  return now() - start;
}
