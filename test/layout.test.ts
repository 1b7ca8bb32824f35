/**
 * The shape of the library, read from its source: a core that imports no concept, a small
 * root, and no HTTP spoken by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as lab from 'concurrency-lab';

const SRC = path.resolve(__dirname, '..', 'lib', 'src');

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file imports or re-exports, resolved to a path under lib/src (relative ones only). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)|(?:^|\n)import\s+'([^']+)'/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => path.relative(SRC, path.resolve(path.dirname(file), s)));
}

describe('the core', () => {
  const core = ['core', 'charts', 'output'].flatMap((d) => filesUnder(path.join(SRC, d)));

  test('is there to be checked', () => {
    expect(core.length).toBeGreaterThan(20);
    expect(importsOf(path.join(SRC, 'core', 'measure.ts'))).toContain(path.join('core', 'modes'));
  });

  test.each(core.map((f) => [path.relative(SRC, f)]))('%s imports nothing from a concept or the catalog', (rel) => {
    const outside = importsOf(path.join(SRC, rel)).filter(
      (target) => !/^(core|charts|output)\//.test(target.split(path.sep).join('/')),
    );
    expect(outside).toEqual([]);
  });
});

describe('the public API', () => {
  test('has at most 40 names at its root, each concept behind a namespace', () => {
    const dts = fs.readFileSync(path.resolve(__dirname, '..', 'lib', 'dist', 'index.d.ts'), 'utf8');
    const names = [...dts.matchAll(/export (?:\* as (\w+)|(?:type )?\{([^}]*)\})/g)].flatMap((m) =>
      m[1]
        ? [m[1]]
        : m[2]!.split(',').map((n) =>
            n
              .replace(/\btype\b/, '')
              .trim()
              .split(/\s+as\s+/)
              .pop()!,
          ),
    );
    expect(names.length).toBeLessThanOrEqual(40);
    expect(new Set(names).size).toBe(names.length);
    for (const concept of ['processes', 'threads', 'kitchen', 'io', 'cpu', 'gil', 'queue']) {
      expect(typeof (lab as Record<string, unknown>)[concept]).toBe('object');
    }
    expect(typeof lab.io.measure).toBe('function');
  });
});

describe('HTTP', () => {
  test('is spoken by node:http and undici: no file of lib/src parses HTTP/1.1 itself', () => {
    const parsers = filesUnder(SRC).filter((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return /HTTP\/1\.[01] \d{3}|\\r\\n\\r\\n|transfer-encoding.*chunked/i.test(text) && /node:net/.test(text);
    });
    expect(parsers.map((f) => path.relative(SRC, f))).toEqual([]);
  });
});

describe('the notebooks as committed', () => {
  const dir = path.resolve(__dirname, '..', 'notebooks');
  const notebooks = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb'));
  interface Cell {
    cell_type: string;
    source: string[] | string;
    metadata: { tags?: string[] };
    outputs?: unknown[];
  }
  const cellsOf = (name: string) =>
    (JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as { cells: Cell[] }).cells.filter(
      (c) => c.cell_type === 'code',
    );
  const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join('') : c.source);

  test.each(notebooks.map((n) => [n]))(
    '%s: code lines fit an exported page, one parameters cell is tagged, no outputs',
    (name) => {
      const cells = cellsOf(name);
      const long = cells.flatMap((c) => text(c).split('\n')).filter((line) => line.length > 100);
      expect(long).toEqual([]);
      expect(
        cells
          .filter((c) => c.metadata.tags?.includes('parameters'))
          .map(text)
          .join(''),
      ).toMatch(/\bparameters\(/);
      expect(cells.every((c) => (c.outputs ?? []).length === 0)).toBe(true);
    },
  );
});
