/** A robot: one worker thread that cooks the orders it is sent (kitchen/cook.ts). */
import { parentPort } from 'node:worker_threads';
import { cook, work, type CookStyle, type Order } from './cook';

/** What a robot is told. */
export type RobotCommand =
  | { cmd: 'warm'; iterations: number }
  | { cmd: 'cook'; robot: number; orders: Order[]; style: CookStyle; msPerMinute: number; rate: number };

if (parentPort) {
  const port = parentPort;
  port.on('message', (c: RobotCommand) => {
    if (c.cmd === 'warm') {
      port.postMessage({ warm: work(c.iterations) });
      return;
    }
    cook(c.robot, c.orders, c.style, c.msPerMinute, c.rate).then(
      (steps) => port.postMessage({ steps }),
      (error) => port.postMessage({ error: String(error) }),
    );
  });
}
