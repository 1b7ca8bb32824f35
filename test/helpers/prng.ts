/**
 * A tiny property-testing kit in fast-check's style, without fast-check: a seeded PRNG
 * (sfc32), generators that draw from a *tape* of 32-bit choices, and shrinking on that tape
 * (Hypothesis's "internal shrinking"): a failing case is replayed with its tape cut, with
 * blocks of it deleted and with its values lowered, and every draw maps 0 to its simplest
 * value (the low end of a range, false, the first choice), so a shorter, lower tape is a
 * smaller input.
 */

/** sfc32, seeded through a string hash (xmur3): fast, 32-bit, and the same on every machine. */
export function sfc32(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  const next = () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
  let [a, b, c, d] = [next(), next(), next(), next()];
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const out = (t + d) | 0;
    c = (c + out) | 0;
    return out >>> 0;
  };
}

const TWO_32 = 2 ** 32;

/** Draws values from a tape: recorded from a PRNG while generating, replayed (0 past its end) while shrinking. */
export class Rand {
  readonly tape: number[];
  private i = 0;

  private constructor(
    private readonly source: (() => number) | undefined,
    tape: number[],
  ) {
    this.tape = tape;
  }

  /** Draws from the PRNG, recording each draw. */
  static recording(prng: () => number): Rand {
    return new Rand(prng, []);
  }

  /** Replays a tape. */
  static replaying(tape: readonly number[]): Rand {
    return new Rand(undefined, [...tape]);
  }

  /** The next raw 32-bit choice. */
  u32(): number {
    if (this.source) {
      const v = this.source();
      this.tape.push(v);
      this.i++;
      return v;
    }
    return this.tape[this.i++] ?? 0;
  }

  /** A float in [0, 1). */
  unit(): number {
    return this.u32() / TWO_32;
  }

  /** An integer from lo to hi, both included. */
  int(lo: number, hi: number): number {
    return lo + (this.u32() % (hi - lo + 1));
  }

  /** A float from lo to hi. */
  float(lo: number, hi: number): number {
    return lo + this.unit() * (hi - lo);
  }

  /** A float from lo to hi, evenly spread over its orders of magnitude. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.float(Math.log(lo), Math.log(hi)));
  }

  /** True with probability p (a 0 on the tape is false). */
  bool(p = 0.5): boolean {
    return this.unit() >= 1 - p;
  }

  /** One of the choices (a 0 on the tape is the first). */
  pick<T>(choices: readonly T[]): T {
    return choices[this.int(0, choices.length - 1)]!;
  }

  /** A choice drawn by weight: [[weight, value], ...] (a 0 on the tape is the first). */
  weighted<T>(choices: readonly (readonly [number, T])[]): T {
    const total = choices.reduce((s, [w]) => s + w, 0);
    let x = this.unit() * total;
    for (const [w, v] of choices) if ((x -= w) < 0) return v;
    return choices[choices.length - 1]![1];
  }

  /** A subset of `items`, in their order, each kept with probability p. */
  subset<T>(items: readonly T[], p = 0.7): T[] {
    return items.filter(() => !this.bool(1 - p));
  }
}

/** What a property says about one case: undefined when it holds, else what failed. */
export interface Failure {
  /** The invariant, by name: shrinking keeps a case failing the same one. */
  rule: string;
  /** The sentence (or line) that broke it, and why. */
  sentence: string;
  why: string;
}

/** The outcome of `check` on one tape: the failure, if any, and what the input was. */
export interface Outcome {
  failure?: Failure;
  input: () => unknown;
  /** The whole text that was checked, for a survey. */
  text?: string;
}

/**
 * Shrinks a failing tape: it still fails (the same rule) after each step taken, and each step
 * makes the tape shorter or one of its values lower. At most `budget` replays.
 */
