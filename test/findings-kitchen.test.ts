/**
 * The kitchen's "what we measured" and headline, read from results built by hand: every
 * sentence says the direction measured, calls a difference inside the noise no difference,
 * says a result past its ideal with its cause or as beyond what the runs explain, and follows
 * the counts (1 robot, 1 order, 1 core).
 */
import { kitchen } from 'concurrency-lab';
import { comparison, env } from './helpers/results';
import { summarize } from '../lib/dist/core/stats';

type Result = Awaited<ReturnType<typeof kitchen.cook>>;
type KitchenRun = Result['runs'][number];
type RunId = KitchenRun['id'];
type Step = KitchenRun['passes'][number]['steps'][number];

const dishes = Object.values(kitchen.RECIPES);
const MS_PER_MINUTE = 10;

/**
 * The ideals of the four runs with the three default dishes (ramen 10 min, 3 hands-on; pasta
 * 8, 3; cake 11, 5), ten orders on three robots, at 10 ms a minute on 2 cores.
 */
const IDEALS: Record<RunId, KitchenRun['ideal']> = {
  sequential: { ms: 290, why: 'steps one after another' },
  interleaved: { ms: 110, why: 'hands-on time' },
  parallel: { ms: 110, why: "robot 3's longest dish (cake)" },
  both: { ms: 180, why: 'all hands-on time / 2 cores' },
};

/** A step record: robot `robot` cooked a step of order `order` from `start` to `end`. */
function step(robot: number, order: number, kind: Step['kind'], start: number, end: number, plannedMs: number): Step {
  return {
    index: 0,
    pid: 1,
    threadId: robot,
    start,
    end,
    ok: true,
    robot,
    order,
    dish: 'ramen',
    step: kind,
    kind,
    plannedMs,
  };
}

/**
 * A result with the runs of `orders` orders on `robots` robots whose passes took the given
 * times (ms); a run's steps are `steps[id]` (default: none) in every pass.
 */
function result(
  times: Partial<Record<RunId, number[]>>,
  options: {
    cores?: number;
    orders?: number;
    robots?: number;
    dishes?: typeof dishes;
    ideals?: Partial<Record<RunId, KitchenRun['ideal']>>;
    steps?: Partial<Record<RunId, Step[]>>;
  } = {},
): Result {
  const { cores = 2, orders = 10, robots = 3 } = options;
  const chosen = options.dishes ?? dishes;
  const plans = kitchen.plans(chosen, orders, robots).filter((plan) => times[plan.id]);
  const runs = plans.map((plan): KitchenRun => {
    const walls = times[plan.id]!;
    const passes = walls.map((wallMs, repeat) => ({
      repeat,
      start: 0,
      end: wallMs,
      wallMs,
      steps: options.steps?.[plan.id] ?? [],
    }));
    const ideal = options.ideals?.[plan.id] ?? IDEALS[plan.id];
    return { ...plan, ideal, passes, wall: summarize(walls) };
  });
  const c = comparison(
    plans.map((plan) => ({
      mode: 'threads' as const,
      label: plan.title,
      workers: plan.robots.length,
      walls: times[plan.id]!,
      baseline: null,
    })),
    { cores, tasks: robots, workload: 'cook', params: { orders, robots, msPerMinute: MS_PER_MINUTE } },
  );
  return {
    dishes: chosen,
    orders,
    robots,
    msPerMinute: MS_PER_MINUTE,
    rate: 1e5,
    repeats: Math.max(...runs.map((r) => r.passes.length)),
    runs,
    comparison: c,
    env: env(cores),
  };
}

const report = (r: Result) => kitchen.report(r);
/** The findings' line for one run, found by its label's start. */
const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(`- **${start}`)) ?? '';

const SEQ = [300, 305];

