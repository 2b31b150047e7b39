// Small statistics helpers shared by the measures and the report: quantiles by linear interpolation,
// medians over repeats, and the one clock every process of a measure reads.

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

/**
 * Milliseconds on CLOCK_MONOTONIC (sub-ms precision), one clock for every process on the host.
 * `performance.timeOrigin + performance.now()` is not: each process samples the wall clock and its
 * monotonic clock separately at start-up, so under load two processes' readings can disagree by more
 * than the gap between one worker's release and another's lease, and show an overlap that never was.
 */
export function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}
