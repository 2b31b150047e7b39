import { PortleaseError } from '../errors.js';

/**
 * The one way portlease reports an unusable option, in the core, the CLI and every adapter: an
 * `INVALID_OPTIONS` error whose message names the option's full path (as the user wrote it, e.g.
 * `testEnvironmentOptions.portlease.count`) and what was expected.
 *
 * @example
 * ```ts
 * throw invalidOption('workerServer.readyTimeout', `must be a positive number of milliseconds, got ${value}.`);
 * // PortleaseError [INVALID_OPTIONS] workerServer.readyTimeout must be a positive number of milliseconds, got -1.
 * ```
 */
export function invalidOption(
  path: string,
  problem: string,
  details: Record<string, unknown> = {},
): PortleaseError {
  return new PortleaseError('INVALID_OPTIONS', `${path} ${problem}`, {
    details: { option: path, ...details },
  });
}

/**
 * Throws `INVALID_OPTIONS` if `value` has a key not in `known`, naming the key, the closest known one
 * and all known ones: a misspelt option is never silently ignored. Keys whose value is `undefined`
 * count too (a typo is a typo whatever its value).
 *
 * @example
 * ```ts
 * assertKnownKeys({ rnage: [1, 2] }, ['range', 'exclude'], 'leasePort options');
 * // PortleaseError [INVALID_OPTIONS] leasePort options has no option "rnage" (did you mean "range"?). Known: range, exclude.
 * ```
 */
export function assertKnownKeys(value: object, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const near = closest(key, known);
    throw invalidOption(
      path,
      `has no option ${JSON.stringify(key)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}. Known: ${known.join(', ')}.`,
      { key, known: [...known] },
    );
  }
}

/**
 * The known word nearest to `word` by edit distance, if it is near enough to be a typo. Hand-written:
 * a 20-line edit distance is not worth a dependency for every user of portlease.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/** Damerau–Levenshtein distance (optimal string alignment): a swap of two letters counts as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = value;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * Runs `run`, and rethrows a PortleaseError it throws with `context` in front of its message (code,
 * details and cause kept); any other error unchanged. How an adapter says which of its steps failed.
 *
 * @example
 * ```ts
 * const lease = await withErrorContext('portlease could not lease the serverPort of "worker 1"', () => leasePort(options));
 * // [RANGE_EXHAUSTED] portlease could not lease the serverPort of "worker 1": no free port in 20000-20001 …
 * ```
 */
export async function withErrorContext<T>(context: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw error instanceof PortleaseError ? error.withContext(context) : error;
  }
}
