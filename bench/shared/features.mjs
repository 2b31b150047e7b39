// What the built portlease offers, found by trying it once, so rows for work that has not landed yet
// (the get-port drop-in, sticky leases, contiguous blocks) appear by themselves once it does.
// A feature the core does not know is either refused (INVALID_OPTIONS, ERR_PACKAGE_PATH_NOT_EXPORTED)
// or silently ignored; each check therefore looks at the effect, not only at the absence of an error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leasePort, leasePorts } from 'portlease';
import { hasTmpfs } from './lock-dirs.mjs';

/** `true`, or the reason the feature is not there (a string, shown in the report). */
async function check(fn) {
  try {
    return await fn();
  } catch (error) {
    return `${error?.code ? `[${error.code}] ` : ''}${String(error?.message ?? error).split('\n')[0]}`;
  }
}

async function dropIn() {
  let mod;
  try {
    mod = await import('portlease/get-port');
  } catch (error) {
    if (error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED')
      return 'this build does not export portlease/get-port';
    throw error;
  }
  if (typeof mod.default !== 'function' || typeof mod.clearLockedPorts !== 'function') {
    return 'portlease/get-port resolves but has no default getPort() and clearLockedPorts()';
  }
  return true;
}

/** A sticky key gets its port back: lease, release, lease again with the same key. */
async function sticky(lockDir) {
  const options = { lockDir, sticky: 'bench-feature-check' };
  const first = await leasePort(options);
  await first.release();
  const second = await leasePort(options);
  await second.release();
  return (
    second.port === first.port || 'leasePort ignores the sticky option (a second lease got another port)'
  );
}

/** A contiguous block is n consecutive ports. */
async function contiguous(lockDir) {
  const leases = await leasePorts(10, { lockDir, contiguous: true });
  const ports = leases.map((l) => l.port).sort((a, b) => a - b);
  for (const lease of leases) await lease.release();
  return (
    ports.every((p, i) => p === ports[0] + i) ||
    'leasePorts ignores the contiguous option (10 ports that are not consecutive)'
  );
}

/** `{ tmpfs, dropIn, sticky, contiguous }`: each `true` or why not. Checks in a private directory. */
export async function detectFeatures() {
  const lockDir = mkdtempSync(join(tmpdir(), 'pl-bench-features-'));
  try {
    return {
      tmpfs: hasTmpfs() || '/dev/shm is not a tmpfs here',
      dropIn: await check(dropIn),
      sticky: await check(() => sticky(lockDir)),
      contiguous: await check(() => contiguous(lockDir)),
    };
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
