import { type Platform, platformFacts } from './facts.js';

/**
 * Every address a server may listen on: probed where BSD bind semantics apply (macOS, Windows, the
 * BSDs), since there a specific address and the wildcard can be bound at once by different sockets,
 * so a listener on one is invisible to a probe on another.
 */
export const ALL_HOSTS: readonly string[] = Object.freeze(['::', '0.0.0.0', '127.0.0.1', '::1']);

/** Linux with IPv6: one dual-stack `::` listen conflicts with a listener on any address, v4 or v6. */
const DUAL_STACK: readonly string[] = Object.freeze(['::']);
/** Linux without an IPv6 stack: the IPv4 wildcard conflicts with every IPv4 listener. */
const IPV4_ONLY: readonly string[] = Object.freeze(['0.0.0.0']);

/**
 * The cheapest probe set that still sees a listener on any address, for `platform`. On Linux a
 * wildcard bind conflicts with every other bind of the port, whatever the address and even with
 * `SO_REUSEADDR`; measured in private network namespaces for listeners on `0.0.0.0`, `127.0.0.1`,
 * `127.0.0.2`, `::` (dual-stack and v6-only) and `::1`, plain, with `bindv6only=1` (the probe sets
 * `IPV6_V6ONLY=0` itself, so it stays dual-stack) and with `disable_ipv6=1` (the `::` socket still
 * binds). Only a namespace without an IPv6 stack needs `0.0.0.0` instead. One listen instead of four
 * is most of a lease's cost on a tmpfs lock directory.
 *
 * @example
 * ```ts
 * defaultProbeHosts(); //=> ['::'] on Linux with IPv6
 * defaultProbeHosts({ os: 'darwin', oracle: 'file', ipv6: true, bindv6only: false });
 * //=> ['::', '0.0.0.0', '127.0.0.1', '::1']
 * ```
 */
export function defaultProbeHosts(platform: Platform = platformFacts()): readonly string[] {
  if (platform.os !== 'linux') return ALL_HOSTS;
  return platform.ipv6 ? DUAL_STACK : IPV4_ONLY;
}

/** Why {@link defaultProbeHosts} chose its set, in words for `portlease doctor`. */
export function probeHostsReason(platform: Platform = platformFacts()): string {
  if (platform.os !== 'linux') {
    return `${platform.os}: BSD bind semantics (a specific address and the wildcard coexist), so every address is probed`;
  }
  if (!platform.ipv6)
    return 'linux without an IPv6 stack in this network namespace: 0.0.0.0 covers every IPv4 listener';
  return `linux: one dual-stack :: probe conflicts with a listener on any address${platform.bindv6only ? ' (net.ipv6.bindv6only=1 does not change that: the probe sets IPV6_V6ONLY=0)' : ''}`;
}