export function shrink(tape: readonly number[], rule: string, run: (tape: number[]) => Outcome, budget = 3000) {
  let best = [...tape];
  let left = budget;
  const fails = (candidate: number[]) => {
    if (left-- <= 0) return false;
    return run(candidate).failure?.rule === rule;
  };
  let improved = true;
  while (improved && left > 0) {
    improved = false;
    // Cut the tail, then delete blocks, large to small.
    for (let keep = best.length >> 1; keep >= 1 && keep < best.length; keep = Math.max(1, keep >> 1)) {
      const candidate = best.slice(0, keep);
      if (fails(candidate)) {
        best = candidate;
        improved = true;
      } else break;
      if (keep === 1) break;
    }
    for (const size of [16, 8, 4, 2, 1]) {
      for (let i = best.length - size; i >= 0; i--) {
        const candidate = [...best.slice(0, i), ...best.slice(i + size)];
        if (fails(candidate)) {
          best = candidate;
          improved = true;
        }
      }
    }
    // Lower each value: to 0, else by halving the distance while it still fails.
    for (let i = 0; i < best.length; i++) {
      if (best[i] === 0) continue;
      const zero = replaced(best, i, 0);
      if (fails(zero)) {
        best = zero;
        improved = true;
        continue;
      }
      let lo = 0;
      let hi = best[i]!;
      while (hi - lo > 1 && left > 0) {
        const mid = Math.floor((lo + hi) / 2);
        const candidate = replaced(best, i, mid);
        if (fails(candidate)) {
          best = candidate;
          hi = mid;
          improved = true;
        } else lo = mid;
      }
    }
  }
  return best;
}

/** A copy of `tape` with its value at `i` replaced. */
function replaced(tape: readonly number[], i: number, value: number): number[] {
  const copy = [...tape];
  copy[i] = value;
  return copy;
}

/** Options of `forAll`. */
export interface ForAllOptions {
  /** The seed (printed on failure; override with the environment variable PROSE_SEED). */
  seed: string;
  runs: number;
  /** Generates case number `index` (0-based) from `rand`, checks it, and says what failed (and how to show the input). */
  check: (rand: Rand, index: number) => Outcome;
}

/**
 * Runs `check` on `runs` generated cases; on the first failure, shrinks it and throws an
 * error that names the seed, the case, the rule, the sentence, and the smallest failing
 * input with its tape (to replay it: `check(Rand.replaying(tape))`).
 */
export function forAll({ seed, runs, check }: ForAllOptions): void {
  const prng = sfc32(seed);
  // PROSE_SURVEY=1: run every case and print each rule that failed, how often, and one shrunk example.
  const survey = process.env.PROSE_SURVEY ? new Map<string, { n: number; tape: number[]; i: number }>() : undefined;
  for (let i = 0; i < runs; i++) {
    const rand = Rand.recording(prng);
    const outcome = check(rand, i);
    if (!outcome.failure) continue;
    if (survey) {
      const seen = survey.get(outcome.failure.rule) ?? { n: 0, tape: rand.tape, i };
      seen.n++;
      survey.set(outcome.failure.rule, seen);
      continue;
    }
    const first = outcome.failure;
    const replay = (tape: number[]) => check(Rand.replaying(tape), i);
    const tape = shrink(rand.tape, first.rule, replay);
    const small = replay(tape);
    const f = small.failure ?? first;
    throw new Error(
      [
        `Property failed (seed ${JSON.stringify(seed)}, case ${i + 1} of ${runs}; shrunk from a tape of ${rand.tape.length} draws to ${tape.length}).`,
        `rule: ${f.rule}`,
        `why: ${f.why}`,
        `sentence: ${f.sentence}`,
        `smallest failing input: ${JSON.stringify(small.input(), null, 1)}`,
        `tape: ${JSON.stringify(tape)}`,
        `first failure, before shrinking: ${first.rule}: ${first.why}: ${first.sentence}`,
      ].join('\n'),
    );
  }
  if (!survey?.size) return;
  const lines = [...survey].map(([rule, { n, tape, i }]) => {
    const small = check(Rand.replaying(shrink(tape, rule, (t) => check(Rand.replaying(t), i), 1000)), i);
    const text = process.env.PROSE_SURVEY === 'text' ? `\n  text:\n${small.text}` : '';
    return `${n} x ${rule}\n  why: ${small.failure?.why}\n  sentence: ${small.failure?.sentence}${text}`;
  });
  throw new Error(`survey of seed ${JSON.stringify(seed)}:\n${lines.join('\n')}`);
}
