/** Load and soak: many requests and many runs in one process leave nothing behind. */
import v8 from 'node:v8';
import vm from 'node:vm';
import { compare, io, openResources } from 'concurrency-lab';
import { childPids, threadCount } from './helpers/processes';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const handles = () => process.getActiveResourcesInfo().filter((kind) => kind !== 'Timeout').length;
const sockets = () => process.getActiveResourcesInfo().filter((kind) => kind === 'TCPSocketWrap').length;

async function settle(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

test('the server answers a 10,000-request run without errors, and no socket is left open after', async () => {
  const before = sockets();
  const answered = await io.withServer({ latencyMs: 1 }, async (server) => {
    const inputs = Array.from({ length: 10_000 }, () => ({ url: server.url, connections: 64 }));
    const r = await compare({ workload: 'io', inputs, modes: ['async'], repeats: 1, warmup: 0 });
    expect(r.runs[0]!.tasks.filter((t) => !t.ok)).toEqual([]);
    return (await server.records()).filter((rec) => rec.outcome === 'ok').length;
  });
  expect(answered).toBe(10_000);
  await settle(() => sockets() <= before);
  expect(sockets()).toBe(before);
}, 120_000);

test('50 runs in every mode in one process: no growth in handles, threads, child processes or memory', async () => {
  const once = () => compare({ workload: 'cpu', inputs: [8, 9, 10, 11], workers: 2, repeats: 1, warmup: 0 });
  await once(); // first use loads code and creates lazy singletons: the baseline comes after it
  gc();
  const start = { handles: handles(), threads: threadCount(), heap: process.memoryUsage().heapUsed };
  for (let i = 0; i < 50; i++) await once();
  await settle(() => handles() <= start.handles && threadCount() <= start.threads);
  gc();
  const heapGrowthMb = (process.memoryUsage().heapUsed - start.heap) / 2 ** 20;
  expect(openResources()).toBe(0);
  expect(handles()).toBeLessThanOrEqual(start.handles);
  expect(threadCount()).toBeLessThanOrEqual(start.threads);
  expect(await childPids()).toEqual([]);
  expect(heapGrowthMb).toBeLessThan(20);
}, 240_000);
