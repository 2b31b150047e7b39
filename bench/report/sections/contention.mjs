// RESULTS.md section 1: failures under contention, and the per-call latency inside the workers.
import { labelOf } from '../../shared/libraries.mjs';
import { fmtMs, fmtRatio } from '../format.mjs';
import { header, num, row } from '../table.mjs';

/** Failed binds and duplicates per library and scale, then the time per call. */
export function contentionSection(agg, meta) {
  const scales = meta.scales.map(([w, p]) => `${w}x${p}`);
  const lines = [
    header([
      'library',
      ...scales.map((s) => `${s.replace('x', ' × ')}: failed binds`),
      'duplicates (largest scale)',
    ]),
  ];
  for (const lib of meta.libs) {
    const byScale = agg[lib] ?? {};
    const cells = scales.map((s) => {
      const c = byScale[s];
      if (!c) return '–';
      return `${num(c.failures)} / ${c.attempts} (${c.failurePct.median.toFixed(c.failurePct.median < 1 && c.failurePct.median > 0 ? 2 : 0)} %)`;
    });
    const last = byScale[scales[scales.length - 1]];
    lines.push(row([labelOf(lib), ...cells, last ? num(last.duplicates) : '–']));
  }
  const notes = [];
  for (const lib of meta.libs) {
    for (const s of scales) {
      const c = agg[lib]?.[s];
      if (c?.foreign.max > 0) {
        notes.push(
          `${labelOf(lib)} ${s}: ${num(c.foreign)} of the failures (per repeat) were on ports no other worker of the run had been handed: another process bound them between the check and the bind (for the libraries that probe a preferred range, that can be another worker's probe) (port${c.foreignPorts.length > 1 ? 's' : ''} ${c.foreignPorts.join(', ')}).`,
        );
      }
      if (c?.allocErrors.max > 0)
        notes.push(
          `${labelOf(lib)} ${s}: ${num(c.allocErrors)} allocation calls threw (counted as failures).`,
        );
      if (c?.recordsLeft > 0)
        notes.push(
          `${labelOf(lib)} ${s}: ${c.recordsLeft} lock records were left after every worker released (a bug).`,
        );
    }
  }
  if (notes.length) lines.push('', ...notes.map((n) => `- ${n}`));
  lines.push(
    '',
    "Time per call inside the workers, and (in parentheses) p50 and p90 over get-port's in the same repeat and scale:",
    '',
    header(['library', ...scales.map((s) => `${s.replace('x', ' × ')}: p50 / p90 / p99 per call`)]),
  );
  for (const lib of meta.libs) {
    lines.push(
      row([
        labelOf(lib),
        ...scales.map((s) => {
          const c = agg[lib]?.[s];
          if (!c) return '–';
          const times = [c.p50, c.p90, c.p99].map((q) => fmtMs(q?.median));
          const vs =
            lib === 'get-port' || !c.p50VsGetPort
              ? ''
              : ` (${fmtRatio(c.p50VsGetPort.median)}, ${fmtRatio(c.p90VsGetPort.median)})`;
          return `${times.join(' / ')}${vs}`;
        }),
      ]),
    );
  }
  return lines.join('\n');
}
