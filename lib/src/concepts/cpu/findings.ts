/** CPU findings and headline: each pool against its own one-worker run, so its speedup is the parallelism alone. */
import { describeCores } from '../../core/environment';
import type { Environment } from '../../core/records';
import { formatMs } from '../../core/summary';
import { compareTimes, count, failureWords, noiseOf, percent, speedupWords, times, versus } from '../../core/words';
import type { CpuRow, CpuSummary } from './summary';

const sentence = (phrase: string) => `${phrase.charAt(0).toUpperCase()}${phrase.slice(1)}.`;

/** Every task of the row failed: its time is how long failing took, not a speed, so it is read against nothing. */
const noWork = (row: CpuRow | undefined) =>
  row !== undefined && row.failures.length >= Math.max(1, row.tasks) * row.wall.n;

/** Both the row and its baseline did work, so there is a speed to read. */
const worked = (row: CpuRow, rows: readonly CpuRow[]) =>
  !noWork(row) && !noWork(rows.find((b) => b.label === row.baseline));

const ONE_WORKER: Record<string, string> = { processes: 'worker process', threads: 'worker thread' };

/** "2 threads", "1 process", "4 queue workers". */
function poolWords({ mode, workers }: CpuRow): string {
  if (mode === 'processes') return count(workers, 'process', 'processes');
  return count(workers, mode === 'threads' ? 'thread' : `${mode} worker`);
}

const bullet = (row: CpuRow, parts: string[]) =>
  `- **${row.label}**: ${parts.join(' ')}${failureWords(row.failures, row.tasks * row.wall.n)}`;

/** A row against its baseline and ideal; past the ideal, the cause its task records show and what stays unexplained. */
function againstBaseline(row: CpuRow, rows: readonly CpuRow[]): string | undefined {
  if (!row.baseline || !row.baseWalls.length) return undefined;
  const base = rows.find((r) => r.label === row.baseline);
  let name = base?.label ?? row.baseline;
  if (base?.origin === 'node' && base.workers === 1 && base.mode === row.mode && row.mode !== 'sequential')
    name = `one ${ONE_WORKER[row.mode] ?? `${row.mode} worker`}`;
  else if (base?.origin === 'python' && base.mode === 'sequential') name = "Python's sequential program";
  if (noWork(row)) return `every task failed, so its time is no speed against ${name}`;
  if (noWork(base)) return `every task of ${name} failed, so there is no speed to read against it`;
  const c = base?.taskMs.length && row.taskMs.length ? compareTimes(row.taskMs, base.taskMs) : undefined;
  let cause: string | undefined;
  if (c?.direction === 'faster') {
    cause = `its tasks themselves ran ${c.words} (${formatMs(row.taskMedian)} against ${formatMs(base!.taskMedian)} a task, medians)`;
    const explained = row.idealSpeedup * c.factor;
    if (compareTimes(row.walls, row.baseWalls).factor / explained - 1 > noiseOf(row.walls, row.baseWalls))
      cause += `, which accounts for ${times(explained)}; the rest is more than the runs can explain (look at the timeline)`;
  }
  return speedupWords(row.walls, row.baseWalls, name, row.idealSpeedup, cause);
}

/** What the task records of one row support (the wait between tasks only from a quarter of a task up). */
function evidence(row: CpuRow, cores: number): string[] {
  const out: string[] = [];
  if (row.mode === 'async' && row.atOnce === 1) out.push('Its tasks ran one at a time: none overlapped another.');
  const were = row.atOnce === 1 ? 'was' : 'were';
  if (row.workers > 1 && row.atOnce > 0)
    out.push(`Up to ${count(row.atOnce, 'task')} ${were} in progress at once, on ${count(cores, 'core')}.`);
  const task = row.taskMedian;
  if (row.workers > 1 && task > 0 && row.waitMs >= 0.25 * task) {
    const share = row.waitMs / task;
    const most = share > 1.2 ? ': more than the task itself' : share >= 0.8 ? ': about as much as the task itself' : '';
    out.push(
      `Before each task a worker waited ${formatMs(row.waitMs)} on average (a task handed over, a result handed back` +
        `${row.atOnce > cores ? ', a turn on a core' : ''}), ${percent(share)} of the ${formatMs(task)} a task took${most}.`,
    );
  }
  return out;
}

