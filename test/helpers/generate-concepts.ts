/**
 * Plausible measurements of every concept, as their `report(measured)` takes them, each drawn
 * from a `Rand` (see prng.ts) and built as the engine builds them (generate.ts).
 */
import {
  kitchen,
  type Comparison,
  type cpu,
  type gil,
  type io,
  type processes,
  type queue,
  type Run,
  type threads,
} from 'concurrency-lab';
import { idealOf, Tasks } from 'concurrency-lab/tooling';
import {
  aimWalls,
  buildComparison,
  genEnv,
  genFailed,
  genRepeats,
  genRuns,
  genRatio,
  genWalls,
  type RowPlan,
} from './generate';
import type { Rand } from './prng';
import { summarize } from '../../lib/dist/core/stats';

export type CpuMeasured = Parameters<typeof cpu.report>[0];

const PYTHON_VERSION = '3.12.3 ';
const NO_PYTHON = 'no Python 3 with the modules it needs was found; set CLAB_PYTHON to one';

/** The Python programs' rows: present, skipped (no Python), crashed, or free-threaded. */
function pythonState(r: Rand) {
  return {
    skipped: r.bool(0.15),
    freeThreaded: r.bool(0.15),
    crashed: r.bool(0.08) ? r.pick(['sequential', 'threads', 'processes']) : undefined,
  };
}

/** Tasks per run: a few mostly (small comparisons keep 70,000 reports fast), up to 200 sometimes. */
function genTasks(r: Rand): number {
  return r.weighted<() => number>([
    [7, () => r.int(1, 4)],
    [2, () => r.int(5, 8)],
    [1, () => r.int(9, 24)],
  ])();
}

/** Task lanes of a pool row: all its workers mostly, fewer sometimes (a pool that did not fill). */
function lanesOf(r: Rand, workers: number, tasks: number): number {
  return r.bool(0.2) ? r.int(1, Math.max(1, Math.min(workers, tasks))) : Math.min(workers, tasks);
}

/** Notebook 05: every mode (one-worker rows beside the pools), the Python programs, a sweep sometimes. */
export function genCpu(r: Rand): CpuMeasured {
  const env = genEnv(r);
  const tasks = genTasks(r);
  const workers = r.bool(0.15) ? 1 : r.pick([2, 4, 10, 16, 64]);
  const repeats = genRepeats(r);
  const all = ['sequential', 'async', 'threads', 'processes'] as const;
  const modes = r.bool(0.3) ? [...all] : r.subset(all, 0.4);
  if (modes.length === 0) modes.push('threads');
  const oneWorker = !r.bool(0.1);
  const python = r.bool(0.3);
  const py = pythonState(r);
  const plans: Omit<RowPlan, 'walls'>[] = [];
  const common = { origin: 'node', tasks, startupIncluded: false };
  const busy = () => (r.bool(0.3) ? r.float(0.2, 1) : 1);
  const fails = () => genFailed(r, tasks);
  for (const mode of modes) {
    const pool = mode === 'threads' || mode === 'processes';
    const n = pool ? workers : 1;
    const startupMs = pool ? r.logUniform(5, 800) : 0;
    if (pool && n > 1 && oneWorker) {
      plans.push({ ...common, label: `${mode} (1)`, mode, workers: 1, startupMs: r.logUniform(5, 300), busy: busy() });
    }
    plans.push({
      ...common,
      label: pool ? `${mode} (${n})` : mode,
      mode,
      workers: n,
      startupMs,
      lanes: pool ? lanesOf(r, n, tasks) : 1,
      busy: busy(),
      failed: fails(),
      error: r.pick(['boom', 'timed out after 5000 ms']),
    });
  }
  const skipped: { label: string; reason: string }[] = [];
  if (python) {
    for (const mode of modes) {
      if ((mode === 'threads' || mode === 'processes') && workers > 1) {
        plans.push({
          ...common,
          label: `${mode} (${workers}), end to end`,
          mode,
          workers,
          startupMs: 0,
          startupIncluded: true,
          lanes: lanesOf(r, workers, tasks),
        });
      }
    }
    const programs = [
      { name: 'sequential', mode: 'sequential' as const, workers: 1 },
      { name: `ThreadPoolExecutor(${workers})`, mode: 'threads' as const, workers },
      { name: `ProcessPoolExecutor(${workers})`, mode: 'processes' as const, workers },
    ];
    for (const p of programs) {
      const label = `Python ${py.skipped ? '' : PYTHON_VERSION}${p.name}`;
      if (py.skipped) {
        skipped.push({ label, reason: NO_PYTHON });
        continue;
      }
      plans.push({
        label,
        mode: p.mode,
        origin: 'python',
        workers: p.workers,
        tasks,
        startupMs: 0,
        startupIncluded: true,
        lanes: p.workers > 1 ? lanesOf(r, p.workers, tasks) : 1,
        crashed: py.crashed === p.mode,
        detail: () => ({ python: '/usr/bin/python3', version: '3.12.3', gilEnabled: !py.freeThreaded }),
      });
    }
  }
  const result = buildComparison(aimWalls(r, plans, { cores: env.cores, around: r.logUniform(20, 20_000), repeats }), {
    env,
    tasks,
    workers,
    workload: 'cpu',
    params: r.bool(0.8) ? { num: 30, count: tasks, workers } : {},
    skipped,
  });
  if (!r.bool(0.25)) return { result };
  // The sweep: one pool mode at several sizes, each against its one-worker row.
  const mode = r.pick(['threads', 'processes'] as const);
  const sweepTasks = genTasks(r);
  const most = Math.max(2, Math.min(10, Math.ceil(2 * env.cores)));
  const sizes = [
    1,
    ...r.subset(
      Array.from({ length: most - 1 }, (_, i) => i + 2),
      0.5,
    ),
  ];
  const sweepPlans = sizes.map((n): Omit<RowPlan, 'walls'> => ({
    label: `${mode} (${n})`,
    mode,
    origin: 'node',
    workers: n,
    tasks: sweepTasks,
    startupMs: r.logUniform(5, 500),
    startupIncluded: false,
    lanes: lanesOf(r, n, sweepTasks),
  }));
  const scaling = buildComparison(
    aimWalls(r, sweepPlans, { cores: env.cores, around: r.logUniform(20, 5000), repeats: genRepeats(r) }),
    { env, tasks: sweepTasks, workers: Math.max(...sizes), workload: 'cpu', params: result.params },
  );
  return { result, scaling };
}

