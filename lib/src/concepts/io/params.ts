/** The parameters of notebook 04-io-bound: defaults, ranges and meanings, checked before any request. */
import { ParameterError } from '../../core/errors';
import type { ParamSpec } from '../../core/params';

/** Reads the `urls` parameter, a list or a comma-separated string: '' or [] means the embedded server. */
export function parseUrls(urls: string | readonly string[] | undefined, name = 'urls'): string[] {
  const list = typeof urls === 'string' ? urls.split(',').map((u) => u.trim()) : urls === undefined ? [] : urls;
  if (!Array.isArray(list)) throw new ParameterError(name, 'a list of http(s) URLs or a comma-separated string', urls);
  return list.filter(Boolean).map((u: unknown, i, all) => {
    if (typeof u !== 'string' || !/^https?:\/\//i.test(u) || !URL.canParse(u))
      throw new ParameterError(all.length === 1 ? name : `${name}[${i}]`, 'an http(s) URL', u);
    return u;
  });
}

/** Every parameter of 04-io-bound. */
export const IO_PARAMS = {
  requests: { default: 100, integer: true, min: 1, max: 100_000, help: 'requests per run (the course made 100)' },
  latencyMs: { default: 100, min: 0, max: 60_000, help: "the embedded server's latency per request, ms" },
  jitterMs: { default: 0, min: 0, max: 60_000, help: 'each answer comes latency ± up to this many ms later' },
  bodyBytes: { default: 1024, integer: true, min: 0, max: 64 * 1024 * 1024, help: 'bytes in each answer' },
  threads: { default: [1, 10], integer: true, min: 1, max: 256, help: 'thread pool sizes for the blocking client' },
  processes: {
    default: 10,
    integer: true,
    min: 0,
    max: 64,
    help: 'process pool size for the blocking client (0 = skip)',
  },
  connections: {
    default: [1, 10, 100],
    integer: true,
    min: 1,
    max: 100_000,
    help: 'undici connection limits to sweep',
  },
  repeats: { default: 3, integer: true, min: 1, max: 100, help: 'timed runs of each way' },
  warmup: {
    default: 10,
    integer: true,
    min: 0,
    max: 100,
    help: "untimed passes of each way first: V8 compiles the clients' hot paths over the first few hundred requests",
  },
  timeoutMs: {
    default: 30_000,
    min: 1,
    max: 3_600_000,
    help: 'per-request timeout, ms (waiting for a connection included)',
  },
  urls: {
    default: '',
    check: (name, value) => void parseUrls(value as string, name),
    help: "comma-separated http(s) URLs to fetch instead of the embedded server, e.g. the course's 'https://www.google.com/,https://www.apple.com/'",
  },
  failShare: { default: 0.05, min: 0, max: 1, help: 'faults section: share of requests answered 500' },
  hangShare: { default: 0.05, min: 0, max: 1, help: 'faults section: share of requests never answered' },
  faultTimeoutMs: { default: 1000, min: 1, max: 3_600_000, help: 'faults section: per-request timeout, ms' },
  python: {
    default: true,
    help: "also run the course's Python programs (requests, aiohttp + gather, ThreadPoolExecutor) against the same server",
  },
} satisfies Record<string, ParamSpec>;
