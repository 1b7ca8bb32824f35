/**
 * The kitchen's "what we measured" and headline, read from results built by hand: every
 * sentence says the direction measured, calls a difference inside the noise no difference,
 * names a result past its ideal as noise, and follows the counts (1 robot, 1 order, 1 core).
 */
import { kitchen, stats } from 'concurrency-lab';

type Result = kitchen.KitchenResult;
type KitchenRun = Result['runs'][number];
type Step = kitchen.StepRecord;

const dishes = Object.values(kitchen.RECIPES);
const MS_PER_MINUTE = 10;

/** A step record: robot `robot` cooked `step` of order `order` from `start` to `end`. */
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
 * A result with the four runs of `orders` orders on `robots` robots, each pass taking the given
 * times (ms); a run's steps are `steps[id]` (default: none) in every pass.
 */
function result(
  times: Partial<Record<kitchen.KitchenResult['runs'][number]['id'], number[]>>,
  options: {
    cores?: number;
    orders?: number;
    robots?: number;
    dishes?: typeof dishes;
    steps?: Record<string, Step[]>;
  } = {},
): Result {
  const { cores = 2, orders = 10, robots = 3 } = options;
  const chosen = options.dishes ?? dishes;
  const runs: KitchenRun[] = kitchen
    .plans(chosen, orders, robots)
    .filter((plan) => times[plan.id])
    .map((plan) => {
      const walls = times[plan.id]!;
      const passes = walls.map((wallMs, repeat) => ({
        repeat,
        start: 0,
        end: wallMs,
        wallMs,
        steps: options.steps?.[plan.id] ?? [],
      }));
      return { ...plan, ideal: kitchen.idealOf(plan, MS_PER_MINUTE, cores), passes, wall: stats.summarize(walls) };
    });
  return {
    dishes: chosen,
    orders,
    robots,
    msPerMinute: MS_PER_MINUTE,
    rate: 1e5,
    repeats: Math.max(...runs.map((r) => r.passes.length)),
    runs,
    env: { cores, cpuModel: 'test CPU', node: 'v20', platform: 'linux', date: '2026-12-02' },
  };
}

/** The findings' line for one run, found by its label's start. */
const line = (text: string, start: string) => text.split('\n').find((l) => l.startsWith(`- **${start}`)) ?? '';

// With the three default dishes at 10 ms a minute on 2 cores, the ideals are 290, 110, 110 and 180 ms.
const SEQ = [300, 305];

describe('kitchen findings: against one dish at a time', () => {
  test('interleaving faster, within the ideal, is "faster"', () => {
    const text = kitchen.findings(result({ sequential: SEQ, interleaved: [150, 152] }));
    expect(line(text, '1 robot, 3 dishes interleaved')).toContain('2.0x faster than one dish at a time.');
  });

  test('interleaving slower says "slower", never "0.x faster"', () => {
    const r = result({ sequential: SEQ, interleaved: [400, 410] });
    const text = kitchen.findings(r);
    expect(line(text, '1 robot, 3 dishes interleaved')).toContain('1.34x slower than one dish at a time.');
    expect(text).not.toMatch(/0\.\d+x (faster|sooner|as long)/);
    expect(kitchen.headline(r)).toBe(
      'On 2 cores: one robot interleaving 3 dishes was 1.34x slower than one dish at a time.',
    );
  });

  test('a difference inside the spread of the passes is no measurable difference', () => {
    const r = result({ sequential: [300, 320], interleaved: [290, 330] });
    expect(line(kitchen.findings(r), '1 robot, 3 dishes interleaved')).toMatch(
      /No measurable difference from one dish at a time \(the runs spread \d+%\)\./,
    );
    expect(kitchen.headline(r)).toMatch(/one robot interleaving 3 dishes showed no measurable difference/);
  });

  test('a speedup above the ideal is named as a slow baseline', () => {
    const r = result({ sequential: [900, 910], parallel: [120, 121] });
    const words = 'above the ideal of 2.6x: the baseline run was slow (noise); read it as about 2.6x';
    expect(line(kitchen.findings(r), '3 robots, one dish each')).toContain(
      `7.5x faster than one dish at a time, ${words}.`,
    );
    expect(kitchen.headline(r)).toContain(
      `3 robots with a dish each were 7.5x faster than one dish at a time, ${words}`,
    );
  });

  test('a run under its ideal is flagged, a run over it says by how much', () => {
    const text = kitchen.findings(result({ sequential: [250, 250], interleaved: [121, 121] }));
    expect(line(text, '1 robot, 3 dishes one after another')).toMatch(
      /250 ms \(median of 2 passes\), below the bound of 290 ms, which no run can beat/,
    );
    expect(line(text, '1 robot, 3 dishes interleaved')).toContain('1.10x the bound of 110 ms');
  });

  test('the orders on the robots are read per order against per dish, with the counts of this run', () => {
    const text = kitchen.findings(result({ sequential: SEQ, both: [200, 200] }));
    expect(line(text, '10 orders on 3 robots (3/3/4), each interleaving')).toContain(
      'Per order: 20 ms, 5.0x faster than the 101 ms per dish of one dish at a time.',
    );
  });
});

