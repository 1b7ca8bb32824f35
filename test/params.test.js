"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
const concurrency_lab_1 = require("concurrency-lab");
const saved = { ...process.env };
afterEach(() => {
    process.env = { ...saved };
});
describe('notebook parameters', () => {
    test('come from the catalog by default', () => {
        delete process.env.CLAB_PARAMS;
        delete process.env.CLAB_PARAMS_FILE;
        expect((0, concurrency_lab_1.parameters)('05-cpu-bound')).toMatchObject({ count: 100, num: 30, workers: 10 });
    });
    test('values written in the cell override the defaults, and are checked', () => {
        expect((0, concurrency_lab_1.parameters)('05-cpu-bound', { count: 20 }).count).toBe(20);
        expect(() => (0, concurrency_lab_1.parameters)('05-cpu-bound', { count: 0 })).toThrow('count must be an integer from 1 to 10000 (got 0)');
        expect(() => (0, concurrency_lab_1.parameters)('05-cpu-bound', { cuont: 1 })).toThrow(/cuont/);
    });
    test('CLAB_PARAMS overrides per notebook, strings converted to the default type', () => {
        process.env.CLAB_PARAMS = JSON.stringify({ '05-cpu-bound': { count: '7' }, '*': { workers: 3, unrelated: 1 } });
        expect((0, concurrency_lab_1.parameters)('05-cpu-bound')).toMatchObject({ count: 7, workers: 3 });
    });
    test('an unknown name for a notebook is an error naming it', () => {
        process.env.CLAB_PARAMS = JSON.stringify({ '05-cpu-bound': { bogus: 1 } });
        expect(() => (0, concurrency_lab_1.parameters)('05-cpu-bound')).toThrow(/bogus/);
    });
    test('unreadable overrides are one-line errors naming the variable', () => {
        process.env.CLAB_PARAMS = '{not json';
        expect(() => (0, concurrency_lab_1.parameters)('05-cpu-bound')).toThrow(/^CLAB_PARAMS must be JSON/);
        delete process.env.CLAB_PARAMS;
        process.env.CLAB_PARAMS_FILE = '/nonexistent.json';
        expect(() => (0, concurrency_lab_1.parameters)('05-cpu-bound')).toThrow(/^CLAB_PARAMS_FILE must be a readable JSON file/);
    });
    test('a notebook of your own passes its spec', () => {
        const P = (0, concurrency_lab_1.parameters)('my-notebook', { n: { default: 5, integer: true, min: 1, help: 'how many' } });
        expect(P.n).toBe(5);
        expect((0, concurrency_lab_1.describeParams)(P, { n: { default: 5, help: 'how many' } })).toBe('n = 5   (how many)');
    });
});
