/**
 * "What we measured" for the CPU-bound experiment, and its headline, from its summary. Every
 * explanation comes with the evidence for it, read from the task records (tasks at once, a
 * task's time inside its worker, the wait between tasks), and each pool is read against its
 * own one-worker run: the same kind of worker, so its speedup is the parallelism alone.
 */
import { describeCores } from '../../core/environment';
import type { Environment } from '../../core/records';
import { formatMs } from '../../core/summary';
import { compareTimes, count, failureWords, noiseOf, speedupWords, times, versus } from '../../core/words';
import { medianTask, type CpuRow, type CpuSummary } from './summary';

/** A phrase as a sentence: capitalised, with a full stop. */
export function sentence(phrase: string): string {
  return `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.`;
}

/** Below this share of a task, the time a worker waits between tasks is not worth a sentence. */
const HANDOFF_SHARE = 0.25;

/** Every task of the row failed: its time is how long failing took, not a speed, so it is read against nothing. */
const noWork = (row: Pick<CpuRow, 'failures' | 'tasks' | 'wall'> | undefined) =>
  row !== undefined && row.failures.length >= Math.max(1, row.tasks) * row.wall.n;

/** "2 threads", "1 process", "4 queue workers". */
export function poolWords(row: Pick<CpuRow, 'mode' | 'workers'>): string {
  if (row.mode === 'processes') return count(row.workers, 'process', 'processes');
  if (row.mode === 'threads') return count(row.workers, 'thread');
  return count(row.workers, `${row.mode} worker`);
}

/** "one worker thread" for the baseline of a pool, else the baseline's label. */
function baseName(row: CpuRow, rows: readonly CpuRow[]): string {
  const base = rows.find((r) => r.label === row.baseline);
  if (!base) return row.baseline ?? '';
  if (base.origin === 'node' && base.workers === 1 && base.mode === row.mode && row.mode !== 'sequential') {
    return `one ${row.mode === 'processes' ? 'worker process' : row.mode === 'threads' ? 'worker thread' : `${row.mode} worker`}`;
  }
  return base.origin === 'python' && base.mode === 'sequential' ? "Python's sequential program" : base.label;
}

/**
 * Why a pool beat its ideal, when its task records show it: its tasks ran faster than on one
 * worker. When that accounts for only part of the gain, the rest is said as unexplained.
 */
function causeAbove(row: CpuRow, rows: readonly CpuRow[]): string | undefined {
  const base = rows.find((r) => r.label === row.baseline);
  if (!base || !row.taskMs.length || !base.taskMs.length) return undefined;
  const c = compareTimes(row.taskMs, base.taskMs);
  if (c.direction !== 'faster') return undefined;
  const tasks = `its tasks themselves ran ${c.words} (${formatMs(medianTask(row))} against ${formatMs(medianTask(base))} a task, medians)`;
  const explained = row.idealSpeedup * c.factor;
  const measured = compareTimes(row.walls, row.baseWalls).factor;
  if (measured / explained - 1 <= noiseOf(row.walls, row.baseWalls)) return tasks;
  return `${tasks}, which accounts for ${times(explained)}; the rest is more than the runs can explain (look at the timeline)`;
}

/** The sentence on a row against its baseline, with the ideal where the baseline does the same work on fewer workers. */
export function againstBaseline(row: CpuRow, rows: readonly CpuRow[]): string | undefined {
  if (!row.baseline || !row.baseWalls.length) return undefined;
  const name = baseName(row, rows);
  if (noWork(row)) return `every task failed, so its time is no speed against ${name}`;
  if (noWork(rows.find((r) => r.label === row.baseline)))
    return `every task of ${name} failed, so there is no speed to read against it`;
  return speedupWords(row.walls, row.baseWalls, name, row.idealSpeedup, causeAbove(row, rows));
}

/** What the task records of one row support. */
function evidence(row: CpuRow, cores: number): string[] {
  const out: string[] = [];
  if (row.mode === 'async' && row.atOnce === 1) out.push('Its tasks ran one at a time: none overlapped another.');
  if (row.workers > 1 && row.atOnce > 0) {
    out.push(
      `Up to ${count(row.atOnce, 'task')} ${row.atOnce === 1 ? 'was' : 'were'} in progress at once, on ${count(cores, 'core')}.`,
    );
  }
  const task = medianTask(row);
  if (row.workers > 1 && task > 0 && row.waitMs >= HANDOFF_SHARE * task) {
    const share = row.waitMs / task;
    const most = share > 1.2 ? ': more than the task itself' : share >= 0.8 ? ': about as much as the task itself' : '';
    out.push(
      `Before each task a worker waited ${formatMs(row.waitMs)} on average (a task handed over, a result handed back` +
        `${row.atOnce > cores ? ', a turn on a core' : ''}), ${(share * 100).toFixed(0)}% of the ${formatMs(task)} a task took${most}.`,
    );
  }
  return out;
}

