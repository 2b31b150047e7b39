// What the sticky tests of the adapters need to know of core's sticky rule, in one place: the port a
// name prefers with no memo, and a project copy whose names prefer distinct ports.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { core } from './build.mjs';

const UNSAFE = new Set(core.UNSAFE_PORTS);

/**
 * The port a sticky name of the project `scope` prefers with no memo: the first 8 hex digits of
 * SHA-256(name NUL project) into `[min, max]` (docs/protocol.md, "Sticky memos"). Written out here,
 * not imported, so a test fails if core's derivation drifts from the documented one.
 */
export function derivedPort(name, scope, [min, max]) {
  const hash = createHash('sha256').update(`${name}\0${scope}`).digest('hex');
  return min + (Number.parseInt(hash.slice(0, 8), 16) % (max - min + 1));
}

/** Whether the project `scope`'s `names` prefer distinct ports, none of them unsafe or among `taken`. */
export function derivesDistinctPorts(names, scope, range, taken = []) {
  const derived = names.map((name) => derivedPort(name, scope, range));
  const ports = [...derived, ...taken];
  return new Set(ports).size === ports.length && !derived.some((port) => UNSAFE.has(port));
}

/**
 * A fresh project copy (`copy()` makes one) whose `names` prefer distinct ports, none of them unsafe or
 * among `taken`: two names of one project, or of two projects, may hash alike, and then one gets
 * another port, which is the rule but not what the sticky tests are about.
 */
export function projectWithDistinctPorts(copy, names, range, taken = []) {
  // Bounded: a bug that makes every project look alike must fail here, not fill the disk.
  for (let tries = 0; tries < 200; tries++) {
    const dir = copy();
    if (derivesDistinctPorts(names, realpathSync(dir), range, taken)) return dir;
  }
  throw new Error('no project copy among 200 derives distinct ports: is the range right?');
}
