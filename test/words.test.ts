/**
 * The vocabulary of every "what we measured" sentence (core/words.ts): direction first, one
 * difference rule robust to an outlier (medians against medians, beyond max(3% floor, twice
 * the larger robust spread), 10% with one run each), a result past the ideal never called
 * noise unless the runs' own spread covers it.
 */
import {
  boundWords,
  compareTimes,
  count,
  failureWords,
  FLOOR,
  FLOOR_ONE_RUN,
  noiseOf,
  percent,
  speedupWords,
  spreadOf,
  times,
  versus,
} from '../lib/dist/core/words';

describe('spreadOf: the robust spread of a set of runs', () => {
  test('is 1.4826 x the median absolute deviation over the median', () => {
    // median 100, deviations 10, 0, 10: MAD 10
    expect(spreadOf([90, 100, 110])).toBeCloseTo((1.4826 * 10) / 100, 9);
  });

  test('one outlier cannot inflate it', () => {
    expect(spreadOf([100, 101, 300])).toBeCloseTo(0.0148, 3);
    expect(spreadOf([100, 101, 102, 100, 5000])).toBeLessThan(0.02);
  });

  test('is 0 for one run, or runs that all agree', () => {
    expect(spreadOf([42])).toBe(0);
    expect(spreadOf([7, 7, 7])).toBe(0);
  });
});

describe('compareTimes', () => {
  test('says faster, with the factor, when a is clearly quicker', () => {
    expect(compareTimes([100, 102, 101], [210, 212, 208]).words).toBe('2.1x faster');
  });

  test('says slower, never "0.x faster", in the reverse direction', () => {
    const c = compareTimes([140, 141], [100, 101]);
    expect(c.direction).toBe('slower');
    expect(c.factor).toBeCloseTo(140.5 / 100.5, 9);
    expect(c.words).toBe('1.40x slower');
    expect(c.words).not.toMatch(/0\.\d+x/);
  });

  test('calls overlapping runs no measurable difference, and names the noise it was held against', () => {
    const c = compareTimes([100, 130, 110], [120, 125, 140]);
    expect(c.direction).toBe('same');
    // spread of a: MAD 10 on a median of 110, 13.5%; twice that is the noise
    expect(c.noise).toBeCloseTo((2 * 1.4826 * 10) / 110, 9);
    expect(c.words).toBe('no measurable difference (within the 27% these runs can tell apart)');
  });

  test('calls a gap inside the spread no measurable difference even when the runs do not overlap', () => {
    expect(compareTimes([100, 140], [141, 150]).direction).toBe('same');
  });

  test('one outlier cannot hide a 2.8x difference (the old rule, the range of three runs as the spread, said "same")', () => {
    const c = compareTimes([100, 101, 300], [280, 281, 282]);
    expect(c.direction).toBe('faster');
    expect(c.words).toBe('2.8x faster');
  });

  test('many runs with a slow outlier each: the medians decide', () => {
    const thread = [181, 200, 210, 220, 233, 233, 240, 250, 260, 448];
    const fork = [417, 480, 500, 510, 526, 526, 540, 560, 600, 880];
    expect(compareTimes(thread, fork).words).toBe('2.3x faster');
  });

  test('below the 3% floor nothing is a difference, however tight the runs', () => {
    expect(FLOOR).toBe(0.03);
    expect(compareTimes([100, 100, 100], [102, 102, 102]).direction).toBe('same');
    expect(compareTimes([100, 100, 100], [103, 103, 103]).direction).toBe('same');
    expect(compareTimes([100, 100, 100], [104, 104, 104]).words).toBe('1.04x faster');
  });

  test('one run on each side needs more than 10%, and says it was one run each', () => {
    expect(FLOOR_ONE_RUN).toBe(0.1);
    expect(compareTimes([100], [108]).words).toBe('no measurable difference (one run each, 1.08x apart)');
    expect(compareTimes([100], [110]).direction).toBe('same');
    expect(compareTimes([100], [112]).words).toBe('1.12x faster');
    // Several runs on one side: the 3% floor.
    expect(compareTimes([100, 100], [108]).words).toBe('1.08x faster');
  });

  test('noise is twice the larger spread when that is above the floor', () => {
    const wide = [90, 100, 110]; // spread 14.8%, noise 29.7%
    expect(noiseOf(wide, [125, 125, 125])).toBeCloseTo(2 * spreadOf(wide), 9);
    expect(compareTimes(wide, [125, 125, 125]).direction).toBe('same');
    expect(compareTimes(wide, [135, 135, 135]).words).toBe('1.35x faster');
  });

  test('property: for any runs, the rule is symmetric, never below its floor, and says what its numbers say', () => {
    const seed = 20240611;
    const random = mulberry32(seed);
    const runsOf = () => {
      const n = 1 + Math.floor(random() * 8);
      const centre = 1 + random() * 1000;
      const spread = random() * 0.3;
      return Array.from({ length: n }, () => centre * (1 + spread * (random() - 0.5)) * (random() < 0.1 ? 3 : 1));
    };
    for (let i = 0; i < 2000; i++) {
      const [a, b] = [runsOf(), runsOf()];
      if (!brokenRule(a, b)) continue;
      const [sa, sb] = shrink(a, b);
      throw new Error(
        `seed ${seed}, case ${i}: ${brokenRule(sa, sb)}; smallest failing input: ${JSON.stringify([sa, sb])}`,
      );
    }
  });
});

