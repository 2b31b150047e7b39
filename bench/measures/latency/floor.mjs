// The floor: the bare operations portlease cannot avoid, with the same Node APIs, in the same order
// and in the same lock directory. One `allocate()` is:
//   stage    mkdir of a staging directory + exclusive create, write and close of a ~350-byte record
//   publish  rename of the staged directory onto the port's name
//   probe    the listens + closes a real lease of the measured build makes (trace.mjs: today
//            '::', '0.0.0.0', '127.0.0.1', '::1'), one after another
// and its `release()` is an unlink of the record + rmdir of the port's directory. Also timed apart:
//   probe1   one dual-stack listen + close on '::'
//   probe4   listen + close on '::', '0.0.0.0', '127.0.0.1', '::1'
//   bindZero one listen on port 0 + close (what get-port's getPort() does)
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmdirSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { listenClose, PROBE_HOSTS } from '../../shared/net.mjs';

/** listen + close with a lease's own listen options; resolves when closed (or failed). */
function listenLike(port, options) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen({ ...options, port }, () => server.close(() => resolve(true)));
  });
}

function bindZero() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0 }, () => server.close(() => resolve()));
  });
}

/**
 * An allocator-shaped floor over the ports of `range` (a free zone), and `dispose()` to remove its
 * directory. `allocate()` resolves to `{ port, release, parts }`, parts being the timings above (ms).
 * `parent`: where to work, inside the lock directory portlease is measured in (same filesystem, and
 * on ext4 the same block group: a fresh directory elsewhere can be faster or slower). `probes`: the
 * listens of one lease (trace.mjs).
 */
export function createFloor(range, parent, probes) {
  const root = mkdtempSync(join(parent, 'floor-'));
  const staging = join(root, 'staging');
  mkdirSync(staging);
  const body = JSON.stringify({
    v: 1,
    owner: 'bench floor',
    ownerId: randomBytes(12).toString('hex'),
    token: randomBytes(20).toString('hex'),
    pid: process.pid,
    threadId: 0,
    hostname: 'host',
    uid: 0,
    created: Date.now(),
    command: 'bench/measures/latency/floor.mjs '.repeat(6),
  });
  const [min, max] = range;
  let next = 0;

  async function allocate() {
    const port = min + (next++ % (max - min + 1));
    const token = randomBytes(20).toString('hex');
    const staged = join(staging, token);
    const portDir = join(root, String(port));
    const t0 = performance.now();
    mkdirSync(staged, { mode: 0o700 });
    const fd = openSync(join(staged, token), 'wx', 0o600);
    writeSync(fd, body);
    closeSync(fd);
    const t1 = performance.now();
    renameSync(staged, portDir);
    const t2 = performance.now();
    for (const options of probes) await listenLike(port, options);
    const t3 = performance.now();
    const parts = { stage: t1 - t0, publish: t2 - t1, probe: t3 - t2 };
    return {
      port,
      parts,
      async release() {
        const t4 = performance.now();
        unlinkSync(join(portDir, token));
        rmdirSync(portDir);
        const t5 = performance.now();
        await listenClose(port, '::');
        const t6 = performance.now();
        for (const host of PROBE_HOSTS) await listenClose(port, host);
        const t7 = performance.now();
        await bindZero();
        parts.release = t5 - t4;
        parts.probe1 = t6 - t5;
        parts.probe4 = t7 - t6;
        parts.bindZero = performance.now() - t7;
      },
    };
  }
  return { allocate, dispose: () => rmSync(root, { recursive: true, force: true }) };
}
