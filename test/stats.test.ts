import { t975 } from '../lib/dist/core/stats';
import { amdahl, fitSerialFraction } from '../lib/dist/core/amdahl';
import { median, summarize } from '../lib/dist/core/stats';
import { formatMs } from '../lib/dist/core/summary';

describe('summary statistics', () => {
  test('median of odd and even samples', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  test('a known sample: mean, sample sd, cv, min, max and the t-based 95% interval', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s).toMatchObject({ n: 8, median: 4.5, min: 2, max: 9, mean: 5 });
    expect(s.sd).toBeCloseTo(2.13809, 4); // sqrt(32 / 7)
    expect(s.cv).toBeCloseTo(2.13809 / 5, 4);
    const half = (2.365 * 2.13809) / Math.sqrt(8); // t(0.975, 7 df)
    expect(s.ci95[0]).toBeCloseTo(5 - half, 3);
    expect(s.ci95[1]).toBeCloseTo(5 + half, 3);
  });

  test.each([
    [1, 12.7062],
    [7, 2.3646],
    [30, 2.0423],
    [31, 2.0395],
    [60, 2.0003],
    [120, 1.9799],
  ])("Student's t quantile for the 95%% interval at %i degrees of freedom is %f", (df, t) => {
    expect(t975(df)).toBeCloseTo(t, 4);
  });

  test('past 30 samples the interval uses the exact t, not 1.96', () => {
    const values = Array.from({ length: 61 }, (_, i) => i % 2);
    const s = summarize(values);
    expect((s.ci95[1] - s.mean) / (s.sd / Math.sqrt(61))).toBeCloseTo(2.0003, 4);
  });

  test('a single sample has no spread', () => {
    expect(summarize([7])).toMatchObject({ n: 1, sd: 0, cv: 0, ci95: [7, 7] });
  });

  test('an empty sample is an error, not NaN', () => {
    expect(() => summarize([])).toThrow('at least one sample');
    expect(() => median([])).toThrow('empty');
  });

  test('formatMs writes milliseconds for people', () => {
    expect(formatMs(4.2)).toBe('4.20 ms');
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(4200)).toBe('4.20 s');
    expect(formatMs(12_345)).toBe('12.3 s');
  });
});

describe("Amdahl's law", () => {
  test('no serial part scales with the processors; all serial does not scale', () => {
    expect(amdahl(0, 8)).toBe(8);
    expect(amdahl(1, 8)).toBe(1);
    expect(amdahl(0.5, 2)).toBeCloseTo(4 / 3);
  });

  test('the fit recovers the serial fraction that generated the points', () => {
    const points = [1, 2, 3, 4, 8].map((n) => ({ n, speedup: amdahl(0.17, n) }));
    expect(fitSerialFraction(points)).toBeCloseTo(0.17, 3);
  });
});
