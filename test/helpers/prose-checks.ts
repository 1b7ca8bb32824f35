/**
 * Reading a report's sentences back against the numbers they came from, for the property
 * test of the prose. The general checks hold for every concept (no "undefined", plurals that
 * follow their counts, no "0.7x faster", nothing above an ideal without a cause); a `Reading`
 * collects the comparisons each concept's reader finds (two sets of runs, and the words said
 * of them) and checks each against `compareTimes` and the medians; a comparative word no
 * reader accounted for is itself a failure, so a new sentence cannot go unchecked.
 */
import type { Comparison, Row } from 'concurrency-lab';
import type { Failure } from './prng';

import { mostAtOnce } from '../../lib/dist/core/evidence';
import { median } from '../../lib/dist/core/stats';
import { formatMs } from '../../lib/dist/core/summary';
import { compareTimes } from '../../lib/dist/core/words';

export { compareTimes, formatMs, median };

/** A ratio at the precision the prose prints it (core/words.ts `times`), written again as the test's own oracle. */
export function timesOf(ratio: number): string {
  if (ratio >= 9.95) return `${ratio.toFixed(0)}x`;
  return `${ratio >= 1.995 ? ratio.toFixed(1) : ratio.toFixed(2)}x`;
}

/** A ratio with one more decimal than `timesOf` (from 2x on), as a factor past its ideal is printed when both would read the same. */
export const finerOf = (ratio: number) =>
  ratio >= 1.995 ? `${ratio.toFixed(ratio >= 9.95 ? 1 : 2)}x` : timesOf(ratio);

/** A share as the prose prints it: "23%". */
export const percentOf = (share: number) => `${(share * 100).toFixed(0)}%`;

/** Escapes text for a regular expression. */
export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of one comparison as the prose writes them: "2.1x faster", or "no measurable difference" and its bracket. */
export const WORDS = String.raw`(?:\d+(?:\.\d+)?x (?:faster|slower)|[Nn]o measurable difference)`;
/** The bracket after "no measurable difference": the noise, or the one run each side had. */
export const PAREN = String.raw`\((?:within the \d+% these runs can tell apart|one run each, \d+(?:\.\d+)?x apart)\)`;

const compiled = new Map<string, RegExp>();
const patterns = new Map<string, RegExp>();

/** A regular expression compiled once per source: the readers build the same few for every report. */
export function rx(source: string, flags = ''): RegExp {
  const key = flags ? `${flags}:${source}` : source;
  let re = patterns.get(key);
  if (!re) {
    // Patterns that name a number of one case only are not worth keeping.
    if (patterns.size > 2000) patterns.clear();
    patterns.set(key, (re = new RegExp(source, flags)));
  }
  return re;
}

/** A global regular expression for `re`, compiled once (70,000 reports are read with the same few patterns). */
function globalOf(re: RegExp): RegExp {
  if (re.global) {
    re.lastIndex = 0;
    return re;
  }
  let g = compiled.get(re.source);
  if (!g) {
    // Patterns that name a number of this case only are not worth keeping.
    if (compiled.size > 2000) compiled.clear();
    compiled.set(re.source, (g = new RegExp(re.source, `${re.flags}g`)));
  }
  g.lastIndex = 0;
  return g;
}

/** One line of a report (the headline is one), and the spans of it a check has read. */
export class Line {
  private readonly read: [number, number][] = [];
  constructor(
    readonly text: string,
    readonly where: 'headline' | 'findings',
  ) {}

  /** Every match of `re` (made global), each marked as read. */
  matches(re: RegExp): RegExpExecArray[] {
    const g = globalOf(re);
    const out: RegExpExecArray[] = [];
    for (let m = g.exec(this.text); m; m = g.exec(this.text)) {
      out.push(m);
      this.read.push([m.index, m.index + m[0].length]);
      if (m[0].length === 0) g.lastIndex++;
    }
    return out;
  }

  /** The first match of `re`, marked as read. */
  match(re: RegExp): RegExpExecArray | undefined {
    return this.matches(re)[0];
  }

  /** Matches of `re` that no check has read. */
  unread(re: RegExp): RegExpExecArray[] {
    const g = globalOf(re);
    const out: RegExpExecArray[] = [];
    for (let m = g.exec(this.text); m; m = g.exec(this.text)) {
      const [s, e] = [m.index, m.index + m[0].length];
      if (!this.read.some(([a, b]) => a <= s && e <= b)) out.push(m);
    }
    return out;
  }
}

/** Two sets of runs, named for the pair they make: the subject's and the one it is read against. */
export interface Sides {
  a: readonly number[];
  b: readonly number[];
  /** "threads (2) vs threads (1)": the same pair in the headline and the findings has the same key. */
  pair: string;
  /** True when every task of either side failed: its time says nothing of speed. */
  failed?: boolean;
}

