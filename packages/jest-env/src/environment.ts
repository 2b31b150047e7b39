import { relative } from 'node:path';
import { leaseNamedPorts, type NamedPorts, stickyPorts } from 'portlease/adapter';
import { loadNodeEnvironment, type NodeEnvironmentClass } from './base.js';
import { shardLabel, shardOf } from './labels.js';
import { type LeasePlan, planLeases } from './options.js';
import {
  FILE_PORTS_KIND,
  type FilePorts,
  GLOBAL_ENV,
  GLOBAL_KEY,
  PENDING_KIND,
  parseGlobalPorts,
  TEST_CONDITION,
} from './shared.js';
import { fileStickyName } from './sticky-key.js';

const Base: NodeEnvironmentClass = loadNodeEnvironment();

type EnvironmentConfig = ConstructorParameters<NodeEnvironmentClass>[0];
type EnvironmentContext = ConstructorParameters<NodeEnvironmentClass>[1];

/** Where the file's options came from, for messages: its docblock or the Jest config. */
function optionsSource(context: EnvironmentContext, file: string): string {
  const docblock = context.docblockPragmas?.['jest-environment-options'];
  if (typeof docblock === 'string') {
    try {
      const parsed: unknown = JSON.parse(docblock);
      if (typeof parsed === 'object' && parsed !== null && GLOBAL_KEY in parsed) {
        return `the @jest-environment-options docblock of ${file}: portlease`;
      }
    } catch {
      // Jest itself reports a docblock that is not JSON.
    }
  }
  return 'testEnvironmentOptions.portlease';
}

/**
 * A Jest test environment (jest-environment-node plus ports): for every test file it leases ports
 * that no other test file, worker or Jest run sharing the lock directory holds, exposes them to the
 * tests through `port()` / `ports()`, and releases them at teardown (also when setup failed;
 * a worker killed outright leaves leases that the next allocation reclaims).
 *
 * Options: `testEnvironmentOptions.portlease` (`PortleaseEnvironmentOptions`), or per file a
 * `@jest-environment-options {"portlease": {…}}` docblock. Default: one port.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = {
 *   testEnvironment: '@portlease/jest',
 *   testEnvironmentOptions: { portlease: { names: ['api', 'web'] } },
 * };
 * ```
 */
export class PortleaseEnvironment extends Base {
  readonly #plan: LeasePlan;
  readonly #sticky: ReadonlySet<string>;
  readonly #owner: string;
  readonly #file: string;
  #leased: NamedPorts | undefined;
  #value: FilePorts | undefined;

  constructor(config: EnvironmentConfig, context: EnvironmentContext) {
    // Validate before building the vm context, so a bad option costs nothing to clean up.
    const { projectConfig } = config;
    const file = relative(projectConfig.rootDir, context.testPath) || context.testPath;
    const options = (projectConfig.testEnvironmentOptions as Record<string, unknown> | undefined)?.[
      GLOBAL_KEY
    ];
    const where = optionsSource(context, file);
    const plan = planLeases(options, where, 1, ['global']);
    const sticky = stickyPorts(plan.sticky, plan.names, where, 'names');
    super(config, context);
    this.#sticky = sticky;
    this.#plan = plan;
    this.#file = file;
    this.#owner = `${plan.lease.owner ?? `jest ${file} [worker ${process.env.JEST_WORKER_ID ?? '?'}]`}${shardLabel(shardOf(config.globalConfig))}`;
    // Replaces the options copy jest-environment-node put there, so setupFiles (which Jest runs before
    // setup) get a clear error from port() instead of the options.
    (this.global as Record<string, unknown>)[GLOBAL_KEY] = Object.freeze({ kind: PENDING_KIND });
  }

  /** This file's ports once {@link setup} has leased them (what tests see through `port()`). */
  get portlease(): FilePorts | undefined {
    return this.#value;
  }

  override async setup(): Promise<void> {
    await super.setup();
    const { count, names, lease } = this.#plan;
    const leased = await leaseNamedPorts({
      names,
      count,
      sticky: this.#sticky,
      stickyName: (name) => fileStickyName(this.#file, name),
      lease,
      owner: this.#owner,
      context: `@portlease/jest could not lease ${count} port(s) for ${this.#file}`,
    });
    this.#leased = leased;
    const ports = Object.freeze([...leased.ports]);
    const global = parseGlobalPorts(process.env[GLOBAL_ENV]);
    // A fresh, frozen object per file: Jest 30 cleans up what was put on the test global at teardown.
    this.#value = Object.freeze({
      kind: FILE_PORTS_KIND,
      ports,
      named: Object.freeze({ ...leased.named }),
      global: global && Object.freeze(global),
    });
    (this.global as Record<string, unknown>)[GLOBAL_KEY] = this.#value;
  }

  override async teardown(): Promise<void> {
    const released = this.#leased?.release();
    this.#leased = undefined;
    await super.teardown();
    await released;
  }

  /** Adds the condition under which `@portlease/jest` resolves to the light test-side helpers. */
  override exportConditions(): string[] {
    return [...super.exportConditions(), TEST_CONDITION];
  }
}
