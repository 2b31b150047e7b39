// Argument handling of the get-port drop-in (./get-port.ts). Every check here reproduces what get-port
// 7 does with the same input, down to the error class and message, so a caller's `catch` written for
// get-port keeps working: that is why these are hand-written instead of using portlease's own
// validation (which throws PortleaseError INVALID_OPTIONS).
import { createServer, type ListenOptions } from 'node:net';

const MIN_PORT = 1024;
const MAX_PORT = 65_535;

/**
 * Port numbers `from`…`to` (inclusive), validated exactly as get-port's `portNumbers` does: a
 * `TypeError` for non-integers, a `RangeError` for bounds outside 1024–65535 or `from > to`.
 *
 * @example
 * ```ts
 * import getPort, { portNumbers } from 'portlease/get-port';
 *
 * const port = await getPort({ port: portNumbers(3000, 3100) });
 * // the first of 3000…3100 that is free and leased by nobody, else a port from the default range
 * ```
 */
export function portNumbers(from: number, to: number): Iterable<number> {
  if (!Number.isInteger(from) || !Number.isInteger(to)) {
    throw new TypeError('`from` and `to` must be integer numbers');
  }
  if (from < MIN_PORT || from > MAX_PORT) {
    throw new RangeError(`'from' must be between ${MIN_PORT} and ${MAX_PORT}`);
  }
  if (to < MIN_PORT || to > MAX_PORT) {
    throw new RangeError(`'to' must be between ${MIN_PORT} and ${MAX_PORT}`);
  }
  if (from > to) {
    throw new RangeError('`to` must be greater than or equal to `from`');
  }
  return (function* range() {
    for (let port = from; port <= to; port++) yield port;
  })();
}

/** The `exclude` option as a set, rejected with get-port's `TypeError`s where get-port rejects it. */
export function excludedPorts(exclude: unknown): Set<unknown> {
  // get-port ignores a falsy `exclude` (undefined, null, 0, '').
  if (!exclude) return new Set();
  const iterable = exclude as Iterable<unknown>;
  if (typeof iterable[Symbol.iterator] !== 'function') {
    throw new TypeError('The `exclude` option must be an iterable.');
  }
  const items = [...iterable];
  for (const item of items) {
    if (typeof item !== 'number') {
      throw new TypeError(
        'Each item in the `exclude` option must be a number corresponding to the port you want excluded.',
      );
    }
    if (!Number.isSafeInteger(item)) {
      throw new TypeError(`Number ${item} in the exclude option is not a safe integer and can't be used`);
    }
  }
  return new Set(items);
}

/**
 * The ports to try, in order: the `port` option (a number, or any iterable, read lazily so a generator
 * is consumed only as far as needed), then `0`, meaning "any port" (get-port's fallback). A truthy
 * non-iterable `port` throws the engine's own `TypeError` from `yield*`, as in get-port.
 */
export function* portSequence(port: unknown): Generator<unknown, void, undefined> {
  if (port) {
    const ports = typeof port === 'number' ? [port] : (port as Iterable<unknown>);
    yield* ports;
  }
  yield 0;
}

function isPortNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_PORT;
}

/**
 * One element of `port` as a port number (`0`: any port), or throws the error get-port's `listen` call
 * would throw for it (Node's `ERR_SOCKET_BAD_PORT` RangeError, `ERR_INVALID_ARG_VALUE` TypeError).
 * Numeric strings are accepted, as Node accepts them; `null`/`undefined` mean any port, as in Node.
 */
export function preferredPort(value: unknown, listenOptions: Omit<ListenOptions, 'port'>): number {
  if (isPortNumber(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value);
    if (isPortNumber(number)) return number;
  }
  // Let Node itself judge the value, so the error is the very one get-port's listen call raises. It
  // throws synchronously for a bad port, before binding anything; for null/undefined it binds a
  // random port, which is closed at once.
  const server = createServer();
  server.unref();
  server.on('error', () => {});
  const port = value as number;
  try {
    // The objects get-port passes to listen (Node's message quotes them): all its options when a host
    // is given, else just the port and the first host it tries, the default one.
    server.listen(listenOptions.host ? { ...listenOptions, port } : { port, host: undefined });
  } finally {
    server.close();
  }
  return 0;
}
