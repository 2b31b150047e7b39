import { accessSync, constants, lstatSync } from 'node:fs';
import type { PortleaseError } from '../errors.js';
import { resolveOptions } from '../options/resolve.js';
import { parseRange } from '../options/schema.js';
import { chooseDefaultLockDir, filesystemOf } from '../platform/default-lock-dir.js';
import { nodeSupport } from '../platform/node-line.js';
import { ephemeralRange, reservedPorts, UNSAFE_PORTS } from '../platform/ports.js';
import { ensureLockDir } from '../store/lock-dir.js';
import { otherUsersLockDirs } from '../store/other-users.js';
import { has, lockDirOption, parseCommand, text } from './args.js';
import { DOCTOR_HELP } from './help.js';
import { platformReport } from './platform-report.js';

/**
 * `portlease doctor [--json]`: the lock directory and its safety checks, the ephemeral range, the
 * effective range and the probe addresses, and whether the running Node is inside `engines` (a
 * warning, not a failure: it may still work). Exits 1 if something would stop leasing.
 */
export async function doctor(args: string[]): Promise<number> {
  const parsed = parseCommand(args, {
    'lock-dir': { type: 'string' },
    range: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (parsed.help) {
    process.stdout.write(DOCTOR_HELP);
    return 0;
  }
  const { lockDir } = lockDirOption(parsed);
  const range = text(parsed, 'range');
  const node = nodeSupport();
  const report: Record<string, unknown> = {
    node: process.version,
    nodeSupport: `${node.status} (${node.text})`,
    platform: process.platform,
  };
  let ok = true;
  try {
    // --range is passed as the range option, not as PORTLEASE_RANGE, so its errors name --range.
    const options = resolveOptions({
      ...(lockDir === undefined ? {} : { lockDir }),
      ...(range === undefined ? {} : { range: parseRange(range, '--range') }),
    });
    report.lockDir = options.lockDir;
    if (lockDir) report.lockDirSource = '--lock-dir';
    else if (process.env.PORTLEASE_DIR) report.lockDirSource = 'PORTLEASE_DIR';
    else {
      const choice = chooseDefaultLockDir();
      report.lockDirSource = `default (${choice.source})`;
      if (choice.shmSkipped) report.lockDirNote = `/dev/shm not used: ${choice.shmSkipped}`;
    }
    try {
      const paths = ensureLockDir(options.lockDir);
      const stats = lstatSync(paths.root);
      accessSync(paths.staging, constants.W_OK);
      report.lockDirCheck = `ok (directory, owner uid ${stats.uid}, mode ${(stats.mode & 0o777).toString(8)}, writable)`;
      report.scope = paths.scope;
      const fs = filesystemOf(paths.root);
      // statfs names filesystems on Linux only; elsewhere the type says nothing about the cost.
      if (process.platform === 'linux' && fs.memory) {
        report.filesystem = `${fs.type} (memory: a lease costs about what get-port costs)`;
      } else if (process.platform === 'linux' && !fs.type.startsWith('0x') && fs.type !== 'unknown') {
        report.filesystem = `${fs.type} (disk): every lease is several journaled metadata writes, about 10x slower than on a tmpfs; point PORTLEASE_DIR at a directory on a tmpfs (e.g. /dev/shm/portlease-shared, mode 0700) shared by every process that must coordinate`;
      } else report.filesystem = fs.type;
    } catch (error) {
      ok = false;
      report.lockDirCheck = `FAILED: ${(error as Error).message}`;
    }
    const others = otherUsersLockDirs(chooseDefaultLockDir().path);
    if (others.length) {
      report.otherUsers = others;
      report.otherUsersNote = `other users of this host lease ports too (${others.map((o) => `uid ${o.uid}: ${o.path}`).join(', ')}); portlease is not coordinated across users, so a port leased by one can be leased by another (the probe still skips ports they listen on). Run every process that must coordinate as one user, or give them one PORTLEASE_DIR owned by that user.`;
    }
    const ephemeral = ephemeralRange();
    report.ephemeralRange = `${ephemeral.min}-${ephemeral.max} (${ephemeral.source})`;
    report.effectiveRange = `${options.min}-${options.max} (${range ? '--range' : process.env.PORTLEASE_RANGE ? 'PORTLEASE_RANGE' : 'default'})`;
    let excluded = 0;
    for (let port = options.min; port <= options.max; port++) if (options.excluded.has(port)) excluded++;
    report.candidates = `${options.max - options.min + 1 - excluded} ports (${excluded} excluded: browser-unsafe ${UNSAFE_PORTS.size} known, reserved ${reservedPorts().size})`;
    if (options.max >= ephemeral.min && options.min <= ephemeral.max) {
      report.warning = 'the range overlaps the ephemeral range: outgoing connections may take its ports';
    }
  } catch (error) {
    ok = false;
    report.options = `FAILED: ${(error as PortleaseError).message}`;
  }
  const platform = platformReport();
  report.probeHosts = `${platform.probeHosts.hosts.join(', ')} (${platform.probeHosts.why})`;
  if (platform.excluded.count > 0 || platform.os === 'win32') {
    report.osExcluded = `${platform.excluded.count} ports the OS refuses to bind, never handed out (${platform.excluded.source})`;
  }
  report.liveness = platform.liveness;
  if (has(parsed, 'json')) process.stdout.write(`${JSON.stringify({ ok, ...report }, null, 2)}\n`);
  else {
    for (const [key, value] of Object.entries(report)) {
      if (key === 'otherUsers') continue; // Named in otherUsersNote.
      process.stdout.write(
        `${key.padEnd(15)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}\n`,
      );
    }
    process.stdout.write(ok ? 'all good\n' : 'problems found (see FAILED above)\n');
  }
  return ok ? 0 : 1;
}
