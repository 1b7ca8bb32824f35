/**
 * The robot kitchen (03-concurrency-vs-parallelism): its plans, its recipes, and a real run in
 * which every robot is a worker thread of a pool, every step recorded; an interrupt; and
 * nothing left running.
 */
import { closeAll, InterruptedError, kitchen } from 'concurrency-lab';
import { idealOf, splitOrders } from '../lib/dist/concepts/kitchen/run';
import { openResources } from '../lib/dist/core/teardown';
import { formatMs } from '../lib/dist/core/summary';

type Result = Awaited<ReturnType<typeof kitchen.cook>>;
type Step = Result['runs'][number]['passes'][number]['steps'][number];

const dishes = Object.values(kitchen.RECIPES);

test('ten orders split over three robots 3/3/4, dishes taken in turn', () => {
  expect(splitOrders(10, 3)).toEqual([3, 3, 4]);
  expect(splitOrders(2, 3)).toEqual([0, 1, 1]);
  expect(
    kitchen
      .plans(dishes, 2, 3)
      .find((p) => p.id === 'both')!
      .robots.map((o) => o.length),
  ).toEqual([1, 1]);
  const both = kitchen.plans(dishes, 10, 3).find((p) => p.id === 'both')!;
  expect(both.robots.map((o) => o.length)).toEqual([3, 3, 4]);
  expect(both.robots.flat().map((o) => o.recipe.name)).toEqual([
    'ramen',
    'pasta',
    'cake',
    'ramen',
    'pasta',
    'cake',
    'ramen',
    'pasta',
    'cake',
    'ramen',
  ]);
  expect(both.title).toBe('10 orders on 3 robots (3/3/4), each interleaving');
});

test('the ideal of each plan is its tightest limit, the robots sharing the cores', () => {
  // ramen 10 min (3 hands-on), pasta 8 (3), cake 11 (5): 29 in all, 11 hands-on.
  const ideal = (cores: number) => kitchen.plans(dishes, 10, 3).map((p) => idealOf(p, 1, cores));
  expect(ideal(2).map((i) => i.ms)).toEqual([29, 11, 11, 18]);
  expect(ideal(2)[3]!.why).toBe('all hands-on time / 2 cores');
  expect(ideal(8)[3]).toEqual({ ms: 14, why: "robot 3's hands-on time" });
  // One core: three robots' hands-on steps take turns on it, 11 minutes for one dish each, 36 for the ten orders.
  expect(ideal(1).map((i) => i.ms)).toEqual([29, 11, 11, 36]);
  expect(ideal(1)[3]!.why).toBe('all hands-on time / 1 core');
  expect(ideal(1.5)[3]).toEqual({ ms: 24, why: 'all hands-on time / 1.5 cores' });
});

test('a reader can write a dish; bad dishes are one-line errors naming the step', () => {
  const soup = kitchen.recipe('soup', ['chop onions', 'hands-on', 2], ['simmer', 'waiting', 6]);
  expect(kitchen.pickDishes('ramen, soup', { ...kitchen.RECIPES, soup }).map((d) => d.name)).toEqual(['ramen', 'soup']);
  expect(() => kitchen.recipe('soup')).toThrow('soup.steps must be a non-empty list (got an empty list)');
  expect(() => kitchen.recipe('soup', ['simmer', 'waiting', -1])).toThrow(
    'soup.steps[0].minutes must be a number from 0 to 10000 (got -1)',
  );
  expect(() => kitchen.recipe('soup', ['simmer', 'boiling' as never, 1])).toThrow(
    'soup.steps[0].kind must be one of hands-on, waiting',
  );
  expect(() => kitchen.pickDishes('ramen,pizza')).toThrow('dishes[1] must be one of ramen, pasta, cake (got "pizza")');
});

test('bad kitchen.cook options fail before any robot starts', async () => {
  await expect(kitchen.cook({ robots: 0 })).rejects.toThrow('robots must be an integer from 1 to 64 (got 0)');
  await expect(kitchen.cook({ msPerMinute: -5 })).rejects.toThrow(
    'msPerMinute must be a number from 0.1 to 60000 (got -5)',
  );
  await expect(kitchen.cook({ dishes: [{ name: 'air', steps: [] }] })).rejects.toThrow(
    'air.steps must be a non-empty list',
  );
  expect(openResources()).toBe(0);
});

