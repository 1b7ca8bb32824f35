/**
 * The server's own process: starts it with the options in argv[2], sends its port, answers each
 * question at once (so in the order asked), and exits when told to or when its parent goes away.
 */
import { listen, type ServerOptions } from './http';

listen(JSON.parse(process.argv[2] ?? '{}') as ServerOptions).then(
  (server) => {
    const send = (message: unknown) => process.send?.(message);
    process.on('message', (m: { type: 'records' | 'inflight' | 'reseed' | 'close'; since?: number }) => {
      if (m.type === 'close') void server.close().finally(() => process.exit(0));
      else send({ value: m.type === 'records' ? server.records(m.since) : server[m.type]() });
    });
    process.on('disconnect', () => process.exit(0));
    send({ port: server.port });
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
