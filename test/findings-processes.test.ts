/**
 * 01-processes' "what we measured" and headline, from results built by hand: every computed
 * sentence in the expected direction, the reverse, within noise, with one child, one start and
 * one core, and with a child that never answered. (Start-up has no ideal to exceed, so there is
 * no above-the-ideal case here.)
 */
import { processes } from 'concurrency-lab';
import { bullet, comparison, env } from './helpers/results';
import { summarize } from '../lib/dist/core/stats';

type Measured = Parameters<typeof processes.report>[0];
type Startup = Measured['startup'];
type Kind = Startup['kinds'][number];
type Memory = Measured['memory'];

/** Start-up costs with these timings (ms) per kind: each kind a row of the comparison, each start a run. */
function startup(ms: Partial<Record<Kind, number[]>>, cores = 2, logicalCpus = cores): Startup {
  const kinds = (Object.keys(ms) as Kind[]).filter((k) => ms[k]!.length > 0);
  const samples = kinds.flatMap((kind) => ms[kind]!.map((value, repeat) => ({ kind, repeat, ms: value })));
  const summary = kinds.map((kind) => ({ kind, ms: summarize(ms[kind]!) }));
  const repeats = ms[kinds[0]!]!.length;
  const c = comparison(
    kinds.map((kind) => ({
      mode: kind === 'worker thread' ? ('threads' as const) : ('processes' as const),
      label: kind,
      walls: ms[kind]!,
      tasks: 1,
    })),
    { cores, logicalCpus, physicalCores: cores, tasks: 0, params: { repeats } },
  );
  return { kinds, repeats, samples, summary, comparison: c, env: env(cores, { logicalCpus }) };
}

const TYPICAL = startup({
  'spawn true': [1.2, 1.3, 1.1],
  'spawn node': [98, 101, 99],
  'fork node': [100, 102, 101],
  'worker thread': [30, 31, 32],
});

const kids = (...pids: number[]) => pids.map((pid) => ({ pid, ppid: process.pid, threadId: 0 }));
const UNCHANGED: Memory = { child: { pid: 77, received: 41, counter: 42 }, parentAfter: 41 };

const report = (
  reports: Measured['reports'] = kids(11, 12, 13),
  memory: Memory = UNCHANGED,
  costs: Startup = TYPICAL,
) => processes.report({ reports, memory, startup: costs });
const findings = (reports?: Measured['reports'], memory?: Memory, costs?: Startup) =>
  report(reports, memory, costs).findings;
const headline = (costs: Startup) => report(undefined, undefined, costs).headline;

describe('children', () => {
  test('several children: their pids, this kernel as their parent, thread 0', () => {
    expect(bullet(findings(), 'Processes')).toBe(
      `- **Processes.** This kernel is process ${process.pid}. The 3 children reported 3 different pids (11, 12, 13), ` +
        `each with parent ${process.pid} (this kernel) and each on its own thread 0: ` +
        '3 separate running copies of Node, one program on disk.',
    );
  });

  test('one child is one child, never "1 children ... 1 different pids"', () => {
    const line = bullet(findings(kids(11)), 'Processes');
    expect(line).toContain('The 1 child reported pid 11, with parent');
    expect(line).toContain('a separate running copy of Node');
    expect(line).not.toMatch(/1 children|1 different pids|each/);
  });

  test('children that share a pid are reported as measured, without the conclusion', () => {
    const line = bullet(findings(kids(11, 11)), 'Processes');
    expect(line).toContain('The 2 children reported only 1 different pid (11)');
    expect(line).not.toContain('separate running copies');
  });

  test('children on other parents or threads are named, without the conclusion', () => {
    const line = bullet(
      findings([
        { pid: 11, ppid: 1, threadId: 0 },
        { pid: 12, ppid: 2, threadId: 3 },
      ]),
      'Processes',
    );
    expect(line).toContain('with parents 1, 2 and on threads 0, 3.');
    expect(line).not.toContain('separate running copies');
  });

  test('no child at all is said so', () => {
    expect(bullet(findings([]), 'Processes')).toBe('- **Processes.** No child reported back.');
  });
});

describe('memory', () => {
  test("the child's change stays in the child when the parent's counter is unchanged", () => {
    expect(bullet(findings(), 'Memory')).toBe(
      "- **Memory.** Child 77 received the counter as 41 and changed its copy to 42; the parent's counter was still 41 " +
        'afterwards: the change stayed in the child.',
    );
  });

  test('a parent whose counter changed is reported as measured, with no claim of isolation', () => {
    const line = bullet(findings(undefined, { ...UNCHANGED, parentAfter: 42 }), 'Memory');
    expect(line).toContain("the parent's counter was 42 afterwards.");
    expect(line).not.toMatch(/still|stayed/);
  });

  test('a child that sent the counter back unchanged makes no claim about a change', () => {
    const line = bullet(
      findings(undefined, { child: { pid: 77, received: 41, counter: 41 }, parentAfter: 41 }),
      'Memory',
    );
    expect(line).toBe(
      "- **Memory.** Child 77 received the counter as 41 and sent it back unchanged; the parent's counter was still 41 afterwards.",
    );
  });

  test('a child that never answered is said so', () => {
    const line = bullet(
      findings(undefined, { child: { pid: 0, received: NaN, counter: NaN }, parentAfter: 41 }),
      'Memory',
    );
    expect(line).toBe("- **Memory.** No answer came back from the child; the parent's counter is 41.");
  });
});