describe('a real kitchen', () => {
  let result: Result;
  const run = (id: string) => result.runs.find((r) => r.id === id)!;
  const steps = (id: string) => run(id).passes[0]!.steps;
  beforeAll(async () => {
    result = await kitchen.cook({ msPerMinute: 8 });
  });

  test('runs the four ways once each and records every step', () => {
    expect(result.runs.map((r) => r.id)).toEqual(['sequential', 'interleaved', 'parallel', 'both']);
    expect(steps('sequential')).toHaveLength(10);
    expect(steps('both')).toHaveLength(3 * 10 + 4);
    for (const r of result.runs) expect(r.wall.median).toBeGreaterThan(0);
  });

  test('each way is a row of one comparison: a thread pool with a worker per robot, a task per robot', () => {
    expect(result.comparison.rows.map((r) => [r.label, r.mode, r.workers, r.tasks])).toEqual([
      ['1 robot, 3 dishes one after another', 'threads', 1, 1],
      ['1 robot, 3 dishes interleaved', 'threads', 1, 1],
      ['3 robots, one dish each', 'threads', 3, 3],
      ['10 orders on 3 robots (3/3/4), each interleaving', 'threads', 3, 3],
    ]);
    for (const run of result.comparison.runs) expect(run.tasks.failed()).toEqual([]);
  });

  test("each run's ideal is its tightest limit on this machine's cores", () => {
    // ramen 10 min (3 hands-on), pasta 8 (3), cake 11 (5): 29 in all, 11 hands-on; robot 3 of the last run 14.
    const cores = result.env.cores;
    const ms = (minutes: number) => minutes * 8;
    expect(result.runs.map((r) => r.ideal.ms)).toEqual([
      ms(29),
      ms(11),
      ms(11),
      ms(Math.max(14, 36 / Math.min(3, cores))),
    ]);
    expect(result.runs[0]!.ideal.why).toBe('steps one after another');
    expect(result.runs[3]!.ideal.why).toBe(
      cores < 36 / 14
        ? `all hands-on time / ${Math.min(3, cores)} core${cores === 1 ? '' : 's'}`
        : "robot 3's hands-on time",
    );
  });

  test('one robot is one thread; one robot per dish are distinct threads of this process', () => {
    const threadsOf = (id: string) => new Set(steps(id).map((s) => `${s.pid}:${s.threadId}`));
    expect(threadsOf('sequential').size).toBe(1);
    expect(threadsOf('interleaved').size).toBe(1);
    expect(threadsOf('parallel').size).toBe(3);
    expect(new Set(steps('parallel').map((s) => s.pid))).toEqual(new Set([process.pid]));
  });

  test('one after another: no step starts before the previous one ends', () => {
    const s = steps('sequential');
    for (let i = 1; i < s.length; i++) expect(s[i]!.start).toBeGreaterThanOrEqual(s[i - 1]!.end - 0.01);
    expect(s.map((x) => x.dish)).toEqual([
      'ramen',
      'ramen',
      'ramen',
      'ramen',
      'pasta',
      'pasta',
      'pasta',
      'cake',
      'cake',
      'cake',
    ]);
  });

  test('interleaving: waits overlap other dishes, hands-on steps never overlap each other', () => {
    const s = steps('interleaved');
    const overlap = (a: Step, b: Step) => a.start < b.end - 0.01 && b.start < a.end - 0.01;
    const hands = s.filter((x) => x.kind === 'hands-on');
    for (const a of hands) for (const b of hands) if (a !== b) expect(overlap(a, b)).toBe(false);
    expect(s.some((a) => a.kind === 'waiting' && s.some((b) => b.dish !== a.dish && overlap(a, b)))).toBe(true);
    // 11 minutes of hands-on work against 29 of steps one after another: a margin load cannot close.
    expect(run('interleaved').wall.median).toBeLessThan(run('sequential').wall.median);
  });

  test('waiting steps take at least their planned time', () => {
    for (const r of result.runs) {
      for (const s of r.passes[0]!.steps)
        if (s.kind === 'waiting') expect(s.end - s.start).toBeGreaterThanOrEqual(s.plannedMs - 1);
    }
  });

  test('timelines put each robot and order on a lane and colour steps by kind', () => {
    const figures = kitchen.timelines(result);
    expect(figures).toHaveLength(4);
    const names = figures[0]!.data.map((t) => t.name).sort();
    expect(names).toEqual(['hands-on', 'waiting']);
    expect(figures[3]!.table).toContain('robot 3 · #10 ramen');
  });

  test('the totals chart marks each ideal, and the findings quote the measured times', () => {
    const figure = kitchen.chart(result);
    const ideal = figure.data.find((t) => String(t.name).startsWith('ideal'))!;
    expect(ideal.y).toEqual(result.runs.map((r) => r.ideal.ms));
    expect(figure.table).toContain('ideal set by');
    const report = kitchen.report(result);
    for (const r of result.runs) expect(report.findings).toContain(`- **${r.title}:** ${formatMs(r.wall.median)}`);
    expect(report.headline).toMatch(/^On \d+(\.\d)? cores?: one robot interleaving 3 dishes /);
    expect(report.results.kitchen).toBe(result.comparison);
    expect(kitchen.table(result)).toContain('ideal set by');
  });

  test('leaves no robot running', () => {
    expect(openResources()).toBe(0);
  });
});

test('an interrupt ends every robot and the run rejects with InterruptedError', async () => {
  const running = kitchen.cook({ msPerMinute: 40 });
  setTimeout(() => void closeAll('test interrupt'), 300);
  await expect(running).rejects.toBeInstanceOf(InterruptedError);
  expect(openResources()).toBe(0);
});
