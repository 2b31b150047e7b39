import type { Server } from 'node:net';
import { removeOwnRecord } from '../store/entries.js';
import { onProcessEnd } from './exit-hook.js';
import { listenOracle, newOwnerId } from './liveness.js';

/**
 * The owner context of this JavaScript realm (a process, or a worker thread): an id, the oracle socket
 * that proves it alive, and the sync release functions of its live leases. Worker threads get their
 * own: threads share a pid, but a lease belongs to the thread that took it.
 */
interface OwnerContext {
  id: string;
  ready: Promise<Server>;
  /** Leases held plus allocations in flight: the oracle stays open while this is above zero. */
  users: number;
  idleTimer: NodeJS.Timeout | undefined;
}

/** Process-wide state lives under a registered symbol so two copies of this module (ESM + CJS) share it. */
interface SharedState {
  owner: OwnerContext | undefined;
  releasers: Set<() => void>;
  /**
   * Removals of released leases' records that failed (a read-only or replaced lock directory), by
   * token. Retried before each allocation and at exit, so a released port is not lost for good.
   */
  deferred: Map<string, () => void>;
  /** Removes the exit hook (exit-hook.ts) while one is registered: shared, so any copy can unhook. */
  unhookExit: (() => void) | undefined;
}

const STATE_KEY = Symbol.for('portlease.state.v2');
/** How long an idle oracle stays open, so lease/release loops do not reopen it each time. */
const IDLE_CLOSE_MS = 2000;

function state(): SharedState {
  const holder = globalThis as unknown as Record<symbol, SharedState | undefined>;
  let shared = holder[STATE_KEY];
  if (!shared) {
    shared = {
      owner: undefined,
      releasers: new Set(),
      deferred: new Map(),
      unhookExit: undefined,
    };
    holder[STATE_KEY] = shared;
  }
  return shared;
}

/** Takes a use of this realm's owner context, opening its oracle if needed. */
export async function acquireOwner(): Promise<string> {
  const shared = state();
  let owner = shared.owner;
  if (!owner) {
    const id = newOwnerId();
    owner = { id, ready: listenOracle(id), users: 0, idleTimer: undefined };
    shared.owner = owner;
  }
  owner.users++;
  if (owner.idleTimer) {
    clearTimeout(owner.idleTimer);
    owner.idleTimer = undefined;
  }
  try {
    await owner.ready;
  } catch (error) {
    owner.users--;
    if (shared.owner === owner) shared.owner = undefined;
    throw error;
  }
  return owner.id;
}

/** Takes one more use of a context the caller already uses (each live lease holds one). */
export function retainOwner(id: string): void {
  const owner = state().owner;
  if (owner && owner.id === id) owner.users++;
}

/** Gives back a use; the oracle closes once nothing has used it for a moment. */
export function releaseOwner(id: string): void {
  const owner = state().owner;
  if (!owner || owner.id !== id) return;
  owner.users--;
  if (owner.users > 0) return;
  owner.idleTimer = setTimeout(() => {
    const shared = state();
    if (shared.owner !== owner || owner.users > 0) return;
    shared.owner = undefined;
    if (shared.releasers.size === 0 && shared.deferred.size === 0) unhook();
    void owner.ready.then((server) => server.close()).catch(() => {});
  }, IDLE_CLOSE_MS);
  owner.idleTimer.unref();
}

/** Remembers a released lease's record removal that failed (`remove` throws until it works). */
export function deferRemoval(token: string, remove: () => void): void {
  state().deferred.set(token, remove);
  hook();
}

/**
 * Removes this realm's own record of `token`. If the lock directory refuses (turned read-only,
 * replaced), the removal is deferred, retried before this process's next allocation and at exit,
 * never abandoned while it lives on; the refusal is thrown, coded.
 */
export function removeOrDefer(portDir: string, token: string, root: string): void {
  const refused = removeOwnRecord(portDir, token, root);
  if (!refused) return;
  deferRemoval(token, refused.retry);
  throw refused.error;
}

/** Retries the deferred removals. Costs nothing when there are none. */
export function retryDeferred(): void {
  const { deferred } = state();
  for (const [token, remove] of deferred) {
    try {
      remove();
      deferred.delete(token);
    } catch {
      // Still failing: try again next time; at worst this owner's death frees the port.
    }
  }
}

function releaseAll(): void {
  const shared = state();
  retryDeferred();
  for (const release of [...shared.releasers]) {
    try {
      release();
    } catch {
      // Exit path: keep releasing the others; a dead owner's leftovers are reclaimed anyway.
    }
  }
}

/**
 * One exit hook for every lease of this realm, kept until the owner context goes idle: hooking per
 * lease (each starts signal watchers) was a visible part of a lease's cost.
 */
function hook(): void {
  const shared = state();
  shared.unhookExit ??= onProcessEnd(releaseAll);
}

function unhook(): void {
  const shared = state();
  const remove = shared.unhookExit;
  shared.unhookExit = undefined;
  remove?.();
}

/**
 * Registers a sync release to run on exit and fatal signals; returns its remover. The handlers stay
 * installed until the owner context goes idle: installing signal handlers per lease (each starts a
 * signal watcher) was a visible part of a lease's cost.
 */
export function onProcessExit(release: () => void): () => void {
  const shared = state();
  shared.releasers.add(release);
  hook();
  return () => {
    shared.releasers.delete(release);
  };
}
