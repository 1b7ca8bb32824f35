/**
 * Keeps the notebooks as they are committed: every code cell formatted by prettier at 100
 * columns (so an exported page shows every line), no outputs, no execution counts, and the
 * cell that calls `parameters(` tagged `parameters` (the papermill convention).
 *
 *   node build/tools/notebooks-format.js           rewrite the notebooks
 *   node build/tools/notebooks-format.js --check   list the notebooks that differ; exit 1 if any
 */
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'prettier';
import { ROOT } from './jupyter';

/** The notebooks' own style: the library's, at the width of an exported page. */
export const NOTEBOOK_STYLE = { singleQuote: true, printWidth: 100, trailingComma: 'all' } as const;

interface Cell {
  cell_type: string;
  source: string[] | string;
  metadata: Record<string, unknown> & { tags?: string[] };
  outputs?: unknown[];
  execution_count?: number | null;
}

const lines = (text: string): string[] => text.split(/(?<=\n)/);

/** The notebook's text as it should be committed. */
export async function formatNotebook(text: string): Promise<string> {
  const nb = JSON.parse(text) as { cells: Cell[] };
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
    const pretty = (await format(source, { parser: 'typescript', ...NOTEBOOK_STYLE })).replace(/\n+$/, '');
    cell.source = lines(pretty);
    cell.outputs = [];
    cell.execution_count = null;
    const tags = (cell.metadata.tags ?? []).filter((t) => t !== 'parameters');
    if (/\bparameters\(/.test(pretty)) tags.push('parameters');
    if (tags.length > 0) cell.metadata.tags = tags;
    else delete cell.metadata.tags;
  }
  return `${JSON.stringify(nb, null, 1)}\n`;
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const dir = path.join(ROOT, 'notebooks');
  const differ: string[] = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()) {
    const file = path.join(dir, name);
    const before = fs.readFileSync(file, 'utf8');
    const after = await formatNotebook(before);
    if (after === before) continue;
    differ.push(name);
    if (!check) fs.writeFileSync(file, after);
  }
  for (const name of differ) console.log(check ? `not formatted: notebooks/${name}` : `formatted notebooks/${name}`);
  if (check && differ.length > 0) process.exitCode = 1;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