describe('kitchen findings: against one dish at a time', () => {
  test('interleaving faster, within the ideal, is "faster"', () => {
    const text = report(result({ sequential: SEQ, interleaved: [150, 152] })).findings;
    expect(line(text, '1 robot, 3 dishes interleaved')).toContain('2.0x faster than one dish at a time.');
  });

  test('interleaving slower says "slower", never "0.x faster"', () => {
    const r = report(result({ sequential: SEQ, interleaved: [400, 410] }));
    expect(line(r.findings, '1 robot, 3 dishes interleaved')).toContain('1.34x slower than one dish at a time.');
    expect(r.findings).not.toMatch(/0\.\d+x (faster|sooner|as long)/);
    expect(r.headline).toBe('On 2 cores: one robot interleaving 3 dishes was 1.34x slower than one dish at a time.');
  });

  test('a difference inside the spread of the passes is no measurable difference', () => {
    const r = report(result({ sequential: [300, 320], interleaved: [290, 330] }));
    expect(line(r.findings, '1 robot, 3 dishes interleaved')).toMatch(
      /No measurable difference from one dish at a time \(within the \d+% these runs can tell apart\)\./,
    );
    expect(r.headline).toMatch(/one robot interleaving 3 dishes showed no measurable difference/);
  });

  test('a speedup above its ideal is said with where it can come from, never as a slow baseline or noise', () => {
    // One dish at a time 3.1x over its ideal of 290 ms; three robots at their ideal of 110 ms.
    const r = report(result({ sequential: [900, 910], parallel: [120, 121] }));
    const words =
      'above the ideal of 2.6x: the baseline ran above its own ideal by more than this run did (look at both timelines)';
    expect(line(r.findings, '3 robots, one dish each')).toContain(`7.5x faster than one dish at a time, ${words}.`);
    expect(r.headline).toContain(`3 robots with a dish each were 7.5x faster than one dish at a time, ${words}`);
    expect(r.findings + r.headline).not.toMatch(/baseline run was slow|\(noise\)|read it as about/);
  });

  test('a run under its ideal is flagged with what would explain it, a run over it says by how much', () => {
    const text = report(result({ sequential: [250, 250], interleaved: [121, 121] })).findings;
    expect(line(text, '1 robot, 3 dishes one after another')).toContain(
      '250 ms (median of 2 passes), 250 ms, below the bound of 290 ms: ' +
        'the timers of its waiting steps fired early or the hands-on work ran faster than calibrated (its ideal, set by steps one after another).',
    );
    expect(line(text, '1 robot, 3 dishes interleaved')).toContain(
      '121 ms (median of 2 passes), 1.10x the bound of 110 ms (its ideal, set by hands-on time).',
    );
  });

  test('the orders on the robots are read per order against per dish, with the counts of this run', () => {
    const text = report(result({ sequential: SEQ, both: [200, 200] })).findings;
    expect(line(text, '10 orders on 3 robots (3/3/4), each interleaving')).toContain(
      'Per order: 20 ms, 5.0x faster than the 101 ms per dish of one dish at a time.',
    );
  });
});

describe('kitchen findings: counts follow the parameters', () => {
  test('one order on one robot on one core: no "1 orders", "1 robots" or "1 cores"', () => {
    const longest = { ms: 100, why: 'longest dish (ramen)' };
    const r = report(
      result(
        { sequential: [100], interleaved: [100], parallel: [100], both: [100] },
        {
          cores: 1,
          orders: 1,
          robots: 1,
          dishes: [dishes[0]!],
          ideals: {
            sequential: { ms: 100, why: 'steps one after another' },
            interleaved: longest,
            parallel: longest,
            both: longest,
          },
        },
      ),
    );
    const text = `${r.findings}\n${r.headline}`;
    expect(text).toContain('On this machine (1 core, Node v20.0.0):');
    expect(text).toContain('1 order on 1 robot');
    expect(text).toContain('1 robot, 1 dish one after another');
    expect(text).not.toMatch(/\b1 (orders|robots|cores|dishes)\b/);
    expect(r.headline).toMatch(/^On 1 core: .*1 robot with a dish each .*; 1 order on 1 robot took 100 ms\.$/);
  });

  test('fewer orders than robots: the robots that cooked are counted, the idle ones named', () => {
    const text = report(result({ both: [100] }, { orders: 2, robots: 3 })).findings;
    expect(text).toContain('2 orders on 2 robots (1/1), each interleaving; 1 robot had no order');
  });

  test('other numbers than ten orders on three robots', () => {
    const r = report(result({ sequential: SEQ, both: [500] }, { orders: 7, robots: 2 }));
    expect(r.findings).toContain('7 orders on 2 robots (3/4), each interleaving');
    expect(r.headline).toContain('7 orders on 2 robots took 500 ms');
  });
});

