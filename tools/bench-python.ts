/**
 * Node against the course's own Python programs, on this machine, counted the same way:
 * every pool timed end to end (created, used, shut down), as the course timed Python's
 * executors, with its start-up reported beside it; warm-pool times beside those.
 *
 *   cpu   100 x cpu(30): sequential; Node's pools of 10 (threads, processes) against
 *         ThreadPoolExecutor(10) and ProcessPoolExecutor(10)
 *   io    100 requests at 100 ms to one embedded loopback server: one after another,
 *         Promise.all against aiohttp's gather, the blocking client on 10 threads against
 *         requests on ThreadPoolExecutor(10)
 *   sequentialOverhead   the library's sequential mode against a bare loop, same inputs, same process
 *
 * `node build/tools/bench-python.js` prints the result as one JSON line.
 */
import { compare, cpu, io, now } from 'concurrency-lab';
import { Tasks } from 'concurrency-lab/tooling';
import { choosePython, ioPeers, median } from 'concurrency-lab/tooling';
import { benchNodeBoot } from './bench-boot';
import { logRuns, rowOf, round, skippedOf } from './bench-rows';

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Options of the benchmark: the course's sizes by default, and how many runs (default: adaptive). */
export interface PythonBenchOptions {
  count?: number;
  num?: number;
  workers?: number;
  requests?: number;
  latencyMs?: number;
  /** A fixed number of runs per mode and program (default: adaptive, at least 2). */
  repeats?: number;
  /** Untimed passes of the async variant before timing (default 20, as `io` in the bench). */
  ioWarmup?: number;
}

/** 100 x cpu(30) in Node's modes and pools (warm and end to end) and in the course's Python programs. */
export async function benchCpuVsPython(options: PythonBenchOptions = {}) {
  const { count = 100, num = 30, workers = 10, repeats } = options;
  log(`vs Python, cpu: ${count} x cpu(${num}), pools of ${workers}, Node and Python interleaved ...`);
  const peers = cpu.pythonPeers({ count, num, workers });
  const result = await compare({
    workload: 'cpu',
    inputs: Array(count).fill(num),
    modes: ['sequential', 'threads', 'processes'],
    workers,
    endToEnd: true,
    peers,
    ...(repeats ? { repeats } : {}),
    onProgress: logRuns,
  });
  const get = (name: string) => rowOf(result, name);
  const py = (name: string) => peers.find((p) => p.label.endsWith(` ${name}`))?.label ?? `Python ${name}`;
  const seq = get('sequential')!;
  const pySeq = get(py('sequential'));
  const nodeSide = {
    sequentialMs: round(seq.ms),
    threadsWarmMs: round(get(`threads (${workers})`)?.ms),
    threadsWarmStartupMs: round(get(`threads (${workers})`)?.startupMs),
    processesWarmMs: round(get(`processes (${workers})`)?.ms),
    processesWarmStartupMs: round(get(`processes (${workers})`)?.startupMs),
    threadsEndToEndMs: round(get(`threads (${workers}), end to end`)?.ms),
    threadsEndToEndStartupMs: round(get(`threads (${workers}), end to end`)?.startupMs),
    processesEndToEndMs: round(get(`processes (${workers}), end to end`)?.ms),
    processesEndToEndStartupMs: round(get(`processes (${workers}), end to end`)?.startupMs),
    perTaskMs: round(seq.taskMs, 2),
  };
  const tpe = get(py(`ThreadPoolExecutor(${workers})`));
  const ppe = get(py(`ProcessPoolExecutor(${workers})`));
  const pythonSide = pySeq
    ? {
        sequentialMs: round(pySeq.ms),
        threadPoolMs: round(tpe?.ms),
        threadPoolStartupMs: round(tpe?.startupMs),
        processPoolMs: round(ppe?.ms),
        processPoolStartupMs: round(ppe?.startupMs),
        perTaskMs: round(pySeq.taskMs, 2),
      }
    : undefined;
  const runs = Object.fromEntries(result.rows.map((r) => [r.label, get(r.label)?.runs]));
  return { tasks: count, num, workers, node: nodeSide, python: pythonSide, skipped: skippedOf(result), runs };
}

/**
 * 100 requests at 100 ms against one embedded server, Node's ways of waiting and Python's
 * programs taking turns: undici one after another and with Promise.all (warm, and with fresh
 * connections every run as aiohttp has), the blocking client on a pool of 10 threads (warm,
 * and end to end), requests, aiohttp's gather and requests on ThreadPoolExecutor(10).
 */
