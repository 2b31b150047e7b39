// `globalTeardown: '@portlease/jest/global-teardown'` loads this module (built as
// dist/global-teardown.*): Jest calls its default export in its parent process after the last file.
import { closeSession, globalState, publishGlobalPorts } from './state.js';

/**
 * Stops the servers and releases the ports of every global setup of this process (latest first), and
 * restores `PORTLEASE_JEST_GLOBAL`. Safe to call when nothing is held. Reports the first failure
 * after attempting everything.
 *
 * @example
 * ```js
 * // jest.global-teardown.js
 * const { releaseGlobalPorts } = require('@portlease/jest/global-teardown');
 * module.exports = async () => { await stopMyDatabase(); await releaseGlobalPorts(); };
 * ```
 */
export async function releaseGlobalPorts(): Promise<void> {
  const state = globalState();
  const sessions = state.sessions.splice(0).reverse();
  let failure: unknown;
  for (const session of sessions) {
    try {
      await closeSession(session);
    } catch (error) {
      failure ??= error;
    }
  }
  publishGlobalPorts(state);
  if (failure !== undefined) throw failure;
}

/**
 * The `globalTeardown: '@portlease/jest/global-teardown'` hook: {@link releaseGlobalPorts}.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = { globalTeardown: '@portlease/jest/global-teardown' };
 * ```
 */
export async function globalTeardown(): Promise<void> {
  await releaseGlobalPorts();
}

export default globalTeardown;
