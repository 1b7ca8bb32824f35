/**
 * The promise of every "what we measured" sentence: true for ANY numbers a run could produce.
 * For each concept, 10,000 results generated from a fixed seed (plausible medians and spreads,
 * 1 to 64 cores, outliers, failures, missing and free-threaded Pythons, ...; see
 * helpers/generate-concepts.ts) are read back sentence by sentence against the numbers they
 * came from (helpers/prose-checks.ts, helpers/prose-readers.ts). A failure prints the seed,
 * the rule, the sentence and the smallest failing input, shrunk on the generator's tape.
 *
 * Every case's prose is the concept's findings and headline as `report(measured)` shows them;
 * every 10th case runs `report(measured)` itself, charts and all, and must show exactly that
 * prose (charts cost more than the prose: drawing 70,000 of them would take minutes).
 *
 * Replay another seed, more cases or every report:
 *   PROSE_SEED=... PROSE_RUNS=... PROSE_REPORT_EVERY=1 npx jest test/prose.property.test.ts
 * List every rule that fails, with a shrunk example each (PROSE_SURVEY=text adds the report):
 *   PROSE_SURVEY=1 npx jest test/prose.property.test.ts
 */
import { cpu, gil, io, kitchen, processes, queue, threads } from 'concurrency-lab';
import {
  cpuFindings,
  cpuSummary,
  gilFindings,
  ioFindings,
  kitchenFindings,
  processFindings,
  queueFindings,
  queueSummary,
  threadFindings,
} from 'concurrency-lab/tooling';
import { describeComparison } from './helpers/generate';
import { genCpu, genGil, genIo, genKitchen, genProcesses, genQueue, genThreads } from './helpers/generate-concepts';
import { forAll, type Outcome, type Rand } from './helpers/prng';
import { Reading } from './helpers/prose-checks';
import { readCpu, readGil, readIo, readKitchen, readProcesses, readQueue, readThreads } from './helpers/prose-readers';

const SEED = process.env.PROSE_SEED ?? 'concurrency-lab prose';
const RUNS = Number(process.env.PROSE_RUNS ?? 10_000);
const REPORT_EVERY = Number(process.env.PROSE_REPORT_EVERY ?? 10);

type Prose = { headline: string; findings: string };

/** A concept's property: generate, say (its prose; every 10th case through `report`), read every sentence back. */
interface Concept<M> {
  generate: (r: Rand) => M;
  report: (m: M) => Prose;
  prose: (m: M) => Prose;
  read: (r: Reading, m: M) => void;
  describe: (m: M) => unknown;
}

function property<M>(c: Concept<M>) {
  return (rand: Rand, index: number): Outcome => {
    let measured: M | undefined;
    try {
      measured = c.generate(rand);
      const said = c.prose(measured);
      const reading = new Reading(said);
      if (index % REPORT_EVERY === 0) {
        const shown = c.report(measured);
        if (shown.headline !== said.headline || shown.findings !== said.findings)
          reading.fail('report() shows the findings and headline read here', shown.headline, 'its prose differs');
      }
      c.read(reading, measured);
      reading.finish();
      const m = measured;
      return { failure: reading.failure, input: () => c.describe(m), text: `${said.headline}\n${said.findings}` };
    } catch (error) {
      const e = error as Error;
      const m = measured;
      return {
        failure: { rule: 'report() does not throw', sentence: '', why: `${e.message}\n${e.stack ?? ''}` },
        input: () => (m === undefined ? 'the generator threw' : c.describe(m)),
      };
    }
  };
}

/** A concept's 10,000 cases take 10 to 45 s on a busy 2-core machine: more than jest's default minute must not fail them. */
const TIMEOUT_MS = 5 * 60_000;

function check<M>(name: string, concept: Concept<M>): void {
  test(
    `${name}: ${RUNS} generated results`,
    () => {
      forAll({ seed: `${SEED}: ${name}`, runs: RUNS, check: property(concept) });
    },
    TIMEOUT_MS,
  );
}

describe('every sentence a report prints is true for any numbers a run could produce', () => {
  check('cpu', {
    generate: genCpu,
    report: cpu.report,
    prose: (m) => cpuFindings(cpuSummary(m), m.result.env),
    read: readCpu,
    describe: (m) => ({
      result: describeComparison(m.result),
      ...(m.scaling ? { scaling: describeComparison(m.scaling) } : {}),
    }),
  });

  check('io', {
    generate: genIo,
    report: io.report,
    prose: ioFindings,
    read: readIo,
    describe: (m) => ({
      main: describeComparison(m.main.comparison),
      latencyMs: m.main.latencyMs,
      jitterMs: m.main.jitterMs,
      ...(m.connections ? { connections: describeComparison(m.connections.comparison) } : {}),
      ...(m.faults ? { faults: describeComparison(m.faults.comparison), timeoutMs: m.faults.timeoutMs } : {}),
    }),
  });

  check('gil', {
    generate: genGil,
    report: gil.report,
    prose: gilFindings,
    read: readGil,
    describe: (m) => Object.fromEntries(Object.entries(m).map(([k, c]) => [k, describeComparison(c)])),
  });

  check('kitchen', {
    generate: genKitchen,
    report: kitchen.report,
    prose: kitchenFindings,
    read: readKitchen,
    describe: (k) => ({
      cores: k.env.cores,
      msPerMinute: k.msPerMinute,
      dishes: k.dishes.map((d) => d.steps.map((s) => `${s.kind} ${s.minutes}`).join(', ')),
      runs: k.runs.map((x) => ({
        id: x.id,
        robots: x.robots.map((o) => o.length),
        ideal: x.ideal,
        passes: x.passes.map((p) => p.wallMs),
      })),
    }),
  });

  check('threads', {
    generate: genThreads,
    report: threads.report,
    prose: threadFindings,
    read: readThreads,
    describe: (m) => ({
      reports: m.reports,
      seen: m.seen,
      messages: describeComparison(m.costs.comparison),
      race: describeComparison(m.race.comparison),
    }),
  });

  check('processes', {
    generate: genProcesses,
    report: processes.report,
    prose: processFindings,
    read: readProcesses,
    describe: (m) => ({ reports: m.reports, memory: m.memory, startup: describeComparison(m.startup.comparison) }),
  });

  check('queue', {
    generate: genQueue,
    report: queue.report,
    prose: (m) => queueFindings(queueSummary(m), m, m.comparison.env),
    read: readQueue,
    describe: (m) => ({
      comparison: describeComparison(m.comparison),
      ...(m.trip ? { trip: describeComparison(m.trip) } : {}),
      ...(m.scaling ? { scaling: describeComparison(m.scaling) } : {}),
      rttMs: m.rttMs,
      recovery: m.recovery && { ...m.recovery, run: undefined },
    }),
  });
});
