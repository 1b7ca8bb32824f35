"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const concurrency_lab_1 = require("concurrency-lab");
describe('summary statistics', () => {
    test('median of odd and even samples', () => {
        expect(concurrency_lab_1.stats.median([3, 1, 2])).toBe(2);
        expect(concurrency_lab_1.stats.median([4, 1, 3, 2])).toBe(2.5);
    });
    test('a known sample: mean, sample sd, cv, min, max and the t-based 95% interval', () => {
        const s = concurrency_lab_1.stats.summarize([2, 4, 4, 4, 5, 5, 7, 9]);
        expect(s).toMatchObject({ n: 8, median: 4.5, min: 2, max: 9, mean: 5 });
        expect(s.sd).toBeCloseTo(2.13809, 4); // sqrt(32 / 7)
        expect(s.cv).toBeCloseTo(2.13809 / 5, 4);
        const half = (2.365 * 2.13809) / Math.sqrt(8); // t(0.975, 7 df)
        expect(s.ci95[0]).toBeCloseTo(5 - half, 3);
        expect(s.ci95[1]).toBeCloseTo(5 + half, 3);
    });
    test('a single sample has no spread', () => {
        expect(concurrency_lab_1.stats.summarize([7])).toMatchObject({ n: 1, sd: 0, cv: 0, ci95: [7, 7] });
    });
    test('an empty sample is an error, not NaN', () => {
        expect(() => concurrency_lab_1.stats.summarize([])).toThrow('at least one sample');
    });
});
describe("Amdahl's law", () => {
    test('no serial part scales with the processors; all serial does not scale', () => {
        expect(concurrency_lab_1.stats.amdahl(0, 8)).toBe(8);
        expect(concurrency_lab_1.stats.amdahl(1, 8)).toBe(1);
        expect(concurrency_lab_1.stats.amdahl(0.5, 2)).toBeCloseTo(4 / 3);
    });
    test('the fit recovers the serial fraction that generated the points', () => {
        const points = [1, 2, 3, 4, 8].map((n) => ({ n, speedup: concurrency_lab_1.stats.amdahl(0.17, n) }));
        expect(concurrency_lab_1.stats.fitSerialFraction(points)).toBeCloseTo(0.17, 3);
    });
});
