// Items 2–4 of the bench, each run in fresh child processes: allocation latency of every library and
// of the floor in one process, latency with many live leases held by other processes, and n ports at
// once.
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forkChild } from './fork.mjs';
import { summarize } from './stats.mjs';

function tempLockDir(tag) {
  return mkdtempSync(join(tmpdir(), `pl-bench-${tag}-`));
}

/**
 * Runs latency-child.mjs over `subjects` ({ key, lib, lockDir?, range?, base? }) taking turns.
 * Resolves to { [key]: { coldMs, p50, p99, …, release, parts } } with times in ms.
 */
export async function runLatency({ subjects, iterations, warmup, budgetMs }) {
  const child = forkChild('latency-child.mjs', { subjects, iterations, warmup, budgetMs });
  const { results } = await child.next('done');
  await child.exited;
  const out = {};
  for (const r of results) {
    const parts = {};
    for (const [name, values] of Object.entries(r.parts)) parts[name] = summarize(values);
    out[r.key] = {
      coldMs: r.coldMs,
      cpuPerCall: r.cpuPerCall,
      ...summarize(r.samples),
      release: summarize(r.releases),
      parts,
    };
  }
  return out;
}

/**
 * Every library plus the floor, in one process. `base`: the peers' preferred port; `zone`: free ports
 * for the floor's probes. The floor works inside portlease's fresh lock directory.
 */
export async function runLibraryLatency({ libs, base, zone, iterations, warmup, budgetMs }) {
  const lockDir = tempLockDir('latency');
  // Where os.tmpdir() is on a disk, portlease is also measured with its lock directory on a tmpfs.
  const shm =
    libs.includes('portlease') && onDiskTmp() ? mkdtempSync('/dev/shm/pl-bench-latency-') : undefined;
  try {
    const subjects = libs.map((lib) => ({ key: lib, lib, base, lockDir }));
    subjects.push({ key: 'floor', lib: 'floor', range: zone, lockDir });
    if (shm) {
      subjects.push({ key: 'portlease-tmpfs', lib: 'portlease', lockDir: shm });
      subjects.push({ key: 'floor-tmpfs', lib: 'floor', range: zone, lockDir: shm });
    }
    return await runLatency({ subjects, iterations, warmup, budgetMs });
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
    if (shm) rmSync(shm, { recursive: true, force: true });
  }
}

const TMPFS = 0x01021994;
function onDiskTmp() {
  try {
    return statfsSync(tmpdir()).type !== TMPFS && statfsSync('/dev/shm').type === TMPFS;
  } catch {
    return false;
  }
}

/**
 * portlease's latency in one lock directory while other processes hold 0, 1 000, 10 000 leases there
 * (`counts`, ascending), then 0 again: the same directory throughout (on ext4 a directory's place on
 * disk alone can shift its mkdir cost), in the order 0 → … → max → 0, so drift shows as a gap
 * between the two empty-directory segments. Holders lease with leasePorts in the same range.
 */
export async function runScale({ counts, range, iterations, warmup }) {
  const lockDir = tempLockDir('scale');
  const holders = [];
  const child = forkChild('scale-child.mjs', { lockDir, range });
  const stopHolders = async () => {
    for (const h of holders) if (h.child.connected) h.child.disconnect();
    await Promise.all(holders.splice(0).map((h) => h.exited));
  };
  try {
    await child.next('ready');
    const measure = async () => {
      child.child.send({ type: 'measure', iterations, warmup });
      const { samples, cpuPerCall } = await child.next('measured');
      return { ...summarize(samples), cpuPerCall };
    };
    const byCount = {};
    const holdMs = {};
    let held = 0;
    for (const count of counts) {
      if (count > held) {
        const holder = forkChild('holder.mjs', { count: count - held, range, lockDir });
        holders.push(holder);
        holdMs[count] = (await holder.next('ready')).ms;
        held = count;
      }
      byCount[count] = await measure();
    }
    await stopHolders();
    byCount['0 (again)'] = await measure();
    return { byCount, holdMs };
  } finally {
    if (child.child.connected) child.child.send({ type: 'stop' });
    await child.exited;
    await stopHolders();
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Time of one call that yields `n` ports, for each n in `counts` (see batch-child.mjs). */
export async function runBatch({ lib, counts, repeats, base }) {
  const lockDir = tempLockDir('batch');
  try {
    const child = forkChild('batch-child.mjs', { lib, counts, repeats, base, lockDir });
    const { results } = await child.next('done');
    await child.exited;
    const out = {};
    for (const [n, samples] of Object.entries(results)) out[n] = summarize(samples);
    return out;
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}
