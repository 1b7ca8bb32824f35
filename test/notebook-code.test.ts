/**
 * Code a notebook shows and the library also runs has one meaning: the lock that 02-threads
 * shows in a cell is the one in lib/src/concepts/threads/lock.ts, which the race's worker
 * threads load.
 */
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

/** The code cells of a notebook, each as one string. */
function codeCells(notebook: string): string[] {
  const nb = JSON.parse(fs.readFileSync(path.join(ROOT, 'notebooks', notebook), 'utf8')) as {
    cells: { cell_type: string; source: string | string[] }[];
  };
  return nb.cells
    .filter((c) => c.cell_type === 'code')
    .map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source));
}

/** The text of `function name(...) {...}` in `source` (braces counted), whitespace collapsed. */
function functionText(source: string, name: string): string | undefined {
  const start = source.search(new RegExp(`\\bfunction ${name}\\(`));
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    else if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1).replace(/\s+/g, ' ');
  }
  return undefined;
}

test.each(['lock', 'unlock'])("02-threads' %s cell is the library's, in lib/src/concepts/threads/lock.ts", (name) => {
  const library = fs.readFileSync(path.join(ROOT, 'lib', 'src', 'concepts', 'threads', 'lock.ts'), 'utf8');
  const cells = codeCells('02-threads.ipynb').filter((c) => functionText(c, name) !== undefined);
  expect(cells).toHaveLength(1);
  expect(functionText(library, name)).toBeDefined();
  expect(functionText(cells[0]!, name)).toBe(functionText(library, name));
});

test("02-threads says where the lock lives, and the race's worker threads load it from there", () => {
  const nb = fs.readFileSync(path.join(ROOT, 'notebooks', '02-threads.ipynb'), 'utf8');
  expect(nb).toContain('lib/src/concepts/threads/lock.ts');
  const raceThread = fs.readFileSync(path.join(ROOT, 'lib', 'src', 'concepts', 'threads', 'race-thread.ts'), 'utf8');
  expect(raceThread).toMatch(/import \{ lock, unlock \} from '\.\/lock';/);
});
