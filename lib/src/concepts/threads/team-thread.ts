/**
 * The worker thread of the threads notebook: answers one command per message.
 * - `touch`: reads one byte per page of the data it was sent, and says how big it was;
 * - `count`: waits at a start gate until every thread is running, then adds 1 to a shared counter `increments` times,
 *   unsafely (read, then write), with Atomics.add, or under a lock; answers `ready` first, then `done`.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { lock, unlock } from './lock';

export type Command =
  | { cmd: 'touch'; data: Uint8Array }
  | {
      cmd: 'count';
      cells: Int32Array;
      mode: 'unsafe' | 'atomics' | 'lock';
      increments: number;
      run: number;
      threads: number;
    };

/** Cells of the counter race's shared Int32Array. */
export const GATE = 0;
export const COUNTER = 1;
export const LOCK = 2;
export const ARRIVED = 3;

function count(cells: Int32Array, mode: string, increments: number): void {
  if (mode === 'unsafe') {
    // counter = counter + 1 is three steps: read, add, write; another thread can write in
    // between. Each read and write goes to memory (Atomics.load/store: the compiler may not
    // keep the counter in a register), but nothing makes the pair indivisible.
    for (let i = 0; i < increments; i++) Atomics.store(cells, COUNTER, Atomics.load(cells, COUNTER) + 1);
  } else if (mode === 'atomics') {
    for (let i = 0; i < increments; i++) Atomics.add(cells, COUNTER, 1);
  } else {
    for (let i = 0; i < increments; i++) {
      lock(cells, LOCK);
      const value = cells[COUNTER]!; // read
      cells[COUNTER] = value + 1; // write: nobody else can run this block now
      unlock(cells, LOCK);
    }
  }
}

// Only as a worker's entry file: loaded as a module (the race imports its constants), it must
// not listen, or the thread that loaded it would never exit.
if (parentPort && require.main === module) {
  const port = parentPort;
  port.on('message', (c: Command) => {
    switch (c.cmd) {
      case 'touch': {
        let sum = 0;
        for (let i = 0; i < c.data.length; i += 4096) sum += c.data[i]!;
        port.postMessage({ bytes: c.data.byteLength, sum });
        break;
      }
      case 'count': {
        port.postMessage({ ready: threadId });
        let gate: number;
        while ((gate = Atomics.load(c.cells, GATE)) !== c.run) Atomics.wait(c.cells, GATE, gate);
        // Woken threads may be scheduled milliseconds apart: wait (briefly, busily) until all are here.
        Atomics.add(c.cells, ARRIVED, 1);
        const giveUp = performance.now() + 1000;
        while (Atomics.load(c.cells, ARRIVED) < c.threads && performance.now() < giveUp);
        const start = performance.now();
        count(c.cells, c.mode, c.increments);
        port.postMessage({ done: threadId, ms: performance.now() - start });
        break;
      }
    }
  });
}
