// What the results were measured on: printed at the top of RESULTS.md.
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';

const FS_TYPES = {
  61267: 'ext2/3/4',
  16914836: 'tmpfs',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  2035054128: 'overlayfs',
};

/** The filesystem type of `path`, e.g. "tmpfs (/dev/shm)". */
export function filesystemOf(path) {
  try {
    const { type } = statfsSync(path);
    return `${FS_TYPES[type] ?? `type 0x${type.toString(16)}`} (${path})`;
  } catch {
    return `unknown (${path})`;
  }
}

function read(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** CPU model, cores, memory, OS, Node version, the OS ephemeral range and the current load. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ephemeralRange: read('/proc/sys/net/ipv4/ip_local_port_range')?.replace(/\s+/, '-') ?? 'n/a',
    lockDirFs: filesystemOf(os.tmpdir()),
    loadStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** The 1, 5 and 15 minute load averages, rounded. */
export function loadAverage() {
  return os.loadavg().map((l) => Math.round(l * 100) / 100);
}
