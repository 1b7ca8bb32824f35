/**
 * One clock across machines. Every process that takes part in a queue run (the one that
 * enqueues, every worker, here or elsewhere) measures how far its clock is from the broker's
 * (Redis TIME), the way NTP does: ask several times, keep the answer that came back fastest,
 * and assume the broker read its clock halfway through that round trip. Workers report their
 * times on the broker's clock; the run puts them back on its own.
 */
import type { Redis } from 'ioredis';
import { now } from '../../core/clock';

/**
 * For tests and demonstrations: pretend this process's clock is off by this many ms, as a
 * machine whose clock was never synchronised would be.
 */
export const CLOCK_SKEW_ENV = 'CLAB_CLOCK_SKEW_MS';

/** This process's clock as the queue sees it: the shared clock, plus any simulated skew. */
export function localNow(): number {
  return now() + skewMs();
}

/** The simulated skew of this process's clock (0 unless CLAB_CLOCK_SKEW_MS is set). */
export function skewMs(): number {
  const value = Number(process.env[CLOCK_SKEW_ENV] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** How far this clock is from the broker's: broker time = local time + offsetMs (± rttMs / 2). */
export interface ClockOffset {
  offsetMs: number;
  /** The fastest round trip of the samples: the offset's uncertainty is half of it. */
  rttMs: number;
}

/** Measures the offset of `localNow()` to the broker's clock from `samples` TIME round trips. */
export async function brokerOffset(client: Redis, samples = 7): Promise<ClockOffset> {
  let best: ClockOffset = { offsetMs: 0, rttMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const sent = localNow();
    const [seconds, micros] = await client.time();
    const received = localNow();
    const broker = Number(seconds) * 1000 + Number(micros) / 1000;
    const rttMs = received - sent;
    if (rttMs < best.rttMs) best = { offsetMs: broker - (sent + received) / 2, rttMs };
  }
  return best;
}

/** The broker's clock now, in ms, read once (for a starting point in its event stream). */
export async function brokerNow(client: Redis): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}
