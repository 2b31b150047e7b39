// Markdown table cells for RESULTS.md.
import { fmtRatio } from './format.mjs';

export const row = (cells) => `| ${cells.join(' | ')} |`;
export const header = (cells) => [row(cells), row(cells.map(() => '---'))].join('\n');
export const num = (s, digits = 0) =>
  !Number.isFinite(s.median)
    ? '–'
    : s.runs > 1 && s.min !== s.max
      ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
      : s.median.toFixed(digits);
export const ratio = (s) =>
  !Number.isFinite(s.median)
    ? '–'
    : s.runs > 1
      ? `${fmtRatio(s.median)} (${fmtRatio(s.min)}–${fmtRatio(s.max)})`
      : fmtRatio(s.median);
