// leasePort options for property tests: arbitrary values for every field (valid ones drawn only from
// the test's own port block and lock directory, so a generated lease never touches anyone else's
// ports), and an independent model of the outcome the documented rules give.
import fc from 'fast-check';
import { core } from './helpers.mjs';

const { UNSAFE_PORTS } = core;

const isPort = (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;

/** Arbitrary `LeaseOptions` (or not even an object). `range` is a valid sub-range of `block` or junk. */
export function optionsArbitrary(block, lockDir) {
  const [lo, hi] = block;
  const inBlock = fc.integer({ min: lo, max: hi });
  const validRange = fc.tuple(inBlock, inBlock).map(([a, b]) => [Math.min(a, b), Math.max(a, b)]);
  const junkNumber = fc.oneof(
    fc.integer({ min: -5, max: 70_000 }),
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 1023, 65536, lo + 0.5),
    fc.string({ maxLength: 6 }),
  );
  /** Mostly valid values, sometimes junk: every field valid at once happens often enough. */
  const field = (valid, ...junk) =>
    fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: fc.oneof(...junk) });
  const range = field(
    validRange,
    fc.tuple(inBlock, inBlock).map(([a, b]) => [Math.max(a, b) + 1, Math.min(a, b)]),
    fc.tuple(junkNumber, junkNumber),
    fc.tuple(inBlock, inBlock, inBlock),
    fc.constantFrom(null, `${lo}-${hi}`, [lo], {}),
    fc.anything(),
  );
  const exclude = field(
    fc.oneof(
      fc.array(inBlock, { maxLength: hi - lo + 2 }),
      fc.constant(Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)),
      inBlock.map((p) => new Set([p])),
    ),
    fc.array(fc.oneof(inBlock, junkNumber), { minLength: 1, maxLength: 4 }),
    // A string is iterable (by characters) but never a list of ports: refused, echoed as given.
    fc.string({ maxLength: 3 }),
    fc.constantFrom(null, 0, {}, true, '', '80'),
    fc.anything(),
  );
  const hosts = field(
    fc.constantFrom(['127.0.0.1'], ['::1', '127.0.0.1'], ['::', '0.0.0.0'], null),
    // An address this machine does not have is refused: probing it would check nothing.
    fc.constantFrom([], [''], [1], '127.0.0.1', [null], ['10.255.255.1']),
    // Junk, but never a list of names: those would be looked up in DNS.
    fc
      .anything()
      .filter((v) => !(Array.isArray(v) && v.length > 0 && v.every((h) => typeof h === 'string' && h))),
  );
  const signal = field(
    fc.oneof(
      fc.constant(undefined).map(() => new AbortController().signal),
      fc.constant(undefined).map(() => AbortSignal.abort(new Error('stop'))),
    ),
    fc.constantFrom(null, {}, 'abort', { aborted: true }),
  );
  const options = fc.record(
    {
      range,
      exclude,
      lockDir: field(fc.constantFrom(lockDir, null), fc.constantFrom('', 0, [lockDir], {})),
      owner: field(fc.string({ maxLength: 300 }), fc.anything()),
      hosts,
      signal,
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { weight: 8, arbitrary: options },
    { weight: 1, arbitrary: fc.constantFrom(null, 42, 'opts', true) },
  );
}

function validRange(r) {
  return Array.isArray(r) && r.length === 2 && isPort(r[0]) && isPort(r[1]) && r[0] >= 1024 && r[0] <= r[1];
}

function validExclude(x) {
  if (x === undefined) return true;
  if (x === null || typeof x === 'string' || typeof x[Symbol.iterator] !== 'function') return false;
  for (const port of x) if (!isPort(port)) return false;
  return true;
}

/**
 * The outcome the documented rules give: `{ code }` for an expected PortleaseError, else `{ allowed }`
 * (the ports a lease may get). Unset (undefined) fields fall back to PORTLEASE_* / defaults; `null`
 * lockDir and hosts mean unset too (they are read with `??`).
 */
export function expectedOptionsOutcome(options, envRange) {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) return { code: 'INVALID_OPTIONS' };
  const o = options;
  const invalid =
    (o.range !== undefined && !validRange(o.range)) ||
    !validExclude(o.exclude) ||
    (o.lockDir !== undefined && o.lockDir !== null && (typeof o.lockDir !== 'string' || o.lockDir === '')) ||
    (o.hosts !== undefined &&
      o.hosts !== null &&
      !(
        Array.isArray(o.hosts) &&
        o.hosts.length > 0 &&
        // 10.255.255.1 stands for an address this machine does not have: refused.
        o.hosts.every((h) => typeof h === 'string' && h && h !== '10.255.255.1')
      )) ||
    (o.signal !== undefined && !(o.signal instanceof AbortSignal)) ||
    (o.owner !== undefined && typeof o.owner !== 'string');
  if (invalid) return { code: 'INVALID_OPTIONS' };
  if (o.signal?.aborted) return { code: 'ABORTED' };
  const [lo, hi] = o.range ?? envRange;
  const excluded = new Set([...UNSAFE_PORTS, ...(o.exclude ?? [])]);
  const allowed = new Set();
  for (let port = lo; port <= hi; port++) if (!excluded.has(port)) allowed.add(port);
  return allowed.size === 0 ? { code: 'RANGE_EXHAUSTED' } : { allowed };
}