/** The checks of one report: the first failure found, the comparisons read, and the lines. */
export class Reading {
  failure?: Failure;
  readonly lines: Line[];
  readonly said: { pair: string; words: string; line: Line }[] = [];

  constructor(report: { headline: string; findings: string }) {
    this.lines = [
      new Line(report.headline, 'headline'),
      ...report.findings.split('\n').map((t) => new Line(t, 'findings')),
    ];
  }

  get headline(): Line {
    return this.lines[0]!;
  }

  get findings(): Line[] {
    return this.lines.slice(1);
  }

  fail(rule: string, line: Line | string, why: string): void {
    this.failure ??= { rule, sentence: typeof line === 'string' ? line : line.text, why };
  }

  /** Fails unless `said` is what the prose should print for `value`. */
  number(rule: string, line: Line, said: string | undefined, expected: string, what: string): void {
    if (said !== expected) this.fail(rule, line, `${what}: says ${said}, the result gives ${expected}`);
  }

  /**
   * Checks the words said of a comparison (`words`, with `paren` after "no measurable
   * difference") against the two sets of runs: the direction agrees with the medians and
   * with `compareTimes`, the factor is the ratio of the medians as printed, and "no
   * measurable difference" is said exactly when `compareTimes` says so, with its noise.
   */
  compared(line: Line, words: string, paren: string | undefined, s: Sides): void {
    const c = compareTimes(s.a, s.b);
    const [ma, mb] = [median(s.a), median(s.b)];
    const got = /^(\d+(?:\.\d+)?)x (faster|slower)/.exec(words);
    const at = `${s.pair}: medians ${ma} and ${mb}, compareTimes says "${c.words}"`;
    if (got) {
      if (s.failed) this.fail('no speed is read from a row whose every task failed', line, `${words}: ${at}`);
      if (c.direction !== got[2]) this.fail('direction words agree with compareTimes', line, `${words}: ${at}`);
      if ((got[2] === 'faster') !== ma < mb)
        this.fail('direction words agree with the medians', line, `${words}: ${at}`);
      const factor = ma < mb ? mb / ma : ma / mb;
      // A factor above its ideal that would print as the ideal does is printed with one more decimal.
      if (`${got[1]}x` !== timesOf(factor) && `${got[1]}x` !== finerOf(factor))
        this.fail('the factor is the ratio of the medians', line, `says ${got[1]}x, ${timesOf(factor)}: ${at}`);
      if (Number(got[1]) <= 1) this.fail('never 0.x or 1.00x faster or slower', line, words);
    } else if (/^[Nn]o measurable difference|^not measurably different/.test(words)) {
      if (s.failed) this.fail('no speed is read from a row whose every task failed', line, `${words}: ${at}`);
      if (c.direction !== 'same')
        this.fail('"no measurable difference" exactly when compareTimes says so', line, `${words}: ${at}`);
      else if (paren && paren !== c.words.replace(/^no measurable difference /, ''))
        this.fail('the noise said is the noise of these runs', line, `says ${paren}: ${at}`);
    } else this.fail('comparison words are direction words', line, `"${words}" (${s.pair})`);
    this.said.push({ pair: s.pair, words: got ? `${got[1]}x ${got[2]}` : 'no measurable difference', line });
  }

  /** After every reader: what each part of the report said of the same pair agrees, and every comparative word was read. */
  finish(): void {
    for (const h of this.said.filter((x) => x.line.where === 'headline')) {
      const other = this.said.find((x) => x.line.where === 'findings' && x.pair === h.pair && x.words !== h.words);
      if (other)
        this.fail(
          'a headline agrees with its own findings',
          h.line,
          `"${h.words}" of ${h.pair}; the findings: "${other.words}" in: ${other.line.text}`,
        );
    }
    for (const line of this.lines) {
      const unread = line.unread(/\b(faster|slower|no measurable difference|not measurably different)\b/);
      if (unread.length)
        this.fail('every comparative word is checked', line, `"${unread[0]![0]}" was not read by any check`);
      general(this, line);
    }
  }
}

const PLURALS = [
  'tasks',
  'threads',
  'cores',
  'runs',
  'workers',
  'processes',
  'requests',
  'connections',
  'robots',
  'dishes',
  'orders',
  'starts',
  'children',
  'holds',
  'times',
  'waits',
  'steps',
  'round trips',
  'CPUs',
  'passes',
  'timeouts',
  'errors',
  'pids',
  'updates',
];
const SINGULARS = [
  'task',
  'thread',
  'core',
  'run',
  'worker',
  'process',
  'request',
  'connection',
  'robot',
  'dish',
  'order',
  'start',
  'child',
  'hold',
  'time',
  'wait',
  'step',
  'round trip',
  'CPU',
  'pass',
  'timeout',
  'error',
  'pid',
  'update',
];
/** A word between a count and its noun ("1 worker thread"), not a unit ("1 ms tasks" is a compound). */
const ADJECTIVE = String.raw`(?:(?!(?:ms|s|KB|MB|x|of|to|at|and|in)\b)[\w-]+ )?`;
const ONE_PLURAL = new RegExp(String.raw`(?<![\d.,])1 ${ADJECTIVE}(?:${PLURALS.join('|')})\b`);
const MANY_SINGULAR = new RegExp(
  String.raw`(?<![\d.,])(?!1 )\d+(?:\.\d+)? ${ADJECTIVE}(?:${SINGULARS.join('|')})\b(?!-| (?:threads?|process(?:es)?|tasks?|steps?|workers?|ids?|trips?)\b)`,
);