describe('kitchen findings: counts follow the parameters', () => {
  test('one order on one robot on one core: no "1 orders", "1 robots" or "1 cores"', () => {
    const r = result(
      { sequential: [100], interleaved: [100], parallel: [100], both: [100] },
      {
        cores: 1,
        orders: 1,
        robots: 1,
        dishes: [dishes[0]!],
      },
    );
    const text = `${kitchen.findings(r)}\n${kitchen.headline(r)}`;
    expect(text).toContain('1 order on 1 robot');
    expect(text).toContain('1 core');
    expect(text).toContain('1 robot, 1 dish one after another');
    expect(text).not.toMatch(/\b1 (orders|robots|cores|dishes)\b/);
    expect(kitchen.headline(r)).toMatch(/^On 1 core: .*1 robot with a dish each .*; 1 order on 1 robot took 100 ms\.$/);
  });

  test('fewer orders than robots: the robots that cooked are counted, the idle ones named', () => {
    const text = kitchen.findings(result({ both: [100] }, { orders: 2, robots: 3 }));
    expect(text).toContain('2 orders on 2 robots (1/1), each interleaving; 1 robot had no order');
  });

  test('other numbers than ten orders on three robots', () => {
    const r = result({ sequential: SEQ, both: [500] }, { orders: 7, robots: 2 });
    expect(kitchen.findings(r)).toContain('7 orders on 2 robots (3/4), each interleaving');
    expect(kitchen.headline(r)).toContain('7 orders on 2 robots took 500 ms');
  });
});

describe('kitchen findings: explanations only with the evidence of the steps', () => {
  const M = MS_PER_MINUTE;

  test('hands-on steps in progress at once are counted, not the cores', () => {
    // Three robots, one hands-on step each, all at the same time, on time: no stretching.
    const steps = [1, 2, 3].map((r) => step(r, r, 'hands-on', 0, 20, 20));
    const text = kitchen.findings(
      result({ sequential: SEQ, parallel: [150] }, { cores: 8, steps: { parallel: steps } }),
    );
    expect(line(text, '3 robots')).toContain(
      'Up to 3 hands-on steps of 3 robots were in progress at once, on 8 cores.',
    );
    expect(text).not.toMatch(/planned time|took turns/);
  });

  test('stretched hands-on steps with more in progress than cores: they took turns', () => {
    const steps = [1, 2, 3].map((r) => step(r, r, 'hands-on', 0, 30, 20));
    const text = kitchen.findings(result({ sequential: SEQ, parallel: [150] }, { steps: { parallel: steps } }));
    expect(line(text, '3 robots')).toContain(
      'Hands-on steps took 1.50x their planned time (the median step; the longest 1.50x): 3 hands-on steps at once on 2 cores took turns on the cores.',
    );
  });

  test('stretched steps with no more in progress than cores: said, not explained', () => {
    const steps = [step(1, 1, 'hands-on', 0, 30, 20), step(2, 2, 'hands-on', 40, 70, 20)];
    const text = kitchen.findings(result({ sequential: SEQ, parallel: [150] }, { steps: { parallel: steps } }));
    expect(line(text, '3 robots')).toContain('Hands-on steps took 1.50x their planned time');
    expect(text).not.toContain('took turns');
  });

  test('interleaving: waits filled by other dishes, and a wait late because its robot was busy', () => {
    const steps = [
      step(1, 1, 'waiting', 0, 6 * M, 4 * M), // due at 40, its robot busy until 60: late
      step(1, 2, 'hands-on', 0, 6 * M, 6 * M),
    ];
    const text = line(
      kitchen.findings(result({ sequential: SEQ, interleaved: [150] }, { steps: { interleaved: steps } })),
      '1 robot, 3 dishes interleaved',
    );
    expect(text).toContain('At most 1 hands-on step at a time.');
    expect(text).toContain('Hands-on steps of other dishes filled 100% of the waiting (60 ms of 60 ms of waiting');
    expect(text).toContain('1 wait ended late (up to 20 ms): it was due while its robot was in a hands-on step');
  });

  test('one after another: no wait filled, and no late wait blamed on a busy robot', () => {
    const steps = [step(1, 1, 'waiting', 0, 4 * M, 4 * M), step(1, 2, 'hands-on', 4 * M, 6 * M, 2 * M)];
    const text = line(
      kitchen.findings(result({ sequential: SEQ }, { steps: { sequential: steps } })),
      '1 robot, 3 dishes one after',
    );
    expect(text).toContain('No hands-on step ran while another dish of the same robot waited (40 ms of waiting');
    expect(text).not.toContain('late');
  });

  test('a wait late with its robot free is said without a cause', () => {
    const steps = [step(1, 1, 'waiting', 0, 60, 40), step(1, 2, 'waiting', 0, 40, 40)];
    const text = kitchen.findings(result({ sequential: SEQ, interleaved: [150] }, { steps: { interleaved: steps } }));
    expect(text).toContain('1 wait ended late (up to 20 ms) with its robot free.');
    expect(text).not.toContain('was due while');
  });
});

describe('kitchen headline', () => {
  test('a ratio below 1 never prints "faster"', () => {
    for (const slow of [310, 400, 1000, 3000]) {
      const text = kitchen.headline(result({ sequential: [300], interleaved: [slow], parallel: [slow], both: [slow] }));
      expect(text).not.toContain('faster');
      expect(text).not.toMatch(/\b0\.\d+x/);
    }
  });

  test('reads every count from the result', () => {
    expect(kitchen.headline(result({ sequential: SEQ, interleaved: [150], parallel: [120], both: [200] }))).toBe(
      'On 2 cores: one robot interleaving 3 dishes was 2.0x faster than one dish at a time; ' +
        '3 robots with a dish each were 2.5x faster than one dish at a time; 10 orders on 3 robots took 200 ms.',
    );
  });
});
