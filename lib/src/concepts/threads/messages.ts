/**
 * Getting data to a worker thread three ways, timed against the data's size:
 * - clone: postMessage copies it (structured clone): the cost grows with the size;
 * - transfer: postMessage moves the buffer (the sender's copy becomes empty): no copy;
 * - shared: a SharedArrayBuffer is the same memory on both sides: nothing is copied.
 * Each timing is a round trip: send, the worker reads one byte per 4 KB page, a tiny answer.
 */
import { here, now } from '../../core/clock';
import { compare, runsOf, type Comparison } from '../../core/measure';
import type { Peer } from '../../core/peers';
import { Tasks, type Environment } from '../../core/records';
import { summarize, type Summary } from '../../core/stats';
import * as check from '../../core/validate';
import { withTeam, type Team } from './team';

/** The ways to hand data to a thread. */
export const SEND_METHODS = ['clone', 'transfer', 'shared'] as const;

/** One way to hand data to a thread. */
export type SendMethod = (typeof SEND_METHODS)[number];

/** One timed round trip. */
export interface MessageSample {
  method: SendMethod;
  bytes: number;
  repeat: number;
  ms: number;
}

/** Every round trip, and the summary per method and size. */
export interface MessageCosts {
  sizes: number[];
  repeats: number;
  samples: MessageSample[];
  summary: { method: SendMethod; bytes: number; ms: Summary }[];
  /** The comparison the samples were read from: a row (a peer) per method and size. */
  comparison: Comparison;
  env: Environment;
}

/** Options of `messageCosts`. */
export interface MessageCostOptions {
  /** Message sizes in bytes (default 1 KB to 16 MB). */
  sizes?: readonly number[];
  /** Timed round trips per method and size (default 5). */
  repeats?: number;
}

/** Default message sizes: 1 KB, 16 KB, 256 KB, 4 MB, 16 MB. */
export const DEFAULT_SIZES = [1 << 10, 1 << 14, 1 << 18, 1 << 22, 1 << 24] as const;

function filled(buffer: ArrayBuffer | SharedArrayBuffer): Uint8Array {
  const bytes = new Uint8Array(buffer);
  bytes.fill(1);
  return bytes;
}

/** The peer that times one way of handing `bytes` to the team's thread: a round trip per run. */
function roundTripPeer(team: Team, method: SendMethod, bytes: number): Peer {
  const reused = filled(new ArrayBuffer(bytes));
  const shared = filled(new SharedArrayBuffer(bytes));
  return {
    label: `${method} ${formatBytes(bytes)}`,
    origin: 'node',
    mode: 'threads',
    workers: 1,
    startupIncluded: false,
    warm: true,
    baseline: `shared ${formatBytes(bytes)}`,
    async run() {
      const data = method === 'clone' ? reused : method === 'shared' ? shared : filled(new ArrayBuffer(bytes));
      const start = now();
      const answer = await team.ask(
        0,
        { cmd: 'touch', data },
        method === 'transfer' ? [data.buffer as ArrayBuffer] : [],
      );
      const end = now();
      if (answer.bytes !== bytes) throw new Error(`the worker received ${answer.bytes} bytes, expected ${bytes}`);
      return {
        start,
        end,
        wallMs: end - start,
        tasks: Tasks.of([{ index: 0, ...here(), start, end, ok: true }]),
        results: [answer.bytes],
      };
    },
  };
}

/** Measures the round trip of each method at each size (the peers taking turns), on one worker thread ended before this returns. */
export async function messageCosts(options: MessageCostOptions = {}): Promise<MessageCosts> {
  const sizes = check.nonEmptyList<unknown>('sizes', options.sizes ?? [...DEFAULT_SIZES]) as number[];
  sizes.forEach((s, i) => check.integer(`sizes[${i}]`, s, 1, 1 << 30));
  const repeats = check.integer('repeats', options.repeats ?? 5, 1, 1000);
  const comparison = await withTeam(1, (team) =>
    compare({
      modes: [],
      peers: sizes.flatMap((bytes) => SEND_METHODS.map((method) => roundTripPeer(team, method, bytes))),
      repeats,
      params: { sizes, repeats },
    }),
  );
  const samples = sizes.flatMap((bytes) =>
    SEND_METHODS.flatMap((method) =>
      runsOf(comparison, `${method} ${formatBytes(bytes)}`).map((r) => ({
        method,
        bytes,
        repeat: r.repeat,
        ms: r.wallMs,
      })),
    ),
  );
  const summary = sizes.flatMap((bytes) =>
    SEND_METHODS.map((method) => ({
      method,
      bytes,
      ms: summarize(samples.filter((s) => s.method === method && s.bytes === bytes).map((s) => s.ms)),
    })),
  );
  return { sizes, repeats, samples, summary, comparison, env: comparison.env };
}

/** What each side saw after a worker wrote into a shared and into a copied buffer (the notebook's own cell measures it). */
export interface SeenChange {
  workerThreadId: number;
  /** What the worker wrote. */
  value: number;
  /** What the main thread reads afterwards in its shared buffer, and in the buffer it sent as a copy. */
  mainShared: number;
  mainCopied: number;
}

/** Formats a byte count: "1 KB", "16 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let u = 0;
  while (bytes >= 1024 && u < units.length - 1 && bytes % 1024 === 0) {
    bytes /= 1024;
    u++;
  }
  return `${bytes} ${units[u]}`;
}
