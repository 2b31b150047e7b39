import type * as Crypto from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { builtin } from './builtin.js';

const crypto = builtin<typeof Crypto>('node:crypto');

/** The kernel's CSPRNG device on Linux, macOS and the BSDs. */
const URANDOM = '/dev/urandom';

let urandomWorks = process.platform !== 'win32';

/**
 * Reads exactly `buffer.length` bytes from the kernel's CSPRNG into `buffer`; false (nothing
 * promised) when the device cannot be used here.
 */
function fromUrandom(buffer: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(URANDOM, 'r');
  } catch {
    return false;
  }
  try {
    // A regular file or anything else planted at the path is not a random source: only the device.
    if (!fstatSync(fd).isCharacterDevice()) return false;
    for (let filled = 0; filled < buffer.length; ) {
      const read = readSync(fd, buffer, filled, buffer.length - filled, null);
      if (read <= 0) return false;
      filled += read;
    }
    return true;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}

/**
 * `size` bytes from a cryptographically secure source: tokens and owner ids must be unguessable (an
 * owner's liveness socket name must not be predictable by another local user).
 *
 * Read from `/dev/urandom`, not `crypto.randomBytes`, on purpose: loading `node:crypto` (its
 * binding, ciphers, keys, webcrypto and the worker messaging they pull in) was the largest single
 * share of a one-shot process's `import('portlease')` + first lease, several ms, for 4 KB of random
 * bytes (bench/README.md, "Where a one-shot process's time goes"). `/dev/urandom` is the kernel CSPRNG
 * itself, the same generator `getrandom(2)` (which seeds OpenSSL, and so `crypto.randomBytes`, on
 * Linux) and `arc4random` (macOS, the BSDs) draw from (on Linux since 5.18 the very same bytes; before
 * that it differs only in not waiting for the pool's first seeding at boot, long past wherever a
 * test suite runs); it is checked to be the character device, not
 * whatever else might sit at the path. Where it cannot be opened or read (Windows, a sandbox without
 * /dev, out of descriptors) `crypto.randomBytes` is used, loaded then.
 */
export function secureRandomBytes(size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  if (urandomWorks && fromUrandom(buffer)) return buffer;
  // An unusable device stays unusable in this process; out of descriptors is passing, but then
  // randomBytes needs no descriptor, so falling back for good costs only the load of node:crypto.
  urandomWorks = false;
  return crypto().randomBytes(size);
}
