/**
 * A small HTTP/1.1 GET client over node:net and node:tls: the wire under the blocking
 * client's helper thread (io-helper.ts).
 *
 * Why not node:http: the threads of a pool share one helper thread, so whatever a request
 * costs there is paid once per request by that one thread, and at the end of every round of
 * ten requests the other nine wait for it. node:http's request, agent and response objects
 * cost about 0.1 ms of CPU per request there, a quarter of the blocking path's whole cost
 * (0.43-0.52 ms against 0.33-0.39 with this client, at latency 0). A pool of 10 threads
 * doing 100 requests at 100 ms took about 10 ms less: medians 1041-1049 ms against
 * 1047-1067 in five paired runs on the 2-core machine.
 *
 * What it speaks: GET with a Host header; keep-alive, one request at a time per connection,
 * idle connections reused per origin; an answer's body by content-length, chunked, or read
 * until the connection closes; 1xx interim answers skipped; 204 and 304 without a body. A
 * kept-alive connection may be closed by the server at any time, so a reused one that fails
 * before any byte of the answer is retried once on a new connection (GET is idempotent). It
 * does not follow redirects, decompress (it asks for no encoding) or speak HTTP/2.
 */
import net, { type Socket } from 'node:net';
import tls from 'node:tls';
import { describeNetworkError } from '../../core/errors';

/** What a GET returns: the status and the size of the body (decoded, for a chunked one). */
export interface GetResult {
  status: number;
  bytes: number;
}

/** Largest answer head (status line and headers) accepted. */
export const MAX_ANSWER_HEAD_BYTES = 64 * 1024;
/** Largest chunk-size or trailer line accepted. */
const MAX_LINE_BYTES = 8 * 1024;

type Phase = 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailer' | 'close';

/** Reads one HTTP/1.x answer from a byte stream, counting its body bytes. */
export class AnswerReader {
  /** The final status (interim 1xx answers are skipped). */
  status = 0;
  /** Body bytes so far, decoded for a chunked body. */
  bytes = 0;
  /** Whether the connection may carry another request after this answer. */
  keepAlive = true;
  /** The whole answer is in. */
  done = false;
  private phase: Phase = 'head';
  private pending: Buffer | null = null;
  private left = 0;

  /**
   * Feeds the next bytes of the stream. Returns the bytes after the end of the answer once
   * it is complete (usually none), else undefined. Throws on a malformed answer.
   */
  push(chunk: Buffer): Buffer | undefined {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    while (!this.done) {
      if (this.phase === 'close') {
        this.bytes += data.length;
        return undefined;
      }
      if (this.phase === 'length' || this.phase === 'data') {
        const n = Math.min(this.left, data.length);
        this.bytes += n;
        this.left -= n;
        data = data.subarray(n);
        if (this.left > 0) return undefined;
        if (this.phase === 'length') this.done = true;
        else this.phase = 'data-end';
        continue;
      }
      const head = this.phase === 'head';
      const end = head ? data.indexOf('\r\n\r\n') : data.indexOf('\n');
      const limit = head ? MAX_ANSWER_HEAD_BYTES : MAX_LINE_BYTES;
      if (end < 0 || end > limit) {
        if (end > limit || data.length > limit) {
          throw new Error(head ? `the answer's head is over ${limit} bytes` : 'a chunked body line is too long');
        }
        this.pending = data;
        return undefined;
      }
      if (head) this.readHead(data.toString('latin1', 0, end));
      else this.readLine(data.toString('latin1', 0, end).replace(/\r$/, ''));
      data = data.subarray(end + (head ? 4 : 1));
    }
    return data;
  }

  /** The stream ended: completes a body read until close; throws if the answer was cut short. */
  end(): void {
    if (this.done) return;
    if (this.phase === 'close') {
      this.done = true;
      return;
    }
    throw new Error(
      this.phase === 'head' && !this.pending?.length && this.status === 0
        ? 'the connection closed before any answer'
        : 'the connection closed mid-answer',
    );
  }

  private readHead(text: string): void {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0]!);
    if (!m) throw new Error(`not an HTTP/1.x answer (it starts ${JSON.stringify(lines[0]!.slice(0, 40))})`);
    const status = Number(m[2]);
    let length: number | undefined;
    let encoded = false;
    let chunked = false;
    let connection = '';
    for (const line of lines.slice(1)) {
      if (line.startsWith(' ') || line.startsWith('\t')) continue; // obsolete line folding
      const colon = line.indexOf(':');
      if (colon <= 0) throw new Error(`a malformed header line in the answer: ${JSON.stringify(line.slice(0, 40))}`);
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') {
        if (!/^\d{1,15}$/.test(value) || (length !== undefined && length !== Number(value))) {
          throw new Error(`a bad content-length in the answer: ${JSON.stringify(value)}`);
        }
        length = Number(value);
      } else if (name === 'transfer-encoding') {
        encoded = true;
        chunked = value.split(',').at(-1)!.trim() === 'chunked';
      } else if (name === 'connection') {
        connection += `,${value}`;
      }
    }
    if (status < 200) {
      if (status === 101) throw new Error('the server switched protocols, which this client does not speak');
      return; // an interim answer (100 Continue, 103 Early Hints): the real one follows
    }
    const tokens = connection.split(',').map((t) => t.trim());
    this.status = status;
    this.keepAlive = m[1] === '1' ? !tokens.includes('close') : tokens.includes('keep-alive');
    if (status === 204 || status === 304) {
      this.done = true;
    } else if (encoded) {
      this.phase = chunked ? 'size' : 'close';
    } else if (length !== undefined) {
      this.left = length;
      this.phase = 'length';
      this.done = length === 0;
    } else {
      this.phase = 'close';
    }
    if (this.phase === 'close') this.keepAlive = false;
  }

  private readLine(line: string): void {
    if (this.phase === 'size') {
      const hex = line.split(';')[0]!.trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw new Error(`a bad chunk size in the answer: ${JSON.stringify(hex)}`);
      this.left = parseInt(hex, 16);
      this.phase = this.left === 0 ? 'trailer' : 'data';
    } else if (this.phase === 'data-end') {
      if (line !== '') throw new Error('a chunk of the answer is longer than its size says');
      this.phase = 'size';
    } else if (line === '') {
      this.done = true; // the empty line after the trailer fields (usually none)
    }
  }
}

