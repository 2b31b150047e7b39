// Section 6 of RESULTS.md: whole processes (measures/process).
import { fmtMs, fmtRatio } from '../format.mjs';
import { header, row } from '../table.mjs';

/** One row per case: wall, over a bare node, the child's own import and first-call times. */
export function processSection(p) {
  const node = p.byCase.node.wallMs;
  const lines = [
    `${p.rounds} rounds; each a bare \`node\`, then every portlease case beside its get-port pair in alternating order. Wall is from spawn to exit; import and first call are timed inside the child.`,
    '',
    header(['process', 'wall (median)', 'over a bare node', 'import', 'first call', 'vs get-port (paired)']),
  ];
  for (const [name, c] of Object.entries(p.byCase)) {
    const r = p.ratios[name];
    lines.push(
      row([
        name,
        fmtMs(c.wallMs),
        name === 'node' ? '–' : `+${fmtMs(c.wallMs - node)}`,
        name === 'node' ? '–' : fmtMs(c.importMs),
        name.endsWith('lease') ? fmtMs(c.callMs) : '–',
        r
          ? `${fmtRatio(r.wallRatio)} wall; import ${r.importExtraMs >= 0 ? '+' : ''}${fmtMs(r.importExtraMs)}`
          : '–',
      ]),
    );
  }
  return lines.join('\n');
}

/** Issue 25's whole-process targets, as [target, measured, verdict] rows. */
export function processTargets(p, mark) {
  const rows = [];
  for (const name of ['portlease lease', 'portlease/get-port lease']) {
    const r = p.ratios[name];
    if (!r) continue;
    rows.push([
      `one-shot process, ${name.replace(' lease', '')}: import + one lease + release ≤ 1.05× get-port's wall`,
      `${fmtMs(p.byCase[name].wallMs)} vs ${fmtMs(p.byCase[r.vs].wallMs)}: ${fmtRatio(r.wallRatio)}`,
      mark(r.wallRatio <= 1.05),
    ]);
  }
  const r = p.ratios['portlease import'];
  if (r)
    rows.push([
      "`import('portlease')` ≤ get-port's + 2 ms",
      `${fmtMs(p.byCase['portlease import'].importMs)} vs ${fmtMs(p.byCase['get-port import'].importMs)}: ${r.importExtraMs >= 0 ? '+' : ''}${fmtMs(r.importExtraMs)} (paired)`,
      mark(r.importExtraMs <= 2),
    ]);
  const cold = p.byCase['portlease/get-port lease'];
  if (cold)
    rows.push([
      "drop-in's first call in a fresh process (cold), beside get-port's",
      `${fmtMs(cold.callMs)} vs ${fmtMs(p.byCase['get-port lease'].callMs)}`,
      'no target',
    ]);
  return rows;
}