/** The first invariant of `compareTimes` that `a` against `b` breaks, or undefined. */
function brokenRule(a: number[], b: number[]): string | undefined {
  const ab = compareTimes(a, b);
  const ba = compareTimes(b, a);
  const opposite = { faster: 'slower', slower: 'faster', same: 'same' } as const;
  if (ba.direction !== opposite[ab.direction]) return `not symmetric: ${ab.direction} one way, ${ba.direction} back`;
  if (!(ab.factor >= 1) || ab.factor !== ba.factor) return `factor ${ab.factor} against ${ba.factor} back`;
  const floor = a.length > 1 || b.length > 1 ? FLOOR : FLOOR_ONE_RUN;
  if (ab.noise < floor) return `noise ${ab.noise} below the floor ${floor}`;
  if ((ab.direction === 'same') !== !(ab.factor > 1 + ab.noise))
    return `"${ab.words}" for ${ab.factor} against ${ab.noise}`;
  if (/\b0\.\d+x/.test(ab.words)) return `"${ab.words}" says a ratio below 1`;
  const scaled = compareTimes(
    a.map((x) => x * 7),
    b.map((x) => x * 7),
  );
  if (scaled.direction !== ab.direction) return `scaled by 7 it says ${scaled.direction}, not ${ab.direction}`;
  return undefined;
}

/** A smaller input that still breaks a rule: runs dropped one at a time, then values rounded. */
function shrink(a: number[], b: number[]): [number[], number[]] {
  let best: [number[], number[]] = [a, b];
  for (let changed = true; changed;) {
    changed = false;
    const [x, y] = best;
    const candidates: [number[], number[]][] = [
      ...x.map((_, i): [number[], number[]] => [x.filter((__, j) => j !== i), y]),
      ...y.map((_, i): [number[], number[]] => [x, y.filter((__, j) => j !== i)]),
      [x.map(Math.round), y.map(Math.round)],
    ];
    const smaller = candidates.find(
      ([p, q]) => p.length && q.length && JSON.stringify([p, q]) !== JSON.stringify(best) && brokenRule(p, q),
    );
    if (smaller) [best, changed] = [smaller, true];
  }
  return best;
}

describe('versus', () => {
  test('names the other side in either direction', () => {
    expect(versus([100, 101], [210, 211], 'sequential')).toBe('2.1x faster than sequential');
    expect(versus([300, 301], [100, 101], 'sequential')).toBe('3.0x slower than sequential');
    expect(versus([100, 120, 110], [105, 115, 125], 'sequential')).toMatch(
      /^no measurable difference from sequential \(within the \d+% these runs can tell apart\)$/,
    );
  });
});

describe('speedupWords', () => {
  test('a speedup at or under the ideal is plain "faster than" its baseline', () => {
    expect(speedupWords([100, 101], [185, 186], 'threads (1)', 2)).toBe('1.85x faster than threads (1)');
  });

  test('above the ideal with a measured cause, the cause is named', () => {
    expect(
      speedupWords([100, 101], [250, 251], 'sequential', 2, 'pool workers run with a smaller young generation'),
    ).toBe('2.5x faster than sequential, above the ideal of 2.0x: pool workers run with a smaller young generation');
  });

  test('above the ideal without a cause it is unexplained, never called noise or a slow baseline', () => {
    const said = speedupWords([100, 101], [250, 251], 'sequential', 2);
    expect(said).toBe(
      '2.5x faster than sequential, above the ideal of 2.0x: more than the runs can explain (look at the timeline)',
    );
    expect(said).not.toMatch(/noise|baseline run was slow/);
  });

  test('just above the ideal, within the runs noise, it is said to be at the ideal', () => {
    expect(speedupWords([100, 101], [205, 206], 'sequential', 2)).toBe(
      "2.0x faster than sequential, at the ideal of 2.0x within these runs' noise",
    );
  });

  test('a slowdown is said with its direction', () => {
    expect(speedupWords([300, 301], [100, 101], 'sequential', 2)).toBe('3.0x slower than sequential');
    expect(speedupWords([140, 140], [100, 100], 'sequential', 1)).not.toMatch(/faster/);
  });

  test('one core: the ideal is 1x', () => {
    expect(speedupWords([100, 100, 100], [120, 120, 120], 'sequential', 1)).toMatch(/above the ideal of 1\.00x/);
  });
});

describe('boundWords, counts and ratios', () => {
  test('a time under a bound nothing can beat is said with its cause', () => {
    expect(boundWords(95, 100, 'the timer fired early')).toBe(
      '95 ms, below the bound of 100 ms: the timer fired early',
    );
    expect(boundWords(110, 100, 'unused')).toBe('1.10x the bound of 100 ms');
  });

  test('counts follow the number', () => {
    expect(count(1, 'order')).toBe('1 order');
    expect(count(3, 'robot')).toBe('3 robots');
    expect(count(2, 'process', 'processes')).toBe('2 processes');
  });

  test('ratios and shares as a reader says them; just under 10 is not printed as 10.0x', () => {
    expect(times(12.4)).toBe('12x');
    expect(times(9.97)).toBe('10x');
    expect(times(9.9)).toBe('9.9x');
    expect(times(1.994)).toBe('1.99x');
    expect(percent(0.234)).toBe('23%');
  });

  test('failures: how many of how many, and the first', () => {
    expect(failureWords([], 60)).toBe('');
    expect(failureWords([{ index: 4, message: 'boom', repeat: 1 }], 60)).toBe(
      ' **1 of 60 tasks failed** (the first: task 4, run 2: boom).',
    );
  });
});

/** A small seeded generator (mulberry32), so a failing case can be replayed from its seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
