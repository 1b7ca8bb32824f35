/**
 * Entry of the server's own process: starts the server with the options in argv[2] (JSON),
 * reports its port over IPC, answers log requests, and exits when told to or when its
 * parent goes away (so it can never outlive the notebook that started it).
 */
import { listen, type ServerOptions } from './http';

type Message = { type: 'records'; id: number; since?: number } | { type: 'inflight'; id: number } | { type: 'close' };

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as ServerOptions;
  const server = await listen(options);
  const send = (message: unknown) => process.send?.(message);
  process.on('message', (message: Message) => {
    if (message.type === 'records') send({ type: 'records', id: message.id, records: server.records(message.since) });
    else if (message.type === 'inflight') send({ type: 'inflight', id: message.id, inflight: server.inflight() });
    else if (message.type === 'close') void server.close().finally(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', port: server.port, options: server.options });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
