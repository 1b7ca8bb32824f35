/** Output folders, made one level at a time (a recursive mkdir can spin for ever under /proc), and checked. */
import fs from 'node:fs';
import path from 'node:path';
import { describeValue, messageOf } from '../core/errors';

/** The nearest folder of `dir` that exists, and the levels below it that do not. */
function existing(dir: string): { found: string; missing: string[] } {
  const missing: string[] = [];
  let found = dir;
  while (!fs.existsSync(found)) {
    missing.unshift(found);
    const up = path.dirname(found);
    if (up === found) break;
    found = up;
  }
  return { found, missing };
}

function unusable(label: string, given: string, error: unknown): Error {
  return new Error(`${label} ${describeValue(given, 120)} must be a folder that can be written (${messageOf(error)})`);
}

/**
 * Checks, leaving nothing behind, that `given` is or can become a folder this process can write into:
 * access() passes root everywhere, even under /proc, so the first missing level (or a file) is made and removed.
 */
export function checkFolder(label: string, given: string): string {
  const dir = path.resolve(given);
  const { found, missing } = existing(dir);
  try {
    if (!fs.statSync(found).isDirectory()) throw new Error(`${found} is not a folder`);
    fs.accessSync(found, fs.constants.W_OK);
    if (missing.length) {
      fs.mkdirSync(missing[0]!);
      fs.rmdirSync(missing[0]!);
    } else {
      const probe = path.join(found, `.clab-check-${process.pid}-${Date.now()}`);
      fs.closeSync(fs.openSync(probe, 'wx'));
      fs.unlinkSync(probe);
    }
  } catch (error) {
    throw unusable(label, given, error);
  }
  return dir;
}

/** Makes the folder `given` one level at a time and checks it can be written; on failure removes the levels it made. */
export function makeFolder(label: string, given: string): string {
  const dir = path.resolve(given);
  const { missing } = existing(dir);
  const made: string[] = [];
  try {
    for (const level of missing) {
      fs.mkdirSync(level);
      made.push(level);
    }
    if (!fs.statSync(dir).isDirectory()) throw new Error('not a folder');
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (error) {
    for (const level of made.reverse()) fs.rmSync(level, { recursive: true, force: true });
    throw unusable(label, given, error);
  }
  return dir;
}
