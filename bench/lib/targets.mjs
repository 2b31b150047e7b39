// The targets portlease is held to, checked against this run's figures. Never asserted: the report
// says where portlease stands, met or missed.
import { fmtMs, fmtRatio } from './stats.mjs';

const mark = (ok) => (ok === undefined ? 'not measured' : ok ? 'met' : '**missed**');

/** Rows [target, measured, verdict] for the targets of the bench issue. */
export function evaluateTargets(agg, meta) {
  const rows = [];
  if (agg.contention) {
    const scales = meta.scales.map(([w, p]) => `${w}x${p}`);
    const cells = scales.map((s) => agg.contention.portlease?.[s]);
    const worst = Math.max(...cells.map((c) => (c ? c.failures.max + c.duplicates.max : Number.NaN)));
    const own = Math.max(
      ...cells.map((c) => (c ? c.failures.max - c.foreign.max + c.duplicates.max : Number.NaN)),
    );
    const measured = scales
      .map((s, i) => {
        const c = cells[i];
        if (!c) return `${s.replace('x', '×')}: –`;
        const foreign = c.foreign.max
          ? ` (${c.foreign.max} on a port no worker had been handed: another program on this host)`
          : '';
        return `${s.replace('x', '×')}: ${c.failures.max} failed${foreign}, ${c.duplicates.max} duplicates`;
      })
      .join('; ');
    let verdict = mark(Number.isFinite(worst) ? worst === 0 : undefined);
    if (worst > 0 && own === 0) verdict = 'met between portlease users; **missed** against outside programs';
    rows.push(['zero failures at every scale (worst repeat)', measured, verdict]);
  }
  if (agg.latency) {
    const pl = agg.latency.bySubject.portlease;
    const gp = agg.latency.bySubject['get-port'];
    if (pl && gp) {
      rows.push([
        "p50 at or below get-port's (one process)",
        `${fmtMs(pl.p50.median)} vs ${fmtMs(gp.p50.median)}: ${fmtRatio(pl.vsGetPort.median)} (CPU per call ${fmtRatio(pl.cpuVsGetPort.median)})`,
        mark(pl.vsGetPort.median <= 1),
      ]);
    }
    if (agg.contention && meta.scales.length) {
      const [w, p] = meta.scales[Math.min(1, meta.scales.length - 1)];
      const a = agg.contention.portlease?.[`${w}x${p}`];
      const b = agg.contention['get-port']?.[`${w}x${p}`];
      if (a && b) {
        rows.push([
          `p50 at or below get-port's (under contention, ${w}×${p})`,
          `${fmtMs(a.p50.median)} vs ${fmtMs(b.p50.median)}: ${fmtRatio(a.p50.median / b.p50.median)}`,
          mark(a.p50.median <= b.p50.median),
        ]);
      }
    }
    const tmpfs = agg.latency.bySubject['portlease-tmpfs'];
    for (const [where, s, floor] of [
      [`lock directory in ${meta.machine.lockDirFs ?? 'os.tmpdir()'}`, pl, 'floor'],
      ['lock directory on tmpfs', tmpfs, 'floor-tmpfs'],
    ]) {
      if (!s) continue;
      rows.push([
        `within 2× the floor (${where})`,
        `${fmtMs(s.p50.median)} vs floor ${fmtMs(agg.latency.bySubject[floor]?.p50.median)}: ${fmtRatio(s.vsFloor.median)} (CPU per call ${fmtRatio(s.cpuVsFloor.median)})`,
        mark(s.vsFloor.median <= 2),
      ]);
    }
  }
  if (agg.scale) {
    const big = Object.keys(agg.scale)
      .map(Number)
      .sort((a, b) => b - a)[0];
    const s = agg.scale[String(big)];
    rows.push([
      `${big.toLocaleString('en-US')} live leases cost no more than 1.5× an empty directory`,
      `p50 ${fmtRatio(s.vsEmpty.median)} (${fmtRatio(s.vsEmpty.min)}–${fmtRatio(s.vsEmpty.max)}) of the empty directory's; CPU per lease + release ${fmtRatio(s.cpuVsEmpty.median)}`,
      mark(s.vsEmpty.median <= 1.5),
    ]);
  }
  if (agg.crash) {
    const c = agg.crash;
    rows.push([
      'crash recovery at the next allocation (no TTL)',
      `ports leasable ${fmtMs(c.recoveredMs.median)} after SIGKILL (worst ${fmtMs(c.recoveredMs.max)}); exit seen after ${fmtMs(c.exitSeenMs.median)}`,
      mark(c.heldBefore && c.recoveredMs.max < 1000),
    ]);
  }
  return rows;
}

/** The targets as a markdown table. */
export function targetsTable(rows) {
  return ['| target | this run | |', '| --- | --- | --- |', ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );
}
