// How the report writes durations and ratios.

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
