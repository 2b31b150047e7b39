// What one lease + release of the measured build does, so the floor repeats it and the report shows
// it: the listens (host and options) and the filesystem calls, in order. Read by wrapping
// net.Server's listen and node:fs's functions for that one lease (a measurement, not a mock: every
// call still happens); `syncBuiltinESMExports` carries the wrappers to the core's ESM imports and
// back. The lease traced is the process's second in that directory: the first one also creates and
// verifies the directory, which later leases do not repeat.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { leasePort } from 'portlease';
import { PROBE_HOSTS } from '../../shared/net.mjs';

const FS_CALLS = Object.keys(fs).filter((name) => /Sync$/.test(name) && typeof fs[name] === 'function');

/** Runs `fn` with every listen and fs call recorded into `calls`; restores everything after. */
async function recording(calls, fn) {
  const listen = net.Server.prototype.listen;
  const originals = new Map(FS_CALLS.map((name) => [name, fs[name]]));
  net.Server.prototype.listen = function (...args) {
    const o = args[0];
    if (o && typeof o === 'object') {
      calls.push({ listen: { port: o.port, host: o.host, exclusive: o.exclusive, ipv6Only: o.ipv6Only } });
    }
    return listen.apply(this, args);
  };
  // Only the core's own calls: writeFileSync, say, calls openSync, writeSync and closeSync inside.
  let depth = 0;
  for (const [name, original] of originals) {
    fs[name] = function (...args) {
      if (depth === 0) calls.push({ fs: name });
      depth++;
      try {
        return original.apply(this, args);
      } finally {
        depth--;
      }
    };
  }
  syncBuiltinESMExports();
  try {
    return await fn();
  } finally {
    net.Server.prototype.listen = listen;
    for (const [name, original] of originals) fs[name] = original;
    syncBuiltinESMExports();
  }
}

/**
 * Traces one lease + release in `lockDir` (or the default directory). Returns `probes` (the listen
 * options used on the handed-out port; the four default hosts if none were seen) and `steps`, e.g.
 * `{ lease: ['mkdirSync', 'writeFileSync', 'renameSync', "listen '::'", …], release: [...] }`.
 */
export async function traceOneLease(lockDir) {
  const options = { owner: 'bench floor check', ...(lockDir ? { lockDir } : {}) };
  (await leasePort(options)).releaseSync();
  const leaseCalls = [];
  const releaseCalls = [];
  const lease = await recording(leaseCalls, () => leasePort(options));
  await recording(releaseCalls, () => lease.release());
  const mine = leaseCalls.filter((c) => c.listen?.port === lease.port).map(({ listen: { port, ...o } }) => o);
  const name = (c) =>
    c.fs ??
    `listen '${c.listen.host ?? ''}'${c.listen.port === lease.port ? '' : ` (port ${c.listen.port})`}`;
  return {
    probes: mine.length ? mine : PROBE_HOSTS.map((host) => ({ host, exclusive: true, ipv6Only: false })),
    steps: { lease: leaseCalls.map(name), release: releaseCalls.map(name) },
  };
}
