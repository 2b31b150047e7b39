import { type NamedPorts, type NamedServers, settleAll } from 'portlease/adapter';
import { GLOBAL_ENV, type GlobalPortsInfo } from '../shared.js';

/** What one global setup call holds until global teardown. */
export interface GlobalSession {
  ports: NamedPorts | undefined;
  servers: NamedServers | undefined;
  info: GlobalPortsInfo | undefined;
}

interface GlobalState {
  sessions: GlobalSession[];
  /** `PORTLEASE_JEST_GLOBAL` before the first open session set it. */
  previousEnv: string | undefined;
}

// Kept under a registered symbol: global setup and teardown may load different copies of this package
// (ESM and CJS builds) in Jest's parent process, and a symbol key is not copied into test contexts.
const STATE_KEY = Symbol.for('portlease.jest.global.v1');

/** The parent process's open global sessions. */
export function globalState(): GlobalState {
  const holder = globalThis as unknown as Record<symbol, GlobalState | undefined>;
  holder[STATE_KEY] ??= { sessions: [], previousEnv: undefined };
  return holder[STATE_KEY];
}

/** Writes the merged ports of every open session to `PORTLEASE_JEST_GLOBAL` (or restores it). */
export function publishGlobalPorts(state: GlobalState): GlobalPortsInfo | undefined {
  const infos = state.sessions.flatMap((s) => (s.info ? [s.info] : []));
  if (infos.length === 0) {
    if (state.previousEnv === undefined) delete process.env[GLOBAL_ENV];
    else process.env[GLOBAL_ENV] = state.previousEnv;
    return undefined;
  }
  const merged: GlobalPortsInfo = {
    ports: infos.flatMap((i) => i.ports),
    named: Object.assign({}, ...infos.map((i) => i.named)),
    urls: Object.assign({}, ...infos.map((i) => i.urls)),
  };
  process.env[GLOBAL_ENV] = JSON.stringify(merged);
  return merged;
}

/** Stops a session's servers (whole process trees) and releases its ports; reports the first failure. */
export async function closeSession(session: GlobalSession): Promise<void> {
  const { ports, servers } = session;
  Object.assign(session, { ports: undefined, servers: undefined, info: undefined });
  await settleAll([servers?.stop(), ports?.release()]);
}
