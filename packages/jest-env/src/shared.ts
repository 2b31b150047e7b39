// What the environment, the global setup and the test-side helpers agree on. No imports: this file is
// bundled into the helpers that run inside Jest's vm context as well as into the environment.

/**
 * The one key of the test global the environment uses. `testEnvironmentOptions.portlease` is copied
 * there by jest-environment-node; at setup the environment replaces that copy with the file's
 * {@link FilePorts}.
 */
export const GLOBAL_KEY = 'portlease';

/** Export condition the environment adds, so `@portlease/jest` resolves to the light helpers in tests. */
export const TEST_CONDITION = 'portlease-jest-test';

/** Environment variable through which global setup hands suite-wide ports to the workers. */
export const GLOBAL_ENV = 'PORTLEASE_JEST_GLOBAL';

/** Marks a {@link FilePorts} value, so the helpers can tell it from the raw options copy. */
export const FILE_PORTS_KIND = 'portlease-jest-file';

/** What the test global holds under {@link GLOBAL_KEY} from the environment's creation to its setup. */
export const PENDING_KIND = 'portlease-jest-pending';

/** Suite-wide ports leased by global setup, as handed to the workers (JSON in {@link GLOBAL_ENV}). */
export interface GlobalPortsInfo {
  /** Every suite-wide port: the named ones first, then the servers', in declaration order. */
  readonly ports: readonly number[];
  /** Ports by name: `names` and `servers` keys of the global setup options. */
  readonly named: Readonly<Record<string, number>>;
  /** `http://host:port` of each server started by global setup, by name. */
  readonly urls: Readonly<Record<string, string>>;
}

/** What the environment puts on the test global (under {@link GLOBAL_KEY}) for one test file. */
export interface FilePorts {
  readonly kind: typeof FILE_PORTS_KIND;
  /** This file's leased ports, in order (named ones first, in the order of `names`). */
  readonly ports: readonly number[];
  /** This file's named ports. */
  readonly named: Readonly<Record<string, number>>;
  /** The suite-wide ports from global setup, if any. */
  readonly global: GlobalPortsInfo | undefined;
}

function isRecordOfNumbers(value: unknown): value is Record<string, number> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((v) => typeof v === 'number' && Number.isInteger(v))
  );
}

/** Parses the {@link GLOBAL_ENV} value; `undefined` when absent or not ours. */
export function parseGlobalPorts(text: string | undefined): GlobalPortsInfo | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { ports, named, urls } = value as Record<string, unknown>;
  if (!Array.isArray(ports) || !ports.every((p) => Number.isInteger(p)) || !isRecordOfNumbers(named)) {
    return undefined;
  }
  const urlMap: Record<string, string> = {};
  if (typeof urls === 'object' && urls !== null) {
    for (const [name, url] of Object.entries(urls)) if (typeof url === 'string') urlMap[name] = url;
  }
  return { ports: [...ports] as number[], named: { ...named }, urls: urlMap };
}
