/**
 * Every notebook ends with exercises (issue #22): a "## Exercises" cell just before the
 * navigation cell, two to four numbered items, each naming a parameter of that notebook with
 * a value its spec accepts, both as `--set name=value` and in the parameters cell.
 */
import fs from 'node:fs';
import path from 'node:path';
import { NOTEBOOK_PARAMS } from '../lib/dist/catalog';
import { coerceParam, type ParamSpec } from '../lib/dist/core/params';

const DIR = path.resolve(__dirname, '..', 'notebooks');
const NOTEBOOKS = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.ipynb'))
  .sort()
  .map((f) => f.replace(/\.ipynb$/, ''));

interface Cell {
  cell_type: string;
  source: string | string[];
}

/** The second-to-last cell of a notebook: its type and text. */
function exercisesCell(name: string): { type: string; text: string } {
  const nb = JSON.parse(fs.readFileSync(path.join(DIR, `${name}.ipynb`), 'utf8')) as { cells: Cell[] };
  const cell = nb.cells[nb.cells.length - 2]!;
  return { type: cell.cell_type, text: Array.isArray(cell.source) ? cell.source.join('') : cell.source };
}

/** The numbered items of a markdown list, one line each: [number, text]. */
function itemsOf(text: string): [number, string][] {
  return [...text.matchAll(/^(\d+)\. (.+)$/gm)].map((m) => [Number(m[1]), m[2]!]);
}

/** Every `--set name=value` in an item. */
function setsOf(item: string): [string, string][] {
  return [...item.matchAll(/--set ([^\s=`]+)=([^\s`]+)/g)].map((m) => [m[1]!, m[2]!]);
}

test('every notebook has parameters in the catalog', () => {
  expect(NOTEBOOKS.length).toBeGreaterThan(0);
  expect(NOTEBOOKS.filter((name) => !Object.hasOwn(NOTEBOOK_PARAMS, name))).toEqual([]);
});

describe.each(NOTEBOOKS.map((name) => [name]))('%s', (name) => {
  const specs: Record<string, ParamSpec> = (NOTEBOOK_PARAMS as Record<string, Record<string, ParamSpec>>)[name]!;
  const cell = exercisesCell(name);
  const items = itemsOf(cell.text);

  test('ends with an "## Exercises" markdown cell before its navigation cell', () => {
    expect(cell.type).toBe('markdown');
    expect(cell.text.startsWith('## Exercises')).toBe(true);
  });

  test('has two to four exercises, numbered from 1', () => {
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.length).toBeLessThanOrEqual(4);
    expect(items.map(([n]) => n)).toEqual(items.map((_, i) => i + 1));
  });

  test('each exercise sets a parameter of this notebook to a value it accepts', () => {
    for (const [n, item] of items) {
      const sets = setsOf(item);
      expect({ exercise: n, sets: sets.length > 0 }).toEqual({ exercise: n, sets: true });
      for (const [param, value] of sets) {
        expect(Object.keys(specs)).toContain(param);
        expect(() => coerceParam(param, specs[param]!, value)).not.toThrow();
      }
    }
  });

  test('each exercise shows both ways to change it: the parameters cell and npm start', () => {
    for (const [n, item] of items) {
      const ways = {
        cell: item.includes(`parameters('${name}', {`),
        command: item.includes(`npm start -- --only ${name} --set `),
      };
      expect({ exercise: n, ...ways }).toEqual({ exercise: n, cell: true, command: true });
    }
  });
});