/** The main thread against one pool worker, per task: the conditions the two run under. */
function conditions(one: CpuRow, seq: CpuRow): string {
  const c = compareTimes(one.taskMs, seq.taskMs);
  const tasks = `A task took ${formatMs(medianTask(one))} here and ${formatMs(medianTask(seq))} on the main thread (medians)`;
  if (c.direction === 'same') return `${tasks}: ${c.words}.`;
  return (
    `${tasks}: ${c.words} in the pool's worker. The two run under different conditions (a pool worker has a heap of its own, with a 4 MB young generation; ` +
    'the main thread has the notebook or the command line to serve), so each pool is read against its own one-worker run, not against sequential.'
  );
}

function nodeLine(row: CpuRow, s: CpuSummary): string {
  const rows = s.rows;
  const n = row.wall.n > 1 ? ` of ${count(row.wall.n, 'run')}` : '';
  const parts = [`${formatMs(row.wall.median)} median${n}.`];
  if (row.startupMs && !row.startupIncluded)
    parts.push(`The pool took ${formatMs(row.startupMs)} to start, not counted.`);
  const against = againstBaseline(row, rows);
  if (against) parts.push(sentence(against));
  const seq = rows.find((r) => r.label === 'sequential');
  if (
    row.workers === 1 &&
    row.mode !== 'sequential' &&
    row.mode !== 'async' &&
    seq?.taskMs.length &&
    row.taskMs.length
  ) {
    parts.push(conditions(row, seq));
  }
  if (row.mode === 'processes' && row.workers > 1) {
    const threads = rows.find(
      (r) => r.mode === 'threads' && r.workers === row.workers && r.origin === 'node' && !r.startupIncluded,
    );
    if (threads && !noWork(row) && !noWork(threads))
      parts.push(sentence(versus(row.walls, threads.walls, `the thread pool of ${threads.workers}`)));
  }
  parts.push(...evidence(row, s.cores));
  return `- **${row.label}**: ${parts.join(' ')}${failureWords(row.failures, row.tasks * row.wall.n)}`;
}

function pythonLines(s: CpuSummary): string[] {
  const py = s.rows.filter((r) => r.origin === 'python');
  const skipped = s.skipped.map((k) => `- **${k.label}** did not run: ${k.reason}`);
  if (!py.length) return skipped;
  const lines = [
    "**The course's Python programs**, run here on the same inputs (each timed whole, its pool's start-up included):",
    '',
  ];
  for (const row of py) {
    const parts = [`${formatMs(row.wall.median)} median of ${count(row.wall.n, 'run')}.`];
    const against = againstBaseline(row, s.rows);
    if (against) parts.push(sentence(against));
    const worked = !noWork(row) && !noWork(s.rows.find((r) => r.label === row.baseline));
    const c = row.baseWalls.length && worked ? compareTimes(row.walls, row.baseWalls) : undefined;
    if (row.mode === 'threads' && c && c.direction !== 'faster') {
      if (s.cores === 1) parts.push('With one core no pool can run two tasks at once, GIL or not.');
      else if (row.gilEnabled === false) {
        parts.push('This Python is a free-threaded build (no GIL), so the GIL does not explain it.');
      } else if (row.atOnce > 1) {
        parts.push(
          `Up to ${count(row.atOnce, 'task')} were in progress at once, yet the pool was no faster than one thread: ` +
            "its threads took turns to run Python (CPython's global interpreter lock).",
        );
      }
    }
    lines.push(`- **${row.label}**: ${parts.join(' ')}${failureWords(row.failures, row.tasks * row.wall.n)}`);
  }
  return [...lines, ...skipped, '', ...sideBySide(s)];
}

/** Node against Python, way by way: each Node pool timed end to end as Python's executors time themselves. */
function sideBySide(s: CpuSummary): string[] {
  const find = (origin: string, mode: string, whole: boolean) =>
    s.rows.find(
      (r) =>
        r.origin === origin &&
        r.mode === mode &&
        (mode === 'sequential' || r.startupIncluded === whole) &&
        (mode === 'sequential' || r.workers > 1),
    );
  const rows: string[] = [];
  for (const [what, mode] of [
    ['one after another', 'sequential'],
    ['a pool of threads', 'threads'],
    ['a pool of processes', 'processes'],
  ] as const) {
    const py = find('python', mode, true);
    const node = find('node', mode, true);
    if (!py || !node || noWork(py) || noWork(node)) continue;
    rows.push(
      `| ${what} | ${py.label}: ${formatMs(py.wall.median)} | ${node.label}: ${formatMs(node.wall.median)} | ${versus(node.walls, py.walls, 'Python')} |`,
    );
  }
  const seqNode = s.rows.find((r) => r.label === 'sequential');
  const seqPy = s.rows.find((r) => r.origin === 'python' && r.mode === 'sequential');
  const perTask: string[] = [];
  if (seqNode?.taskMs.length && seqPy?.taskMs.length) {
    const c = compareTimes(seqPy.taskMs, seqNode.taskMs);
    perTask.push(
      '',
      `**Per task**, one after another: a task took ${formatMs(medianTask(seqNode))} in Node (V8's \`BigInt\`) and ` +
        `${formatMs(medianTask(seqPy))} in Python (CPython's \`int\`), medians: ${c.direction === 'same' ? c.words : `Python's ${c.words}`}.`,
    );
  }
  if (!rows.length) return perTask;
  return [`| ${s.work} | Python | Node | Node against Python |`, '| --- | --- | --- | --- |', ...rows, ...perTask];
}