/** Called once per GET, with an error or the result. */
export type GetCallback = (error: Error | undefined, result?: GetResult) => void;

/** An idle connection, and how to take it back into use. */
interface Parked {
  socket: Socket;
  unpark: () => void;
}

/**
 * GETs over kept-alive connections, reused per origin: one request at a time on each
 * connection, as many connections as there are requests in flight to an origin.
 */
export class GetClient {
  private readonly idle = new Map<string, Parked[]>();

  /** `tlsOptions` are passed to every `tls.connect` (for a test's own certificate authority). */
  constructor(private readonly tlsOptions: tls.ConnectionOptions = {}) {}

  /** GETs `url`; calls `done` once, with an error (one line, naming the URL) or the result. */
  get(url: string, timeoutMs: number, done: GetCallback): void {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return done(new Error(`GET ${url} failed: not a URL`));
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return done(new Error(`GET ${url} failed: not an http(s) URL`));
    }
    const origin = `${target.protocol}//${target.host}`;
    const request = Buffer.from(
      `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n` +
        'User-Agent: concurrency-lab\r\nAccept: */*\r\n\r\n',
      'latin1',
    );
    let finished = false;
    let socket: Socket | undefined;
    let detach = () => {};
    const finish = (error?: Error, result?: GetResult, reusable = false) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      detach();
      if (reusable) this.park(origin, socket!);
      else socket?.destroy();
      done(error, result);
    };
    const timer = setTimeout(() => finish(new Error(`GET ${url} timed out after ${timeoutMs} ms`)), timeoutMs);

    const attempt = (reuse: boolean) => {
      const parked = reuse ? this.take(origin) : undefined;
      const s = parked ?? this.connect(target);
      socket = s;
      const reader = new AnswerReader();
      let answered = false;
      let failure: unknown;
      const fail = (error: unknown) => finish(new Error(`GET ${url} failed: ${describeNetworkError(error)}`));
      const onData = (chunk: Buffer) => {
        answered = true;
        try {
          const rest = reader.push(chunk);
          if (reader.done)
            finish(undefined, { status: reader.status, bytes: reader.bytes }, reader.keepAlive && !rest?.length);
        } catch (error) {
          fail(error);
        }
      };
      const onError = (error: unknown) => (failure = error);
      const onClose = () => {
        if (finished) return;
        if (parked && !answered) {
          // The server closed the kept-alive connection before this request reached it.
          detach();
          return attempt(false);
        }
        if (failure !== undefined) return fail(failure);
        try {
          reader.end();
          finish(undefined, { status: reader.status, bytes: reader.bytes });
        } catch (error) {
          fail(error);
        }
      };
      s.on('data', onData);
      s.on('error', onError);
      s.on('close', onClose);
      detach = () => {
        s.off('data', onData);
        s.off('error', onError);
        s.off('close', onClose);
      };
      s.write(request);
    };
    try {
      attempt(true);
    } catch (error) {
      // net or tls refused the options before any I/O.
      finish(new Error(`GET ${url} failed: ${describeNetworkError(error)}`));
    }
  }

  /** Closes every idle connection. */
  close(): void {
    for (const list of this.idle.values()) for (const { socket } of list) socket.destroy();
    this.idle.clear();
  }

  private connect(target: URL): Socket {
    const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const https = target.protocol === 'https:';
    const port = target.port === '' ? (https ? 443 : 80) : Number(target.port);
    if (https) return tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...this.tlsOptions });
    const socket = net.connect({ host, port });
    socket.setNoDelay(true);
    return socket;
  }

  /** Keeps an answered connection for the next request to its origin; drops it if the server closes it or talks out of turn. */
  private park(origin: string, socket: Socket): void {
    const list = this.idle.get(origin) ?? [];
    this.idle.set(origin, list);
    const drop = () => {
      socket.destroy();
      const i = list.indexOf(parked);
      if (i >= 0) list.splice(i, 1);
    };
    const parked: Parked = {
      socket,
      unpark: () => {
        socket.off('data', drop);
        socket.off('close', drop);
        socket.off('error', drop);
        socket.ref();
      },
    };
    list.push(parked);
    socket.unref(); // an idle connection keeps no process alive
    socket.once('data', drop);
    socket.once('close', drop);
    socket.once('error', drop);
  }

  /** The most recently parked connection to `origin`, if any. */
  private take(origin: string): Socket | undefined {
    const parked = this.idle.get(origin)?.pop();
    parked?.unpark();
    return parked?.socket;
  }
}
