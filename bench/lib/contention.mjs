// Item 1 of the bench: failures under contention. N worker processes start together, each takes M
// ports and binds each like a server starting up; this harness collects what every worker held and
// when, and counts bind failures and duplicate handouts among live holders.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkChild } from './fork.mjs';

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

/** Records a lock directory still holds (should be none once every worker has released). */
function recordsLeft(lockDir) {
  let count = 0;
  for (const scope of readdirSync(lockDir)) {
    for (const entry of readdirSync(join(lockDir, scope))) {
      count += entry === '.staging' ? readdirSync(join(lockDir, scope, entry)).length : 1;
    }
  }
  return count;
}

/** A run that takes longer than this is abandoned (its workers killed) and reported as an error. */
const TIMEOUT_MS = 180_000;

/**
 * One contention run of one library: `workers` processes × `ports` ports each.
 * Resolves to counts, the allocation latencies of every worker, and the wall time.
 */
export async function runContention({ lib, workers, ports, base, hold = 300, maxDelay = 100 }) {
  const lockDir = mkdtempSync(join(tmpdir(), 'pl-bench-contention-'));
  try {
    const config = { lib, ports, base, lockDir, hold, maxDelay };
    const children = Array.from({ length: workers }, () =>
      forkChild('contention-worker.mjs', config, { env: { PORTLEASE_DIR: lockDir } }),
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
      recordsLeft: lib === 'portlease' ? recordsLeft(lockDir) : 0,
      latencies,
      wall,
    };
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