export async function benchIoVsPython(options: PythonBenchOptions = {}) {
  const { requests = 100, latencyMs = 100, workers = 10, repeats, ioWarmup = 20 } = options;
  log(`vs Python, io: ${requests} requests at ${latencyMs} ms, one embedded server ...`);
  const server = await io.startServer({ latencyMs });
  try {
    const inputs = Array.from({ length: requests }, () => ({ url: server.url, timeoutMs: 30_000, connections: 0 }));
    const python = ioPeers({ urls: server.url, requests, workers });
    const byProgram = (name: string) => python.filter((p) => p.label.endsWith(` ${name}`));
    // Untimed passes first, as the bench's io does: the client's and the server's hot paths compiled.
    for (let w = 0; w < ioWarmup; w++) await Promise.allSettled(inputs.map((input) => io.get(input)));
    const fresh = {
      label: 'Promise.all, new connections each run',
      origin: 'node',
      mode: 'async' as const,
      workers: 1,
      startupIncluded: false,
      async run() {
        await io.closeClients();
        const start = now();
        const tasks = await Promise.all(
          inputs.map(async (input, index) => {
            const begun = now();
            const ok = await io.get(input).then(
              () => true,
              () => false,
            );
            return { index, pid: process.pid, threadId: 0, start: begun, end: now(), ok };
          }),
        );
        const end = now();
        return { start, end, wallMs: end - start, tasks: Tasks.of(tasks), results: [] };
      },
    };
    const onProgress = logRuns;
    const loop = await compare({
      workload: 'io',
      inputs,
      modes: ['sequential', 'async'],
      peers: [...byProgram('requests'), ...byProgram('aiohttp gather'), fresh],
      ...(repeats ? { repeats } : {}),
      onProgress,
    });
    const pool = await compare({
      workload: 'ioBlocking',
      inputs,
      modes: ['threads'],
      workers,
      oneWorker: false,
      endToEnd: true,
      peers: byProgram(`ThreadPoolExecutor(${workers})`),
      ...(repeats ? { repeats } : {}),
      onProgress,
    });
    const l = (name: string) =>
      rowOf(loop, name) ?? rowOf(loop, python.find((x) => x.label.endsWith(` ${name}`))?.label ?? '');
    const p = (name: string) =>
      rowOf(pool, name) ?? rowOf(pool, python.find((x) => x.label.endsWith(` ${name}`))?.label ?? '');
    const tpe = p(`ThreadPoolExecutor(${workers})`);
    return {
      requests,
      latencyMs,
      workers,
      node: {
        sequentialMs: round(l('sequential')?.ms),
        asyncMs: round(l('async')?.ms),
        asyncNewConnectionsMs: round(l('Promise.all, new connections each run')?.ms),
        blockingPoolWarmMs: round(p(`threads (${workers})`)?.ms),
        blockingPoolWarmStartupMs: round(p(`threads (${workers})`)?.startupMs),
        blockingPoolEndToEndMs: round(p(`threads (${workers}), end to end`)?.ms),
        blockingPoolEndToEndStartupMs: round(p(`threads (${workers}), end to end`)?.startupMs),
      },
      python: {
        requestsMs: round(l('requests')?.ms),
        aiohttpMs: round(l('aiohttp gather')?.ms),
        threadPoolMs: round(tpe?.ms),
        threadPoolStartupMs: round(tpe?.startupMs),
      },
      skipped: [...skippedOf(loop), ...skippedOf(pool)],
    };
  } finally {
    await server.close();
    await io.closeClients();
  }
}

/**
 * The library's sequential mode against a bare `for` loop over the same inputs in the same
 * process, alternating, after one untimed pass of each: what the library adds to a run.
 */
export async function benchSequentialOverhead(count = 100, num = 30, rounds = 5) {
  log(`sequential overhead: ${count} x cpu(${num}), bare loop and sequential mode alternating, ${rounds} rounds ...`);
  const inputs: number[] = Array(count).fill(num);
  const bare = () => {
    const start = now();
    const out: number[] = [];
    for (const n of inputs) out.push(cpu.cpuBound(n));
    return now() - start;
  };
  const library = async () => {
    const r = await compare({ workload: 'cpu', inputs, modes: ['sequential'], repeats: 1, warmup: 0 });
    return r.runs[0]!.wallMs;
  };
  bare();
  await library();
  const bareMs: number[] = [];
  const libraryMs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      bareMs.push(bare());
      libraryMs.push(await library());
    } else {
      libraryMs.push(await library());
      bareMs.push(bare());
    }
  }
  const b = median(bareMs);
  const m = median(libraryMs);
  return { tasks: count, num, rounds, bareLoopMs: round(b, 2), sequentialModeMs: round(m, 2), ratio: round(m / b, 4) };
}