describe('kitchen findings: explanations only with the evidence of the steps', () => {
  const M = MS_PER_MINUTE;

  test('hands-on steps in progress at once are counted, not the cores', () => {
    // Three robots, one hands-on step each, all at the same time, on time: no stretching.
    const steps = [1, 2, 3].map((r) => step(r, r, 'hands-on', 0, 20, 20));
    const text = report(
      result({ sequential: SEQ, parallel: [150] }, { cores: 8, steps: { parallel: steps } }),
    ).findings;
    expect(line(text, '3 robots')).toContain(
      'Up to 3 hands-on steps of 3 robots were in progress at once, on 8 cores.',
    );
    expect(text).not.toMatch(/planned time|took turns/);
  });

  test('stretched hands-on steps with more in progress than cores: they took turns', () => {
    const steps = [1, 2, 3].map((r) => step(r, r, 'hands-on', 0, 30, 20));
    const text = report(result({ sequential: SEQ, parallel: [150] }, { steps: { parallel: steps } })).findings;
    expect(line(text, '3 robots')).toContain(
      'Hands-on steps took 1.50x their planned time (the median step; the longest 1.50x): 3 hands-on steps at once on 2 cores took turns on the cores.',
    );
  });

  test('stretched steps with no more in progress than cores: said, not explained', () => {
    const steps = [step(1, 1, 'hands-on', 0, 30, 20), step(2, 2, 'hands-on', 40, 70, 20)];
    const text = report(result({ sequential: SEQ, parallel: [150] }, { steps: { parallel: steps } })).findings;
    expect(line(text, '3 robots')).toContain('Hands-on steps took 1.50x their planned time');
    expect(text).not.toContain('took turns');
  });

  test('interleaving: waits filled by other dishes, and a wait late because its robot was busy', () => {
    const steps = [
      step(1, 1, 'waiting', 0, 6 * M, 4 * M), // due at 40, its robot busy until 60: late
      step(1, 2, 'hands-on', 0, 6 * M, 6 * M),
    ];
    const text = line(
      report(result({ sequential: SEQ, interleaved: [150] }, { steps: { interleaved: steps } })).findings,
      '1 robot, 3 dishes interleaved',
    );
    expect(text).toContain('At most 1 hands-on step at a time.');
    expect(text).toContain('Hands-on steps of other dishes filled 100% of the waiting (60 ms of 60 ms of waiting');
    expect(text).toContain(
      '1 wait ended late (up to 20 ms): it was due while its robot was in a hands-on step, which a robot finishes before it notices a timer.',
    );
  });

  test('one after another: no wait filled, and no late wait blamed on a busy robot', () => {
    const steps = [step(1, 1, 'waiting', 0, 4 * M, 4 * M), step(1, 2, 'hands-on', 4 * M, 6 * M, 2 * M)];
    const text = line(
      report(result({ sequential: SEQ }, { steps: { sequential: steps } })).findings,
      '1 robot, 3 dishes one after',
    );
    expect(text).toContain('No hands-on step ran while another dish of the same robot waited (40 ms of waiting');
    expect(text).not.toContain('late');
  });

  test('a wait late with its robot free is said without a cause', () => {
    const steps = [step(1, 1, 'waiting', 0, 60, 40), step(1, 2, 'waiting', 0, 40, 40)];
    const text = report(result({ sequential: SEQ, interleaved: [150] }, { steps: { interleaved: steps } })).findings;
    expect(text).toContain('1 wait ended late (up to 20 ms) with its robot free.');
    expect(text).not.toContain('was due while');
  });
});

describe('kitchen headline', () => {
  test('a ratio below 1 never prints "faster"', () => {
    for (const slow of [310, 400, 1000, 3000]) {
      const text = report(result({ sequential: [300], interleaved: [slow], parallel: [slow], both: [slow] })).headline;
      expect(text).not.toContain('faster');
      expect(text).not.toMatch(/\b0\.\d+x/);
    }
  });

  test('reads every count from the result', () => {
    expect(report(result({ sequential: SEQ, interleaved: [150], parallel: [120], both: [200] })).headline).toBe(
      'On 2 cores: one robot interleaving 3 dishes was 2.0x faster than one dish at a time; ' +
        '3 robots with a dish each were 2.5x faster than one dish at a time; 10 orders on 3 robots took 200 ms.',
    );
  });
});
