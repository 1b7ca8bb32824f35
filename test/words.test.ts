/** The vocabulary of every "what we measured" sentence: direction first, noise-aware, limits named. */
import { stats } from 'concurrency-lab';

const { boundWords, compareTimes, count, speedupWords, times } = stats;

describe('compareTimes', () => {
  test('says faster, with the factor, when a is clearly quicker', () => {
    expect(compareTimes({ runs: [100, 102, 101] }, { runs: [210, 212, 208] }).words).toBe('2.1x faster');
  });

  test('says slower, never "0.x faster", in the reverse direction', () => {
    const c = compareTimes({ runs: [140, 141] }, { runs: [100, 101] });
    expect(c.direction).toBe('slower');
    expect(c.words).toBe('1.40x slower');
    expect(c.words).not.toMatch(/0\.\d+x/);
  });

  test('calls overlapping runs no measurable difference, and names the spread', () => {
    const c = compareTimes({ runs: [100, 130, 110] }, { runs: [120, 125, 140] });
    expect(c.direction).toBe('same');
    expect(c.words).toMatch(/^no measurable difference \(the runs spread \d+%\)$/);
  });

  test('calls a gap inside the spread no measurable difference even when the runs do not overlap', () => {
    expect(compareTimes({ runs: [100, 140] }, { runs: [141, 150] }).direction).toBe('same');
  });

  test('does not let one slow outlier hide a clear difference among many runs', () => {
    const thread = { runs: [181, 200, 210, 220, 233, 233, 240, 250, 260, 448] };
    const fork = { runs: [417, 480, 500, 510, 526, 526, 540, 560, 600, 880] };
    expect(compareTimes(thread, fork).words).toBe('2.3x faster');
  });

  test('needs more than 10% between single runs, which measure no spread', () => {
    expect(compareTimes({ runs: [100] }, { runs: [108] }).words).toMatch(/^no measurable difference \(one run each/);
    expect(compareTimes({ runs: [100] }, { runs: [112] }).words).toBe('1.12x faster');
  });

  test('versus names the other side and keeps the noise caveat above the ideal', () => {
    expect(stats.versus([100, 101], [210, 211], 'sequential', 4)).toBe('2.1x faster than sequential');
    expect(stats.versus([100, 101], [250, 251], 'sequential', 2)).toBe(
      '2.5x faster than sequential, above the ideal of 2.0x: the baseline run was slow (noise); read it as about 2.0x',
    );
    expect(stats.versus([300, 301], [100, 101], 'sequential', 2)).toBe('3.0x slower than sequential');
    expect(stats.versus([100, 120, 110], [105, 115, 125], 'sequential')).toMatch(
      /^no measurable difference from sequential \(the runs spread \d+%\)$/,
    );
  });

  test('ratios just under 10 are not printed as 10.0x', () => {
    expect(times(9.97)).toBe('10x');
    expect(times(9.9)).toBe('9.9x');
  });
});

describe('speedupWords', () => {
  test('a speedup at or under the ideal is "faster"', () => {
    expect(speedupWords(1.85, 2)).toBe('1.85x faster');
  });

  test('a speedup above the ideal is named as noise, never as an achievement', () => {
    expect(speedupWords(2.36, 2)).toBe(
      '2.4x, above the ideal of 2.0x: the baseline run was slow (noise); read it as about 2.0x',
    );
  });

  test('a ratio below 1 is a slowdown, said with its direction', () => {
    expect(speedupWords(0.34, 2)).toBe('2.9x slower');
    expect(speedupWords(0.7, 1)).not.toMatch(/faster/);
  });

  test('one core: the ideal is 1x', () => {
    expect(speedupWords(1.2, 1)).toMatch(/above the ideal of 1.00x/);
  });
});

describe('boundWords and counts', () => {
  test('a time under a bound nothing can beat is flagged', () => {
    expect(boundWords(95, 100)).toMatch(/^below the bound of 100 ms/);
    expect(boundWords(110, 100)).toBe('1.10x the bound of 100 ms');
  });

  test('counts follow the number', () => {
    expect(count(1, 'order')).toBe('1 order');
    expect(count(3, 'robot')).toBe('3 robots');
    expect(count(2, 'process', 'processes')).toBe('2 processes');
    expect(times(12.4)).toBe('12x');
  });
});
