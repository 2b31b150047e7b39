// Turns the raw per-repeat results of run.mjs into medians with spread (min–max over repeats) and the
// ratios the report shows: to get-port in the same run and to the floor.
import { rowOf } from '../shared/libraries.mjs';
import { spread } from '../shared/stats.mjs';

const pick = (runs, fn) => runs.map(fn).filter((v) => v !== undefined);

/** Per repeat, `field` of `run` over get-port's in the same repeat and scale (NaN without one). */
function contentionRatios(runs, cellRuns, field) {
  return spread(
    cellRuns.map((run) => {
      const ref = runs.find(
        (r) =>
          r.lib === 'get-port' &&
          r.repeat === run.repeat &&
          r.workers === run.workers &&
          r.ports === run.ports,
      );
      return ref?.[field] ? run[field] / ref[field] : Number.NaN;
    }),
  );
}

/**
 * { [lib]: { [scale "WxP"]: { attempts, failures, failurePct, duplicates, foreign, p50, p90, p99,
 * p50VsGetPort, p90VsGetPort, wall } } }; the ratios are paired per repeat.
 */
export function aggregateContention(contention) {
  const out = {};
  for (const run of contention.runs) {
    const scale = `${run.workers}x${run.ports}`;
    out[run.lib] ??= {};
    out[run.lib][scale] ??= { runs: [] };
    out[run.lib][scale].runs.push(run);
  }
  for (const byScale of Object.values(out)) {
    for (const [scale, cell] of Object.entries(byScale)) {
      const { runs } = cell;
      byScale[scale] = {
        attempts: runs[0].attempts,
        failures: spread(pick(runs, (r) => r.failures)),
        failurePct: spread(pick(runs, (r) => (100 * r.failures) / r.attempts)),
        duplicates: spread(pick(runs, (r) => r.duplicates)),
        foreign: spread(pick(runs, (r) => r.foreign)),
        foreignPorts: runs.flatMap((r) => r.foreignPorts ?? []),
        allocErrors: spread(pick(runs, (r) => r.allocErrors)),
        recordsLeft: Math.max(...runs.map((r) => r.recordsLeft)),
        p50: spread(pick(runs, (r) => r.p50)),
        p90: spread(pick(runs, (r) => r.p90)),
        p99: spread(pick(runs, (r) => r.p99)),
        p50VsGetPort: contentionRatios(contention.runs, runs, 'p50'),
        p90VsGetPort: contentionRatios(contention.runs, runs, 'p90'),
        wall: spread(pick(runs, (r) => r.wall)),
      };
    }
  }
  return out;
}

/** Ratio of `key`'s `field` to the reference subject's in each repeat (paired: same process, same minute). */
function pairedRatio(runs, key, refKey, field = 'p50') {
  return spread(
    runs.map((r) => {
      const ref = r.byKey[refKey]?.[field];
      return r.byKey[key] && ref ? r.byKey[key][field] / ref : Number.NaN;
    }),
  );
}

/** The floor a subject is compared with: the one measured in its lock directory. */
export function floorKeyOf(key) {
  if (key.startsWith('floor')) return key;
  let place = 'defaults';
  try {
    place = rowOf(key).lockDir ?? 'defaults';
  } catch {
    // A key of an older results.json: its lock directory is in its name.
  }
  return place === 'defaults' ? 'floor' : `floor-${place}`;
}

/**
 * Per subject: p50, p99, cold and release spreads, and p50 ratios to get-port and to the floor in its
 * lock directory; per floor, its parts and the hosts a lease probed.
 */
