/** Getting data to a worker thread three ways (clone, transfer, shared), a round trip timed against its size. */
import { on } from 'node:events';
import { Worker } from 'node:worker_threads';
import { here, now } from '../../core/clock';
import { InterruptedError } from '../../core/errors';
import { compare, runsOf } from '../../core/measure';
import type { Peer } from '../../core/peers';
import { Tasks } from '../../core/records';
import { summarize } from '../../core/stats';
import { track } from '../../core/teardown';
import * as check from '../../core/validate';

export const SEND_METHODS = ['clone', 'transfer', 'shared'] as const;
export type SendMethod = (typeof SEND_METHODS)[number];

/** What each side saw after a worker wrote into a shared and into a copied buffer (measured in the notebook's cell). */
export type SeenChange = { workerThreadId: number; value: number; mainShared: number; mainCopied: number };

/** "1 KB", "16 MB". */
export function formatBytes(bytes: number): string {
  let u = 0;
  for (; bytes >= 1024 && u < 3 && bytes % 1024 === 0; u++) bytes /= 1024;
  return `${bytes} ${['B', 'KB', 'MB', 'GB'][u]}`;
}

const RECEIVER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (data) => {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4096) sum += data[i];
  parentPort.postMessage({ bytes: data.byteLength, sum });
});`;

const ROUND_TRIP = { origin: 'node', mode: 'threads', workers: 1, startupIncluded: false, warm: true } as const;

/** The peer that times one way of handing `bytes` to the receiving thread: a round trip per run. */
function roundTripPeer(receiver: Worker, answers: AsyncIterator<any[]>, method: SendMethod, bytes: number): Peer {
  const [reused, shared] = [new Uint8Array(bytes).fill(1), new Uint8Array(new SharedArrayBuffer(bytes)).fill(1)];
  return {
    ...ROUND_TRIP,
    label: `${method} ${formatBytes(bytes)}`,
    baseline: `shared ${formatBytes(bytes)}`,
    async run() {
      const data = method === 'clone' ? reused : method === 'shared' ? shared : new Uint8Array(bytes).fill(1);
      const start = now();
      receiver.postMessage(data, method === 'transfer' ? [data.buffer as ArrayBuffer] : []);
      const { value, done } = await answers.next();
      const end = now();
      if (done) throw new InterruptedError('the receiving thread was ended');
      if (value[0].bytes !== bytes) throw new Error(`the thread received ${value[0].bytes} bytes, expected ${bytes}`);
      const tasks = Tasks.of([{ index: 0, ...here(), start, end, ok: true }]);
      return { start, end, wallMs: end - start, tasks, results: [bytes] };
    },
  };
}

/** Times each method's round trip at each of `sizes` (bytes), rows in turns, on one thread ended before it returns. */
export async function messageCosts(options: { sizes?: readonly number[]; repeats?: number } = {}) {
  const sizes = check.nonEmptyList<number>('sizes', options.sizes ?? [1 << 10, 1 << 14, 1 << 18, 1 << 22, 1 << 24]);
  sizes.forEach((s, i) => check.integer(`sizes[${i}]`, s, 1, 1 << 30));
  const repeats = check.integer('repeats', options.repeats ?? 5, 1, 1000);
  const ways = sizes.flatMap((bytes) => SEND_METHODS.map((method) => ({ method, bytes })));
  const receiver = new Worker(RECEIVER, { eval: true });
  const answers = on(receiver, 'message', { close: ['exit'] });
  const close = async () => void (await receiver.terminate());
  const release = track({ close });
  const peers = ways.map((w) => roundTripPeer(receiver, answers, w.method, w.bytes));
  const measured = compare({ modes: [], peers, repeats, params: { sizes, repeats } });
  const comparison = await measured.finally(() => close().finally(release));
  const runs = ({ method, bytes }: (typeof ways)[number]) => runsOf(comparison, `${method} ${formatBytes(bytes)}`);
  const samples = ways.flatMap((w) => runs(w).map((r) => ({ ...w, repeat: r.repeat, ms: r.wallMs })));
  const summary = ways.map((w) => ({ ...w, ms: summarize(runs(w).map((r) => r.wallMs)) }));
  return { sizes, repeats, samples, summary, comparison, env: comparison.env };
}

/** Every round trip, the summary per method and size, and the comparison (a row per both) they were read from. */
export type MessageCosts = Awaited<ReturnType<typeof messageCosts>>;
