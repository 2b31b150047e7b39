// RESULTS.md sections 4–5: live leases in the lock directory, many ports at once, crash recovery.
import { labelOf } from '../../shared/libraries.mjs';
import { fmtMs, fmtSpreadMs } from '../format.mjs';
import { header, num, ratio, row } from '../table.mjs';

export function scaleSection(agg, meta) {
  const lines = [
    header([
      'live leases held by other processes',
      'p50 per leasePort',
      'p99',
      'p50 vs empty directory',
      'CPU per lease + release',
      'CPU vs empty directory',
      'time to lease the added ones (leasePorts)',
    ]),
  ];
  for (const [count, s] of Object.entries(agg)) {
    lines.push(
      row([
        count.startsWith('0') ? count : Number(count).toLocaleString('en-US'),
        fmtSpreadMs(s.p50),
        fmtMs(s.p99.median),
        ratio(s.vsEmpty),
        fmtMs(s.cpu.median),
        ratio(s.cpuVsEmpty),
        Number.isFinite(s.holdMs.median) ? fmtMs(s.holdMs.median) : '–',
      ]),
    );
  }
  lines.push(
    '',
    `One lock directory throughout, measured with 0 leases held, then 1 000, then 10 000 (holder processes add them with leasePorts), then 0 again after the holders exit; "empty directory" is the mean of the two 0 segments, so drift during the run shows as a gap between them. Range ${meta.scaleRange.join('–')} for holders and measured process alike: a candidate port is already held with probability held / range size.`,
  );
  return lines.join('\n');
}

export function batchSection(batch) {
  const counts = Object.keys(Object.values(batch)[0] ?? {});
  const usage = {
    portlease: 'leasePorts(n)',
    'get-port': 'getPort() n times',
    portfinder: 'getPortsPromise(n, { port: B })',
  };
  const lines = [header(['library', 'call', ...counts.map((n) => `n = ${n}: per call (per port)`)])];
  for (const [lib, byCount] of Object.entries(batch)) {
    lines.push(
      row([
        labelOf(lib),
        `\`${usage[lib] ?? ''}\``,
        ...counts.map((n) => `${fmtMs(byCount[n].p50)} (${fmtMs(byCount[n].p50 / Number(n))})`),
      ]),
    );
  }
  return lines.join('\n');
}

export function crashSection(agg) {
  return [
    header(['', 'median (min–max)']),
    row(['ports leasable again after SIGKILL of their holder', fmtSpreadMs(agg.recoveredMs)]),
    row(["the parent saw the holder's exit after", fmtSpreadMs(agg.exitSeenMs)]),
    row(['leasePort calls that failed (RANGE_EXHAUSTED) before that', num(agg.failedAttempts)]),
    '',
    `${agg.cycles} cycles; the victim held all ${agg.size} ports of its range (${agg.heldBefore ? 'checked: a leasePort on the range failed before the kill' : 'NOT confirmed before the kill'}).`,
  ].join('\n');
}
