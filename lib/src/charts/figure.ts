/** A chart as data: a plotly spec plus the same numbers as a plain-text table. */
import { describeCores } from '../core/environment';
import type { Environment } from '../core/records';

export type { Figure, Trace } from '../core/report';
import type { Trace } from '../core/report';

/** Mode colours, the same in every chart. */
export const COLORS: Record<string, string> = {
  sequential: '#636efa',
  async: '#00cc96',
  threads: '#ef553b',
  processes: '#ab63fa',
  queue: '#ffa15a',
  ideal: '#222222',
  failed: '#d62728',
};

/** Lighter shades of the mode colours, for the course's Python programs run beside the modes. */
const PYTHON_COLORS: Record<string, string> = {
  sequential: '#a9aefc',
  async: '#66e0c0',
  threads: '#f59989',
  processes: '#cda1fc',
};

/** The colour of a run or a summary row: its mode's, in a lighter shade for a Python peer. */
export function colorOf(row: { mode: string; origin?: string }): string {
  const shades = row.origin === 'python' ? PYTHON_COLORS : COLORS;
  return shades[row.mode] ?? COLORS[row.mode] ?? '#888888';
}

/** A bar's fill pattern: hatched for a Python peer, dotted for a Node pool timed end to end, plain for the modes. */
export function patternOf(row: { origin?: string; startupIncluded?: boolean }): string {
  return row.origin === 'python' ? '/' : row.startupIncluded ? '.' : '';
}

/** Text for plotly, which reads a subset of HTML in titles, names and hover text: a user's string shows as itself. */
function plotlyText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const TEXT_KEYS = new Set(['text', 'name', 'hovertext', 'x', 'y', 'labels']);

/** A copy of plotly traces with every user-visible string passed through plotlyText. */
export function safeTraces(data: readonly Trace[]): Trace[] {
  const clean = (value: unknown): unknown =>
    typeof value === 'string' ? plotlyText(value) : Array.isArray(value) ? value.map(clean) : value;
  return data.map((trace) =>
    Object.fromEntries(Object.entries(trace).map(([key, value]) => [key, TEXT_KEYS.has(key) ? clean(value) : value])),
  );
}

/** Shared layout: the title (as plain text) over the cores CPU work could use and how they were counted, readable margins. */
export function baseLayout(
  title: string,
  cores: number | Environment,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const sub = typeof cores === 'number' ? `${cores} core${cores === 1 ? '' : 's'}` : describeCores(cores);
  return {
    title: { text: `${plotlyText(title)}<br><sub>${plotlyText(sub)}</sub>` },
    margin: { t: 70, l: 70, r: 20, b: 110 },
    height: 460,
    legend: { orientation: 'h', x: 0, y: -0.22, yanchor: 'top' },
    ...extra,
  };
}
