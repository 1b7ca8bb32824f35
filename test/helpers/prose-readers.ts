/**
 * One reader per concept: it knows the shapes of its concept's sentences, finds every
 * comparison and number in them, resolves who is compared with whom from the result (not
 * from the library's summary), and hands each to the `Reading`'s checks; the rest are the
 * concept's own claims (a cause, a verdict) checked against the numbers that would support them.
 */
import { type Comparison } from 'concurrency-lab';
import {
  formatBytes,
  ioConcurrency,
  type CpuMeasured,
  type GilMeasured,
  type IoInput,
  type KitchenResult,
  type ProcessesMeasured,
  type QueueMeasured,
  type ThreadsMeasured,
} from './generate-concepts';

type IoMeasured = IoInput['main'];
import { parallelism } from './generate';
import {
  compareTimes,
  countOf,
  escape,
  factsOf,
  finerOf,
  formatMs,
  median,
  PAREN,
  percentOf,
  timesOf,
  WORDS,
  type Line,
  type Reading,
  type RowFacts,
  type Sides,
  rx,
} from './prose-checks';
import { fitSerialFraction } from '../../lib/dist/core/amdahl';

/** "2 threads", "1 process", "4 queue workers" (the CPU findings' pool words). */
function poolWords(row: { mode: string; workers: number }): string {
  if (row.mode === 'processes') return countOf(row.workers, 'process', 'processes');
  if (row.mode === 'threads') return countOf(row.workers, 'thread');
  return countOf(row.workers, `${row.mode} worker`);
}

/** The name a row's baseline goes by in a sentence. */
function baseNameOf(row: RowFacts['row'], base: RowFacts['row']): string {
  if (base.origin === 'node' && base.workers === 1 && base.mode === row.mode && row.mode !== 'sequential') {
    const kind =
      row.mode === 'processes' ? 'worker process' : row.mode === 'threads' ? 'worker thread' : `${row.mode} worker`;
    return `one ${kind}`;
  }
  return base.origin === 'python' && base.mode === 'sequential' ? "Python's sequential program" : base.label;
}

/** Options of `speedup`: two sets of runs, the name the second goes by, and the ideal the first is held to. */
interface Speedup {
  a: readonly number[];
  b: readonly number[];
  name: string;
  ideal: number;
  pair: string;
  failed?: boolean;
  /** What the words must follow in the sentence (a pattern, read with them). */
  before?: string;
}

/**
 * A speedup as `speedupWords` says it: "2.1x faster than one worker thread", with the ideal
 * it is held to: within it plain, past it "at the ideal ... within these runs' noise" only
 * when the noise covers it, else "above the ideal of ...: <cause>". Returns the match.
 */
function speedup(r: Reading, line: Line, s: Speedup): RegExpExecArray | undefined {
  const re = rx(
    `${s.before ?? ''}(?:(?<w>\\d+(?:\\.\\d+)?x (?:faster|slower)) than ${escape(s.name)}|(?<same>[Nn]o measurable difference) from ${escape(s.name)}(?: (?<paren>${PAREN}))?)(?<tail>, at the ideal of (?<at>[\\d.]+)x within these runs' noise|, above the ideal of (?<above>[\\d.]+)x: )?`,
  );
  const m = line.match(re);
  if (!m) {
    // A side that failed every task is not compared: the sentence says so instead.
    const none = `every task (?:failed, so its time is no speed against ${escape(s.name)}|of ${escape(s.name)} failed, so there is no speed to read against it)`;
    const said = s.failed ? line.match(rx(`${s.before ?? ''}${none}`)) : undefined;
    return said;
  }
  const g = m.groups!;
  r.compared(line, g.w ?? g.same!, g.paren, { a: s.a, b: s.b, pair: s.pair, failed: s.failed });
  const c = compareTimes(s.a, s.b);
  const said = g.at ?? g.above;
  if (said !== undefined && `${said}x` !== timesOf(s.ideal) && `${said}x` !== finerOf(s.ideal))
    r.fail('the ideal said is the ideal', line, `says ${said}x, ideal ${s.ideal}`);
  const past = c.direction === 'faster' && c.factor > s.ideal;
  if (past && !g.tail) r.fail('a speedup past its ideal says so', line, `${c.factor} > ideal ${s.ideal}`);
  if (!past && g.tail) r.fail('"at/above the ideal" only past the ideal', line, `${c.factor} <= ideal ${s.ideal}`);
  if (past && g.at && c.factor / s.ideal - 1 > c.noise)
    r.fail(
      '"at the ideal within noise" only when the noise covers it',
      line,
      `${c.factor} vs ${s.ideal}, noise ${c.noise}`,
    );
  if (past && g.above && c.factor / s.ideal - 1 <= c.noise)
    r.fail('"above the ideal" only beyond the noise', line, `${c.factor} vs ${s.ideal}, noise ${c.noise}`);
  return m;
}

/** A row read against its baseline, by the name the CPU findings give it, with min(workers, cores, tasks) as the ideal. */
function againstBase(
  r: Reading,
  line: Line,
  facts: Map<string, RowFacts>,
  row: RowFacts,
  cores: number,
  before = '',
  scope = '',
): void {
  const base = row.row.baseline ? facts.get(row.row.baseline) : undefined;
  if (!base) return;
  speedup(r, line, {
    a: row.walls,
    b: base.walls,
    name: baseNameOf(row.row, base.row),
    ideal: parallelism(row.row, cores) / parallelism(base.row, cores),
    pair: `${scope}${row.row.label} vs ${base.row.label}`,
    failed: row.allFailed || base.allFailed,
    before,
  });
}

/** The cause of a speedup past the ideal: its tasks ran faster than the baseline's, read from the records. */
function readCause(r: Reading, line: Line, row: RowFacts, base: RowFacts, cores: number, scope = ''): void {
  const cause = line.match(
    rx(`its tasks themselves ran (?<w>${WORDS}) \\((?<x>\\S+ m?s) against (?<y>\\S+ m?s) a task, medians\\)`),
  );
  if (!cause) return;
  r.compared(line, cause.groups!.w!, undefined, {
    a: row.taskMs,
    b: base.taskMs,
    pair: `${scope}tasks of ${row.row.label} vs ${base.row.label}`,
  });
  r.number('task medians are the records', line, cause.groups!.x, formatMs(median(row.taskMs)), 'task');
  r.number('task medians are the records', line, cause.groups!.y, formatMs(median(base.taskMs)), 'base task');
  const accounts = line.match(/which accounts for ([\d.]+x); the rest is more than the runs can explain/);
  if (accounts) {
    const ideal = parallelism(row.row, cores) / parallelism(base.row, cores);
    const explained = ideal * compareTimes(row.taskMs, base.taskMs).factor;
    r.number(
      'what a cause accounts for is the ideal times its factor',
      line,
      accounts[1],
      timesOf(explained),
      'accounts',
    );
  }
}

/** " **3 of 60 tasks failed** (the first: ...)": the count and the total are the row's. */
function failuresSaid(r: Reading, line: Line, row: RowFacts): void {
  const m = line.match(/\*\*(\d+) of (\d+) tasks? failed\*\*/);
  if (!row.failures) {
    if (m) r.fail('failures are said only when tasks failed', line, row.row.label);
    return;
  }
  if (!m) return r.fail('failed tasks are said', line, `${row.failures} of ${row.total} failed`);
  r.number('failure counts are the rows', line, `${m[1]} of ${m[2]}`, `${row.failures} of ${row.total}`, 'failed');
}

/** The CPU report: every Node and Python row, the table, the per-task line, the sweep, the headline. */
export function readCpu(r: Reading, m: CpuMeasured): void {
  const c = m.result;
  const cores = c.env.cores;
  const facts = factsOf(c);
  const seq = facts.get('sequential');
  const bulletOf = (line: Line) => {
    const b = /^- \*\*(.+?)\*\*(:| did not run)/.exec(line.text);
    return b ? { label: b[1]!, skipped: b[2] !== ':' } : undefined;
  };
  let section: 'rows' | 'scaling' = 'rows';
  for (const line of r.findings) {
    if (line.text.startsWith('**Scaling**')) section = 'scaling';
    const b = bulletOf(line);
    if (section === 'rows' && b && !b.skipped) {
      const row = facts.get(b.label);
      if (!row) {
        r.fail('every bullet names a row of the result', line, b.label);
        continue;
      }
      readCpuRow(r, line, row, facts, cores, seq, c);
    }
    if (section === 'rows' && b?.skipped && !c.skipped.some((s) => s.label === b.label))
      r.fail('"did not run" only for skipped rows', line, b.label);
    if (line.text.startsWith('| ') && !line.text.startsWith('| ---') && !/^\| \d+ x |^\| \d+ tasks? \|/.test(line.text))
      readSideBySide(r, line, facts);
    if (line.text.startsWith('**Per task**')) readPerTask(r, line, facts);
  }
  if (m.scaling) readScaling(r, m.scaling, cores);
  readCpuHeadline(r, facts, c);
}

