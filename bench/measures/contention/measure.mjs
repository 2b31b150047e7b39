// Measure 1: failures under contention. N worker processes (worker.mjs) start together, each takes M
// ports and binds each like a server starting up; this harness collects what every worker held and
// when, and counts bind failures and duplicate handouts among live holders. portlease's rows run in
// their lock directory (lock-dirs.mjs): the defaults row sets nothing, the others PORTLEASE_DIR.
import { listLeases } from 'portlease';
import { forkChild } from '../../shared/fork.mjs';
import { isPortlease, rowOf } from '../../shared/libraries.mjs';
import { lockDirFor } from '../../shared/lock-dirs.mjs';

// What a lock directory holds, read through portlease's store (its build's dist/testing.js, not exported).
const { leftovers } = await import(new URL('./testing.js', import.meta.resolve('portlease')).href);

/**
 * Handouts of a port that some other handout of this run still held (from its handout until it
 * began to close and release it) at the moment it was handed out: the library gave out a port that was not free.
 */
export function findOverlaps(events) {
  const byPort = new Map();
  for (const e of events) {
    const list = byPort.get(e.port);
    if (list) list.push(e);
    else byPort.set(e.port, [e]);
  }
  let duplicates = 0;
  for (const list of byPort.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.gotAt - b.gotAt);
    let live = { heldUntil: Number.NEGATIVE_INFINITY };
    for (const e of list) {
      if (e.gotAt < live.heldUntil) {
        duplicates++;
        e.duplicate = live;
      }
      if (e.heldUntil > live.heldUntil) live = e;
    }
  }
  return duplicates;
}

/** Whether another handout of the same port was live at some point while `e` was. */
function overlapsAnother(e, events) {
  return events.some((o) => o !== e && o.port === e.port && o.gotAt < e.heldUntil && e.gotAt < o.heldUntil);
}

/**
 * Records the workers left behind (should be none once every worker has released): their records in
 * the lock directory (by pid: the default one is shared with every other portlease user on the host),
 * plus, in a private directory, anything left in staging.
 */
async function recordsLeft(place, pids) {
  const mine = (await listLeases({ lockDir: place.path })).filter((l) => pids.has(l.pid)).length;
  if (!place.lockDir) return mine;
  return mine + leftovers(place.path).filter((l) => l.kind === 'staged').length;
}

/** A run that takes longer than this is abandoned (its workers killed) and reported as an error. */
const TIMEOUT_MS = 180_000;

/**
 * One contention run of one library: `workers` processes × `ports` ports each.
 * Resolves to counts, the allocation latencies of every worker, and the wall time.
 */
export async function runContention({ lib, workers, ports, base, hold = 300, maxDelay = 100 }) {
  const row = rowOf(lib);
  const place = isPortlease(lib) ? lockDirFor(row.lockDir, 'contention') : undefined;
  try {
    const config = { adapter: row.adapter, ports, base, hold, maxDelay };
    const children = Array.from({ length: workers }, () =>
      forkChild(new URL('./worker.mjs', import.meta.url), config, { env: place?.env ?? {} }),
    );
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result after ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
    });
    let results;
    let wall;
    try {
      await Promise.race([Promise.all(children.map((c) => c.next('ready'))), timeout]);
      const started = performance.now();
      for (const c of children) c.child.send('go');
      results = await Promise.race([Promise.all(children.map((c) => c.next('done'))), timeout]);
      wall = performance.now() - started;
    } catch (error) {
      for (const c of children) c.child.kill('SIGKILL');
      throw error;
    } finally {
      clearTimeout(timer);
    }
    await Promise.all(children.map((c) => c.exited));

    const events = results.flatMap((r) => r.events);
    const latencies = results.flatMap((r) => r.latencies);
    const allocErrors = results.flatMap((r) => r.allocErrors);
    const duplicates = findOverlaps(events);
    const failed = events.filter((e) => e.error !== null);
    const inUse = failed.filter((e) => e.error === 'EADDRINUSE');
    return {
      lib,
      workers,
      ports,
      attempts: workers * ports,
      binds: events.length,
      failures: failed.length + allocErrors.length,
      eaddrinuse: inUse.length,
      // A failure on a port no other handout of this run held: someone outside the bench bound it.
      foreign: inUse.filter((e) => !overlapsAnother(e, events)).length,
      foreignPorts: inUse
        .filter((e) => !overlapsAnother(e, events))
        .map((e) => e.port)
        .slice(0, 10),
      otherBindErrors: [...new Set(failed.filter((e) => e.error !== 'EADDRINUSE').map((e) => e.error))],
      allocErrors: allocErrors.length,
      allocErrorSample: allocErrors[0],
      duplicates,
      // The first few, with the handout each overlapped, to tell a real double grant from noise.
      duplicateSamples: events
        .filter((e) => e.duplicate)
        .slice(0, 5)
        .map(({ duplicate: held, ...e }) => ({
          port: e.port,
          pid: e.pid,
          gotAt: e.gotAt,
          heldBy: held.pid,
          heldFrom: held.gotAt,
          heldUntil: held.heldUntil,
          overlapMs: held.heldUntil - e.gotAt,
        })),
      distinctPorts: new Set(events.map((e) => e.port)).size,
      recordsLeft: place ? await recordsLeft(place, new Set(children.map((c) => c.child.pid))) : 0,
      latencies,
      wall,
    };
  } finally {
    place?.dispose();
  }
}
