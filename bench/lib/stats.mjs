// Small statistics helpers: quantiles by linear interpolation, medians over repeats, formatting.

/** The q-quantile (0..1) of an ascending array, linearly interpolated; NaN when empty. */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** n, p50, p90, p99, min, max and mean of a list of numbers. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Median and min–max of one figure measured over several repeats. */
export function spread(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    runs: sorted.length,
  };
}

/** Formats a duration given in milliseconds with a unit that fits (µs below 1 ms). */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '–';
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "median (min–max)" of a spread, durations in ms. */
export function fmtSpreadMs(s) {
  if (!Number.isFinite(s.median)) return '–';
  if (s.runs < 2) return fmtMs(s.median);
  return `${fmtMs(s.median)} (${fmtMs(s.min)}–${fmtMs(s.max)})`;
}

/** A ratio such as "1.42×". */
export function fmtRatio(r) {
  if (!Number.isFinite(r)) return '–';
  return r >= 10 ? `${r.toFixed(0)}×` : `${r.toFixed(2)}×`;
}

/**
 * Milliseconds on CLOCK_MONOTONIC (sub-ms precision), one clock for every process on the host.
 * `performance.timeOrigin + performance.now()` is not: each process samples the wall clock and its
 * monotonic clock separately at start-up, so under load two processes' readings can disagree by more
 * than the gap between one worker's release and another's lease, and show an overlap that never was.
 */
export function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}
