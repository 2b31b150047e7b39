import { readFileSync } from 'node:fs';

/** How an owner proves it is alive (see liveness.ts): the kernel frees each when the owner dies. */
export type OracleKind = 'abstract' | 'pipe' | 'file';

/**
 * The operating-system facts the core branches on, read once per process: they are host or network
 * namespace settings that do not change while a process runs, and every process of a host must reach
 * the same answer from them (so no fact here is a passing state such as "this probe just failed").
 *
 * @example
 * ```ts
 * const facts = platformFacts();
 * facts.os; //=> 'linux'
 * facts.ipv6; //=> true where this network namespace has an IPv6 stack
 * ```
 */
export interface Platform {
  /** Whose semantics apply: the bind rules, where the ephemeral range is read, which OS commands exist. */
  os: NodeJS.Platform;
  /** How liveness is proven: `abstract` (Linux), `pipe` (Windows), `file` (macOS, the BSDs, others). */
  oracle: OracleKind;
  /**
   * Linux: whether this network namespace has an IPv6 stack (`/proc/sys/net/ipv6` exists). Without
   * one, an `AF_INET6` socket cannot even be created. Elsewhere `true` (not read).
   */
  ipv6: boolean;
  /**
   * Linux: `net.ipv6.bindv6only` of this network namespace. It changes the default of programs that
   * do not set `IPV6_V6ONLY`; portlease's probe always sets it (libuv does on every IPv6 bind), so the
   * `::` probe stays dual-stack either way. Kept for `doctor`. Elsewhere `false` (not read).
   */
  bindv6only: boolean;
}

const BINDV6ONLY_FILE = '/proc/sys/net/ipv6/bindv6only';

/** The oracle a platform's kernel offers. */
export function oracleFor(os: NodeJS.Platform): OracleKind {
  if (os === 'linux') return 'abstract';
  if (os === 'win32') return 'pipe';
  return 'file';
}

/**
 * Test seam, not API: tests that run the macOS or Windows code paths on Linux start a child process
 * with `globalThis[Symbol.for('portlease.platform.v1')]` set (by an `--import` preload) to a partial
 * {@link Platform}. It is read once, at the first use. Never set it in a process that shares a lock
 * directory with ordinary ones: owners proving liveness differently cannot see each other.
 */
const OVERRIDE_KEY = Symbol.for('portlease.platform.v1');

function readLinuxIpv6(): { ipv6: boolean; bindv6only: boolean } {
  try {
    // The file exists exactly when this network namespace has an IPv6 stack.
    return { ipv6: true, bindv6only: readFileSync(BINDV6ONLY_FILE, 'utf8').trim() === '1' };
  } catch {
    return { ipv6: false, bindv6only: false };
  }
}

/** The facts of `os` on this host (Linux ones read from /proc). */
export function detectPlatform(os: NodeJS.Platform = process.platform): Platform {
  const linux = os === 'linux' && process.platform === 'linux' ? readLinuxIpv6() : undefined;
  return {
    os,
    oracle: oracleFor(os),
    ipv6: linux ? linux.ipv6 : true,
    bindv6only: linux ? linux.bindv6only : false,
  };
}

let cached: Platform | undefined;

/** This process's platform facts, read once. */
export function platformFacts(): Platform {
  if (cached) return cached;
  const override = (globalThis as Record<symbol, Partial<Platform> | undefined>)[OVERRIDE_KEY];
  const detected = detectPlatform(override?.os ?? process.platform);
  cached = Object.freeze({
    ...detected,
    ...override,
    oracle: override?.oracle ?? detected.oracle,
  });
  return cached;
}
