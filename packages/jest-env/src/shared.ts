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

const isPort = (value: unknown) => Number.isInteger(value);
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Parses the {@link GLOBAL_ENV} value; `undefined` when absent or not ours. */
export function parseGlobalPorts(text: string | undefined): GlobalPortsInfo | undefined {
  let value: unknown;
  try {
    value = text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const { ports, named, urls } = value;
  if (!Array.isArray(ports) || !ports.every(isPort) || !isObject(named)) return undefined;
  if (!Object.values(named).every(isPort)) return undefined;
  const urlEntries = Object.entries(isObject(urls) ? urls : {}).filter(([, url]) => typeof url === 'string');
  return { ports: [...ports], named: { ...named }, urls: Object.fromEntries(urlEntries) } as GlobalPortsInfo;
}