export type IoInput = Parameters<typeof io.report>[0];
type IoMeasured = IoInput['main'];

/** A way of making the requests, as `io.courseVariants` and `io.connectionVariants` make them. */
interface IoWay {
  label: string;
  workload: 'io' | 'ioBlocking';
  mode: 'sequential' | 'async' | 'threads' | 'processes';
  workers?: number;
  connections?: number;
}

/** How many requests a way can have in flight at once (io/run.ts `concurrencyOf`). */
export function ioConcurrency(
  v: { mode: string; workload: string; workers?: number; connections?: number; origin?: string },
  requests: number,
): number {
  if (v.mode === 'threads' || v.mode === 'processes') return Math.min(requests, v.workers ?? 10);
  if (v.mode === 'sequential' || v.workload === 'ioBlocking') return 1;
  return Math.min(requests, v.connections ?? (v.origin === 'python' ? 100 : requests));
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The server's records of one run: `peak` requests at once, each taking about the latency. */
function serverRecords(start: number, requests: number, peak: number, latencyMs: number) {
  const lanes = Math.max(1, Math.min(peak, requests));
  return Array.from({ length: requests }, (_, k) => {
    const s = start + Math.floor(k / lanes) * (latencyMs + 0.5) + 0.1;
    return { start: s, end: s + latencyMs, status: 200, outcome: 'ok' as const };
  });
}

/**
 * One I/O experiment: every way a row (the Python programs as peers, some skipped), each
 * aimed at its bound times an overhead (below it sometimes), runs that warm up sometimes,
 * failures by kind, and what the server saw (its peak in flight at, under or over the allowed).
 */
function genIoMeasured(
  r: Rand,
  o: {
    env: ReturnType<typeof genEnv>;
    requests: number;
    latencyMs?: number;
    jitterMs: number;
    ways: IoWay[];
    python: boolean;
    faults?: { failShare: number; hangShare: number; timeoutMs: number };
  },
): IoMeasured {
  const { requests, latencyMs, jitterMs } = o;
  const repeats = genRepeats(r);
  const timeoutMs = o.faults?.timeoutMs ?? 30_000;
  const shortest = Math.max(0, (latencyMs ?? 0) - jitterMs);
  const plans: RowPlan[] = [];
  const skipped: { label: string; reason: string }[] = [];
  const pyWorkers = r.pick([10, 4]);
  const pyWays = o.python
    ? [
        { name: 'requests', mode: 'sequential' as const, workers: 1, module: 'requests' },
        { name: 'aiohttp gather', mode: 'async' as const, workers: 1, module: 'aiohttp' },
        { name: `ThreadPoolExecutor(${pyWorkers})`, mode: 'threads' as const, workers: pyWorkers, module: 'requests' },
      ]
    : [];
  const missing = r.weighted<string[]>([
    [6, []],
    [1, ['requests', 'aiohttp']],
    [1, ['aiohttp']],
    [1, ['python']],
  ]);
  const all = [
    ...o.ways.map((w) => ({ ...w, origin: 'node', label: w.label })),
    ...pyWays.map((p) => ({
      label: `Python ${missing.includes('python') ? '' : '3.12.3 '}${p.name}`,
      workload: 'io' as const,
      mode: p.mode,
      workers: p.workers,
      origin: 'python',
      module: p.module,
    })),
  ];
  for (const w of all) {
    if ('module' in w && (missing.includes('python') || missing.includes(w.module))) {
      skipped.push({
        label: w.label,
        reason: `no Python 3 with ${w.module} was found; apt-get install python3-${w.module}`,
      });
      continue;
    }
    const concurrency = ioConcurrency(w, requests);
    const bound = latencyMs === undefined ? undefined : Math.ceil(requests / concurrency) * shortest;
    const around =
      bound !== undefined && bound > 0
        ? bound *
          r.weighted<() => number>([
            [5, () => r.logUniform(1.001, 3)],
            [1, () => r.float(0.9, 1)],
            [1, () => r.logUniform(3, 20)],
          ])()
        : r.logUniform(5, 20_000);
    const n = genRuns(r, repeats);
    let walls = genWalls(r, around, n);
    if (n >= 3 && r.bool(0.2))
      walls = [...walls].sort((a, b) => b - a).map((x, i) => (i === 0 ? x * r.float(1, 1.5) : x));
    // Failures: by kind; a timed-out request waits the timeout (one after another, that adds up).
    const share = o.faults ? o.faults.failShare + o.faults.hangShare : 0;
    const failed = o.faults
      ? Array.from({ length: requests }, (_, i) => i).filter(() => r.bool(share))
      : genFailed(r, requests);
    const kinds = failed.map(() =>
      o.faults
        ? r.bool(o.faults.failShare / Math.max(share, 1e-9))
          ? 'http'
          : 'timeout'
        : r.pick(['http', 'timeout', 'other']),
    );
    const timeouts = kinds.filter((k) => k === 'timeout').length;
    // A timed-out request waits the timeout: one after another, or a pool's share each.
    if (timeouts) walls = walls.map((x) => x + Math.ceil(timeouts / concurrency) * timeoutMs * r.float(1, 1.05));
    const message = (k: string) =>
      k === 'http'
        ? 'answered HTTP 500'
        : k === 'timeout'
          ? `timed out after ${timeoutMs} ms`
          : 'connect ECONNREFUSED 127.0.0.1:8080';
    const peak = r.weighted<() => number>([
      [6, () => concurrency],
      [2, () => r.int(1, concurrency)],
      [1, () => concurrency + r.int(1, 3)],
    ])();
    plans.push({
      label: w.label,
      mode: w.mode,
      origin: w.origin,
      workers: w.mode === 'threads' || w.mode === 'processes' ? (w.workers ?? 10) : 1,
      tasks: requests,
      startupMs: w.origin === 'python' ? 0 : w.mode === 'threads' || w.mode === 'processes' ? r.logUniform(5, 500) : 0,
      startupIncluded: w.origin === 'python',
      walls,
      lanes: concurrency,
      busy: r.float(0.5, 1),
      failed,
      failedErrors: Object.fromEntries(failed.map((i, k) => [i, message(kinds[k]!)])),
      detail:
        latencyMs === undefined || w.origin === 'python'
          ? w.origin === 'python'
            ? () => ({ python: '/usr/bin/python3', version: '3.12.3', gilEnabled: true })
            : undefined
          : (run) => ({ watch: serverRecords(run.start, requests, peak, latencyMs) }),
    });
  }
  const comparison = buildComparison(plans, {
    env: o.env,
    tasks: requests,
    workers: 10,
    workload: o.ways[0]?.workload ?? 'io',
    params: { requests, timeoutMs },
    skipped,
  });
  const options = { latencyMs: latencyMs ?? 100, jitterMs, bodyBytes: 1024, failShare: 0, hangShare: 0, ...o.faults };
  return {
    comparison,
    requests,
    ...(latencyMs === undefined ? {} : { latencyMs, jitterMs }),
    urls: latencyMs === undefined ? ['https://www.google.com/', 'https://www.apple.com/'] : ['http://127.0.0.1:8080/'],
    ...(latencyMs === undefined ? {} : { server: { pid: 4242, startupMs: 60, options } }),
    timeoutMs,
    variants: o.ways.map((w) => ({ ...w })),
  };
}

/** A subset that is not empty: `measureIo` checks for at least one way. */
const atLeastOne = <T>(some: T[], all: readonly T[]): T[] => (some.length ? some : [all[0]!]);

/** Notebook 04: every way of waiting, the connection knob sometimes, the faults run sometimes. */
export function genIo(r: Rand): IoInput {
  const env = genEnv(r);
  const requests = r.weighted<() => number>([
    [5, () => r.int(1, 4)],
    [4, () => r.int(5, 10)],
    [1, () => r.int(11, 40)],
  ])();
  const server = r.bool(0.85);
  const latencyMs = server ? r.pick([1, 5, 20, 100, 250]) : undefined;
  const jitterMs = server && r.bool(0.3) ? r.float(0, latencyMs! * 0.5) : 0;
  const threads = r.pick([[1, 10], [10], [1], [1, 4], [2, 3]]);
  const processes = r.pick([10, 0, 4, 1]);
  const ways: IoWay[] = [
    { label: 'sequential', workload: 'io', mode: 'sequential' },
    { label: 'Promise.all', workload: 'io', mode: 'async' },
    { label: 'blocking in Promise.all', workload: 'ioBlocking', mode: 'async' },
    ...threads.map((workers): IoWay => ({
      label: `blocking, ${plural(workers, 'thread', 'threads')}`,
      workload: 'ioBlocking',
      mode: 'threads',
      workers,
    })),
    ...(processes > 0
      ? [
          {
            label: `blocking, ${plural(processes, 'process', 'processes')}`,
            workload: 'ioBlocking',
            mode: 'processes',
            workers: processes,
          } as IoWay,
        ]
      : []),
  ];
  const main = genIoMeasured(r, {
    env,
    requests,
    latencyMs,
    jitterMs,
    ways: r.bool(0.5) ? ways : atLeastOne(r.subset(ways, 0.4), ways),
    python: r.bool(0.35),
  });
  const connections = r.bool(0.2)
    ? genIoMeasured(r, {
        env,
        requests,
        latencyMs,
        jitterMs,
        python: false,
        ways: atLeastOne(r.subset([1, 2, 10, 100], 0.7), [1]).map((c): IoWay => ({
          label: plural(c, 'connection', 'connections'),
          workload: 'io',
          mode: 'async',
          connections: c,
        })),
      })
    : undefined;
  const faults = r.bool(0.2)
    ? genIoMeasured(r, {
        env,
        requests,
        latencyMs,
        jitterMs,
        python: r.bool(0.3),
        ways: atLeastOne(r.subset(ways, 0.8), ways),
        faults: {
          failShare: r.pick([0, 0.05, 0.2]),
          hangShare: r.pick([0, 0.05, 0.2]),
          timeoutMs: r.pick([1, 50, 1000]),
        },
      })
    : undefined;
  return {
    main,
    ...(connections && connections.comparison.rows.length ? { connections } : {}),
    ...(faults && faults.comparison.rows.length ? { faults } : {}),
  };
}

export type GilMeasured = Parameters<typeof gil.report>[0];
type Env = ReturnType<typeof genEnv>;

const GIL_ROWS = { one: 'one thread', locked: 'threads + global lock', free: 'threads, no lock' } as const;

/**
 * What the `gil` mode leaves on a run (`detail.gil`): hand-offs, the share of the run the
 * lock was held, and its holds, none overlapping unless `overlaps` say so.
 */
function gilDetail(
  r: Rand,
  run: { start: number; wallMs: number },
  o: { lock: boolean; switchIntervalMs: number; heldShare: number; overlaps: number },
) {
  const n = r.int(1, 6);
  const span = run.wallMs / n;
  const holds = Array.from({ length: n }, (_, i) => ({
    threadId: 1 + (i % 2),
    start: run.start + i * span,
    end: run.start + i * span + span * o.heldShare,
  }));
  for (let k = 0; k < Math.min(o.overlaps, n - 1); k++) holds[k + 1]!.start = holds[k]!.end - 1;
  return {
    gil: {
      lock: o.lock,
      switchIntervalMs: o.switchIntervalMs,
      switches: r.weighted<() => number>([
        [1, () => 0],
        [1, () => 1],
        [3, () => r.int(2, 5000)],
      ])(),
      forcedDrops: r.int(0, 100),
      waitedMs: r.float(0, run.wallMs),
      heldMs: run.wallMs * o.heldShare,
      holds,
    },
  };
}

/** The three rows of `gil.compare` (and Python's threads as peers, some runs): one thread, N threads locked, N unlocked. */
function genLockComparison(r: Rand, env: Env, io: boolean): Comparison {
  const threads = r.weighted<() => number>([
    [6, () => r.pick([2, 4, 8])],
    [1, () => 1],
    [1, () => r.int(3, 64)],
  ])();
  const tasks = r.bool(0.3) ? r.int(1, 3) : r.int(4, 12);
  const switchIntervalMs = r.pick([5, 0.5, 20]);
  const repeats = genRepeats(r);
  const oneHeld = r.bool(0.6) ? r.float(0.97, 1) : r.float(0.3, 0.97);
  const gilRow = (label: string, workers: number, lock: boolean): Omit<RowPlan, 'walls'> => {
    const heldShare = label === GIL_ROWS.one ? oneHeld : r.float(0.2, 1);
    const overlaps = lock && r.bool(0.1) ? r.int(1, 3) : 0;
    return {
      label,
      mode: 'gil',
      origin: 'node',
      workers,
      tasks,
      startupMs: r.logUniform(5, 200),
      startupIncluded: false,
      lanes: Math.min(workers, tasks),
      failed: label === GIL_ROWS.one ? [] : genFailed(r, tasks),
      detail: (run) => gilDetail(r, run, { lock, switchIntervalMs, heldShare, overlaps }),
    };
  };
  const plans: Omit<RowPlan, 'walls'>[] = [
    gilRow(GIL_ROWS.one, 1, true),
    gilRow(GIL_ROWS.locked, threads, true),
    gilRow(GIL_ROWS.free, threads, false),
  ].filter((p, i) => i === 0 || !r.bool(0.05));
  const skipped: { label: string; reason: string }[] = [];
  if (!io && r.bool(0.6)) {
    const py = pythonState(r);
    for (const [name, mode, workers] of [
      ['one thread', 'sequential', 1],
      [`${threads} thread${threads === 1 ? '' : 's'}`, 'threads', threads],
    ] as const) {
      const label = `Python ${py.skipped ? '' : PYTHON_VERSION}${name}`;
      if (py.skipped) skipped.push({ label, reason: NO_PYTHON });
      else
        plans.push({
          label,
          mode,
          origin: 'python',
          workers,
          tasks,
          startupMs: 0,
          startupIncluded: true,
          lanes: Math.min(workers, tasks),
          crashed: py.crashed === mode,
          detail: () => ({
            python: '/usr/bin/python3',
            version: '3.12.3',
            gilEnabled: !py.freeThreaded,
            switchIntervalMs,
          }),
        });
    }
  }
  // The lock's rows are aimed at one thread; io's locked threads may gain (waits overlap), cpu's should not.
  const one = r.logUniform(5, 5000);
  const ideal = (p: Omit<RowPlan, 'walls'>) =>
    p.label === GIL_ROWS.locked
      ? io
        ? Math.min(threads, tasks)
        : 1
      : Math.min(p.workers, io ? Infinity : env.cores, tasks);
  const done = plans.map((p): RowPlan => {
    const m =
      p.label === GIL_ROWS.one || p.mode === 'sequential'
        ? one * (r.bool(0.5) ? 1 : r.float(0.7, 1.5))
        : one / genRatio(r, ideal(p));
    return { ...p, walls: genWalls(r, m, genRuns(r, repeats)) };
  });
  return buildComparison(done, {
    env,
    tasks,
    workers: threads,
    workload: io ? 'steps' : 'cpu',
    params: { threads, switchIntervalMs, count: tasks, num: 30 },
    skipped,
  });
}

/** The event loop blocked three ways, each run watched: heartbeats, requests, the loop's delay. */
function genLoop(r: Rand, env: Env): Comparison {
  const count = r.int(1, 12);
  const heartbeatMs = r.pick([10, 5, 50]);
  const concurrency = r.pick([4, 0, 1]);
  const latencyMs = r.pick([20, 5]);
  const taskMs = r.logUniform(1, 200);
  const rows: [string, 'async' | 'sequential' | 'threads', number][] = [
    ['on the event loop (Promise.all)', 'async', 1],
    ['on the event loop, yielding between tasks', 'sequential', 1],
    ['in a worker thread', 'threads', 1],
  ];
  const plans = rows.slice(0, r.bool(0.9) ? 3 : r.int(1, 3)).map(([label, mode, workers], i): RowPlan => {
    const wall = count * taskMs * (i === 2 ? r.float(0.9, 1.5) : r.float(1, 1.3));
    // How late the heartbeat came: the whole work on the loop, about a task yielding, little in a worker.
    const late =
      i === 0
        ? wall * r.float(0.3, 1.05)
        : i === 1
          ? taskMs * r.float(0.5, 3) + r.float(0, heartbeatMs)
          : r.float(0, 5);
    return {
      label,
      mode,
      origin: 'node',
      workers,
      tasks: count,
      startupMs: 0,
      startupIncluded: false,
      baseline: null,
      walls: [wall],
      lanes: 1,
      detail: (run) => {
        const beats = [0.2, 0.5, 0.9].map((x, k) => ({
          t: run.start + x * run.wallMs,
          latenessMs: k === 1 ? late : late * x * 0.5,
        }));
        const requests = concurrency
          ? Array.from({ length: r.int(0, 4) }, (_, k) => ({
              start: run.start + k,
              end: run.start + k + latencyMs + late * r.float(0, 1),
              ok: r.bool(0.9),
            }))
          : [];
        const samples = beats.map((b) => ({
          t: b.t,
          windowMs: 25,
          delayMs: b.latenessMs * 0.9,
          utilization: r.float(0, 1),
        }));
        return {
          watch: {
            trace: {
              start: run.start - 200,
              end: run.end + 200,
              resolutionMs: 5,
              heartbeatMs,
              sampleMs: 25,
              samples,
              beats,
              delay: { maxMs: late, p50Ms: 0, p99Ms: late },
            },
            requests,
            utilization: i === 2 ? r.float(0, 0.3) : r.float(0.5, 1),
          },
        };
      },
    };
  });
  return buildComparison(plans, {
    env,
    tasks: count,
    workers: 1,
    workload: 'cpu',
    params: { count, num: 30, heartbeatMs, concurrency, latencyMs, quietMs: 200 },
  });
}

/** The switch interval swept: the CPU threads at each interval against one thread, and an I/O thread's wait for the lock. */
function genSwitches(r: Rand, env: Env): Comparison {
  const threads = r.pick([2, 4, 1]);
  const count = r.int(1, 10);
  const intervals = atLeastOne(r.subset([0.1, 0.5, 1, 5, 20], 0.5), [5]);
  const repeats = genRepeats(r);
  const one = r.logUniform(5, 2000);
  const plans: RowPlan[] = [
    {
      label: GIL_ROWS.one,
      mode: 'gil',
      origin: 'node',
      workers: 1,
      tasks: count,
      startupMs: 10,
      startupIncluded: false,
      walls: genWalls(r, one, genRuns(r, repeats)),
      detail: (run) => gilDetail(r, run, { lock: true, switchIntervalMs: 5, heldShare: 1, overlaps: 0 }),
    },
  ];
  for (const ms of intervals) {
    const overlaps = r.bool(0.1) ? r.int(1, 2) : 0;
    plans.push({
      label: `${threads} threads at ${ms} ms`,
      mode: 'gil',
      origin: 'node',
      workers: threads,
      tasks: count,
      startupMs: 10,
      startupIncluded: false,
      baseline: GIL_ROWS.one,
      walls: genWalls(r, one / genRatio(r, 1), genRuns(r, repeats)),
      detail: (run) => gilDetail(r, run, { lock: true, switchIntervalMs: ms, heldShare: r.float(0.5, 1), overlaps }),
    });
    // The I/O thread: 40 waits of 1 ms, each followed by a wait for the lock of about the interval.
    const lag = ms * r.float(0, 1.2);
    plans.push({
      label: `I/O thread at ${ms} ms`,
      mode: 'gil',
      origin: 'node',
      workers: 2,
      tasks: 2,
      startupMs: 10,
      startupIncluded: false,
      baseline: null,
      walls: genWalls(r, 40 * (1 + lag) + 20, genRuns(r, repeats)),
      records: ({ start, wallMs }) => [
        { index: 0, pid: 1000, threadId: 1, start, end: start + Math.min(wallMs, 40 * (1 + lag)), ok: true },
        { index: 1, pid: 1000, threadId: 2, start, end: start + wallMs, ok: true },
      ],
      detail: (run) => gilDetail(r, run, { lock: true, switchIntervalMs: ms, heldShare: 0.9, overlaps: 0 }),
    });
  }
  return buildComparison(plans, {
    env,
    tasks: count,
    workers: threads,
    workload: 'cpu',
    params: { threads, intervals, ioWaits: 40, ioWaitMs: 1 },
  });
}

/** Amdahl's law measured: a set serial share of some work on 1..N threads without the lock, each against one thread. */
function genAmdahl(r: Rand, env: Env): Comparison {
  const f = r.pick([0, 0.1, 0.25, 0.5, 0.9, 1]);
  const workMs = r.pick([400, 50, 2000]);
  const most = Math.max(2, Math.min(8, Math.ceil(2 * env.cores)));
  const sizes = [
    1,
    ...r.subset(
      Array.from({ length: most - 1 }, (_, i) => i + 2),
      0.5,
    ),
  ];
  const plans = sizes.map((n): Omit<RowPlan, 'walls'> => ({
    label: `${n} thread${n === 1 ? '' : 's'}`,
    mode: 'gil',
    origin: 'node',
    workers: n,
    tasks: n,
    startupMs: 10,
    startupIncluded: false,
    detail: (run) => gilDetail(r, run, { lock: false, switchIntervalMs: 5, heldShare: f, overlaps: 0 }),
  }));
  return buildComparison(
    aimWalls(r, plans, { cores: env.cores, around: workMs * r.float(1, 1.3), repeats: genRepeats(r) }),
    {
      env,
      tasks: 1,
      workers: 1,
      workload: 'steps',
      params: { serialFraction: f, workMs },
    },
  );
}

/** Notebook 06: any of its five measurements, at least one. */
export function genGil(r: Rand): GilMeasured {
  const env = genEnv(r);
  const m: GilMeasured = {
    ...(r.bool(0.3) ? { loop: genLoop(r, env) } : {}),
    ...(r.bool(0.7) ? { cpu: genLockComparison(r, env, false) } : {}),
    ...(r.bool(0.25) ? { io: genLockComparison(r, env, true) } : {}),
    ...(r.bool(0.25) ? { switches: genSwitches(r, env) } : {}),
    ...(r.bool(0.25) ? { amdahl: genAmdahl(r, env) } : {}),
  };
  return Object.keys(m).length ? m : { cpu: genLockComparison(r, env, false) };
}

export type KitchenResult = Parameters<typeof kitchen.report>[0];
type Recipe = KitchenResult['dishes'][number];
type StepRecord = KitchenResult['runs'][number]['passes'][number]['steps'][number];

/** A recipe: 1 to 4 steps, each hands-on or waiting, 0 to 8 minutes. */
function genRecipe(r: Rand, i: number): Recipe {
  const steps = Array.from(
    { length: r.int(1, 4) },
    (_, k) =>
      [
        `step ${k + 1}`,
        r.pick(['hands-on', 'waiting'] as const),
        r.weighted<() => number>([
          [6, () => r.int(1, 6)],
          [1, () => 0],
          [1, () => r.float(0.5, 8)],
        ])(),
      ] as const,
  );
  return kitchen.recipe(`dish ${i + 1}`, ...steps);
}

/** What a step takes beyond its plan even at 0 minutes: reading the clock, awaiting. */
const STEP_MS = 0.02;

/**
 * One robot cooking its orders, as cook.ts does on a thread: one after another, or
 * interleaved (Promise.all over the dishes: a dish runs its hands-on steps until it waits,
 * a timer's continuation runs when it is due and the robot is free). Hands-on steps take
 * `stretch` x their planned time (robots sharing cores), timers end `late` ms late.
 */
function cookSim(
  robot: number,
  orders: { order: number; recipe: Recipe }[],
  style: 'one after another' | 'interleaved',
  o: { start: number; msPerMinute: number; stretch: number; late: () => number },
): StepRecord[] {
  const steps: StepRecord[] = [];
  let busyUntil = o.start;
  const record = (order: { order: number; recipe: Recipe }, k: number, start: number, end: number) => {
    const s = order.recipe.steps[k]!;
    steps.push({
      index: steps.length,
      pid: 1000,
      threadId: robot,
      start,
      end,
      ok: true,
      robot,
      order: order.order,
      dish: order.recipe.name,
      step: s.name,
      kind: s.kind,
      plannedMs: s.minutes * o.msPerMinute,
    });
  };
  // Each dish's continuation: the step it is at, when it can go on, and a wait to close.
  const dishes = orders.map((order) => ({ order, k: 0, ready: o.start, wait: undefined as number | undefined }));
  const order = style === 'interleaved' ? dishes : [];
  if (style === 'one after another') {
    let t = o.start;
    for (const d of dishes) {
      d.order.recipe.steps.forEach((s, k) => {
        const planned = s.minutes * o.msPerMinute;
        const end = t + (s.kind === 'hands-on' ? planned * o.stretch : Math.max(0, planned + o.late())) + STEP_MS;
        record(d.order, k, t, end);
        t = end;
      });
    }
    return steps;
  }
  for (;;) {
    const next = order.filter((d) => d.k < d.order.recipe.steps.length || d.wait !== undefined);
    if (!next.length) break;
    const d = next.reduce((a, b) => (b.ready < a.ready ? b : a));
    let now = Math.max(d.ready, busyUntil);
    if (d.wait !== undefined) {
      record(d.order, d.k - 1, d.wait, now);
      d.wait = undefined;
    }
    while (d.k < d.order.recipe.steps.length) {
      const s = d.order.recipe.steps[d.k]!;
      const planned = s.minutes * o.msPerMinute;
      d.k++;
      if (s.kind === 'hands-on') {
        record(d.order, d.k - 1, now, now + planned * o.stretch + STEP_MS);
        now += planned * o.stretch + STEP_MS;
        busyUntil = now;
      } else {
        d.wait = now;
        d.ready = now + Math.max(0, planned + o.late()) + STEP_MS;
        break;
      }
    }
    if (d.k >= d.order.recipe.steps.length && d.wait === undefined) d.ready = Infinity;
  }
  return steps;
}

/** Notebook 03: the robot kitchen's four runs, cooked by simulation, read back as kitchen.cook reads its comparison. */
export function genKitchen(r: Rand): KitchenResult {
  const env = genEnv(r);
  const dishes = Array.from(
    {
      length: r.weighted<() => number>([
        [4, () => 3],
        [3, () => r.int(1, 4)],
      ])(),
    },
    (_, i) => genRecipe(r, i),
  );
  const orders = r.bool(0.5) ? 10 : r.int(1, 12);
  const robots = r.bool(0.5) ? 3 : r.int(1, 6);
  const msPerMinute = r.pick([40, 1, 5]);
  const repeats = genRepeats(r);
  const ids = r.bool(0.7)
    ? (['sequential', 'interleaved', 'parallel', 'both'] as const)
    : atLeastOne(r.subset(['sequential', 'interleaved', 'parallel', 'both'] as const, 0.6), ['sequential']);
  const plans = kitchen.plans(dishes, orders, robots).filter((p) => (ids as readonly string[]).includes(p.id));
  const late = () => (r.bool(0.8) ? r.float(0, 1.5) : r.bool(0.5) ? r.float(-1, 0) : r.float(2, 30));
  // Each pass cooked from time 0 (its steps are moved to its run's start): a robot is a task.
  const passes = plans.map((plan) => {
    const used = plan.robots.length;
    const shared = used > env.cores ? used / env.cores : 1;
    return Array.from({ length: genRuns(r, repeats) }, () => {
      const stretch = shared * (r.bool(0.15) ? r.float(0.9, 1) : r.float(1, 1.3));
      return plan.robots.map((o2, i) => cookSim(i + 1, o2, plan.style, { start: 0, msPerMinute, stretch, late }));
    });
  });
  const shift = (steps: StepRecord[][], by: number) =>
    steps.map((robot) => robot.map((st) => ({ ...st, start: st.start + by, end: st.end + by })));
  const spanOf = (steps: StepRecord[]) => (steps.length ? Math.max(...steps.map((st) => st.end)) : 0);
  const rowPlans = plans.map((plan, p): RowPlan => ({
    label: plan.title,
    mode: 'threads',
    origin: 'node',
    workers: plan.robots.length,
    tasks: plan.robots.length,
    startupMs: r.logUniform(10, 200),
    startupIncluded: false,
    baseline: null,
    // The run ends when the last robot has handed back its steps.
    walls: passes[p]!.map((robots) => Math.max(0.01, ...robots.map(spanOf)) + 0.2),
    records: ({ repeat, start }) =>
      shift(passes[p]![repeat]!, start).map((steps, i) => ({
        index: i,
        pid: 1000,
        threadId: i + 1,
        start: steps.length ? Math.min(...steps.map((st) => st.start)) : start,
        end: steps.length ? spanOf(steps) : start,
        ok: true,
      })),
    results: ({ repeat, start }) => shift(passes[p]![repeat]!, start),
  }));
  const comparison = buildComparison(rowPlans, {
    env,
    tasks: 0,
    workers: Math.max(1, ...rowPlans.map((p) => p.workers)),
    workload: 'cook',
    params: { dishes: dishes.map((d) => d.name).join(','), orders, robots, msPerMinute, repeats },
  });
  // What kitchen.cook does with its comparison: a pass per run, from its steps; the ideal per plan.
  const runs = plans.map((plan) => {
    const passes = comparison.runs
      .filter((x) => x.label === plan.title)
      .map((run) => {
        const stepsOf = (run.results as StepRecord[][])
          .flat()
          .sort((a, b) => a.start - b.start)
          .map((st, index) => ({ ...st, index }));
        const end = stepsOf.length ? Math.max(...stepsOf.map((st) => st.end)) : run.end;
        return { repeat: run.repeat, start: run.start, end, wallMs: end - run.start, steps: stepsOf };
      });
    return {
      ...plan,
      ideal: idealOf(plan, msPerMinute, env.cores),
      passes,
      wall: summarize(passes.map((p) => p.wallMs)),
    };
  });
  return { dishes, orders, robots, msPerMinute, rate: 1e6, repeats, runs, comparison, env };
}

export type ThreadsMeasured = Parameters<typeof threads.report>[0];

/** "1 KB", "16 MB" (threads/messages.ts `formatBytes`). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let u = 0;
  while (bytes >= 1024 && u < units.length - 1 && bytes % 1024 === 0) {
    bytes /= 1024;
    u++;
  }
  return `${bytes} ${units[u]}`;
}

/** A row per peer that ran once per run, one task each (as `messageCosts`, `counterRace`, `startupCosts` make them). */
function peerRows(
  r: Rand,
  env: Env,
  rows: {
    label: string;
    mode: Run['mode'];
    workers: number;
    median: number;
    baseline?: string;
    detail?: (run: Run) => Record<string, unknown>;
  }[],
  repeats: number,
  params: Record<string, unknown>,
): Comparison {
  return buildComparison(
    rows.map((x): RowPlan => ({
      label: x.label,
      mode: x.mode,
      origin: 'node',
      workers: x.workers,
      tasks: 0,
      startupMs: 0,
      startupIncluded: false,
      ...(x.baseline ? { baseline: x.baseline } : {}),
      walls: genWalls(r, x.median, genRuns(r, repeats)),
      records: ({ start, wallMs }) => [{ index: 0, pid: 1000, threadId: 1, start, end: start + wallMs, ok: true }],
      ...(x.detail ? { detail: x.detail } : {}),
    })),
    { env, tasks: 0, workers: 1, workload: 'sleep', params },
  );
}

/** Notebook 02: the threads that reported, a shared write, copying costs by size, the counter race. */
export function genThreads(r: Rand): ThreadsMeasured {
  const env = genEnv(r);
  // Copying costs: a peer per method and size; a copy grows with the size, sharing does not (mostly).
  const sizes = atLeastOne(r.subset([1 << 10, 1 << 14, 1 << 18, 1 << 22, 1 << 24], 0.35), [1 << 10]);
  const repeats = genRepeats(r);
  const base = r.logUniform(0.05, 0.5);
  const rows = sizes.flatMap((bytes) =>
    (['clone', 'transfer', 'shared'] as const).map((method) => {
      const grows = method === 'clone' ? bytes / r.pick([1e6, 1e7, 1e9]) : 0;
      return {
        label: `${method} ${formatBytes(bytes)}`,
        mode: 'threads' as const,
        workers: 1,
        median: (base + grows) * (r.bool(0.3) ? 1 : r.logUniform(0.7, 1.5)),
        baseline: `shared ${formatBytes(bytes)}`,
      };
    }),
  );
  const messages = peerRows(r, env, rows, repeats, { sizes, repeats });
  const methods = ['clone', 'transfer', 'shared'] as const;
  const samples = sizes.flatMap((bytes) =>
    methods.flatMap((method) =>
      messages.runs
        .filter((x) => x.label === `${method} ${formatBytes(bytes)}`)
        .map((x) => ({ method, bytes, repeat: x.repeat, ms: x.wallMs })),
    ),
  );
  const summary = sizes.flatMap((bytes) =>
    methods.map((method) => ({
      method,
      bytes,
      ms: summarize(samples.filter((x) => x.method === method && x.bytes === bytes).map((x) => x.ms)),
    })),
  );
  const costs = { sizes, repeats, samples, summary, comparison: messages, env };
  // The race: N threads adding to one counter, a peer per way; reading then writing loses updates (not on one thread).
  const n = r.weighted<() => number>([
    [4, () => 2],
    [1, () => 1],
    [2, () => r.int(3, 64)],
  ])();
  const increments = r.pick([1_000_000, 1000, 1]);
  const raceRepeats = genRepeats(r);
  const modes = atLeastOne<'unsafe' | 'atomics' | 'lock'>(r.subset(['unsafe', 'atomics', 'lock'] as const, 0.7), [
    'unsafe',
  ]);
  const expected = n * increments;
  const race = peerRows(
    r,
    env,
    modes.map((mode) => ({
      label: mode,
      mode: 'threads' as const,
      workers: n,
      median: r.logUniform(1, 500) * (mode === 'lock' ? r.float(1, 20) : 1),
      detail: () => {
        const loses = mode === 'unsafe' ? n > 1 && r.bool(0.8) : r.bool(0.03);
        const lost = loses ? r.int(1, Math.max(1, expected - 1)) : 0;
        return { final: expected - lost, expected, lost };
      },
    })),
    raceRepeats,
    { threads: n, increments, repeats: raceRepeats },
  );
  const runs = modes.flatMap((mode) =>
    race.runs
      .filter((x) => x.label === mode)
      .map((x) => {
        const d = x.detail as { final: number; expected: number; lost: number };
        return { mode, repeat: x.repeat, threads: n, expected: d.expected, final: d.final, lost: d.lost, ms: x.wallMs };
      }),
  );
  const raceSummary = modes.map((mode) => {
    const mine = runs.filter((x) => x.mode === mode);
    return {
      mode,
      lost: summarize(mine.map((x) => x.lost)),
      ms: summarize(mine.map((x) => x.ms)),
      runsWithLosses: mine.filter((x) => x.lost > 0).length,
    };
  });
  const reported = r.int(0, 6);
  const value = r.int(1, 99);
  return {
    reports: Array.from({ length: reported }, (_, i) => ({
      pid: r.bool(0.9) ? process.pid : 4242,
      threadId: r.bool(0.9) ? i + 1 : 1,
    })),
    seen: { workerThreadId: 1, value, mainShared: r.bool(0.9) ? value : 0, mainCopied: r.bool(0.9) ? 0 : value },
    costs,
    race: { threads: n, increments, repeats: raceRepeats, runs, summary: raceSummary, comparison: race, env },
  };
}

export type ProcessesMeasured = Parameters<typeof processes.report>[0];

/** Notebook 01: the children that reported, the memory demo, the start-up costs of each kind. */
export function genProcesses(r: Rand): ProcessesMeasured {
  const env = genEnv(r);
  const all = ['spawn true', 'spawn node', 'fork node', 'worker thread'] as const;
  const kinds = atLeastOne<(typeof all)[number]>(r.subset(all, 0.7), ['fork node']);
  const repeats = genRepeats(r);
  const node = r.logUniform(30, 300);
  const medians: Record<string, number> = {
    'spawn true': node * r.pick([0.02, 0.3, 0.6, 1]),
    'spawn node': node * r.float(0.8, 1.3),
    'fork node': node,
    'worker thread': node * r.pick([0.1, 0.3, 1, 1.02]),
  };
  const comparison = peerRows(
    r,
    env,
    kinds.map((kind) => ({
      label: kind,
      mode: kind === 'worker thread' ? ('threads' as const) : ('processes' as const),
      workers: 1,
      median: medians[kind]!,
    })),
    repeats,
    { repeats },
  );
  const samples = kinds.flatMap((kind) =>
    comparison.runs.filter((x) => x.label === kind).map((x) => ({ kind, repeat: x.repeat, ms: x.wallMs })),
  );
  const summary = kinds.map((kind) => ({
    kind,
    ms: summarize(samples.filter((x) => x.kind === kind).map((x) => x.ms)),
  }));
  const children = r.int(0, 5);
  const received = r.int(0, 9);
  const answered = r.bool(0.9);
  return {
    reports: Array.from({ length: children }, (_, i) => ({
      pid: r.bool(0.9) ? 5000 + i : 5000,
      ppid: r.bool(0.9) ? process.pid : 1,
      threadId: r.bool(0.95) ? 0 : 1,
    })),
    memory: {
      child: { pid: 5000, received, counter: answered ? received + r.int(0, 1) : NaN },
      parentAfter: r.bool(0.9) ? received : received + 1,
    },
    startup: { kinds: [...kinds], repeats, samples, summary, comparison, env },
  };
}

export type QueueMeasured = Parameters<typeof queue.report>[0];

/** Notebook 07: the queue beside the process pool, a round trip, the scaling sweep, the law on paper, a worker killed. */
export function genQueue(r: Rand): QueueMeasured {
  const env = genEnv(r);
  const tasks = r.int(1, 12);
  const workers = r.bool(0.2) ? 1 : r.pick([2, 4, 8]);
  const repeats = genRepeats(r);
  const brokerWatch = (perJob: number) => (run: Run) => ({ watch: perJob * run.tasks.length });
  const queueRow = (label: string, n: number, t: number) => ({
    label,
    mode: 'queue' as Run['mode'],
    origin: 'node',
    workers: n,
    tasks: t,
    startupMs: r.logUniform(20, 500),
    startupIncluded: false,
    lanes: Math.min(n, t),
    busy: r.float(0.3, 1),
    failed: genFailed(r, t),
    detail: brokerWatch(r.logUniform(0.005, 0.5)),
  });
  const poolRow = (n: number, t: number) => ({
    label: `processes (${n})`,
    mode: 'processes' as Run['mode'],
    origin: 'node',
    workers: n,
    tasks: t,
    startupMs: r.logUniform(20, 500),
    startupIncluded: false,
    lanes: Math.min(n, t),
  });
  const plans: Omit<RowPlan, 'walls'>[] = [];
  if (r.bool(0.5))
    plans.push({
      label: 'sequential',
      mode: 'sequential',
      origin: 'node',
      workers: 1,
      tasks,
      startupMs: 0,
      startupIncluded: false,
    });
  const oneWorker = r.bool(0.8);
  for (const n of oneWorker && workers > 1 ? [1, workers] : [workers]) {
    plans.push(poolRow(n, tasks));
    plans.push(queueRow(`queue (${n})`, n, tasks));
  }
  const comparison = buildComparison(
    aimWalls(r, plans, { cores: env.cores, around: r.logUniform(50, 5000), repeats }),
    {
      env,
      tasks,
      workers,
      workload: 'cpu',
      params: { num: 30, count: tasks },
    },
  );
  const tiny = r.int(5, 200);
  const trip = r.bool(0.4)
    ? buildComparison(
        (['threads', 'processes', 'queue'] as const).map((mode) => ({
          label: mode,
          mode,
          origin: 'node',
          workers: 1,
          tasks: tiny,
          startupMs: 10,
          startupIncluded: false,
          baseline: null,
          walls: genWalls(
            r,
            tiny * (mode === 'queue' ? r.logUniform(0.2, 3) : r.logUniform(0.02, 0.3)),
            genRuns(r, repeats),
          ),
          records: ({ start, wallMs }: { start: number; wallMs: number }) =>
            Array.from({ length: Math.min(tiny, 5) }, (_, i) => ({
              index: i,
              pid: 1000,
              threadId: 1,
              start: start + (i * wallMs) / 5,
              end: start + ((i + 1) * wallMs) / 5,
              ok: true,
            })),
          ...(mode === 'queue' ? { detail: brokerWatch(r.logUniform(0.005, 0.5)) } : {}),
        })),
        { env, tasks: tiny, workers: 1, workload: 'spin', params: { tasks: tiny } },
      )
    : undefined;
  const sweepTasks = r.int(1, 12);
  const most = Math.max(2, Math.min(8, Math.ceil(2 * env.cores)));
  const sizes = [
    1,
    ...r.subset(
      Array.from({ length: most - 1 }, (_, i) => i + 2),
      0.5,
    ),
  ];
  const scaling = r.bool(0.4)
    ? buildComparison(
        aimWalls(
          r,
          sizes.flatMap((n) => [poolRow(n, sweepTasks), queueRow(`queue (${n})`, n, sweepTasks)]),
          { cores: env.cores, around: r.logUniform(50, 5000), repeats: genRepeats(r) },
        ),
        { env, tasks: sweepTasks, workers: Math.max(...sizes), workload: 'cpu', params: {} },
      )
    : undefined;
  const rttMs = trip && scaling && r.bool(0.7) ? r.pick([0, 0.5, 5]) : undefined;
  const recovery = r.bool(0.25) ? genRecovery(r, env) : undefined;
  const cut = r.bool(0.2) ? genRecovery(r, env) : undefined;
  if (cut) cut.killed.how = 'cut';
  return {
    comparison,
    ...(trip ? { trip } : {}),
    ...(scaling ? { scaling } : {}),
    ...(rttMs === undefined ? {} : { rttMs }),
    ...(recovery ? { recovery } : {}),
    ...(cut ? { cut } : {}),
  };
}

/** A run in which a worker was killed mid-task: its records, the jobs' times, and what recovery read from them. */
function genRecovery(r: Rand, env: Env): NonNullable<QueueMeasured['recovery']> {
  const tasks = r.int(1, 12);
  const start = 1.7e12;
  const killedIndex = r.int(0, tasks - 1);
  const restarted = r.bool(0.85);
  const lostOne = r.bool(0.1);
  const records = Array.from({ length: tasks }, (_, i) => ({
    index: i,
    pid: 2000 + (i % 2),
    threadId: 0,
    host: 'here',
    start: start + 10 * i + 1,
    end: start + 10 * i + 9,
    ok: !(lostOne && i === killedIndex),
  }));
  const attempts = records.map((_, i) => (i === killedIndex && restarted ? 2 : 1));
  const run: Run = {
    label: 'queue',
    mode: 'queue',
    origin: 'node',
    workers: 2,
    cores: env.cores,
    repeat: 0,
    start,
    end: start + 10 * tasks,
    wallMs: 10 * tasks,
    tasks: Tasks.of(records),
    results: [],
    detail: {
      jobs: {
        enqueued: records.map(() => start),
        started: records.map((t) => t.start),
        finished: records.map((t) => t.end + 0.5),
        attempts,
      },
    },
  };
  const at = start + 10 * killedIndex + 5;
  return {
    killed: { pid: 2002, host: 'here', jobId: String(killedIndex + 1), index: killedIndex, at },
    tasks,
    completed: records.filter((t) => t.ok).length,
    countedOnce: r.bool(0.9),
    ranTwice: attempts.flatMap((a, i) => (a > 1 ? [i] : [])),
    firstStart: at - 3,
    restart: restarted ? at + 40 : undefined,
    finished: restarted ? at + 50 : undefined,
    delayMs: restarted ? 40 : undefined,
    run,
    lost: {
      index: killedIndex,
      pid: 2002,
      threadId: -1,
      host: 'here',
      start: at - 3,
      end: at,
      ok: false,
      error: 'its worker was killed (SIGKILL) mid-task',
    },
  };
}