export function aggregateLatency(latency) {
  const runs = latency.runs;
  const keys = Object.keys(runs[0]?.byKey ?? {});
  const out = {};
  for (const key of keys) {
    const floor = key.startsWith('floor');
    const floorKey = floorKeyOf(key);
    out[key] = {
      p50: spread(pick(runs, (r) => r.byKey[key]?.p50)),
      p99: spread(pick(runs, (r) => r.byKey[key]?.p99)),
      coldMs: spread(pick(runs, (r) => r.byKey[key]?.coldMs)),
      release: spread(
        pick(runs, (r) => (floor ? r.byKey[key].parts.release?.p50 : r.byKey[key]?.release.p50)),
      ),
      n: runs[0].byKey[key]?.n ?? 0,
      vsGetPort: floor ? spread([]) : pairedRatio(runs, key, 'get-port'),
      vsFloor: floor ? spread([]) : pairedRatio(runs, key, floorKey),
      cpu: spread(pick(runs, (r) => r.byKey[key]?.cpuPerCall)),
      cpuVsGetPort: floor ? spread([]) : pairedRatio(runs, key, 'get-port', 'cpuPerCall'),
      cpuVsFloor: floor ? spread([]) : pairedRatio(runs, key, floorKey, 'cpuPerCall'),
    };
  }
  const floorParts = {};
  const probeHosts = {};
  const steps = {};
  for (const key of keys.filter((k) => k.startsWith('floor'))) {
    floorParts[key] = {};
    for (const name of Object.keys(runs[0].byKey[key].parts ?? {})) {
      floorParts[key][name] = spread(pick(runs, (r) => r.byKey[key]?.parts[name]?.p50));
    }
    probeHosts[key] = runs[0].byKey[key].probeHosts;
    steps[key] = runs[0].byKey[key].steps;
  }
  return { bySubject: out, floorParts, probeHosts, steps };
}

/** The empty directory's figure in one scale run: the mean of the segments before and after the holders. */
function empty(run, field) {
  const again = run.byCount['0 (again)']?.[field];
  return again === undefined ? run.byCount['0'][field] : (run.byCount['0'][field] + again) / 2;
}

/** Per live-lease count: p50/p99 spreads and the paired ratio of p50 to the empty directory's. */
export function aggregateScale(scale) {
  const runs = scale.runs;
  const out = {};
  for (const count of Object.keys(runs[0]?.byCount ?? {})) {
    out[count] = {
      p50: spread(pick(runs, (r) => r.byCount[count].p50)),
      p99: spread(pick(runs, (r) => r.byCount[count].p99)),
      n: runs[0].byCount[count].n,
      vsEmpty: spread(pick(runs, (r) => r.byCount[count].p50 / empty(r, 'p50'))),
      cpu: spread(pick(runs, (r) => r.byCount[count].cpuPerCall)),
      cpuVsEmpty: spread(pick(runs, (r) => r.byCount[count].cpuPerCall / empty(r, 'cpuPerCall'))),
      holdMs: spread(pick(runs, (r) => r.holdMs[count])),
    };
  }
  return out;
}

/** Spreads of the crash-recovery cycles. */
export function aggregateCrash(crash) {
  return {
    cycles: crash.runs.length,
    heldBefore: crash.runs.every((r) => r.heldBefore),
    size: crash.runs[0]?.size,
    recoveredMs: spread(crash.runs.map((r) => r.recoveredMs)),
    exitSeenMs: spread(crash.runs.map((r) => r.exitSeenMs)),
    failedAttempts: spread(crash.runs.map((r) => r.failedAttempts)),
  };
}

const has = (part) => part && (part.runs ? part.runs.length > 0 : Object.keys(part).length > 0);

/** Every measure's aggregate from the raw results (the run's, or a results.json's on --render). */
export function aggregateAll(raw) {
  return {
    contention: has(raw.contention) ? aggregateContention(raw.contention) : undefined,
    latency: has(raw.latency) ? aggregateLatency(raw.latency) : undefined,
    scale: has(raw.scale) ? aggregateScale(raw.scale) : undefined,
    batch: has(raw.batch) ? raw.batch : undefined,
    crash: has(raw.crash) ? aggregateCrash(raw.crash) : undefined,
    process: raw.process,
  };
}
