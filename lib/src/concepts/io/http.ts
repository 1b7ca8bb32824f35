/**
 * The HTTP GET of every Node client of the I/O experiment, doing what Python's `requests` does:
 * keep-alive, redirects followed, compressed answers decoded (`bytes` is `len(r.content)`).
 */
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { describeNetworkError } from '../../core/errors';

/** Most redirects followed for one GET: requests' default (requests.models.DEFAULT_REDIRECT_LIMIT). */
export const MAX_REDIRECTS = 30;

/** The largest answer head read, in KB: undici's default is 16, Python's http.client (under requests) reads 64. */
const HEAD_LIMIT_KB = 64;

const HEADERS = { 'user-agent': 'concurrency-lab', accept: '*/*', 'accept-encoding': 'gzip, deflate, br' };
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The final answer's status and its body's length once decoded. */
export type IoResult = { status: number; bytes: number };

/** undici's decompress interceptor warns on every thread that creates one: helper threads would repeat it. */
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
 * A keep-alive Agent with at most `connections` per origin (null: no limit), following redirects
 * and decoding bodies; each GET has one deadline, so undici's own timeouts are off. `connect`: a test's CA.
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

/** GETs `url` and reads the whole answer; rejects with one line naming the URL: `GET <url> timed out after...` or `failed: <why>`. */
export async function get(dispatcher: Dispatcher, url: string, timeoutMs: number): Promise<IoResult> {
  const protocol = URL.canParse(url) ? new URL(url).protocol : undefined;
  if (!protocol) throw new Error(`GET ${url} failed: not a URL`);
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`GET ${url} failed: not an http(s) URL`);
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const { statusCode, headers, body } = await request(url, { method: 'GET', headers: HEADERS, dispatcher, signal });
    let bytes = 0;
    for await (const chunk of body) bytes += (chunk as Buffer).length;
    // The redirect interceptor hands back the last redirect when it stops following.
    if (REDIRECTS.has(statusCode) && headers.location !== undefined) {
      throw new Error(`GET ${url} failed: more than ${MAX_REDIRECTS} redirects`);
    }
    return { status: statusCode, bytes };
  } catch (error) {
    if (signal.aborted) throw new Error(`GET ${url} timed out after ${timeoutMs} ms`);
    if (error instanceof Error && error.message.startsWith(`GET ${url} `)) throw error;
    if ((error as { code?: unknown })?.code === 'UND_ERR_HEADERS_OVERFLOW') {
      throw new Error(`GET ${url} failed: answer head over ${HEAD_LIMIT_KB} KB (UND_ERR_HEADERS_OVERFLOW)`);
    }
    throw new Error(`GET ${url} failed: ${describeNetworkError(error)}`);
  }
}