/** The main thread against one pool worker, per task: the conditions the two run under (and, with a larger pool, why it reads `one`). */
function conditions(one: CpuRow, seq: CpuRow, larger: boolean): string {
  const c = compareTimes(one.taskMs, seq.taskMs);
  const tasks = `A task took ${formatMs(one.taskMedian)} here and ${formatMs(seq.taskMedian)} on the main thread (medians)`;
  if (c.direction === 'same') return `${tasks}: ${c.words}.`;
  const why = larger ? ', so each pool is read against its own one-worker run, not against sequential' : '';
  return (
    `${tasks}: ${c.words} in the pool's worker. The two run under different conditions (a pool worker has an engine instance and a heap of its own; ` +
    `the main thread has the notebook or the command line to serve)${why}.`
  );
}

function nodeLine(row: CpuRow, s: CpuSummary): string {
  const n = row.wall.n > 1 ? ` of ${count(row.wall.n, 'run')}` : '';
  const parts = [`${formatMs(row.wall.median)} median${n}.`];
  if (row.startupMs && !row.startupIncluded)
    parts.push(`The pool took ${formatMs(row.startupMs)} to start, not counted.`);
  const against = againstBaseline(row, s.rows);
  if (against) parts.push(sentence(against));
  const seq = s.rows.find((r) => r.label === 'sequential');
  const larger = s.rows.some((r) => r.baseline === row.label); // a pool read against this row
  if (row.workers === 1 && !['sequential', 'async'].includes(row.mode) && seq?.taskMs.length && row.taskMs.length)
    parts.push(conditions(row, seq, larger));
  const threads = s.rows.find(
    (r) => r.mode === 'threads' && r.workers === row.workers && r.origin === 'node' && !r.startupIncluded,
  );
  if (row.mode === 'processes' && row.workers > 1 && threads && !noWork(row) && !noWork(threads))
    parts.push(sentence(versus(row.walls, threads.walls, `the thread pool of ${threads.workers}`)));
  return bullet(row, [...parts, ...evidence(row, s.cores)]);
}

/** The course's Python programs, and why a thread pool of them gained nothing, when the run shows why. */
function pythonLines(s: CpuSummary): string[] {
  const py = s.rows.filter((r) => r.origin === 'python');
  const skipped = s.skipped.map((k) => `- **${k.label}** did not run: ${k.reason}`);
  if (!py.length) return skipped;
  const lines = py.map((row) => {
    const parts = [`${formatMs(row.wall.median)} median of ${count(row.wall.n, 'run')}.`];
    const against = againstBaseline(row, s.rows);
    if (against) parts.push(sentence(against));
    const dir = row.baseWalls.length && worked(row, s.rows) && compareTimes(row.walls, row.baseWalls).direction;
    if (row.mode === 'threads' && dir && dir !== 'faster') {
      if (s.cores === 1) parts.push('With one core no pool can run two tasks at once, GIL or not.');
      else if (row.gilEnabled === false)
        parts.push('This Python is a free-threaded build (no GIL), so the GIL does not explain it.');
      else if (row.atOnce > 1)
        parts.push(
          `Up to ${count(row.atOnce, 'task')} were in progress at once, yet the pool was no faster than one thread: ` +
            "its threads took turns to run Python (CPython's global interpreter lock).",
        );
    }
    return bullet(row, parts);
  });
  const head =
    "**The course's Python programs**, run here on the same inputs (each timed whole, its pool's start-up included):";
  return [head, '', ...lines, ...skipped, '', ...sideBySide(s)];
}

