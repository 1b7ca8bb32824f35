/**
 * One clock across machines: every process of a queue run measures how far its clock is from the broker's
 * (Redis TIME) the way NTP does: the fastest of several round trips, the broker assumed to read its clock
 * halfway. Workers report times on the broker's clock; the run puts them back on its own.
 */
import type { Redis } from 'ioredis';
import { now } from '../../core/clock';

/** Pretend this process's clock is off by this many ms, as an unsynchronised machine's would be (tests, demonstrations). */
export const CLOCK_SKEW_ENV = 'CLAB_CLOCK_SKEW_MS';

export function skewMs(): number {
  const value = Number(process.env[CLOCK_SKEW_ENV] ?? 0);
  return Number.isFinite(value) ? value : 0;
}

/** This process's clock as the queue sees it: the shared clock, plus any simulated skew. */
export const localNow = () => now() + skewMs();

/** How far this clock is from the broker's: broker time = local time + offsetMs (± rttMs / 2, the fastest round trip). */
export type ClockOffset = { offsetMs: number; rttMs: number };

export async function brokerNow(client: Redis): Promise<number> {
  const [seconds, micros] = await client.time();
  return Number(seconds) * 1000 + Number(micros) / 1000;
}

/** Measures the offset of `localNow()` to the broker's clock from 7 TIME round trips. */
export async function brokerOffset(client: Redis): Promise<ClockOffset> {
  let best: ClockOffset = { offsetMs: 0, rttMs: Infinity };
  for (let i = 0; i < 7; i++) {
    const sent = localNow();
    const broker = await brokerNow(client);
    const received = localNow();
    if (received - sent < best.rttMs) best = { offsetMs: broker - (sent + received) / 2, rttMs: received - sent };
  }
  return best;
}
