/** After the warm-up passes: waiting for the background work they leave behind to die down. */
import os from 'node:os';
import { now } from './clock';

/** Busy and total milliseconds of every processor so far (`os.cpus()`). */
function cpuTimes(): [number, number] {
  const all = os.cpus().map(({ times: t }) => [t.user + t.nice + t.sys + t.irq, t.idle] as const);
  return all.reduce<[number, number]>(([b, n], [busy, idle]) => [b + busy, n + busy + idle], [0, 0]);
}

/**
 * Waits until the processors are at most `quiet` busy over a `windowMs` window, at most `maxMs`: warmed pool
 * workers go on compiling and collecting, and the first timed run would pay for it. Returns the wait in ms.
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