/** Node's time over Python's (below 1: Node is faster), or null when either is missing. */
function ratio(node: number | null | undefined, python: number | null | undefined): number | null {
  return node && python ? round(node / python, 3) : null;
}

/**
 * The `python` and `vsPython` keys of `npm run bench`: Python's times, and Node's beside
 * them with Node/Python ratios per mode (and the done-when targets read from them); plus
 * the per-task cost of cpu(num) on each side.
 */
export async function benchVsPython(options: PythonBenchOptions = {}) {
  const chosen = choosePython();
  if ('unavailable' in chosen) return { python: { unavailable: chosen.unavailable }, vsPython: null, perTask: null };
  const c = await benchCpuVsPython(options);
  const i = await benchIoVsPython(options);
  log(`vs Python, start-up: ${c.workers} bare worker threads and ${c.workers} bare node processes ...`);
  const boot = await benchNodeBoot(c.workers);
  const python = {
    python: `${chosen.python} ${chosen.version}`,
    cpu: c.python ?? null,
    io: i.python,
    skipped: [...c.skipped, ...i.skipped],
  };
  const vsPython = {
    about: "Node's time / Python's; every pool timed end to end, its start-up included (below 1: Node is faster)",
    node: { cpu: c.node, io: i.node },
    runs: c.runs,
    cpu: {
      sequential: ratio(c.node.sequentialMs, c.python?.sequentialMs),
      threadsVsThreadPool: ratio(c.node.threadsEndToEndMs, c.python?.threadPoolMs),
      threadsVsProcessPool: ratio(c.node.threadsEndToEndMs, c.python?.processPoolMs),
      processesVsProcessPool: ratio(c.node.processesEndToEndMs, c.python?.processPoolMs),
      perTask: ratio(c.node.perTaskMs, c.python?.perTaskMs),
    },
    io: {
      sequentialVsRequests: ratio(i.node.sequentialMs, i.python.requestsMs),
      asyncVsAiohttp: ratio(i.node.asyncMs, i.python.aiohttpMs),
      asyncNewConnectionsVsAiohttp: ratio(i.node.asyncNewConnectionsMs, i.python.aiohttpMs),
      blockingPoolVsThreadPool: ratio(i.node.blockingPoolEndToEndMs, i.python.threadPoolMs),
    },
    // Each pool's start-up in the end-to-end runs above, beside what Node itself takes to boot
    // as many bare threads and processes here: the part of a start-up no pool can save.
    startup: {
      workers: c.workers,
      nodeBareThreadsMs: boot.bareThreadsMs,
      nodeBareProcessesMs: boot.bareProcessesMs,
      nodeThreadPoolMs: c.node.threadsEndToEndStartupMs,
      nodeProcessPoolMs: c.node.processesEndToEndStartupMs,
      nodeBlockingPoolMs: i.node.blockingPoolEndToEndStartupMs,
      pythonThreadPoolMs: i.python.threadPoolStartupMs,
      pythonProcessPoolMs: c.python?.processPoolStartupMs ?? null,
    },
    targets: {
      threadsFasterThanProcessPool: c.python
        ? (c.node.threadsEndToEndMs ?? Infinity) < (c.python.processPoolMs ?? 0)
        : null,
      processesNoSlowerThanProcessPool: c.python
        ? (c.node.processesEndToEndMs ?? Infinity) <= (c.python.processPoolMs ?? 0)
        : null,
      promiseAllFasterThanGather: i.python.aiohttpMs ? (i.node.asyncMs ?? Infinity) < i.python.aiohttpMs : null,
      blockingPoolNoSlowerThanThreadPool: i.python.threadPoolMs
        ? (i.node.blockingPoolEndToEndMs ?? Infinity) <= i.python.threadPoolMs
        : null,
    },
  };
  const perTask = { num: c.num, nodeMs: c.node.perTaskMs, pythonMs: c.python?.perTaskMs ?? null };
  return { python, vsPython, perTask };
}

if (require.main === module) {
  (async () => {
    const out = await benchVsPython();
    const sequentialOverhead = await benchSequentialOverhead();
    console.log(JSON.stringify({ ...out, sequentialOverhead }));
  })().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
