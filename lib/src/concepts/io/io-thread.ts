/**
 * The helper thread of the blocking client (io-blocking.ts): does each GET on its own event
 * loop with undici, posts the answer, and wakes the blocked caller.
 *
 * It serves one caller given in workerData (a thread's own helper), and any number more
 * sent to it later as `{ port, flag }` (the one I/O thread of a thread pool). Each caller
 * has at most one request in flight; all of them share one undici Agent, so connections
 * are kept alive and reused per origin across callers.
 *
 * What a GET does, as Python's `requests` does by default: keep-alive; redirects followed,
 * at most 30 (requests' limit; one more is an error); compressed answers accepted and
 * decoded (gzip, deflate, br), so `bytes` is the size of the decoded body, as `len(r.content)`.
 *
 * undici costs more CPU per request than the small hand-written HTTP/1.1 client it replaced
 * (about 0.09 against 0.04 ms a GET at latency 0, on the 2-core VM), and this one thread
 * pays it for a whole pool: 10 threads doing 100 GETs at 100 ms took ~1094 against
 * ~1066 ms, in interleaved runs.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { describeNetworkError } from '../../core/errors';

/** What a GET returns: the final status (after redirects) and the size of the decoded body. */
export interface GetResult {
  status: number;
  bytes: number;
}

/** Most redirects followed for one GET: requests' default (requests.models.DEFAULT_REDIRECT_LIMIT). */
export const MAX_REDIRECTS = 30;

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
 * The dispatcher of the blocking client: an Agent with keep-alive (undici's default; an idle
 * connection is kept as long as the server's `keep-alive: timeout` allows, less a margin) and
 * no limit on connections per origin (each caller waits for its own answer, so a pool of N
 * threads has at most N requests in flight), following redirects and decoding bodies.
 * undici's own header and body timeouts (300 s) are off: each GET has one deadline, its
 * `timeoutMs` from the call. `connect` is passed to every TLS or TCP connect (a test's own
 * certificate authority, for one).
 */
export function createDispatcher(connect?: Agent.Options['connect']): Dispatcher {
  return new Agent({ connections: null, headersTimeout: 0, bodyTimeout: 0, ...(connect ? { connect } : {}) }).compose(
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
    throw new Error(`GET ${url} failed: ${describeNetworkError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A blocked caller: where its requests come from and its answers go, and its wake-up flag. */
interface Caller {
  port: MessagePort;
  flag: Int32Array;
}

let dispatcher: Dispatcher | undefined;

function serve({ port, flag }: Caller): void {
  dispatcher ??= createDispatcher();
  const d = dispatcher;
  const answer = (message: object) => {
    port.postMessage(message);
    Atomics.add(flag, 0, 1);
    Atomics.notify(flag, 0);
  };
  port.on('message', ({ id, url, timeoutMs }: { id: number; url: string; timeoutMs: number }) => {
    get(d, url, timeoutMs).then(
      (result) => answer({ id, ...result }),
      (error: unknown) => answer({ id, error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

const first = workerData as Partial<Caller> | null;
if (first?.port && first.flag) serve(first as Caller);
parentPort?.on('message', (caller: Caller) => serve(caller));
