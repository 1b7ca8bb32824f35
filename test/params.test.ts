import { parameters } from 'concurrency-lab';
import { EXPERIMENTS, NOTEBOOK_PARAMS } from '../lib/dist/catalog';
import { describeValues } from '../lib/dist/core/params';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe('notebook parameters', () => {
  test('come from the catalog by default', () => {
    delete process.env.CLAB_PARAMS;
    delete process.env.CLAB_PARAMS_FILE;
    expect(parameters('05-cpu-bound')).toMatchObject({ count: 100, num: 30, workers: 10 });
  });

  test('values written in the cell override the defaults, and are checked', () => {
    expect(parameters('05-cpu-bound', { count: 20 }).count).toBe(20);
    expect(() => parameters('05-cpu-bound', { count: 0 })).toThrow('count must be an integer from 1 to 10000 (got 0)');
    expect(() => parameters('05-cpu-bound', { cuont: 1 } as never)).toThrow(/cuont/);
  });

  test('CLAB_PARAMS overrides per notebook, strings converted to the default type', () => {
    process.env.CLAB_PARAMS = JSON.stringify({ '05-cpu-bound': { count: '7' }, '*': { workers: 3, unrelated: 1 } });
    expect(parameters('05-cpu-bound')).toMatchObject({ count: 7, workers: 3 });
  });

  test('an unknown name for a notebook is an error naming it', () => {
    process.env.CLAB_PARAMS = JSON.stringify({ '05-cpu-bound': { bogus: 1 } });
    expect(() => parameters('05-cpu-bound')).toThrow(/bogus/);
  });

  test('unreadable overrides are one-line errors naming the variable', () => {
    process.env.CLAB_PARAMS = '{not json';
    expect(() => parameters('05-cpu-bound')).toThrow(/^CLAB_PARAMS must be JSON/);
    delete process.env.CLAB_PARAMS;
    process.env.CLAB_PARAMS_FILE = '/nonexistent.json';
    expect(() => parameters('05-cpu-bound')).toThrow(/^CLAB_PARAMS_FILE must be a readable JSON file/);
  });

  test("each command-line experiment's parameters are its notebook's, the same specs", () => {
    expect(EXPERIMENTS.map((e) => e.name)).toEqual(['cpu', 'io', 'kitchen', 'gil', 'queue']);
    for (const e of EXPERIMENTS) expect(e.params).toBe(NOTEBOOK_PARAMS[e.notebook as keyof typeof NOTEBOOK_PARAMS]);
  });

  test('a notebook of your own passes its spec', () => {
    const P = parameters('my-notebook', { n: { default: 5, integer: true, min: 1, help: 'how many' } });
    expect(P.n).toBe(5);
    expect(describeValues(P, { n: { default: 5, help: 'how many' } })).toBe('n = 5   (how many)');
  });
});