/** Node against Python, way by way: each Node pool timed end to end as Python's executors time themselves. */
function sideBySide(s: CpuSummary): string[] {
  const find = (origin: string, mode: string) =>
    s.rows.find(
      (r) => r.origin === origin && r.mode === mode && (mode === 'sequential' || (r.startupIncluded && r.workers > 1)),
    );
  const ways = { sequential: 'one after another', threads: 'a pool of threads', processes: 'a pool of processes' };
  const rows = Object.entries(ways).flatMap(([mode, what]) => {
    const [py, node] = [find('python', mode), find('node', mode)];
    if (!py || !node || noWork(py) || noWork(node)) return [];
    const [p, n] = [`${py.label}: ${formatMs(py.wall.median)}`, `${node.label}: ${formatMs(node.wall.median)}`];
    return [`| ${what} | ${p} | ${n} | ${versus(node.walls, py.walls, 'Python')} |`];
  });
  const [seqNode, seqPy] = [s.rows.find((r) => r.label === 'sequential'), find('python', 'sequential')];
  const perTask: string[] = [];
  if (seqNode?.taskMs.length && seqPy?.taskMs.length) {
    const c = compareTimes(seqPy.taskMs, seqNode.taskMs);
    perTask.push(
      '',
      `**Per task**, one after another: a task took ${formatMs(seqNode.taskMedian)} in Node (V8's \`BigInt\`) and ` +
        `${formatMs(seqPy.taskMedian)} in Python (CPython's \`int\`), medians: ${c.direction === 'same' ? c.words : `Python's ${c.words}`}.`,
    );
  }
  if (!rows.length) return perTask;
  return [`| ${s.work} | Python | Node | Node against Python |`, '| --- | --- | --- | --- |', ...rows, ...perTask];
}

/** Each pool size against one worker, the largest pool against the largest that fits the cores, and the Amdahl fit. */
function scalingLines(s: CpuSummary): string[] {
  const sc = s.scaling;
  if (!sc || sc.points.length === 0) return [];
  const rows = sc.rows.filter((r) => r.mode === sc.mode).sort((a, b) => a.workers - b.workers);
  const lines = [
    `**Scaling**, the same work on each pool size, each against one worker (${formatMs(sc.baselineMs)}):`,
    '',
    ...rows
      .filter((r) => r.baseline)
      .map((r) => `- ${poolWords(r)}: ${formatMs(r.wall.median)}, ${againstBaseline(r, rows)}.`),
  ];
  const ref = rows.filter((r) => r.workers <= s.cores).pop();
  const last = rows.filter((r) => r.workers > s.cores).pop();
  const after: string[] = [];
  if (ref && last && ref.workers > 1 && !noWork(ref) && !noWork(last)) {
    const c = compareTimes(last.walls, ref.walls);
    const turns = c.direction === 'slower' ? `: ${poolWords(last)} took turns on ${count(s.cores, 'core')}` : '';
    after.push(`${poolWords(last)} against ${poolWords(ref)}: ${c.words}${turns}.`);
  }
  // Rows that failed every task have no speed: none is read, and no fit is drawn through them.
  const speeds = rows.flatMap((r) =>
    r.baseline && worked(r, rows) ? [[r, compareTimes(r.walls, r.baseWalls)] as const] : [],
  );
  const gained = speeds.filter(([, c]) => c.direction === 'faster');
  const above = gained.some(([r, c]) => c.factor > r.idealSpeedup * (1 + c.noise));
  if (rows.length > 1 && gained.length === 0)
    after.push('No larger pool was measurably faster than one worker, so an Amdahl fit would say nothing here.');
  else if (gained.length > 0 && !above && !rows.some(noWork))
    after.push(`An Amdahl fit to these points puts the serial share at ${(sc.serialFraction * 100).toFixed(1)}%.`);
  return after.length ? [...lines, '', after.join(' ')] : lines;
}

/** The findings of a CPU measurement, in markdown, and its one-sentence headline. */
export function cpuFindings(s: CpuSummary, env: Environment): { findings: string; headline: string } {
  const node = s.rows.filter((r) => r.origin === 'node' && !r.startupIncluded);
  const lines = [
    `On this machine (${describeCores(env)}, ${env.cpuModel}, Node ${env.node}), ${s.work}:`,
    '',
    ...node.map((r) => nodeLine(r, s)),
  ];
  for (const more of [pythonLines(s), scalingLines(s)]) if (more.length) lines.push('', ...more);
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
  const said = againstBaseline(pool, s.rows);
  const failed =
    pool.failures.length && !noWork(pool)
      ? `; ${pool.failures.length} of ${count(pool.tasks * pool.wall.n, 'task')} failed`
      : '';
  if (!worked(pool, s.rows)) return `${start}: a pool of ${poolWords(pool)}: ${said}${failed}`;
  const words = said!.replace(/ \((within the|one run each)[^)]*\)/, '');
  const verb = words.startsWith('no measurable') ? 'showed' : 'ran';
  return `${start}: a pool of ${poolWords(pool)} ${verb} ${words} (the ideal: ${times(pool.idealSpeedup)})${failed}`;
}