function readCpuRow(
  r: Reading,
  line: Line,
  row: RowFacts,
  facts: Map<string, RowFacts>,
  cores: number,
  seq: RowFacts | undefined,
  c: Comparison,
): void {
  const head = line.match(/^- \*\*.+?\*\*: (\S+ m?s) median(?: of (\d+) runs?)?\./);
  r.number('a row says its median', line, head?.[1], formatMs(median(row.walls)), 'median');
  if (head?.[2] !== undefined) r.number('a row says its runs', line, head[2], String(row.walls.length), 'runs');
  againstBase(r, line, facts, row, cores);
  const base = row.row.baseline ? facts.get(row.row.baseline) : undefined;
  if (base) readCause(r, line, row, base, cores);
  // The main thread against a pool worker, per task.
  const cond = line.match(
    rx(
      `A task took (?<x>\\S+ m?s) here and (?<y>\\S+ m?s) on the main thread \\(medians\\): (?<w>${WORDS})(?: (?<paren>${PAREN}))?`,
    ),
  );
  if (cond && seq) {
    r.compared(line, cond.groups!.w!, cond.groups!.paren, {
      a: row.taskMs,
      b: seq.taskMs,
      pair: `tasks of ${row.row.label} vs sequential`,
    });
    r.number('task medians are the records', line, cond.groups!.x, formatMs(median(row.taskMs)), 'task');
    r.number('task medians are the records', line, cond.groups!.y, formatMs(median(seq.taskMs)), 'sequential task');
  }
  // A process pool against the thread pool of its size.
  const threads = [...facts.values()].find(
    (f) =>
      f.row.mode === 'threads' &&
      f.row.workers === row.row.workers &&
      f.row.origin === 'node' &&
      !f.row.startupIncluded,
  );
  if (threads && row.row.mode === 'processes') {
    const name = `the thread pool of ${threads.row.workers}`;
    const vs = line.match(
      rx(
        `(?:(?<w>${WORDS}) than ${escape(name)}|(?<same>No measurable difference) from ${escape(name)} (?<paren>${PAREN}))`,
      ),
    );
    if (vs)
      r.compared(line, vs.groups!.w ?? vs.groups!.same!, vs.groups!.paren, {
        a: row.walls,
        b: threads.walls,
        pair: `${row.row.label} vs ${threads.row.label}`,
        failed: row.allFailed || threads.allFailed,
      });
  }
  const overlap = line.match(/Up to (\d+) tasks? (?:was|were) in progress at once, on (\S+) cores?\./);
  if (overlap) r.number('tasks at once are the records', line, overlap[1], String(row.atOnce), 'at once');
  if (/Its tasks ran one at a time/.test(line.text) && row.atOnce !== 1)
    r.fail('"one at a time" only when no two tasks overlapped', line, `at once: ${row.atOnce}`);
  // The Python programs' reasons for a pool that gained nothing.
  const python = row.row.origin === 'python';
  const gil = Boolean(line.match(/yet the pool was no faster than one thread: .*CPython's global interpreter lock\)/));
  const freeThreaded = c.runs.some((x) => x.label === row.row.label && x.detail?.gilEnabled === false);
  if (gil) {
    const gained = base ? compareTimes(row.walls, base.walls).direction === 'faster' : false;
    if (!python || cores === 1 || freeThreaded || gained || row.atOnce <= 1 || row.allFailed)
      r.fail(
        'the GIL is the reason only where it can be',
        line,
        `cores ${cores}, free-threaded ${freeThreaded}, gained ${gained}, at once ${row.atOnce}`,
      );
  }
  if (/With one core no pool can run two tasks at once/.test(line.text) && cores !== 1)
    r.fail('"one core" only on one core', line, `cores ${cores}`);
  if (/free-threaded build/.test(line.text) && !freeThreaded) r.fail('"free-threaded" only for one', line, '');
  failuresSaid(r, line, row);
}

/** "| one after another | Python ...: X | sequential: Y | Node against Python |". */
function readSideBySide(r: Reading, line: Line, facts: Map<string, RowFacts>): void {
  const cells = line.text.split(' | ');
  const cell = (text: string | undefined) => {
    const at = text?.lastIndexOf(': ') ?? -1;
    return at < 0 ? undefined : { row: facts.get(text!.slice(0, at)), ms: text!.slice(at + 2) };
  };
  const [py, node] = [cell(cells[1]), cell(cells[2])];
  if (cells.length !== 4 || !py?.row || !node?.row) return r.fail('every table row is read', line, 'no match');
  const vs = line.match(
    rx(`(?:(?<w>${WORDS}) than Python|(?<same>no measurable difference) from Python (?<paren>${PAREN})) \\|$`),
  );
  if (!vs) return r.fail('every table row is read', line, 'no comparison');
  r.number('a row says its median', line, py.ms, formatMs(median(py.row.walls)), py.row.row.label);
  r.number('a row says its median', line, node.ms, formatMs(median(node.row.walls)), node.row.row.label);
  if (py.row.row.origin !== 'python' || node.row.row.origin !== 'node') r.fail('Python beside Node', line, '');
  r.compared(line, vs.groups!.w ?? vs.groups!.same!, vs.groups!.paren, {
    a: node.row.walls,
    b: py.row.walls,
    pair: `${node.row.row.label} vs ${py.row.row.label}`,
    failed: node.row.allFailed || py.row.allFailed,
  });
}

/** "**Per task**, ...: a task took X in Node ... and Y in Python ..., medians: Python's 1.2x slower." */
function readPerTask(r: Reading, line: Line, facts: Map<string, RowFacts>): void {
  const seqNode = facts.get('sequential');
  const seqPy = [...facts.values()].find((f) => f.row.origin === 'python' && f.row.mode === 'sequential');
  const m = line.match(
    rx(
      `a task took (?<x>\\S+ m?s) in Node \\(V8's \`BigInt\`\\) and (?<y>\\S+ m?s) in Python \\(CPython's \`int\`\\), medians: (?:Python's (?<w>${WORDS})|(?<same>no measurable difference) (?<paren>${PAREN}))\\.$`,
    ),
  );
  if (!m || !seqNode || !seqPy) return r.fail('every per-task line is read', line, 'no match');
  const g = m.groups!;
  r.number('task medians are the records', line, g.x, formatMs(median(seqNode.taskMs)), 'Node task');
  r.number('task medians are the records', line, g.y, formatMs(median(seqPy.taskMs)), 'Python task');
  r.compared(line, g.w ?? g.same!, g.paren, { a: seqPy.taskMs, b: seqNode.taskMs, pair: 'Python task vs Node task' });
}

/** The sweep: each pool size against one worker, the largest against the largest within the cores, Amdahl. */
function readScaling(r: Reading, sc: Comparison, cores: number): void {
  const facts = factsOf(sc);
  const rows = [...facts.values()].sort((a, b) => a.row.workers - b.row.workers);
  const gained = rows.filter(
    (f) => f.row.baseline && compareTimes(f.walls, facts.get(f.row.baseline)!.walls).direction === 'faster',
  );
  let inScaling = false;
  for (const line of r.findings) {
    if (line.text.startsWith('**Scaling**')) {
      inScaling = true;
      const one = rows.find((f) => f.row.workers === 1) ?? rows[0];
      const m = line.match(/each against one worker \((\S+ m?s)\):/);
      r.number('the sweep says its one-worker median', line, m?.[1], formatMs(median(one!.walls)), 'one worker');
      continue;
    }
    if (!inScaling) continue;
    const b = /^- (\d+) (?:threads?|process(?:es)?): (\S+ m?s), /.exec(line.text);
    if (b) {
      const row = rows.find((f) => f.row.workers === Number(b[1]));
      if (!row) return r.fail('every sweep bullet names a pool size', line, b[1]!);
      line.match(/^- \d+ (?:threads?|process(?:es)?): \S+ m?s, /);
      r.number('a row says its median', line, b[2], formatMs(median(row.walls)), row.row.label);
      againstBase(r, line, facts, row, cores, '', 'sweep: ');
      const base = row.row.baseline ? facts.get(row.row.baseline) : undefined;
      if (base) readCause(r, line, row, base, cores, 'sweep: ');
      continue;
    }
    const vs = line.match(
      rx(
        `^(?<p>\\d+ \\w+) against (?<q>\\d+ \\w+): (?<w>${WORDS})(?: (?<paren>${PAREN}))?(?<turns>: \\d+ \\w+ took turns on (?<c>\\S+) cores?)?\\.`,
      ),
    );
    if (vs) {
      const g = vs.groups!;
      const [p, q] = [rows.find((f) => poolWords(f.row) === g.p), rows.find((f) => poolWords(f.row) === g.q)];
      if (!p || !q) return r.fail('pools named are pools of the sweep', line, `${g.p}, ${g.q}`);
      r.compared(line, g.w!, g.paren, { a: p.walls, b: q.walls, pair: `sweep: ${p.row.label} vs ${q.row.label}` });
      if (g.turns && !(p.row.workers > cores)) r.fail('"took turns" only past the cores', line, `cores ${cores}`);
    }
    const fit = line.match(/An Amdahl fit to these points puts the serial share at ([\d.]+)%\./);
    if (fit) {
      if (!gained.length) r.fail('no Amdahl fit unless a pool was measurably faster', line, 'none faster');
      const one = rows.find((f) => f.row.workers === 1) ?? rows[0]!;
      const points = rows.map((f) => ({
        n: parallelism(f.row, cores),
        speedup: median(one.walls) / median(f.walls),
      }));
      r.number('the fitted serial share is the fit', line, fit[1], (fitSerialFraction(points) * 100).toFixed(1), 'fit');
    }
    if (line.match(/No larger pool was measurably faster than one worker/) && gained.length)
      r.fail('"no larger pool was faster" only when none was', line, gained.map((f) => f.row.label).join(', '));
  }
}

function readCpuHeadline(r: Reading, facts: Map<string, RowFacts>, c: Comparison): void {
  const line = r.headline;
  const pools = [...facts.values()].filter(
    (f) => f.row.origin === 'node' && !f.row.startupIncluded && f.row.workers > 1 && f.row.baseline,
  );
  const pool = pools.find((f) => f.row.mode === 'threads') ?? pools[0];
  const cores = c.env.cores;
  const start = line.match(/^CPU-bound, (?:\d+ x \w+\(\d+\)|\d+ tasks?) on (\S+) cores?: /);
  if (!start) return r.fail('the headline opens with the work and the cores', line, 'no match');
  r.number('the headline says the cores', line, start[1], String(cores), 'cores');
  if (!pool) {
    const took = line.match(/: (.+) took (\S+ m?s)$/);
    const row = took ? facts.get(took[1]!) : undefined;
    if (!took || !row) return r.fail('the headline names a row', line, 'no row');
    return r.number('the headline says a median', line, took[2], formatMs(median(row.walls)), row.row.label);
  }
  const base0 = facts.get(pool.row.baseline!)!;
  if (pool.allFailed || base0.allFailed) {
    againstBase(r, line, facts, pool, cores, `a pool of ${escape(poolWords(pool.row))}: `);
    return;
  }
  const m = line.match(rx(`a pool of ${escape(poolWords(pool.row))} (ran|showed) `));
  if (!m) return r.fail('the headline names the pool', line, pool.row.label);
  againstBase(r, line, facts, pool, cores, `a pool of ${escape(poolWords(pool.row))} (?:ran|showed) `);
  const ideal = line.match(/\(the ideal: ([\d.]+x)\)/);
  const base = facts.get(pool.row.baseline!)!;
  readCause(r, line, pool, base, cores);
  r.number(
    'the headline says the ideal',
    line,
    ideal?.[1],
    timesOf(parallelism(pool.row, cores) / parallelism(base.row, cores)),
    'ideal',
  );
  const failed = line.match(/; (\d+) of (\d+) tasks? failed$/);
  if (pool.failures && !failed) r.fail('the headline says failures', line, `${pool.failures} failed`);
  if (failed)
    r.number(
      'failure counts are the rows',
      line,
      `${failed[1]} of ${failed[2]}`,
      `${pool.failures} of ${pool.total}`,
      'failed',
    );
}

/** What the I/O checks need of one way, computed from the result. */
interface IoFacts extends RowFacts {
  client: 'io' | 'ioBlocking' | 'python';
  concurrency: number;
  bound?: number;
  /** The server's peak in flight over the runs (undefined without its records). */
  peak?: number;
  /** Failed requests that were not an HTTP answer (they can end before the latency). */
  early: number;
  timeouts: number;
}

/** Most requests the server had open at once (departures first at equal times). */
function peakOf(records: readonly { start: number; end: number | null }[]): number {
  const events: [number, number][] = [];
  for (const x of records) {
    events.push([x.start, 1]);
    if (x.end !== null) events.push([x.end, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  return most;
}

function ioFacts(m: IoMeasured): Map<string, IoFacts> {
  const out = new Map<string, IoFacts>();
  for (const [label, f] of factsOf(m.comparison)) {
    const variant = m.variants.find((v) => v.label === label);
    const client = f.row.origin === 'python' ? 'python' : (variant?.workload ?? 'io');
    const concurrency = ioConcurrency(
      {
        mode: f.row.mode,
        workload: client === 'ioBlocking' ? 'ioBlocking' : 'io',
        workers: f.row.workers,
        connections: variant?.connections,
        origin: f.row.origin,
      },
      m.requests,
    );
    const runs = m.comparison.runs.filter((x) => x.label === label).sort((a, b) => a.repeat - b.repeat);
    const records = runs.map((x) => (x.detail?.watch as { start: number; end: number | null }[] | undefined) ?? []);
    const errors = runs.flatMap((x) => x.tasks.failed().map((t) => t.error ?? ''));
    out.set(label, {
      row: f.row,
      failures: f.failures,
      total: f.total,
      allFailed: f.allFailed,
      get taskMs() {
        return f.taskMs;
      },
      get atOnce() {
        return f.atOnce;
      },
      walls: runs.map((x) => x.wallMs),
      client,
      concurrency,
      bound:
        m.latencyMs === undefined
          ? undefined
          : Math.ceil(m.requests / concurrency) * Math.max(0, m.latencyMs - (m.jitterMs ?? 0)),
      peak: records.some((x) => x.length) ? Math.max(...records.map(peakOf)) : undefined,
      early: errors.filter(
        (e) => !/answered HTTP \d+/.test(e) && !(/timed? ?out/i.test(e) && m.timeoutMs >= (m.latencyMs ?? 0)),
      ).length,
      timeouts: errors.filter((e) => /timed? ?out/i.test(e)).length,
    });
  }
  return out;
}

/** "1.10x the bound of 1000 ms", or "900 ms, below the bound of 1000 ms: <why>". */
function boundSaid(r: Reading, line: Line, f: IoFacts, said: RegExpExecArray | undefined): void {
  if (!said || f.bound === undefined) return;
  const g = said.groups!;
  const med = median(f.walls);
  if (g.zero !== undefined) {
    if (f.bound > 0) r.fail('"a bound of 0 ms" only when it is 0', line, `${f.bound}`);
    return;
  }
  if (g.below !== undefined) {
    belowSaid(r, line, med, f.bound, g.below, g.b2!);
    if (/the server answered some requests early/.test(g.why ?? '') && f.early > 0)
      r.fail(
        'a time below the bound is not blamed on the server when requests failed early',
        line,
        `${f.early} requests failed without an answer`,
      );
    const early = /^(\d+) requests? failed before an answer could come$/.exec(g.why ?? '');
    if (early) r.number('requests that failed early are the records', line, early[1], String(f.early), 'early');
  } else {
    r.number(
      'the bound is ceil(requests / in flight) x the shortest answer',
      line,
      g.b,
      String(Math.round(f.bound)),
      'bound',
    );
    if (med < f.bound && med.toFixed(3) !== f.bound.toFixed(3))
      r.fail('a time below the bound says so', line, `${med} < ${f.bound}`);
    r.number('the ratio to the bound is the medians', line, `${g.x}x`, timesOf(med / f.bound), 'x bound');
  }
}

/** "999.6 ms, below the bound of 1000.0 ms": below it, printed apart, each at the same precision. */
function belowSaid(r: Reading, line: Line, ms: number, bound: number, saidMs: string, saidBound: string): void {
  if (!(ms < bound)) r.fail('"below the bound" only below it', line, `${ms} vs ${bound}`);
  const d = saidMs.split('.')[1]?.length ?? 0;
  r.number(
    'below the bound, the time and the bound are the result',
    line,
    `${saidMs}/${saidBound}`,
    `${ms.toFixed(d)}/${bound.toFixed(d)}`,
    'below',
  );
  if (!(Number(saidMs) < Number(saidBound)))
    r.fail('"below the bound" reads below it', line, `${saidMs} vs ${saidBound}`);
}

const BOUND = String.raw`(?:(?<x>[\d.]+)x the bound of (?<b>\d+) ms|(?<below>[\d.]+) ms, below the bound of (?<b2>[\d.]+) ms: (?<why>[^.]+)|against a bound of (?<zero>0) ms)`;

/** The I/O report: each way's line, the table, Node's ratios, the connection limit, the faults, the headline. */
export function readIo(r: Reading, m: IoInput): void {
  const main = ioFacts(m.main);
  const faults = m.faults ? ioFacts(m.faults) : undefined;
  const seq = main.get('sequential');
  const gather = main.get('Promise.all');
  const pools = [...main.values()]
    .filter((f) => f.row.mode === 'threads' && f.row.origin !== 'python')
    .sort((a, b) => b.row.workers - a.row.workers);
  const pyFound = (mode: string) => [...main.values()].find((f) => f.row.origin === 'python' && f.row.mode === mode);
  const pyThreads = pyFound('threads');
  const pool = pools.find((f) => f.row.workers === (pyThreads?.row.workers ?? 10)) ?? pools[0];
  // Python's pool is read against Node's of the same size only.
  const py = (mode: string) =>
    mode !== 'threads' ? pyFound(mode) : pyThreads?.row.workers === pool?.row.workers ? pyThreads : undefined;
  for (const line of r.findings) {
    const b = /^- \*\*(.+?)\*\*(:| did not run)/.exec(line.text);
    if (b && b[2] === ':') {
      const f = main.get(b[1]!);
      if (!f) {
        r.fail('every bullet names a way of the result', line, b[1]!);
        continue;
      }
      readIoWay(r, line, f, seq);
    }
    // The table's rows: each of the three ways, read pair by pair below.
    if (line.text.startsWith('| ') && !line.text.startsWith('| ---') && !line.text.startsWith('| |')) {
      if (!/^\| (?:one after another|all at once|a pool of threads) \|/.test(line.text))
        r.fail('every table row is read', line, 'no match');
    }
    if (line.text.startsWith('**Node**') && seq && gather && pool) readIoNode(r, line, seq, gather, pool, py);
    if (line.text.startsWith('**The connection limit**') && m.connections)
      readConnections(r, line, ioFacts(m.connections));
    if (line.text.startsWith('**With faults injected**') && faults && m.faults) readFaults(r, line, faults, m.faults);
  }
  // The table's Node against Python, row by row.
  for (const line of r.findings.filter((l) => l.text.startsWith('| '))) {
    const pairs: [string, IoFacts | undefined, IoFacts | undefined][] = [
      ['one after another', seq, py('sequential')],
      ['all at once', gather, py('async')],
      ['a pool of threads', pool, py('threads')],
    ];
    for (const [what, node, python] of pairs) {
      if (!line.text.startsWith(`| ${what} |`)) continue;
      const t = line.match(
        rx(
          `\\| (?:(?<w>${WORDS}) than Python|(?<same>no measurable difference) from Python (?<paren>${PAREN})|n/a(?<sizes>: pools of other sizes)?) \\|$`,
        ),
      );
      if (!t) continue;
      const g = t.groups!;
      const otherSizes = what === 'a pool of threads' && !!node && !!pyThreads && !python;
      if (!!g.sizes !== otherSizes) r.fail('"pools of other sizes" exactly where they differ', line, what);
      if (!node || !python) {
        if (!/n\/a(?:: pools of other sizes)? \|$/.test(line.text))
          r.fail('Node against Python only where both ran', line, what);
        continue;
      }
      if (!g.w && !g.same) {
        if (!(node.allFailed || python.allFailed))
          r.fail('"n/a" only where a side did not run or failed every request', line, what);
        continue;
      }
      r.compared(line, g.w ?? g.same!, g.paren, {
        a: node.walls,
        b: python.walls,
        pair: `${node.row.label} vs ${python.row.label}`,
        failed: node.allFailed || python.allFailed,
      });
      if (
        !line.text.includes(
          `${node.row.label}: ${(median(node.walls) / 1000).toFixed(median(node.walls) < 1000 ? 3 : 2)} s`,
        )
      )
        r.fail('a row says its median', line, node.row.label);
    }
  }
  readIoHeadline(r, main, m.main);
}

function readIoWay(r: Reading, line: Line, f: IoFacts, seq: IoFacts | undefined): void {
  const head = line.match(rx(`^- \\*\\*.+?\\*\\*: (?<med>\\S+ m?s) median(?: of (?<n>\\d+) runs?)?(?:, ${BOUND})?`));
  r.number('a row says its median', line, head?.groups?.med, formatMs(median(f.walls)), 'median');
  if (head?.groups?.n !== undefined)
    r.number('a row says its runs', line, head.groups.n, String(f.walls.length), 'runs');
  if (f.bound !== undefined && !(head?.groups?.b ?? head?.groups?.b2))
    r.fail('a way with a known latency says its bound', line, '');
  boundSaid(r, line, f, head);
  const failed = line.match(/; \*\*(\d+) of (\d+) requests? failed\*\*/);
  if (f.failures && !failed) r.fail('failed requests are said', line, `${f.failures}`);
  if (failed)
    r.number(
      'failure counts are the rows',
      line,
      `${failed[1]} of ${failed[2]}`,
      `${f.failures} of ${f.total}`,
      'failed',
    );
  // In flight by design.
  const python = f.row.origin === 'python';
  if (/undici/.test(line.text) && (python || f.client !== 'io'))
    r.fail('undici is named only for its own rows', line, f.row.label);
  if (/aiohttp's connector/.test(line.text) && !(python && f.row.mode === 'async'))
    r.fail("aiohttp's connector is named only for aiohttp", line, f.row.label);
  const upTo = /Up to (\d+) in flight/.exec(line.text);
  if (upTo) r.number("in flight by design is the way's concurrency", line, upTo[1], String(f.concurrency), 'in flight');
  const atMost = /opens at most (\d+) connections?/.exec(line.text);
  if (atMost)
    r.number("in flight by design is the way's concurrency", line, atMost[1], String(f.concurrency), 'connections');
  // What the server saw.
  const saw =
    /the server saw (?:at most|up to) (\d+)(?:, as allowed| in flight, (fewer|more) than the (\d+) allowed)/.exec(
      line.text,
    );
  if (saw) {
    r.number("the server's peak is its records", line, saw[1], String(f.peak), 'peak');
    const rel = saw[2] ?? 'as';
    const ok =
      rel === 'as' ? f.peak === f.concurrency : rel === 'fewer' ? f.peak! < f.concurrency : f.peak! > f.concurrency;
    if (!ok)
      r.fail('the server saw what it says, against what is allowed', line, `peak ${f.peak}, allowed ${f.concurrency}`);
  } else if (f.peak !== undefined) r.fail('what the server saw is said', line, `peak ${f.peak}`);
  // All on the server at once, the time above the bound not spent waiting.
  const all =
    /All (\d+) were on the server at once, so the (\S+ m?s) above the bound was not spent waiting for it/.exec(
      line.text,
    );
  if (all) {
    if (f.peak === undefined || f.peak < f.concurrency || f.bound === undefined)
      r.fail('"all on the server at once" only when the server saw them', line, `peak ${f.peak}`);
    else
      r.number(
        'the time above the bound is the median less the bound',
        line,
        all[2],
        formatMs(median(f.walls) - f.bound),
        'above',
      );
  }
  // Runs that warmed up.
  const warm = line.match(/Its runs took (.+?), each faster than the one before: something was still warming up/);
  if (warm) {
    const said = warm[1]!.split(', ');
    const printed = f.walls.map(formatMs);
    if (said.join(', ') !== printed.join(', '))
      r.fail('the runs said are the runs, in order', line, printed.join(', '));
    const values = said.map((x) => Number.parseFloat(x) * (x.endsWith(' s') ? 1000 : 1));
    if (!values.every((v, i) => i === 0 || v < values[i - 1]!))
      r.fail('"each faster than the one before" only when each printed time is less', line, warm[1]!);
    if (compareTimes([f.walls[0]!], f.walls.slice(1)).direction !== 'slower')
      r.fail('"still warming up" only when the first run was measurably slower', line, '');
  }
  // The blocking client on the event loop against sequential.
  const vs = line.match(
    rx(
      `Against sequential: (?:(?<w>${WORDS}) than sequential|(?<same>no measurable difference) from sequential (?<paren>${PAREN}))`,
    ),
  );
  if (vs && seq) {
    r.compared(line, vs.groups!.w ?? vs.groups!.same!, vs.groups!.paren, {
      a: f.walls,
      b: seq.walls,
      pair: `${f.row.label} vs sequential`,
      failed: f.allFailed || seq.allFailed,
    });
    const outside = /: (\S+ m?s) above the bound for sequential, (\S+ m?s) here\./.exec(line.text);
    if (outside && seq.bound !== undefined && f.bound !== undefined) {
      r.number(
        'the time above the bound is the median less the bound',
        line,
        outside[1],
        formatMs(median(seq.walls) - seq.bound),
        'sequential above',
      );
      r.number(
        'the time above the bound is the median less the bound',
        line,
        outside[2],
        formatMs(median(f.walls) - f.bound),
        'above',
      );
      if (median(seq.walls) < seq.bound || median(f.walls) < f.bound)
        r.fail(
          '"above the bound" only above it',
          line,
          `sequential ${median(seq.walls)} / ${seq.bound}, here ${median(f.walls)} / ${f.bound}`,
        );
    }
  }
}

/** "; the bounds: 4.0x[, less than measured because B ran further above its bound (Ax) than A did (Bx)]". */
function boundsSaid(r: Reading, line: Line, text: string, v: IoFacts, base: IoFacts): void {
  const m =
    /the bounds: ([\d.]+x)(?:, less than measured because .+? ran further above its bound \(([\d.]+x)\) than .+? did \(([\d.]+x)\))?/.exec(
      text,
    );
  if (!m) {
    if (v.bound && base.bound) r.fail('the ratio of the bounds is said where both are known', line, text);
    return;
  }
  if (!v.bound || !base.bound) return r.fail('the bounds only where known', line, text);
  r.number('the ratio of the bounds is the bounds', line, m[1], timesOf(base.bound / v.bound), 'bounds');
  if (m[2]) {
    const c = compareTimes(v.walls, base.walls);
    if (!(c.direction === 'faster' && c.factor > base.bound / v.bound))
      r.fail('"less than measured" only when the gain was more than the bounds', line, `${c.words}`);
    r.number('how far above its bound a way ran', line, m[2], timesOf(median(base.walls) / base.bound), 'base above');
    r.number('how far above its bound a way ran', line, m[3], timesOf(median(v.walls) / v.bound), 'above');
    if (!(Number.parseFloat(m[2]) > Number.parseFloat(m[3]!)))
      r.fail('"further above its bound" only when the printed ratio is larger', line, `${m[2]} vs ${m[3]}`);
  }
}

function readIoNode(
  r: Reading,
  line: Line,
  seq: IoFacts,
  gather: IoFacts,
  pool: IoFacts,
  py: (mode: string) => IoFacts | undefined,
): void {
  const vsSeq = (v: IoFacts, pyV: IoFacts | undefined, pySeq: IoFacts | undefined, lead: string) => {
    const m = line.match(
      rx(
        `${escape(lead)}(?:(?<w>${WORDS}) than sequential|(?<same>no measurable difference) from sequential (?<paren>${PAREN}))(?: \\((?<notes>(?:[^()]|\\([^()]*\\))*)\\))?`,
      ),
    );
    if (!m) return r.fail('Node against sequential is read', line, lead);
    const g = m.groups!;
    r.compared(line, g.w ?? g.same!, g.paren, {
      a: v.walls,
      b: seq.walls,
      pair: `${v.row.label} vs sequential`,
      failed: v.allFailed || seq.allFailed,
    });
    const p = rx(
      `Python's (?:(?<w>${WORDS}) than requests one after another|(?<same>no measurable difference) from requests one after another (?<paren>${PAREN}))`,
    ).exec(g.notes ?? '');
    if (pyV && pySeq && !pyV.allFailed && !pySeq.allFailed) {
      if (!p) return r.fail("Python's ratio is said where both ran", line, pyV.row.label);
      r.compared(line, p.groups!.w ?? p.groups!.same!, p.groups!.paren, {
        a: pyV.walls,
        b: pySeq.walls,
        pair: `${pyV.row.label} vs ${pySeq.row.label}`,
        failed: pyV.allFailed || pySeq.allFailed,
      });
    } else if (p) r.fail("Python's ratio only where both ran", line, g.notes!);
    boundsSaid(r, line, g.notes ?? '', v, seq);
  };
  vsSeq(gather, py('async'), py('sequential'), '**Node**, all at once: ');
  vsSeq(pool, py('threads'), py('sequential'), `${countOf(pool.row.workers, 'blocking thread')}: `);
  const poolName = `the pool of ${countOf(pool.row.workers, 'thread')}`;
  const was = line.match(
    rx(`\`Promise.all\`, on one thread, was (?<w>${WORDS}) than ${escape(poolName)}: (?<why>[^.]+)\\.`),
  );
  const against = line.match(
    rx(`\`Promise.all\`, on one thread, against ${escape(poolName)}: (?<w>${WORDS})(?: (?<paren>${PAREN}))?\\.`),
  );
  const g = (was ?? against)?.groups;
  if (!g) return r.fail('Promise.all against the pool is read', line, poolName);
  r.compared(line, g.w!, g.paren, {
    a: gather.walls,
    b: pool.walls,
    pair: `Promise.all vs ${pool.row.label}`,
    failed: gather.allFailed || pool.allFailed,
  });
  if (was) {
    const saw = /the server saw up to (\d+) of its requests at once, against (\d+) from the pool/.exec(g.why!);
    const design = /up to (\d+) of its requests in flight at once, against (\d+)/.exec(g.why!);
    if (saw) {
      r.number("the server's peak is its records", line, `${saw[1]}/${saw[2]}`, `${gather.peak}/${pool.peak}`, 'peaks');
      if (!(Number(saw[1]) > Number(saw[2]))) r.fail('more in flight, as said', line, g.why!);
    } else if (design) {
      r.number(
        'in flight by design',
        line,
        `${design[1]}/${design[2]}`,
        `${gather.concurrency}/${pool.concurrency}`,
        'in flight',
      );
    } else r.fail('the reason is read', line, g.why!);
  }
}

function readConnections(r: Reading, line: Line, facts: Map<string, IoFacts>): void {
  const points = [...facts.values()].sort((a, b) => a.concurrency - b.concurrency);
  line.match(/^\*\*The connection limit\*\*, `Promise.all` through undici's pool: /);
  const steps = line.matches(
    rx(
      `(?<c>\\d+) connections? against (?<p>\\d+): (?<w>${WORDS}|not compared, as every request of one of them failed)(?: (?<paren>${PAREN}))? \\((?<x>\\S+ m?s) → (?<y>\\S+ m?s)(?<notes>[^()]*(?:\\([^()]*\\)[^()]*)*)\\)`,
    ),
  );
  if (steps.length !== Math.max(0, points.length - 1))
    return r.fail('every step of the connection limit is read', line, `${steps.length} of ${points.length - 1}`);
  steps.forEach((m, k) => {
    const [v, prev] = [points[k + 1]!, points[k]!];
    const g = m.groups!;
    r.number('each step names its connections', line, `${g.c}/${g.p}`, `${v.concurrency}/${prev.concurrency}`, 'step');
    const failed = v.allFailed || prev.allFailed;
    if (g.w!.startsWith('not compared')) {
      if (!failed)
        r.fail('"not compared" only when a side failed every request', line, `${v.row.label}, ${prev.row.label}`);
    } else
      r.compared(line, g.w!, g.paren, {
        a: v.walls,
        b: prev.walls,
        pair: `connections: ${v.row.label} vs ${prev.row.label}`,
        failed,
      });
    r.number('a row says its median', line, g.x, formatMs(median(prev.walls)), prev.row.label);
    r.number('a row says its median', line, g.y, formatMs(median(v.walls)), v.row.label);
    if (v.bound && prev.bound) boundsSaid(r, line, g.notes ?? '', v, prev);
  });
}

function readFaults(r: Reading, line: Line, facts: Map<string, IoFacts>, m: IoMeasured): void {
  for (const f of facts.values()) {
    const said = rx(
      `${escape(f.row.label)}: (?:none of (\\d+) failed|(\\d+) of (\\d+) failed \\(([^)]*)\\)), in (\\S+ m?s)`,
    ).exec(line.text);
    if (!said) {
      r.fail('every way of the faults run is said', line, f.row.label);
      continue;
    }
    const failed = said[1] !== undefined ? `0 of ${said[1]}` : `${said[2]} of ${said[3]}`;
    r.number('failure counts are the rows', line, failed, `${f.failures} of ${f.total}`, f.row.label);
    r.number('a row says its median', line, said[5], formatMs(median(f.walls)), f.row.label);
  }
  const cost = /its (\d+) timeouts? cost at least (\S+ m?s) of its (\S+ m?s)(?: over (\d+) runs)?/.exec(line.text);
  if (cost) {
    const seq = [...facts.values()].find((f) => f.row.mode === 'sequential')!;
    const total = seq.walls.reduce((a, b) => a + b, 0);
    r.number('timeouts are the records', line, cost[1], String(seq.timeouts), 'timeouts');
    r.number(
      'the timeouts cost is their count x the timeout',
      line,
      cost[2],
      formatMs(seq.timeouts * m.timeoutMs),
      'cost',
    );
    r.number("the total is the runs' sum", line, cost[3], formatMs(total), 'total');
    if (seq.timeouts * m.timeoutMs > total)
      r.fail('"at least X of its Y" only when X <= Y', line, `${seq.timeouts * m.timeoutMs} > ${total}`);
  }
}

function readIoHeadline(r: Reading, facts: Map<string, IoFacts>, m: IoMeasured): void {
  const line = r.headline;
  const seq = facts.get('sequential');
  const gather = facts.get('Promise.all');
  const head = line.match(/^I\/O-bound, (\d+) requests?: /);
  r.number('the headline says the requests', line, head?.[1], String(m.requests), 'requests');
  if (!seq || !gather) {
    const q = line.match(/the quickest way, (.+), took (\S+ m?s)/);
    const worked = [...facts.values()].filter((f) => !f.allFailed);
    const fastest = (worked.length ? worked : [...facts.values()]).reduce((a, b) =>
      median(b.walls) < median(a.walls) ? b : a,
    );
    r.number('the quickest way is the quickest', line, q?.[1], fastest.row.label, 'quickest');
    return r.number('the headline says a median', line, q?.[2], formatMs(median(fastest.walls)), 'median');
  }
  const took = line.match(rx(`Promise.all took (?<med>\\S+ m?s)(?: \\(${BOUND}\\))?`));
  r.number('the headline says a median', line, took?.groups?.med, formatMs(median(gather.walls)), 'median');
  boundSaid(r, line, gather, took);
  const none = line.match(
    /; every request of (Promise\.all|one after another) failed, so there is no speed to compare$/,
  );
  if (none) {
    const failed = none[1] === 'Promise.all' ? gather : seq;
    if (!failed.allFailed) r.fail('"every request failed" only when it did', line, failed.row.label);
    return;
  }
  const vs = line.match(
    rx(
      `(?:(?<w>${WORDS}) than one after another|(?<same>no measurable difference) from one after another (?<paren>${PAREN}))$`,
    ),
  );
  if (!vs) return r.fail('the headline says Promise.all against one after another', line, '');
  r.compared(line, vs.groups!.w ?? vs.groups!.same!, vs.groups!.paren, {
    a: gather.walls,
    b: seq.walls,
    pair: 'Promise.all vs sequential',
    failed: gather.allFailed || seq.allFailed,
  });
}

const LOCK = { one: 'one thread', locked: 'threads + global lock', free: 'threads, no lock' } as const;

/** The detail the gil mode left on a run. */
const gilOf = (run: Comparison['runs'][number]) =>
  run.detail?.gil as { switches: number; heldMs: number; holds: { start: number; end: number }[] } | undefined;

/** Holds that began before an earlier one ended (by more than 0.05 ms). */
function overlapsOf(holds: readonly { start: number; end: number }[]): number {
  let n = 0;
  let lastEnd = -Infinity;
  for (const h of [...holds].sort((a, b) => a.start - b.start)) {
    if (h.start < lastEnd - 0.05) n++;
    lastEnd = Math.max(lastEnd, h.end);
  }
  return n;
}

/** The notebook 06 report: the loop, the lock on CPU and waiting work, the real GIL, the switch interval, Amdahl, the headline. */
export function readGil(r: Reading, m: GilMeasured): void {
  const lines = r.findings;
  const find = (start: string) => lines.find((l) => l.text.startsWith(start));
  // Each lock comparison's "- The same ... without the lock" line, in order: the CPU one's comes first.
  const same = lines.filter((l) => l.text.startsWith('- The same'));
  const both = (c: Comparison | undefined) => c !== undefined && factsOf(c).has(LOCK.one) && factsOf(c).has(LOCK.free);
  const cpuFree = both(m.cpu) ? same[0] : undefined;
  const ioFree = both(m.io) ? same[both(m.cpu) ? 1 : 0] : undefined;
  let behaved: boolean | undefined;
  if (m.cpu) behaved = readLock(r, m.cpu, find('- **CPU work under one lock.**'), cpuFree, false, lines);
  if (m.io) readLock(r, m.io, find('- **Waiting tasks under one lock.**'), ioFree, true, lines);
  if (m.cpu) readRealGil(r, m.cpu, find('- **The real GIL.**'), behaved!);
  if (m.loop) readLoop(r, m.loop, lines);
  if (m.switches) readSwitches(r, m.switches, find('- **The switch interval.**'));
  if (m.amdahl) readAmdahl(r, m.amdahl, find("- **Amdahl's law.**"));
  for (const line of lines.filter((l) => /^- \*\*.+\*\* was not measured: /.test(l.text)))
    if (!m.cpu?.skipped.some((s) => line.text.startsWith(`- **${s.label}** was not measured`)))
      r.fail('"not measured" only for skipped rows', line, '');
  if (m.cpu) readGilHeadline(r, m.cpu);
  else
    r.number(
      'the headline without a lock comparison',
      r.headline,
      r.headline.text,
      'GIL-like limits: no lock comparison ran',
      '',
    );
}

/** Whether the unlocked threads ran measurably faster than one thread, where that is possible at all (the control). */
function controlOf(c: Comparison): { behaved: boolean; ideal: number } {
  const facts = factsOf(c);
  const [one, free] = [facts.get(LOCK.one), facts.get(LOCK.free)];
  if (!one || !free) return { behaved: false, ideal: 1 };
  const ideal = Math.min(free.row.workers, c.env.cores, c.tasks);
  const worked = !one.allFailed && !free.allFailed;
  return { behaved: worked && ideal > 1 && compareTimes(free.walls, one.walls).direction === 'faster', ideal };
}

function readLock(
  r: Reading,
  c: Comparison,
  lockedLine: Line | undefined,
  freeLine: Line | undefined,
  io: boolean,
  lines: Line[],
): boolean {
  const facts = factsOf(c);
  const [one, locked, free] = [facts.get(LOCK.one), facts.get(LOCK.locked), facts.get(LOCK.free)];
  const { behaved } = controlOf(c);
  if (one && locked) {
    if (!lockedLine) {
      r.fail('the locked threads are read', lines[0] ?? r.headline, io ? 'io' : 'cpu');
      return behaved;
    }
    const runs = c.runs.filter((x) => x.label === LOCK.locked);
    const switches = median(runs.map((x) => gilOf(x)?.switches ?? 0));
    const head = lockedLine.match(
      /^- \*\*(?:CPU work|Waiting tasks) under one lock\.\*\* (\d+) tasks? on (\d+) threads? that must hold one lock to run \(it changed hands (\d+) times? a run at a (\S+ m?s) switch interval\): /,
    );
    if (!head) r.fail('the locked line opens with its counts', lockedLine, '');
    else {
      r.number(
        'counts are the result',
        lockedLine,
        `${head[1]}/${head[2]}`,
        `${c.tasks}/${locked.row.workers}`,
        'tasks/threads',
      );
      r.number(
        'the hand-offs are the median of the runs',
        lockedLine,
        head[3],
        String(Math.round(switches)),
        'switches',
      );
      r.number(
        'the switch interval is the parameter',
        lockedLine,
        head[4],
        formatMs(Number(c.params.switchIntervalMs)),
        'interval',
      );
    }
    const ideal = io ? Math.min(locked.row.workers, c.tasks) : 1;
    const said = speedup(r, lockedLine, {
      a: locked.walls,
      b: one.walls,
      name: 'one thread',
      ideal,
      pair: `${io ? 'io' : 'cpu'}: locked vs one`,
      failed: locked.allFailed || one.allFailed,
    });
    if (!said) r.fail('the locked threads are read against one thread', lockedLine, '');
    readLockCause(r, lockedLine, c, locked, one, io);
    failuresSaid(r, lockedLine, locked);
  }
  if (one && free && !freeLine) r.fail('the unlocked threads are read', lines[0] ?? r.headline, io ? 'io' : 'cpu');
  if (one && free && freeLine) {
    const ideal = io ? Math.min(free.row.workers, c.tasks) : Math.min(free.row.workers, c.env.cores, c.tasks);
    const head = freeLine.match(/^- The same (\d+) threads? without the lock \(the ideal: ([\d.]+x)\): /);
    r.number('the ideal said is the ideal', freeLine, head?.[2], timesOf(ideal), 'ideal');
    speedup(r, freeLine, {
      a: free.walls,
      b: one.walls,
      name: 'one thread',
      ideal,
      pair: `${io ? 'io' : 'cpu'}: free vs one`,
      failed: free.allFailed || one.allFailed,
    });
    if (freeLine.match(/They ran side by side, as free-threaded Python/)) {
      const c2 = compareTimes(free.walls, one.walls);
      if (io || !behaved || c2.factor < 0.75 * ideal)
        r.fail('"side by side" only when they measurably were', freeLine, c2.words);
    }
    failuresSaid(r, freeLine, free);
  }
  const cannot = lines.find((l) => l.text.startsWith('- **This run cannot tell a lock from no lock**'));
  if (!io && locked && free && one) {
    if (behaved && cannot) r.fail('"cannot tell" only when the control did not behave', cannot, '');
    if (!behaved && !cannot) r.fail('a run that cannot tell a lock from no lock says so', lockedLine ?? r.headline, '');
    if (cannot) readCannot(r, cannot, c);
  }
  return behaved;
}

/** Why a run cannot tell: one core, one thread, one task, or unlocked threads no faster. */
function readCannot(r: Reading, line: Line, c: Comparison): void {
  const facts = factsOf(c);
  const [one, free] = [facts.get(LOCK.one)!, facts.get(LOCK.free)!];
  const ideal = Math.min(free.row.workers, c.env.cores, c.tasks);
  const only = line.match(/with one (core|thread|task) nothing can run side by side, lock or no lock/);
  const slow = line.match(
    /the threads without the lock were no faster than one thread either, though (\S+) cores? allow ([\d.]+x) \(a busy machine\?\)/,
  );
  const failed = line.match(/(the threads without the lock|one thread) failed every task/);
  if (failed) {
    if (!(failed[1] === 'one thread' ? one : free).allFailed)
      r.fail('"failed every task" only when it did', line, failed[1]!);
  } else if (only) {
    const why = only[1];
    const ok =
      ideal === 1 && (why === 'core' ? c.env.cores === 1 : why === 'thread' ? free.row.workers === 1 : c.tasks === 1);
    if (!ok)
      r.fail(
        '"nothing can run side by side" only when one of them is one',
        line,
        `cores ${c.env.cores}, threads ${free.row.workers}, tasks ${c.tasks}`,
      );
  } else if (slow) {
    if (compareTimes(free.walls, one.walls).direction === 'faster')
      r.fail('"no faster" only when not faster', line, '');
    r.number('the ideal said is the ideal', line, slow[2], timesOf(ideal), 'ideal');
  } else r.fail('every reason a run cannot tell is read', line, '');
}

/** Why the locked threads beat their ideal: holds that overlapped, or time outside the lock on one thread. */
function readLockCause(r: Reading, line: Line, c: Comparison, locked: RowFacts, one: RowFacts, io: boolean): void {
  const overlapped = line.match(/(\d+) holds? overlapped another thread's, so the lock did not keep the threads apart/);
  const runs = (label: string) => c.runs.filter((x) => x.label === label);
  const overlaps = Math.max(0, ...runs(LOCK.locked).map((x) => overlapsOf(gilOf(x)?.holds ?? [])));
  if (overlapped) r.number('overlapping holds are the records', line, overlapped[1], String(overlaps), 'overlaps');
  const outside = line.match(
    /no two holds overlapped, but on one thread the lock was held only (\d+)% of the run; the rest \(handing tasks over and results back\) is not the work, and threads overlap it(?:, which allows up to ([\d.]+x); the rest is more than the runs can explain \(look at the timeline\))?/,
  );
  const oneRuns = runs(LOCK.one);
  const held = median(oneRuns.map((x) => (gilOf(x)?.heldMs ?? NaN) / x.wallMs));
  if (outside) {
    if (overlaps > 0 || io) r.fail('a cause only where it applies', line, `overlaps ${overlaps}`);
    r.number("the lock's share is its records", line, `${outside[1]}%`, percentOf(held), 'held');
    if (outside[2]) r.number('what the share allows is 1 / share', line, outside[2], timesOf(1 / held), 'allows');
  }
  if (
    line.match(
      /no two holds overlapped, and the lock was held nearly the whole run on one thread: the runs cannot explain it/,
    )
  ) {
    if (overlaps > 0 || !(held >= 0.97)) r.fail('"held nearly the whole run" only when it was', line, `${held}`);
  }
  void locked;
  void one;
}

function readRealGil(r: Reading, c: Comparison, line: Line | undefined, behaved: boolean): void {
  const facts = factsOf(c);
  const py = [...facts.values()].filter((f) => f.row.origin === 'python');
  const pyOne = py.find((f) => f.row.mode === 'sequential');
  const many = py.find((f) => f.row.mode === 'threads');
  if (!pyOne || !many) {
    if (line) r.fail('the real GIL only where both Python rows ran', line, '');
    return;
  }
  if (!line) return r.fail('the real GIL is read where both Python rows ran', r.headline, '');
  const head = line.match(
    rx(
      `^- \\*\\*The real GIL\\.\\*\\* ${escape(many.row.label)} against ${escape(pyOne.row.label)}, the same (\\d+) tasks?: `,
    ),
  );
  if (!head) r.fail('the real GIL names its rows', line, '');
  const none = line.match(/: every task of (.+?) failed, so there is no speed to compare\./);
  if (none) {
    if (!(many.allFailed || pyOne.allFailed)) r.fail('"every task failed" only when it did', line, none[1]!);
    if (/behaved here like|did not behave like|cannot be told/.test(line.text))
      r.fail('no verdict beside a side that failed every task', line, '');
    return;
  }
  const vs = line.match(
    rx(
      `(?:(?<w>${WORDS}) than one Python thread|(?<same>no measurable difference) from one Python thread (?<paren>${PAREN}))`,
    ),
  );
  if (!vs) return r.fail('the real GIL is read against one Python thread', line, '');
  r.compared(line, vs.groups!.w ?? vs.groups!.same!, vs.groups!.paren, {
    a: many.walls,
    b: pyOne.walls,
    pair: 'python threads vs one',
    failed: many.allFailed || pyOne.allFailed,
  });
  const freeThreaded = c.runs.some((x) => x.label === many.row.label && x.detail?.gilEnabled === false);
  const same = line.match(
    /The simulated lock's threads went the same way \((?<v>[^()]*(?:\([^()]*\))?[^()]*)\), while the unlocked threads ran faster: the simulation behaved here like the lock it simulates\./,
  );
  const other = line.match(
    /The simulated lock's threads went another way \((?<v>[^()]*(?:\([^()]*\))?[^()]*)\): on this run the simulation did not behave like the real lock\./,
  );
  const verdict = same ?? other;
  if (verdict) {
    const locked = facts.get(LOCK.locked)!;
    const one = facts.get(LOCK.one)!;
    if (c.env.cores === 1 || !behaved || freeThreaded)
      r.fail(
        'a GIL verdict only when the control behaved, on more than one core, with a GIL',
        line,
        `cores ${c.env.cores}, control ${behaved}, free-threaded ${freeThreaded}`,
      );
    const inner = rx(
      `^(?:(?<w>${WORDS}) than one thread|(?<same>no measurable difference) from one thread (?<paren>${PAREN}))$`,
    ).exec(verdict.groups!.v!);
    if (!inner) r.fail('the verdict names its comparison', line, verdict.groups!.v!);
    else
      r.compared(line, inner.groups!.w ?? inner.groups!.same!, inner.groups!.paren, {
        a: locked.walls,
        b: one.walls,
        pair: 'cpu: locked vs one',
        failed: locked.allFailed || one.allFailed,
      });
    const real = compareTimes(many.walls, pyOne.walls).direction === 'faster';
    const simulated = compareTimes(locked.walls, one.walls).direction === 'faster';
    if (Boolean(same) !== (real === simulated))
      r.fail('"the same way" only when both went the same way', line, `real ${real}, simulated ${simulated}`);
  }
  if (line.match(/This Python is a free-threaded build: it has no GIL/) && !freeThreaded)
    r.fail('"free-threaded" only for one', line, '');
  if (freeThreaded && /did not (?:reproduce|behave)/.test(line.text))
    r.fail('no "did not reproduce/behave" verdict for a free-threaded Python', line, '');
  if (freeThreaded && !/free-threaded build/.test(line.text))
    r.fail('a free-threaded Python is said to be one', line, '');
  const cannot = line.match(/Whether the simulation behaves like it cannot be told from this run: /);
  if (cannot && (behaved || freeThreaded)) r.fail('"cannot be told" only when the control did not behave', line, '');
  if (cannot && factsOf(c).has(LOCK.free)) readCannot(r, line, c);
}

function readLoop(r: Reading, c: Comparison, lines: Line[]): void {
  const run = (label: string) => c.runs.find((x) => x.label === label);
  const stats = (label: string) => {
    const x = run(label);
    if (!x) return undefined;
    const w = x.detail!.watch as { trace: { beats: { t: number; latenessMs: number }[]; heartbeatMs: number } };
    const beats = w.trace.beats.filter((b) => b.t >= x.start && b.t - b.latenessMs - w.trace.heartbeatMs <= x.end);
    const tasks = [...x.tasks].filter((t) => t.ok).map((t) => t.end - t.start);
    return {
      work: x.wallMs,
      late: Math.max(0, ...beats.map((b) => b.latenessMs)),
      task: tasks.length ? median(tasks) : NaN,
    };
  };
  const [main, yielding, worker] = [
    'on the event loop (Promise.all)',
    'on the event loop, yielding between tasks',
    'in a worker thread',
  ].map(stats);
  const loopLine = lines.find((l) => l.text.startsWith('- **The event loop.**'));
  if (main && loopLine) {
    const m = loopLine.match(
      /took (\S+ m?s) and kept the loop \d+% busy; the \S+ m?s heartbeat came up to (\S+ m?s) late/,
    );
    r.number(
      'the loop says its work and lateness',
      loopLine,
      m ? `${m[1]}/${m[2]}` : undefined,
      `${formatMs(main.work)}/${formatMs(main.late)}`,
      'loop',
    );
    if (loopLine.match(/The heartbeat waited out most of the work/) && !(main.late >= 0.5 * main.work))
      r.fail('"waited out most of the work" only when it did', loopLine, `${main.late} of ${main.work}`);
  }
  const yLine = lines.find((l) => l.text.startsWith('- One task at a time, yielding'));
  if (main && yielding && yLine) {
    const shrank = yLine.match(/The longest stall shrank from (\S+ m?s) to (\S+ m?s), /);
    if (shrank) {
      if (!(yielding.late < 0.8 * main.late)) r.fail('"shrank" only when it did', yLine, '');
      r.number(
        'stalls are the heartbeats',
        yLine,
        `${shrank[1]}/${shrank[2]}`,
        `${formatMs(main.late)}/${formatMs(yielding.late)}`,
        'stalls',
      );
    }
    const vs = yLine.match(
      rx(
        `\`Promise.all\`: (?:(?<w>${WORDS}) than one task at a time|(?<same>no measurable difference) from one task at a time (?<paren>${PAREN}))\\.`,
      ),
    );
    if (!vs) r.fail('Promise.all against one task at a time is read', yLine, '');
    else
      r.compared(yLine, vs.groups!.w ?? vs.groups!.same!, vs.groups!.paren, {
        a: [main.work],
        b: [yielding.work],
        pair: 'loop: all vs yielding',
      });
  }
  const wLine = lines.find((l) => l.text.startsWith('- In a worker thread'));
  if (worker && wLine) {
    const kept = wLine.match(/The loop kept running: its worst heartbeat was (\S+ m?s) late, against (\S+ m?s) with/);
    if (kept && !(main && worker.late < 0.5 * main.late)) r.fail('"the loop kept running" only when it did', wLine, '');
  }
}

function readSwitches(r: Reading, c: Comparison, line: Line | undefined): void {
  if (!line) return;
  const facts = factsOf(c);
  const base = facts.get(LOCK.one)!;
  const rows = [...facts.values()].filter((f) => / threads? at /.test(f.row.label));
  for (const m of line.text.matchAll(
    /At (\S+ m?s) the lock changed hands (\d+) times? a second, and the CPU threads under it: /g,
  )) {
    const row = rows.find((f) => formatMs(Number(/at ([\d.]+) ms$/.exec(f.row.label)![1])) === m[1]);
    if (!row) {
      r.fail('every interval said is an interval of the sweep', line, m[1]!);
      continue;
    }
    speedup(r, line, {
      a: row.walls,
      b: base.walls,
      name: 'one thread alone',
      ideal: 1,
      pair: `switches: ${row.row.label}`,
      before: escape(m[0]),
    });
  }
  if (line.match(/That is the trade: /)) {
    // Read loosely: the sentence is said only with the numbers above it.
  }
}

function readAmdahl(r: Reading, c: Comparison, line: Line | undefined): void {
  if (!line) return;
  const facts = factsOf(c);
  const rows = [...facts.values()].filter((f) => f.row.baseline);
  const one = [...facts.values()].find((f) => f.row.workers === 1)!;
  const f = Number(c.params.serialFraction);
  const gained = rows.filter((x) => compareTimes(x.walls, one.walls).direction === 'faster');
  const best = (gained.length ? gained : rows).reduce((a, b) =>
    median(one.walls) / median(b.walls) > median(one.walls) / median(a.walls) ? b : a,
  );
  const effective = parallelism(best.row, c.env.cores);
  const law = 1 / (f + (1 - f) / effective);
  const m = line.match(/the best point(?: beyond one thread)? was (\d+) threads?: /);
  r.number('the best point is the largest speedup', line, m?.[1], String(best.row.workers), 'best');
  speedup(r, line, {
    a: best.walls,
    b: one.walls,
    name: 'one thread',
    ideal: law,
    pair: `amdahl: ${best.row.label}`,
    failed: best.allFailed || one.allFailed,
  });
  const allows = line.match(/The law allows ([\d.]+x) on (\S+) cores?/);
  r.number("the law is Amdahl's", line, allows?.[1], timesOf(law), 'law');
  r.number('the law is read at the best point', line, allows?.[2], String(effective), 'cores');
  if (line.match(/Fitted from the points, the serial share is/) && !gained.length)
    r.fail("Amdahl's fitted serial share only when a thread count was measurably faster", line, 'none faster');
  if (line.match(/No thread count was measurably faster than one thread/) && gained.length)
    r.fail('"no thread count was faster" only when none was', line, gained.map((x) => x.row.label).join(', '));
}

function readGilHeadline(r: Reading, c: Comparison): void {
  const line = r.headline;
  const facts = factsOf(c);
  const [one, locked, free] = [facts.get(LOCK.one), facts.get(LOCK.locked), facts.get(LOCK.free)];
  const head = line.match(/^Simulated GIL, (\d+) threads? on (\S+) cores?: /);
  r.number('the headline says the cores', line, head?.[2], String(c.env.cores), 'cores');
  if (!one) return;
  if (locked)
    speedup(r, line, {
      a: locked.walls,
      b: one.walls,
      name: 'one thread',
      ideal: 1,
      pair: 'cpu: locked vs one',
      failed: locked.allFailed || one.allFailed,
      before: 'with one global lock, ',
    });
  if (free)
    speedup(r, line, {
      a: free.walls,
      b: one.walls,
      name: 'one thread',
      ideal: Math.min(free.row.workers, c.env.cores, c.tasks),
      pair: 'cpu: free vs one',
      failed: free.allFailed || one.allFailed,
      before: 'without it, ',
    });
  const caveat = /\(this run cannot tell a lock from no lock\)$/.test(line.text);
  if (locked && free && caveat === controlOf(c).behaved)
    r.fail('the headline says when a run cannot tell', line, `control ${controlOf(c).behaved}`);
}

type KitchenRun = KitchenResult['runs'][number];

/** The most hands-on steps in progress at once (one ending within 0.01 ms of another's start does not count). */
function handsOnAtOnce(steps: readonly { start: number; end: number; kind: string }[]): number {
  const events: [number, number][] = [];
  for (const s of steps.filter((x) => x.kind === 'hands-on')) events.push([s.start, 1], [s.end - 0.01, -1]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of events) most = Math.max(most, (now += d));
  return most;
}

/** The robot kitchen: each run against its ideal and against one dish at a time, what its steps show, the headline. */
export function readKitchen(r: Reading, k: KitchenResult): void {
  const seq = k.runs.find((x) => x.id === 'sequential');
  const bullets = r.findings.filter((l) => l.text.startsWith('- **'));
  if (bullets.length !== k.runs.length)
    return r.fail('a bullet per run', r.findings[0] ?? r.headline, `${bullets.length} of ${k.runs.length}`);
  const orders = (x: KitchenRun) => x.robots.reduce((n, o) => n + o.length, 0);
  const passTimes = (x: KitchenRun, per = 1) => x.passes.map((p) => p.wallMs / per);
  k.runs.forEach((run, i) => {
    const line = bullets[i]!;
    const m = median(passTimes(run));
    const head = line.match(
      rx(
        `^- \\*\\*[^*]+:\\*\\* (?<med>\\S+ m?s)(?: \\(median of (?<n>\\d+) pass(?:es)?\\))?, ${BOUND} \\(its ideal, set by [^)]*(?:\\([^)]*\\))?[^)]*\\)\\.`,
      ),
    );
    if (!head) return r.fail('a run says its time against its ideal', line, '');
    const g = head.groups!;
    r.number('a run says its median', line, g.med, formatMs(m), 'median');
    if (g.zero !== undefined) {
      if (run.ideal.ms > 0) r.fail('"a bound of 0 ms" only when it is 0', line, `${run.ideal.ms}`);
    } else if (g.below !== undefined) belowSaid(r, line, m, run.ideal.ms, g.below, g.b2!);
    else {
      r.number('the bound is the ideal', line, g.b, String(Math.round(run.ideal.ms)), 'ideal');
      r.number('the ratio to the ideal is the medians', line, `${g.x}x`, timesOf(m / run.ideal.ms), 'x ideal');
    }
    if (seq && run !== seq && run.id !== 'both') {
      const said = speedup(r, line, {
        a: passTimes(run),
        b: passTimes(seq),
        name: 'one dish at a time',
        ideal: seq.ideal.ms / run.ideal.ms,
        pair: `kitchen: ${run.id} vs sequential`,
      });
      if (!said) r.fail('a run is read against one dish at a time', line, run.id);
    }
    if (seq && run.id === 'both') {
      const [n, d] = [orders(run), orders(seq)];
      const per = line.match(/Per order: (\S+ m?s), /);
      r.number('per order is the median over the orders', line, per?.[1], formatMs(m / n), 'per order');
      speedup(r, line, {
        a: passTimes(run, n),
        b: passTimes(seq, d),
        name: `the ${formatMs(seq.wall.median / d)} per dish of one dish at a time`,
        ideal: seq.ideal.ms / d / (run.ideal.ms / n),
        pair: 'kitchen: both vs sequential, per dish',
      });
    }
    // The typical pass: the one closest to the median.
    const pass = run.passes.reduce((a, b) =>
      Math.abs(b.wallMs - run.wall.median) < Math.abs(a.wallMs - run.wall.median) ? b : a,
    );
    const most = handsOnAtOnce(pass.steps);
    const atOnce =
      /(?:At most|Up to) (\d+) hands-on steps?(?: of \d+ robots?)? (?:at a time|(?:was|were) in progress at once, on (\S+) cores?)\./.exec(
        line.text,
      );
    if (pass.steps.length && !atOnce) r.fail('a run says its hands-on steps at once', line, '');
    if (atOnce) r.number('hands-on steps at once are the records', line, atOnce[1], String(most), 'at once');
    const turns = /: (\d+) hands-on steps? at once on (\S+) cores? took turns on the cores/.exec(line.text);
    if (turns && !(most > k.env.cores))
      r.fail('"took turns on the cores" only with more steps than cores', line, `${most} on ${k.env.cores}`);
  });
  readKitchenHeadline(r, k);
}

function readKitchenHeadline(r: Reading, k: KitchenResult): void {
  const line = r.headline;
  const run = (id: string) => k.runs.find((x) => x.id === id);
  const seq = run('sequential');
  const passTimes = (x: KitchenRun) => x.passes.map((p) => p.wallMs);
  const head = line.match(/^On (\S+) cores?: /);
  r.number('the headline says the cores', line, head?.[1], String(k.env.cores), 'cores');
  const interleaved = run('interleaved');
  if (seq && interleaved)
    speedup(r, line, {
      a: passTimes(interleaved),
      b: passTimes(seq),
      name: 'one dish at a time',
      ideal: seq.ideal.ms / interleaved.ideal.ms,
      pair: 'kitchen: interleaved vs sequential',
      before: 'one robot interleaving \\d+ dish(?:es)? (?:was|showed) ',
    });
  const parallel = run('parallel');
  if (seq && parallel)
    speedup(r, line, {
      a: passTimes(parallel),
      b: passTimes(seq),
      name: 'one dish at a time',
      ideal: seq.ideal.ms / parallel.ideal.ms,
      pair: 'kitchen: parallel vs sequential',
      before: '\\d+ robots? with a dish each (?:was|were|showed) ',
    });
}

/** core/words `relation` as the threads findings write it: "3.1x slower than b" or "not measurably different from b (...)". */
function relationSaid(r: Reading, line: Line, name: string, s: Sides, before = ''): boolean {
  const m = line.match(
    rx(
      `${before}(?:(?<w>${WORDS}) than ${escape(name)}|(?<same>not measurably different) from ${escape(name)} (?<paren>${PAREN}))`,
    ),
  );
  if (!m) return false;
  r.compared(line, m.groups!.w ?? m.groups!.same!, m.groups!.paren, s);
  return true;
}

const thousands = (n: number) => Math.round(n).toLocaleString('en');

/** Notebook 02: the threads, the shared write, the copying costs, the race and its fixes, the headline. */
export function readThreads(r: Reading, m: ThreadsMeasured): void {
  const find = (start: string) => r.findings.find((l) => l.text.startsWith(start));
  const threadsLine = find('- **Threads.**');
  const n = m.reports.length;
  if (threadsLine && n) {
    const said = threadsLine.match(/^- \*\*Threads\.\*\* (\d+) worker threads? reported/);
    r.number('the threads that reported', threadsLine, said?.[1], String(n), 'threads');
  }
  const sharing = find('- **Sharing.**');
  if (
    sharing?.match(/only the shared memory carried the change/) &&
    !(m.seen.mainShared === m.seen.value && m.seen.mainCopied !== m.seen.value)
  )
    r.fail('"only the shared memory carried the change" only when it did', sharing, '');
  const copying = find('- **Copying costs.**');
  if (copying) readCopying(r, copying, m);
  readRace(r, m, find('- **Races.**'), find('- **The fixes.**'));
  readThreadsHeadline(r, m);
}

function readCopying(r: Reading, line: Line, m: ThreadsMeasured): void {
  const costs = m.costs;
  const at = (method: string, bytes: number) =>
    costs.samples.filter((s) => s.method === method && s.bytes === bytes).map((s) => s.ms);
  const big = Math.max(...costs.sizes);
  const small = Math.min(...costs.sizes);
  const head = line.match(
    /took (\S+ m?s) as a copy, (\S+ m?s) transferred, (\S+ m?s) shared \(medians of (\d+) round trips?\)/,
  );
  r.number(
    'the medians are the round trips',
    line,
    head ? head.slice(1, 5).join('/') : undefined,
    [
      formatMs(median(at('clone', big))),
      formatMs(median(at('transfer', big))),
      formatMs(median(at('shared', big))),
      String(costs.repeats),
    ].join('/'),
    'medians',
  );
  const size = formatBytes(big);
  if (
    !relationSaid(
      r,
      line,
      'sharing',
      { a: at('clone', big), b: at('shared', big), pair: `clone vs shared ${size}` },
      `At ${escape(size)} the copy was `,
    )
  )
    r.fail('the copy against sharing is read', line, '');
  if (
    !relationSaid(
      r,
      line,
      'transferring',
      { a: at('clone', big), b: at('transfer', big), pair: `clone vs transfer ${size}` },
      ' and ',
    )
  )
    r.fail('the copy against transferring is read', line, '');
  if (small === big) return;
  const grew = (method: string, what: string) => {
    const g = line.match(
      rx(`${what} went from (?<x>\\S+ m?s) to (?<y>\\S+ m?s), (?<w>${WORDS})(?: (?<paren>${PAREN}))?`),
    );
    if (!g) return r.fail('growth with the size is read', line, what);
    r.number(
      'the medians are the round trips',
      line,
      `${g.groups!.x}/${g.groups!.y}`,
      `${formatMs(median(at(method, small)))}/${formatMs(median(at(method, big)))}`,
      what,
    );
    r.compared(line, g.groups!.w!, g.groups!.paren, {
      a: at(method, big),
      b: at(method, small),
      pair: `${method} ${size} vs ${formatBytes(small)}`,
    });
  };
  grew('clone', "a copy's round trip");
  const shared = line.match(
    rx(`a shared buffer's from (?<x>\\S+ m?s) to (?<y>\\S+ m?s), (?<w>${WORDS})(?: (?<paren>${PAREN}))?`),
  );
  if (!shared) r.fail('growth with the size is read', line, 'shared');
  else
    r.compared(line, shared.groups!.w!, shared.groups!.paren, {
      a: at('shared', big),
      b: at('shared', small),
      pair: `shared ${size} vs ${formatBytes(small)}`,
    });
  if (line.match(/A copy costs more the bigger it is; a shared buffer is not copied at all\./)) {
    const copy = compareTimes(at('clone', big), at('clone', small));
    const sh = compareTimes(at('shared', big), at('shared', small));
    const vs = compareTimes(at('clone', big), at('shared', big));
    if (!(
      copy.direction === 'slower' &&
      copy.factor > (sh.direction === 'slower' ? sh.factor : 1) &&
      vs.direction === 'slower'
    ))
      r.fail(
        '"a copy costs more the bigger it is" only when this run shows it',
        line,
        `${copy.words}; ${sh.words}; ${vs.words}`,
      );
  }
}

function readRace(r: Reading, m: ThreadsMeasured, races: Line | undefined, fixes: Line | undefined): void {
  const race = m.race;
  const by = (mode: string) => race.summary.find((s) => s.mode === mode);
  const ms = (mode: string) => race.runs.filter((x) => x.mode === mode).map((x) => x.ms);
  const unsafe = by('unsafe');
  if (races && unsafe) {
    if (unsafe.runsWithLosses === 0) {
      if (!races.match(/lost no update in \d+ runs?/)) r.fail('no losses are said as such', races, '');
    } else {
      const lost = races.match(
        /lost ([\d,]+)(?: to ([\d,]+))? of ([\d,]+) updates(?: \(median ([\d,]+)\))?, with losses in (\d+) of (\d+) runs?/,
      );
      if (!lost) r.fail('the losses are read', races, '');
      else {
        const want =
          unsafe.lost.min === unsafe.lost.max
            ? `${thousands(unsafe.lost.max)}/-/${thousands(race.threads * race.increments)}/-`
            : `${thousands(unsafe.lost.min)}/${thousands(unsafe.lost.max)}/${thousands(race.threads * race.increments)}/${thousands(unsafe.lost.median)}`;
        r.number(
          'the losses are the runs',
          races,
          `${lost[1]}/${lost[2] ?? '-'}/${lost[3]}/${lost[4] ?? '-'}`,
          want,
          'lost',
        );
        r.number(
          'the runs with losses are the runs',
          races,
          `${lost[5]} of ${lost[6]}`,
          `${unsafe.runsWithLosses} of ${unsafe.lost.n}`,
          'runs',
        );
        const others = /the other (\d+) lost nothing/.exec(races.text);
        if (others)
          r.number(
            'the other runs are the rest',
            races,
            others[1],
            String(unsafe.lost.n - unsafe.runsWithLosses),
            'others',
          );
      }
    }
  }
  if (!fixes) return;
  const pairs: [string, string, string, string][] = [
    ['atomics', 'unsafe', 'reading then writing', 'Atomics.add was '],
    ['lock', 'atomics', 'Atomics.add', '[Tt]he lock was '],
  ];
  for (const [a, b, name, before] of pairs) {
    if (!by(a) || !by(b)) continue;
    if (!relationSaid(r, fixes, name, { a: ms(a), b: ms(b), pair: `race: ${a} vs ${b}` }, before))
      r.fail('the fixes are read against each other', fixes, `${a} vs ${b}`);
  }
  if (
    fixes.match(/: the lock does several atomic steps per update/) &&
    compareTimes(ms('lock'), ms('atomics')).direction !== 'slower'
  )
    r.fail('the price of the lock only when it was slower', fixes, '');
}

function readThreadsHeadline(r: Reading, m: ThreadsMeasured): void {
  const race = m.race;
  const has = (mode: string) => race.summary.some((s) => s.mode === mode);
  const ms = (mode: string) => race.runs.filter((x) => x.mode === mode).map((x) => x.ms);
  if (!has('lock') || !has('atomics')) return;
  const line = r.headline;
  const same = line.match(
    rx(`the times of the lock and Atomics.add showed (?<same>no measurable difference) (?<paren>${PAREN})`),
  );
  if (same)
    r.compared(line, same.groups!.same!, same.groups!.paren, {
      a: ms('lock'),
      b: ms('atomics'),
      pair: 'race: lock vs atomics',
    });
  else if (
    !relationSaid(
      r,
      line,
      'Atomics.add',
      { a: ms('lock'), b: ms('atomics'), pair: 'race: lock vs atomics' },
      'the lock was ',
    )
  )
    r.fail('the headline reads the lock against Atomics.add', line, '');
}

/** Notebook 01: the start-up costs read against each other, the cores, the headline. */
export function readProcesses(r: Reading, m: ProcessesMeasured): void {
  const startup = m.startup;
  const of = (kind: string) => startup.samples.filter((s) => s.kind === kind).map((s) => s.ms);
  const line = r.findings.find((l) => l.text.startsWith('- **Start-up**'));
  if (!line) return r.fail('the start-up costs are read', r.headline, '');
  const medians = startup.summary.map((s) => `${s.kind} ${formatMs(s.ms.median)}`).join(', ');
  r.number(
    'the medians are the starts',
    line,
    line.match(/\(medians of \d+ starts? each\): (.+?)\.(?: |$)/)?.[1],
    medians,
    'medians',
  );
  const read = (l: Line, a: string, aName: string) => {
    if (!of(a).length || !of('fork node').length) return;
    const m2 = l.match(
      rx(
        `(?:${aName} started (?<w>${WORDS}) than a forked Node process|${aName} and a forked Node process showed (?<same>no measurable difference) (?<paren>${PAREN}))`,
        'i',
      ),
    );
    if (!m2) return r.fail('each start is read against a forked Node process', l, a);
    r.compared(l, m2.groups!.w ?? m2.groups!.same!, m2.groups!.paren, {
      a: of(a),
      b: of('fork node'),
      pair: `${a} vs fork node`,
    });
  };
  read(line, 'spawn true', 'a program that does nothing');
  read(line, 'worker thread', 'a worker thread');
  if (line.match(/most of a Node child's start-up is Node itself/)) {
    const c = compareTimes(of('spawn true'), of('fork node'));
    if (!(c.direction === 'faster' && median(of('spawn true')) / median(of('fork node')) < 0.5))
      r.fail('"most of it is Node" only when the OS part is under half', line, c.words);
  }
  if (
    line.match(/it needs no new process/) &&
    compareTimes(of('worker thread'), of('fork node')).direction !== 'faster'
  )
    r.fail('"it needs no new process" only when a thread started faster', line, '');
  read(r.headline, 'worker thread', 'a worker thread');
  const cores = r.findings.find((l) => l.text.startsWith('- **Cores.**'));
  const cpus = cores?.match(
    /^- \*\*Cores\.\*\* (\d+) logical CPUs? here: at most (\d+) of these processes or threads (runs?) at the same instant/,
  );
  r.number(
    'the cores line says the logical CPUs',
    cores ?? r.headline,
    cpus ? `${cpus[1]}/${cpus[2]}/${cpus[3]}` : undefined,
    `${startup.env.logicalCpus}/${startup.env.logicalCpus}/${startup.env.logicalCpus === 1 ? 'runs' : 'run'}`,
    'cpus',
  );
}

/** Notebook 07: the queue against the process pool (findings and headline alike), the round trip, scaling, the kill. */
export function readQueue(r: Reading, m: QueueMeasured): void {
  const c = m.comparison;
  const facts = factsOf(c);
  const queueRow = [...facts.values()]
    .filter((f) => f.row.mode === 'queue' && f.row.origin === 'node')
    .sort((a, b) => b.row.workers - a.row.workers)[0];
  const pool =
    queueRow && [...facts.values()].find((f) => f.row.mode === 'processes' && f.row.workers === queueRow.row.workers);
  const words = (line: Line, before: string) => {
    if (!queueRow || !pool) return;
    const none = line.match(
      /: every task of (the queue|the process pool) failed, so there is no throughput to compare/,
    );
    if (none) {
      if (!(none[1] === 'the queue' ? queueRow : pool).allFailed)
        r.fail('"every task failed" only when it did', line, none[1]!);
      return;
    }
    const t = line.match(
      rx(
        `${before}(?:about the process pool's throughput (?<paren>${PAREN})|(?<ratio>\\d+%|[\\d.]+x) (?:of )?the process pool's throughput \\((?<dir>slower|faster) beyond the runs' noise\\))`,
      ),
    );
    if (!t) return r.fail("the queue's throughput is read against the process pool", line, '');
    const g = t.groups!;
    const cmp = compareTimes(queueRow.walls, pool.walls);
    const ratio = median(pool.walls) / median(queueRow.walls);
    if (g.paren)
      r.compared(line, 'no measurable difference', g.paren, {
        a: queueRow.walls,
        b: pool.walls,
        pair: 'queue vs processes',
        failed: queueRow.allFailed || pool.allFailed,
      });
    else {
      if (cmp.direction !== g.dir) r.fail('throughput words agree with compareTimes', line, `${g.dir}: ${cmp.words}`);
      const want = ratio < 1 ? percentOf(ratio) : timesOf(ratio);
      r.number("the throughput ratio is the medians'", line, g.ratio, want, 'ratio');
      if ((g.dir === 'faster') !== ratio > 1)
        r.fail('a throughput "faster" is a ratio above 1', line, `${g.ratio}, ${g.dir}`);
      if (queueRow.allFailed || pool.allFailed) r.fail('no speed is read from a row whose every task failed', line, '');
      r.said.push({ pair: 'queue vs processes', words: `${g.ratio} ${g.dir}`, line });
    }
  };
  const same = r.findings.find((l) => l.text.startsWith('- **The same CPU work.**'));
  if (same) {
    const head = same.match(/^- \*\*The same CPU work\.\*\* .+ on (\d+) workers?: /);
    r.number('the workers are the queue row', same, head?.[1], String(queueRow?.row.workers), 'workers');
    words(same, 'the queue reached ');
  }
  words(r.headline, 'queue workers? ran [^:;]+ at ');
  const trip = r.findings.find((l) => l.text.startsWith('- **What a task costs the queue.**'));
  if (trip && m.trip) {
    const per = (label: string) => m.trip!.runs.filter((x) => x.label === label).map((x) => x.wallMs / x.tasks.length);
    const vs = trip.match(
      rx(
        `per task the queue (?:was (?<w>${WORDS}) than the process pool|showed no measurable difference from the process pool (?<paren>${PAREN}))`,
      ),
    );
    // The queue's figures in ms, as its charts print them: "0.30 ms", "20 µs".
    const msOf = (v: number) =>
      v !== 0 && Math.abs(v) < 0.1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
    const took = trip.match(
      /A task that does nothing took (.+?) through the queue, (.+?) in the process pool and (.+?) in the thread pool/,
    );
    r.number(
      'the round trips are the medians per task',
      trip,
      took ? took.slice(1, 4).join('/') : undefined,
      [per('queue'), per('processes'), per('threads')].map((x) => msOf(median(x))).join('/'),
      'round trips',
    );
    if (!vs) r.fail("the queue's round trip is read", trip, '');
    else
      r.compared(trip, vs.groups!.w ?? 'no measurable difference', vs.groups!.paren, {
        a: per('queue'),
        b: per('processes'),
        pair: 'trip: queue vs processes',
      });
  }
  const scale = r.findings.find((l) => l.text.startsWith('- **Scaling here.**'));
  if (scale && m.scaling) {
    const s = m.scaling;
    const through = (label: string) =>
      s.runs.filter((x) => x.label === label).map((x) => (1000 * x.tasks.length) / x.wallMs);
    const best = s.rows
      .filter((x) => x.mode === 'queue')
      .reduce((a, b) => (median(through(b.label)) > median(through(a.label)) ? b : a));
    const said = scale.match(/The most throughput was measured at (\d+) workers?\./);
    r.number('the most throughput is the largest median', scale, said?.[1], String(best.workers), 'best');
    const past = scale.match(/Past (\S+) workers? these workers take turns on (\S+) cores?/);
    if (past && !(Math.max(...s.rows.map((x) => x.workers)) > c.env.cores))
      r.fail('"take turns" only past the cores', scale, '');
  }
  const killed = r.findings.find((l) => l.text.startsWith('- **A worker killed mid-task.**'));
  if (killed && m.recovery) {
    const rec = m.recovery;
    if (killed.match(/: nothing was lost/) && !(rec.completed === rec.tasks && rec.countedOnce))
      r.fail('"nothing was lost" only when nothing was', killed, '');
    const done = killed.match(/(\d+) of (\d+) tasks? completed/);
    r.number(
      'completed tasks are the records',
      killed,
      done ? `${done[1]}/${done[2]}` : undefined,
      `${rec.completed}/${rec.tasks}`,
      'completed',
    );
  }
}
