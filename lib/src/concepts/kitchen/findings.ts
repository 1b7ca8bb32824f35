/** The closing "what we measured" of 03-concurrency-vs-parallelism, in markdown, from the runs just measured. */
import { formatMs } from '../../core/summary';
import { ordersOf, type KitchenResult, type KitchenRunId } from './run';

/** The closing paragraph: each run's time against its ideal and against one robot cooking one dish at a time. */
export function kitchenFindings(result: KitchenResult): string {
  const run = (id: KitchenRunId) => result.runs.find((r) => r.id === id);
  const seq = run('sequential');
  const vs = (ms: number) => (seq ? ` (${(seq.wall.median / ms).toFixed(2)}x faster than one dish at a time)` : '');
  const lines: string[] = [];
  for (const r of result.runs) {
    const m = r.wall.median;
    const base = `- **${r.title}:** ${formatMs(m)}, ideal ${formatMs(r.ideal.ms)} (set by ${r.ideal.why})`;
    if (r.id === 'sequential') lines.push(`${base}. No concurrency, no parallelism: every wait is dead time.`);
    if (r.id === 'interleaved')
      lines.push(
        `${base}${vs(m)}. Concurrency on one thread: the robot chopped while water boiled, but never did two hands-on steps at once.`,
      );
    if (r.id === 'parallel')
      lines.push(
        `${base}${vs(m)}. Parallelism: ${r.robots.length} worker threads on ${result.env.cores} core(s)` +
          (r.robots.length > result.env.cores ? ', so hands-on steps took turns on the cores and stretched' : '') +
          '.',
      );
    if (r.id === 'both') {
      const perOrder = m / ordersOf(r);
      lines.push(
        `${base}. Both: ${r.robots.map((o) => o.length).join('/')} orders, each robot interleaving its own; ${formatMs(perOrder)} per order` +
          (seq
            ? ` against ${formatMs(seq.wall.median / ordersOf(seq))} per dish for one robot cooking one at a time`
            : '') +
          '.',
      );
    }
  }
  const worst = result.runs.reduce((a, b) => (b.ideal.ms / b.wall.median < a.ideal.ms / a.wall.median ? b : a));
  lines.push(
    `- **Where the time went.** The run farthest from its ideal was "${worst.title}" (${((100 * worst.ideal.ms) / worst.wall.median).toFixed(0)}% of ideal): ` +
      'a robot notices a finished wait only after its current hands-on step, and more robots than cores share the cores.',
  );
  const both = run('both');
  const ordersPhrase = both
    ? `the ${ordersOf(both)} orders on ${both.robots.length} robots use both`
    : 'orders spread over several interleaving robots use both';
  lines.push(
    "- **Compared with the course.** Jarvis's lesson holds in Node: one robot switching dishes during waits is concurrency (an async function on one thread), " +
      `several robots at once is parallelism (worker threads), and ${ordersPhrase}. Unlike Python threads under the GIL, the robots here really cook at the same time, ` +
      `up to ${result.env.cores} hands-on steps at once on this machine's ${result.env.cores} core(s).`,
  );
  return lines.join('\n');
}

/** A one-line headline of the kitchen, from its numbers. */
export function kitchenHeadline(result: KitchenResult): string {
  const run = (id: KitchenRunId) => result.runs.find((r) => r.id === id);
  const seq = run('sequential');
  const parts: string[] = [];
  const speedup = (id: KitchenRunId, what: string) => {
    const r = run(id);
    if (seq && r) parts.push(`${what} ${(seq.wall.median / r.wall.median).toFixed(2)}x faster than one dish at a time`);
  };
  speedup('interleaved', 'one robot interleaving cooked');
  const parallel = run('parallel');
  if (seq && parallel)
    parts.push(`${parallel.robots.length} robots ${(seq.wall.median / parallel.wall.median).toFixed(2)}x`);
  const both = run('both');
  if (both) parts.push(`${ordersOf(both)} orders on ${both.robots.length} robots took ${formatMs(both.wall.median)}`);
  const text = parts.join('; ') || 'the kitchen ran';
  return `${text.charAt(0).toUpperCase()}${text.slice(1)} (${result.env.cores} cores)`;
}
