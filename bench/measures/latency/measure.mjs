// Measures 2–3: allocation latency of every library, of portlease in each lock directory (defaults,
// disk, tmpfs) and of the floor in each of those directories, all taking turns in one fresh process
// (child.mjs), so their ratios share the machine's noise.
import { forkChild } from '../../shared/fork.mjs';
import { isPortlease, rowOf } from '../../shared/libraries.mjs';
import { lockDirFor } from '../../shared/lock-dirs.mjs';
import { summarize } from '../../shared/stats.mjs';

/** The floor's key in each lock-directory place. */
export const FLOOR_KEYS = { defaults: 'floor', disk: 'floor-disk', tmpfs: 'floor-tmpfs' };

/**
 * Runs child.mjs over `subjects` ({ key, adapter, lockDir?, base? } or { key, floor, lockDir?, path,
 * range }) taking turns. Resolves to { [key]: { coldMs, p50, p99, …, release, parts, probeHosts? } }
 * with times in ms.
 */
export async function runLatency({ subjects, iterations, warmup, budgetMs }) {
  const child = forkChild(new URL('./child.mjs', import.meta.url), {
    subjects,
    iterations,
    warmup,
    budgetMs,
  });
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
      ...(r.probeHosts ? { probeHosts: r.probeHosts, steps: r.steps } : {}),
    };
  }
  return out;
}

/**
 * Every row of `libs` (and the feature rows in `extra`), plus the floor in each lock directory a
 * portlease row uses (always in the default one), in one process. `base`: the peers' preferred port;
 * `zone`: free ports for the floor's probes. The lockDir option stands for PORTLEASE_DIR here: one
 * process cannot have one environment per subject.
 */
export async function runLibraryLatency({ libs, extra = [], base, zone, iterations, warmup, budgetMs }) {
  const places = new Map();
  const placeOf = (name) => {
    if (!places.has(name)) places.set(name, lockDirFor(name, 'latency'));
    return places.get(name);
  };
  try {
    const subjects = [];
    for (const id of [...libs, ...extra]) {
      const row = rowOf(id);
      const lockDir = isPortlease(id) ? placeOf(row.lockDir).lockDir : undefined;
      subjects.push({ key: id, adapter: row.adapter, base, ...(lockDir ? { lockDir } : {}) });
    }
    placeOf('defaults');
    for (const [name, place] of places) {
      subjects.push({
        key: FLOOR_KEYS[name],
        floor: true,
        path: place.path,
        range: zone,
        ...(place.lockDir ? { lockDir: place.lockDir } : {}),
      });
    }
    return await runLatency({ subjects, iterations, warmup, budgetMs });
  } finally {
    for (const place of places.values()) place.dispose();
  }
}