describe('start-up', () => {
  test('a worker thread quicker than a fork: direction first, with the reason', () => {
    const line = bullet(findings(), 'Start-up');
    expect(line).toContain(
      '(medians of 3 starts each): spawn true 1.20 ms, spawn node 99 ms, fork node 101 ms, worker thread 31 ms.',
    );
    expect(line).toContain(
      'A worker thread started 3.3x faster than a forked Node process: it needs no new process, only a new JavaScript engine instance in this one.',
    );
  });

  test('a worker thread slower than a fork says "slower", never "0.x faster", and gives no reason', () => {
    const line = bullet(
      findings(undefined, undefined, startup({ 'fork node': [100, 101, 102], 'worker thread': [150, 151, 152] })),
      'Start-up',
    );
    expect(line).toContain('A worker thread started 1.50x slower than a forked Node process.');
    expect(line).not.toMatch(/faster|sooner|0\.\d+x|needs no new process/);
  });

  test('overlapping runs are no measurable difference, and no reason', () => {
    const line = bullet(
      findings(undefined, undefined, startup({ 'fork node': [100, 130, 95], 'worker thread': [90, 120, 100] })),
      'Start-up',
    );
    expect(line).toMatch(
      /A worker thread and a forked Node process showed no measurable difference \(within the \d+% these runs can tell apart\)\.$/,
    );
    expect(line).not.toMatch(/faster|slower/);
  });

  test("Node's own share is claimed only when the OS's part is clearly under half", () => {
    expect(bullet(findings(), 'Start-up')).toContain(
      "A program that does nothing started 84x faster than a forked Node process: most of a Node child's start-up is Node itself.",
    );
    const close = startup({ 'spawn true': [60, 61], 'fork node': [100, 101], 'worker thread': [30, 31] });
    const line = bullet(findings(undefined, undefined, close), 'Start-up');
    expect(line).toContain('A program that does nothing started 1.66x faster than a forked Node process.');
    expect(line).not.toContain('most of');
  });

  test('without /bin/true there is no sentence about it', () => {
    const line = bullet(
      findings(undefined, undefined, startup({ 'fork node': [100, 101], 'worker thread': [30, 31] })),
      'Start-up',
    );
    expect(line).not.toContain('does nothing');
  });

  test('one start of each: "1 start", and single runs compared as such', () => {
    const line = bullet(
      findings(undefined, undefined, startup({ 'fork node': [100], 'worker thread': [98] })),
      'Start-up',
    );
    expect(line).toContain('(medians of 1 start each)');
    expect(line).toMatch(/no measurable difference \(one run each, 1\.0\dx apart\)/);
  });
});

describe('cores', () => {
  test('one core is "1 logical CPU" and "1 core", and the verb follows', () => {
    const line = bullet(
      findings(undefined, undefined, startup({ 'fork node': [100], 'worker thread': [30] }, 1)),
      'Cores',
    );
    expect(line).toBe(
      '- **Cores.** 1 logical CPU here: at most 1 of these processes or threads runs at the same instant; the rest take turns. CPU work can use 1 core.',
    );
  });

  test('SMT: the logical CPUs run at once, and CPU work is said to use the physical cores', () => {
    const line = bullet(
      findings(undefined, undefined, startup({ 'fork node': [100], 'worker thread': [30] }, 8, 16)),
      'Cores',
    );
    expect(line).toBe(
      '- **Cores.** 16 logical CPUs here: at most 16 of these processes or threads run at the same instant; the rest take turns. ' +
        'CPU work can use 8 cores (8 physical of 16 logical CPUs).',
    );
  });
});

test('no sentence says "0.x faster" or counts "1 <plural>"', () => {
  const cases = [
    findings(kids(11), undefined, startup({ 'fork node': [100], 'worker thread': [300] }, 1)),
    findings(undefined, undefined, startup({ 'fork node': [100, 101], 'worker thread': [300, 301] })),
  ];
  for (const text of cases) {
    expect(text).not.toMatch(/\b0\.\d+x\b/);
    expect(text).not.toMatch(/\b1 (children|pids|starts|cores|threads|logical CPUs)\b/);
  }
});

describe('headline', () => {
  test('a worker thread quicker than a fork', () => {
    expect(headline(TYPICAL)).toBe(
      'A worker thread started 3.3x faster than a forked Node process: 31 ms against 101 ms (medians of 3 starts each, 2 cores)',
    );
  });

  test('a ratio below 1 never prints "faster": a slower thread is "slower"', () => {
    const text = headline(startup({ 'fork node': [100, 101], 'worker thread': [140, 141] }, 1));
    expect(text).toBe(
      'A worker thread started 1.40x slower than a forked Node process: 141 ms against 101 ms (medians of 2 starts each, 1 core)',
    );
  });

  test('within noise it names no winner', () => {
    expect(headline(startup({ 'fork node': [100, 130], 'worker thread': [110, 125] }))).toMatch(
      /^A worker thread and a forked Node process showed no measurable difference/,
    );
  });

  test('without a fork or a thread it lists what was measured', () => {
    expect(headline(startup({ 'spawn true': [1, 1] }))).toBe(
      'Start-up until the first answer: spawn true 1.00 ms (medians of 2 starts each, 2 cores)',
    );
  });
});

test('the report carries the start-up comparison and its parameters', () => {
  const r = report();
  expect(r.name).toBe('processes');
  expect(r.results.startup!.rows.map((row) => row.label)).toEqual([
    'spawn true',
    'spawn node',
    'fork node',
    'worker thread',
  ]);
  expect(r.params).toEqual({ repeats: 3 });
  expect(r.figures).toHaveLength(1);
});