function scalingLines(s: CpuSummary): string[] {
  const sc = s.scaling;
  if (!sc || sc.points.length === 0) return [];
  const rows = sc.rows.filter((r) => r.mode === sc.mode).sort((a, b) => a.workers - b.workers);
  const lines = [
    `**Scaling**, the same work on each pool size, each against one worker (${formatMs(sc.baselineMs)}):`,
    '',
  ];
  for (const row of rows.filter((r) => r.baseline))
    lines.push(`- ${poolWords(row)}: ${formatMs(row.wall.median)}, ${againstBaseline(row, rows)}.`);
  const within = rows.filter((r) => r.workers <= s.cores);
  const beyond = rows.filter((r) => r.workers > s.cores);
  const ref = within[within.length - 1];
  const last = beyond[beyond.length - 1];
  const after: string[] = [];
  if (ref && last && ref.workers > 1 && !noWork(ref) && !noWork(last)) {
    const c = compareTimes(last.walls, ref.walls);
    const turns = c.direction === 'slower' ? `: ${poolWords(last)} took turns on ${count(s.cores, 'core')}` : '';
    after.push(`${poolWords(last)} against ${poolWords(ref)}: ${c.words}${turns}.`);
  }
  // Rows that failed every task have no speed: none is read, and no fit is drawn through them.
  const speed = (r: CpuRow) =>
    r.baseline && !noWork(r) && !noWork(rows.find((b) => b.label === r.baseline))
      ? compareTimes(r.walls, r.baseWalls)
      : undefined;
  const gained = rows.filter((r) => speed(r)?.direction === 'faster');
  const above = rows.some((r) => {
    const c = speed(r);
    return c?.direction === 'faster' && c.factor > r.idealSpeedup * (1 + c.noise);
  });
  if (rows.length > 1 && gained.length === 0) {
    after.push('No larger pool was measurably faster than one worker, so an Amdahl fit would say nothing here.');
  } else if (gained.length > 0 && !above && !rows.some(noWork)) {
    after.push(`An Amdahl fit to these points puts the serial share at ${(sc.serialFraction * 100).toFixed(1)}%.`);
  }
  return after.length ? [...lines, '', after.join(' ')] : lines;
}

/** The machine, for the opening line. */
export function machine(env: Environment): string {
  return `${describeCores(env)}, ${env.cpuModel}, Node ${env.node}`;
}

/** The findings of a CPU measurement, in markdown, and its one-sentence headline. */
export function cpuFindings(s: CpuSummary, env: Environment): { findings: string; headline: string } {
  const node = s.rows.filter((r) => r.origin === 'node' && !r.startupIncluded);
  const lines = [`On this machine (${machine(env)}), ${s.work}:`, '', ...node.map((r) => nodeLine(r, s))];
  const python = pythonLines(s);
  if (python.length) lines.push('', ...python);
  const scaling = scalingLines(s);
  if (scaling.length) lines.push('', ...scaling);
  return { findings: lines.join('\n'), headline: cpuHeadline(s) };
}

function cpuHeadline(s: CpuSummary): string {
  const pools = s.rows.filter((r) => r.origin === 'node' && !r.startupIncluded && r.workers > 1 && r.baseline);
  const pool = pools.find((r) => r.mode === 'threads') ?? pools[0];
  const start = `CPU-bound, ${s.work} on ${count(s.cores, 'core')}`;
  if (!pool) {
    const seq = s.rows.find((r) => r.label === 'sequential') ?? s.rows[0];
    return seq ? `${start}: ${seq.label} took ${formatMs(seq.wall.median)}` : start;
  }
  const failed = pool.failures.length
    ? `; ${pool.failures.length} of ${count(pool.tasks * pool.wall.n, 'task')} failed`
    : '';
  if (noWork(pool) || noWork(s.rows.find((r) => r.label === pool.baseline)))
    return `${start}: a pool of ${poolWords(pool)}: ${againstBaseline(pool, s.rows)}${noWork(pool) ? '' : failed}`;
  const words = againstBaseline(pool, s.rows)!.replace(/ \((within the|one run each)[^)]*\)/, '');
  const verb = words.startsWith('no measurable') ? 'showed' : 'ran';
  return `${start}: a pool of ${poolWords(pool)} ${verb} ${words} (the ideal: ${times(pool.idealSpeedup)})${failed}`;
}
