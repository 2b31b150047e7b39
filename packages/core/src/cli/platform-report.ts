import { osExcludedPorts } from '../platform/excluded-ports.js';
import { platformFacts } from '../platform/facts.js';
import { type EphemeralRange, ephemeralRange } from '../platform/ports.js';
import { defaultProbeHosts, probeHostsReason } from '../platform/probe-hosts.js';
import { ownerSocketDir } from '../realm/owner-sockets.js';

/** What the core decided from the platform and where each value came from, for `portlease doctor`. */
export interface PlatformReport {
  /** The OS whose semantics apply (process.platform). */
  os: NodeJS.Platform;
  /** Addresses probed when no `hosts` option is given, and why those. */
  probeHosts: { hosts: readonly string[]; why: string };
  /** The ephemeral range; `source` names the file or command, or the default and why it was used. */
  ephemeral: EphemeralRange;
  /** Ports the OS refuses to bind (Windows' excluded ranges), never handed out; `source` as above. */
  excluded: { ranges: readonly (readonly [number, number])[]; count: number; source: string };
  /** How owners prove they are alive, and where. */
  liveness: string;
}

/**
 * The platform-dependent values the core uses, each with its source, read once per process (the
 * same values leases use). `portlease doctor` prints one line per field.
 *
 * @example
 * ```ts
 * const report = platformReport();
 * console.log(`ephemeral range ${report.ephemeral.min}-${report.ephemeral.max} (${report.ephemeral.source})`);
 * // ephemeral range 49152-65535 (IANA default (49152-65535): `sysctl` was not found on PATH)
 * ```
 */
export function platformReport(): PlatformReport {
  const platform = platformFacts();
  const excluded = osExcludedPorts();
  const liveness =
    platform.oracle === 'abstract'
      ? 'abstract unix socket per owner, scoped to the network namespace (kernel-released)'
      : platform.oracle === 'pipe'
        ? 'named pipe per owner (kernel-released)'
        : `socket file per owner in ${ownerSocketDir()} (kernel-released; stale files of dead owners are removed)`;
  return {
    os: platform.os,
    probeHosts: { hosts: defaultProbeHosts(platform), why: probeHostsReason(platform) },
    ephemeral: ephemeralRange(),
    excluded: { ranges: excluded.ranges, count: excluded.ports.size, source: excluded.source },
    liveness,
  };
}
