// Hand-written SVG chart for the README: failed binds under contention (per library and scale) and
// allocation latency in one process (p50, log scale, with the floor marked). No dependencies.
import { isPortlease, shortLabelOf } from '../shared/libraries.mjs';
import { floorKeyOf } from './aggregate.mjs';
import { fmtMs } from './format.mjs';

const COLORS = ['#9ecae1', '#4292c6', '#08519c', '#084081'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';
const escapeXml = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x, y, content, attrs = '') {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${escapeXml(content)}</text>`;
}

/** Panel 1: grouped horizontal bars, % of binds that failed, one bar per scale. */
function failurePanel(contention, libs, scales, top, width) {
  const left = 150;
  const plotW = width - left - 80;
  const barH = 9;
  const groupH = scales.length * barH + 12;
  const out = [
    text(
      20,
      top + 18,
      'Failed binds under contention (% of all binds, median of repeats)',
      `font-size="15" font-weight="600"`,
    ),
  ];
  let y = top + 34;
  scales.forEach((scale, i) => {
    out.push(
      `<rect x="${left + i * 175}" y="${y}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/>`,
    );
    out.push(
      text(left + i * 175 + 14, y + 9, `${scale.replace('x', ' workers × ')} ports`, 'font-size="11"'),
    );
  });
  y += 22;
  for (const lib of libs) {
    out.push(text(left - 8, y + groupH / 2, shortLabelOf(lib), 'font-size="12" text-anchor="end"'));
    scales.forEach((scale, i) => {
      const cell = contention[lib]?.[scale];
      const pct = cell ? cell.failurePct.median : Number.NaN;
      const by = y + i * barH;
      if (Number.isFinite(pct)) {
        const w = Math.max((pct / 100) * plotW, pct > 0 ? 1.5 : 0);
        out.push(
          `<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="${barH - 2}" fill="${COLORS[i % COLORS.length]}"/>`,
        );
        const label = pct === 0 ? '0 failures' : `${pct < 1 ? pct.toFixed(2) : pct.toFixed(0)} %`;
        const style =
          pct === 0 && isPortlease(lib)
            ? 'font-size="9" font-weight="600" fill="#d94801"'
            : 'font-size="9" fill="#333"';
        out.push(text(left + w + 4, by + barH - 2.5, label, style));
      }
    });
    y += groupH;
  }
  out.push(`<line x1="${left}" y1="${top + 50}" x2="${left}" y2="${y}" stroke="#999"/>`);
  return { svg: out.join('\n'), bottom: y + 10 };
}

/** Panel 2: p50 latency bars on a log axis from 10 µs to 100 ms, the floor as a dashed line. */
function latencyPanel(latency, libs, top, width) {
  const left = 150;
  const plotW = width - left - 80;
  const lo = Math.log10(0.01);
  const hi = Math.log10(100);
  const xOf = (ms) => left + ((Math.log10(Math.min(Math.max(ms, 0.01), 100)) - lo) / (hi - lo)) * plotW;
  const out = [
    text(
      20,
      top + 18,
      'Allocation latency, one process (p50 per call, log scale)',
      `font-size="15" font-weight="600"`,
    ),
  ];
  const barH = 16;
  let y = top + 48;
  const axisTop = y;
  for (const lib of libs) {
    const p50 = latency.bySubject[lib]?.p50.median;
    const label = shortLabelOf(lib);
    out.push(text(left - 8, y + 12, label, 'font-size="12" text-anchor="end"'));
    if (Number.isFinite(p50)) {
      const color = isPortlease(lib) ? '#d94801' : '#6baed6';
      out.push(
        `<rect x="${left}" y="${y}" width="${(xOf(p50) - left).toFixed(1)}" height="${barH}" fill="${color}"/>`,
      );
      // A row in another lock directory than the default gets its own floor marked on its bar.
      const floorKey = floorKeyOf(lib);
      const ownFloor = floorKey !== 'floor' ? latency.bySubject[floorKey]?.p50.median : undefined;
      const note = Number.isFinite(ownFloor) ? ` (its floor ${fmtMs(ownFloor)}, marked)` : '';
      out.push(text(xOf(p50) + 4, y + 12, `${fmtMs(p50)}${note}`, 'font-size="10" fill="#333"'));
      if (Number.isFinite(ownFloor)) {
        const fx = xOf(ownFloor).toFixed(1);
        out.push(
          `<line x1="${fx}" y1="${y - 2}" x2="${fx}" y2="${y + barH + 2}" stroke="#000" stroke-width="2"/>`,
        );
      }
    }
    y += barH + 6;
  }
  for (const ms of [0.01, 0.1, 1, 10, 100]) {
    const x = xOf(ms);
    out.push(`<line x1="${x.toFixed(1)}" y1="${axisTop - 4}" x2="${x.toFixed(1)}" y2="${y}" stroke="#ddd"/>`);
    const tick = ms < 1 ? `${Math.round(ms * 1000)} µs` : `${ms} ms`;
    out.push(text(x, y + 14, tick, 'font-size="10" text-anchor="middle" fill="#666"'));
  }
  const floor = latency.bySubject.floor?.p50.median;
  const probes = latency.probeHosts?.floor?.length ?? 4;
  if (Number.isFinite(floor)) {
    const x = xOf(floor);
    out.push(
      `<line x1="${x.toFixed(1)}" y1="${axisTop - 6}" x2="${x.toFixed(1)}" y2="${y}" stroke="#000" stroke-dasharray="4 3"/>`,
    );
    out.push(
      text(
        x + 4,
        axisTop - 8,
        `floor ${fmtMs(floor)} (default lock dir): mkdir + create + rename + ${probes} probe${probes === 1 ? '' : 's'}`,
        'font-size="10"',
      ),
    );
  }
  return { svg: out.join('\n'), bottom: y + 24 };
}

/** The whole chart as an SVG document. */
export function renderChart(agg, meta) {
  const width = 760;
  const libs = meta.libs;
  const scales = meta.scales.map(([w, p]) => `${w}x${p}`);
  const parts = [];
  let bottom = 0;
  if (agg.contention) {
    const panel = failurePanel(agg.contention, libs, scales, bottom, width);
    parts.push(panel.svg);
    bottom = panel.bottom;
  }
  if (agg.latency) {
    const extra = Object.keys(agg.latency.bySubject).filter(
      (k) => !k.startsWith('floor') && !libs.includes(k),
    );
    const panel = latencyPanel(agg.latency, [...libs, ...extra], bottom + 10, width);
    parts.push(panel.svg);
    bottom = panel.bottom;
  }
  const note = `${meta.machine.cpu}, ${meta.machine.cores} cores, Node ${meta.machine.node}; ${meta.mode} run, ${meta.date}`;
  parts.push(text(20, bottom + 6, note, 'font-size="10" fill="#666"'));
  const height = Math.ceil(bottom + 16);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
