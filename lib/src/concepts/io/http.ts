/**
 * The HTTP GET every Node client of the I/O experiment makes, so that they all do the same as
 * Python's `requests`: keep-alive; redirects followed, at most 30 (requests' limit; one more
 * is an error); compressed answers accepted and decoded (gzip, deflate, br), so `bytes` is
 * the size of the decoded body, as `len(r.content)`. `io` (awaited, on the calling thread)
 * and the blocking client's helper thread (io-thread.ts) both call `get` here.
 *
 * undici costs more CPU per request than the small hand-written HTTP/1.1 client it replaced
 * (about 0.09 against 0.04 ms a GET at latency 0, on the 2-core VM), and the blocking
 * client's one helper thread pays it for a whole pool: 10 threads doing 100 GETs at 100 ms
 * took ~1094 against ~1066 ms, in interleaved runs.
 */
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { describeNetworkError } from '../../core/errors';

/** What a GET returns: the final status (after redirects) and the size of the decoded body. */
export interface GetResult {
  status: number;
  bytes: number;
}

/** Most redirects followed for one GET: requests' default (requests.models.DEFAULT_REDIRECT_LIMIT). */
export const MAX_REDIRECTS = 30;

/**
 * The largest answer head read, in KB: 64, where undici's default is 16, since Python's
 * http.client (under requests) reads header lines of up to 64 KB (and 100 of them).
 */
const HEAD_LIMIT_KB = 64;

const HEADERS = { 'user-agent': 'concurrency-lab', accept: '*/*', 'accept-encoding': 'gzip, deflate, br' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * undici's decompress interceptor (undici 7.30) is marked experimental and says so with a
 * process warning on every thread that creates one. A helper thread starts on first use and
 * stops after a second idle, so the same notice would repeat in a notebook's output: it is
 * dropped here, and only it.
 */
function decompressQuietly(): Dispatcher.DispatcherComposeInterceptor {
  const emit = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
    if (!String(warning).includes('DecompressInterceptor is experimental')) emit(warning, ...rest);
  };
  try {
    return interceptors.decompress();
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * A client: an Agent with keep-alive (undici's default; an idle connection is kept as long as
 * the server's `keep-alive: timeout` allows, less a margin), at most `connections` per origin
 * (the blocking client has no limit: each caller waits for its own answer, so a pool of N
 * threads has at most N requests in flight), following redirects and decoding bodies.
 * undici's own header and body timeouts (300 s) are off: each GET has one deadline, its
 * `timeoutMs` from the call. `connect` is passed to every TLS or TCP connect (a test's own
 * certificate authority, for one).
 */
export function createDispatcher(connect?: Agent.Options['connect'], connections: number | null = null): Dispatcher {
  return new Agent({
    connections,
    headersTimeout: 0,
    bodyTimeout: 0,
    maxHeaderSize: HEAD_LIMIT_KB * 1024,
    ...(connect ? { connect } : {}),
  }).compose(
    interceptors.redirect({ maxRedirections: MAX_REDIRECTS }),
    decompressQuietly(), // outermost: it decodes the final answer only, not the redirects' bodies
  );
}

/**
 * GETs `url` and reads the whole answer. Rejects with one line that names the URL: `GET
 * <url> timed out after <ms> ms`, or `GET <url> failed: <why>`.
 */
export async function get(dispatcher: Dispatcher, url: string, timeoutMs: number): Promise<GetResult> {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new Error(`GET ${url} failed: not a URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`GET ${url} failed: not an http(s) URL`);
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const { statusCode, headers, body } = await request(url, {
      method: 'GET',
      headers: HEADERS,
      dispatcher,
      signal: abort.signal,
    });
    const bytes = await new Promise<number>((resolve, reject) => {
      let n = 0;
      body.on('data', (chunk: Buffer) => (n += chunk.length));
      body.on('end', () => resolve(n));
      body.on('error', reject);
    });
    // The redirect interceptor hands back the last redirect when it stops following.
    if (REDIRECTS.has(statusCode) && headers.location !== undefined) {
      throw new Error(`GET ${url} failed: more than ${MAX_REDIRECTS} redirects`);
    }
    return { status: statusCode, bytes };
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`GET ${url} timed out after ${timeoutMs} ms`);
    if (error instanceof Error && error.message.startsWith(`GET ${url} `)) throw error;
    if ((error as { code?: unknown })?.code === 'UND_ERR_HEADERS_OVERFLOW') {
      throw new Error(`GET ${url} failed: answer head over ${HEAD_LIMIT_KB} KB (UND_ERR_HEADERS_OVERFLOW)`);
    }
    throw new Error(`GET ${url} failed: ${describeNetworkError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
