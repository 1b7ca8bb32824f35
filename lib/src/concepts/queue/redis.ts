/**
 * Talking to a Redis: redis:// URLs (parsed, redacted for messages), the one-line check of a
 * broker before a run uses it (reachable, the password, the version BullMQ needs), and a
 * Redis the user points us at, which we check and never stop.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { describeNetworkError, messageOf, ParameterError } from '../../core/errors';

/** BullMQ's own floor (RedisConnection.minimumVersion). */
const MIN_REDIS_VERSION = '5.0.0';

/** The environment variable that points every run at an existing Redis. */
export const REDIS_URL_ENV = 'REDIS_URL';

const CHECK_TIMEOUT_MS = 3000;

type ConnectionOptions = ReturnType<typeof connectionOf>;

export interface Broker {
  /** e.g. redis://127.0.0.1:41234, with the password if there is one: treat it as a secret. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly version: string;
  /** Our redis-server's pid and temporary directory (undefined for a Redis we were pointed at). */
  readonly pid?: number;
  readonly dir?: string;
  /** For `new Queue(name, { connection })`, `new Worker(...)` and ioredis. */
  readonly connection: ConnectionOptions;
  /** One line: what it is and where, without the password. */
  describe(): string;
  /** Calls `listener(reason)` if our redis-server ends before `close` (never for an outside Redis). */
  onExit(listener: (reason: string) => void): () => void;
  /** Stops our redis-server and removes its directory (nothing for an outside Redis). Safe to call twice. */
  close(force?: boolean): Promise<void>;
}

/**
 * Connection options for a redis:// URL (checked by `parseRedisUrl`), for BullMQ (which needs
 * maxRetriesPerRequest null) and ioredis; a closing socket is waited for 0.1 s, not ioredis's 2 s.
 */
export function connectionOf(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 6379,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.pathname.length > 1 ? { db: Number(u.pathname.slice(1)) } : {}),
    maxRetriesPerRequest: null,
    disconnectTimeout: 100,
  };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(not a URL)';
  }
}

/** Checks a Redis URL up front: redis://[user:password@]host[:port][/db]. */
export function parseRedisUrl(name: string, value: unknown): string {
  const allowed = 'a URL like redis://host:6379 or redis://:password@host:6379/0';
  const text = typeof value === 'string' ? value.trim() : '';
  if (!URL.canParse(text)) throw new ParameterError(name, allowed, value);
  const u = new URL(text);
  if (u.protocol !== 'redis:' || !u.hostname) throw new ParameterError(name, allowed, redactUrl(text));
  if (u.pathname.length > 1 && !/^\/\d{1,2}$/.test(u.pathname)) {
    throw new ParameterError(name, `${allowed} (the database is a number from 0 to 15)`, redactUrl(text));
  }
  return text;
}

/** What an answer says when it did not come from Redis: one line, or undefined when it looks like Redis's. */
function notRedis(text: string): string | undefined {
  // redis-parser's words: 'Unknown RESP type 72 "H". Please report this.', or 'Protocol error, got "H" ...'.
  const got = /(?:Unknown RESP type \d+|Protocol error, got) "(.*?)"/i.exec(text);
  if (!got && !/ParserError|Protocol error/i.test(text)) return undefined;
  const first = got?.[1] && /^[\x21-\x7e]$/.test(got[1]) ? `"${got[1]}..."` : 'something else';
  return `does not speak Redis's protocol (it answered ${first}): is it a Redis at all?`;
}

/**
 * Asks Redis for PING and its version, once, then `then(client)` if given (resolving to its result instead
 * of the version), every step bounded (the connect, each command, all of it together); throws a one-line
 * error that names `what`: unreachable, silent, not Redis, a password wanted or refused, too old.
 */
export async function probe<T = string>(
  connection: ConnectionOptions,
  what: string,
  then?: (client: Redis) => Promise<T>,
): Promise<T> {
  const client = new Redis({
    ...connection,
    lazyConnect: true,
    connectTimeout: CHECK_TIMEOUT_MS,
    commandTimeout: CHECK_TIMEOUT_MS,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  let connectError: unknown;
  client.on('error', (error) => (connectError ??= error)); // the cause, for the message below
  const ms = 2 * CHECK_TIMEOUT_MS;
  const silent = delay(ms, undefined, { ref: false }).then(() => {
    throw new Error(`gave no answer within ${ms / 1000} s`);
  });
  const ask = async () => {
    await client.connect();
    await client.ping();
    const version = /redis_version:([\d.]+)/.exec(await client.info('server'))?.[1];
    if (version === undefined) throw new Error(`${what} answered INFO without a redis_version: is it a Redis at all?`);
    const key = (v: string) => v.replace(/\d+/g, (n) => n.padStart(6, '0'));
    if (key(version) < key(MIN_REDIS_VERSION)) {
      throw new Error(`${what} runs Redis ${version}; BullMQ needs ${MIN_REDIS_VERSION} or later`);
    }
    return then ? then(client) : (version as T);
  };
  try {
    return await Promise.race([silent, ask()]);
  } catch (error) {
    const cause =
      connectError && /Connection is closed|Command timed out/i.test(messageOf(error)) ? connectError : error;
    const text = /Command timed out/i.test(messageOf(cause))
      ? `it gave no answer within ${CHECK_TIMEOUT_MS / 1000} s`
      : describeNetworkError(cause);
    if (/NOAUTH/i.test(text)) {
      throw new Error(`${what} needs a password, and none was given: put it in the URL, redis://:password@host:port`);
    }
    if (/WRONGPASS|invalid password|invalid username-password/i.test(text)) {
      throw new Error(`${what} refused the password given (WRONGPASS)`);
    }
    if (/needs|runs Redis|at all\?/.test(text)) throw error;
    const other = notRedis(text);
    throw new Error(other ? `${what} ${other}` : `${what} cannot be reached: ${text}`);
  } finally {
    client.disconnect();
  }
}

/** Checks an existing Redis (reachable, password, version) and returns it as a broker we never stop. */
export async function connectBroker(url: string, name = 'redisUrl'): Promise<Broker> {
  const checked = parseRedisUrl(name, url);
  const connection = connectionOf(checked);
  const version = await probe(connection, `the Redis at ${redactUrl(checked)} (${name})`);
  return {
    url: checked,
    host: connection.host,
    port: connection.port,
    version,
    connection,
    describe: () => `Redis ${version} at ${redactUrl(checked)} (not started by us: left running)`,
    onExit: () => () => {},
    close: async () => {},
  };
}