/** The checks every sentence of every concept passes. */
function general(r: Reading, line: Line): void {
  const t = line.text;
  const bad = /undefined|NaN|Infinity|\[object Object\]|\(\s*\)|\(\(/.exec(t);
  if (bad) r.fail('no undefined, NaN, Infinity, [object Object], empty brackets or "(("', line, `"${bad[0]}"`);
  if (/\S {2,}\S/.test(t)) r.fail('no double spaces', line, 'two spaces in a row');
  const twice = /\b([A-Za-z]+) \1\b/i.exec(t);
  if (twice) r.fail('no doubled words', line, `"${twice[0]}"`);
  const one = ONE_PLURAL.exec(t);
  if (one) r.fail('plurals follow the counts', line, `"${one[0]}"`);
  const many = MANY_SINGULAR.exec(t);
  if (many) r.fail('plurals follow the counts', line, `"${many[0]}"`);
  const verb = /(?:^|[Uu]p to |[:;.] )(?:1 (?:[\w-]+ ){1,2}were\b|(?:[02-9]|\d{2,}) [\w-]+s (?:[\w-]+ )?was\b)/.exec(t);
  if (verb) r.fail('plurals follow the counts', line, `"${verb[0]}"`);
  const low = /(?<![\d.])(?:0(?:\.\d+)?|1(?:\.0+)?)x (?:faster|slower)\b/.exec(t);
  if (low) r.fail('never 0.x or 1.00x faster or slower', line, `"${low[0]}"`);
  // Above an ideal: only past it (as printed), and always with what caused it.
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)x faster than [^,;]*, above the ideal of (\d+(?:\.\d+)?)x(: )?/g)) {
    if (!(Number(m[1]) > Number(m[2])))
      r.fail('"above the ideal" only when the factor is past the ideal', line, `"${m[0]}"`);
    if (!m[3]) r.fail('nothing is above an ideal without a named cause', line, `"${m[0]}"`);
  }
  if (/above (?:the|its) ideal/.test(t) && !/above the ideal of \d+(?:\.\d+)?x: \S/.test(t))
    r.fail('nothing is above an ideal without a named cause', line, 'above an ideal, no cause after it');
  // The false sentences, which no numbers support any more.
  const banned = /the baseline run was slow|\(noise\)|V8 is still compiling|mostly wait for the one broker thread/.exec(
    t,
  );
  if (banned) r.fail("the issue's false sentences never appear", line, `"${banned[0]}"`);
}

/** What the checks need of one row of a comparison, computed here from its runs (not by the library). */
export interface RowFacts {
  row: Row;
  walls: number[];
  /** Each ok task's own time, over every run. */
  taskMs: number[];
  failures: number;
  /** Tasks over every run. */
  total: number;
  allFailed: boolean;
  /** Most tasks in progress at once, over the runs. */
  atOnce: number;
}

const factsCache = new WeakMap<Comparison, Map<string, RowFacts>>();

/** Every row's facts, by label (computed once per comparison). */
export function factsOf(c: Comparison): Map<string, RowFacts> {
  const cached = factsCache.get(c);
  if (cached) return cached;
  const out = new Map<string, RowFacts>();
  for (const row of c.rows) {
    const runs = c.runs.filter((r) => r.label === row.label);
    if (!runs.length) continue;
    const total = runs.reduce((n, r) => n + r.tasks.length, 0);
    const failures = runs.reduce((n, r) => n + r.tasks.failed().length, 0);
    // The task times and the most at once are read only where a sentence cites them.
    let taskMs: number[] | undefined;
    let most: number | undefined;
    out.set(row.label, {
      row,
      walls: runs.map((r) => r.wallMs),
      get taskMs() {
        return (taskMs ??= runs
          .flatMap((r) => [...r.tasks])
          .filter((t) => t.ok && t.pid >= 0)
          .map((t) => t.end - t.start));
      },
      failures,
      total,
      allFailed: total > 0 && failures === total,
      get atOnce() {
        return (most ??= Math.max(0, ...runs.map((r) => mostAtOnce(r.tasks))));
      },
    });
  }
  factsCache.set(c, out);
  return out;
}

/** "1 core", "3 cores" (core/words.ts `count`). */
export const countOf = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
