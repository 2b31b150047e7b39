// RESULTS.md: machine, then one table per measure, then the targets with where portlease stands.
import { LIBRARIES, labelOf } from './libraries.mjs';
import { fmtMs, fmtRatio, fmtSpreadMs } from './stats.mjs';

const row = (cells) => `| ${cells.join(' | ')} |`;
const header = (cells) => [row(cells), row(cells.map(() => '---'))].join('\n');
const num = (s, digits = 0) =>
  !Number.isFinite(s.median)
    ? '–'
    : s.runs > 1 && s.min !== s.max
      ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`
      : s.median.toFixed(digits);
const ratio = (s) =>
  !Number.isFinite(s.median)
    ? '–'
    : s.runs > 1
      ? `${fmtRatio(s.median)} (${fmtRatio(s.min)}–${fmtRatio(s.max)})`
      : fmtRatio(s.median);

function machineSection(meta) {
  const m = meta.machine;
  return [
    `Measured ${meta.date} with \`${meta.command}\` (${meta.mode} run, ${Math.round(meta.durationMs / 1000)} s).`,
    '',
    header(['machine', '']),
    row(['CPU', `${m.cpu} × ${m.cores} cores`]),
    row(['memory', `${m.memoryGiB} GiB`]),
    row(['OS', m.os]),
    row(['Node', m.node]),
    row(['ephemeral range', m.ephemeralRange]),
    row(['filesystem of the lock directories (os.tmpdir())', m.lockDirFs]),
    row([
      'load average (1/5/15 min) at start → end',
      `${m.loadStart.join(' / ')} → ${meta.loadEnd.join(' / ')}`,
    ]),
    row([
      '1-min load average after each measure',
      Object.entries(meta.loadAfter)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ]),
    row([
      'preferred range given to the peers',
      `${meta.base}–${meta.base + 100} (verified free at start; busy ports found: ${meta.zoneBusy.length ? meta.zoneBusy.join(', ') : 'none'})`,
    ]),
    row([
      'portlease range',
      `default: ${meta.portleaseRange.join('–')} (below the ephemeral range), a fresh lock directory per run`,
    ]),
    '',
    'Each figure is the median over repeats, with the min–max over repeats in parentheses. The machine is shared: a load average above the core count means other work competed for the CPU during the run, which shows in the spread.',
  ].join('\n');
}

function usageSection() {
  return [header(['library', 'called as']), ...LIBRARIES.map((l) => row([l.label, `\`${l.usage}\``]))].join(
    '\n',
  );
}

function contentionSection(agg, meta) {
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
  lines.push('', header(['library', ...scales.map((s) => `${s.replace('x', ' × ')}: p50 / p99 per call`)]));
  for (const lib of meta.libs) {
    lines.push(
      row([
        labelOf(lib),
        ...scales.map((s) => {
          const c = agg[lib]?.[s];
          return c ? `${fmtMs(c.p50.median)} / ${fmtMs(c.p99.median)}` : '–';
        }),
      ]),
    );
  }
  return lines.join('\n');
}

function latencySection(agg, meta) {
  const lines = [
    header([
      '',
      'p50 per call',
      'p99',
      'first call (cold)',
      'release p50',
      'p50 vs get-port',
      'p50 vs floor',
      'CPU per call',
      'CPU vs get-port',
      'CPU vs floor',
    ]),
  ];
  const extra = Object.keys(agg.bySubject).filter((k) => !k.startsWith('floor') && !meta.libs.includes(k));
  for (const key of [...meta.libs, 'floor', ...extra, 'floor-tmpfs']) {
    const s = agg.bySubject[key];
    if (!s) continue;
    const floorName = { floor: '**floor** (bare syscalls)', 'floor-tmpfs': '**floor**, on tmpfs' };
    const name = floorName[key] ?? labelOf(key);
    lines.push(
      row([
        name,
        fmtSpreadMs(s.p50),
        fmtMs(s.p99.median),
        fmtMs(s.coldMs.median),
        fmtMs(s.release.median),
        key === 'get-port' ? '1×' : ratio(s.vsGetPort),
        ratio(s.vsFloor),
        fmtMs(s.cpu.median),
        key === 'get-port' ? '1×' : ratio(s.cpuVsGetPort),
        ratio(s.cpuVsFloor),
      ]),
    );
  }
  lines.push(
    '',
    `Samples per subject per repeat: ${agg.bySubject.portlease?.n ?? '–'} (fewer for a subject that used up its time budget). CPU per call is this process's user + system time during the call (getrusage), which other processes' load disturbs much less than wall time.`,
    '',
  );
  const names = {
    stage: 'mkdir + exclusive create, write (~350 B), close',
    publish: 'rename of the staged directory',
    probe: "listen + close on '::', '0.0.0.0', '127.0.0.1', '::1' (one after another)",
    release: 'unlink + rmdir (a release)',
    probe1: "one dual-stack listen + close on '::'",
    bindZero: "listen on port 0 + close (get-port's getPort())",
  };
  lines.push(header(['floor part', 'what', 'p50']));
  for (const [part, s] of Object.entries(agg.floorParts))
    lines.push(row([part, names[part] ?? '', fmtSpreadMs(s)]));
  return lines.join('\n');
}

function scaleSection(agg, meta) {
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

function batchSection(batch) {
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

function crashSection(agg) {
  return [
    header(['', 'median (min–max)']),
    row(['ports leasable again after SIGKILL of their holder', fmtSpreadMs(agg.recoveredMs)]),
    row(["the parent saw the holder's exit after", fmtSpreadMs(agg.exitSeenMs)]),
    row(['leasePort calls that failed (RANGE_EXHAUSTED) before that', num(agg.failedAttempts)]),
    '',
    `${agg.cycles} cycles; the victim held all ${agg.size} ports of its range (${agg.heldBefore ? 'checked: a leasePort on the range failed before the kill' : 'NOT confirmed before the kill'}).`,
  ].join('\n');
}

/** The whole RESULTS.md. `sections` holds prose blocks (targets, e2e, notes) from run.mjs. */
export function renderReport(agg, meta, sections) {
  const parts = [
    '# portlease benchmark results',
    '',
    machineSection(meta),
    '',
    '![chart](chart.svg)',
    '',
    '## Libraries and how they were called',
    '',
    usageSection(),
  ];
  if (agg.contention) {
    parts.push(
      '',
      `## 1. Failures under contention`,
      '',
      `N worker processes start together; each takes M ports one after another and binds each like a starting server after a random 0–${meta.maxDelay} ms delay, holding it ${meta.hold} ms. A failed bind is EADDRINUSE (or an allocation error); a duplicate is a handout of a port another worker still held.`,
      '',
      contentionSection(agg.contention, meta),
    );
  }
  if (agg.latency)
    parts.push(
      '',
      '## 2–3. Allocation latency in one process, and the floor',
      '',
      'Every library and the floor take turns in one fresh process (one call each per round, rotating order), each result released before the next call; ratios are paired per repeat.',
      '',
      latencySection(agg.latency, meta),
    );
  if (agg.scale)
    parts.push('', '## 4a. Scale: live leases in the lock directory', '', scaleSection(agg.scale, meta));
  if (agg.batch) parts.push('', '## 4b. Many ports at once', '', batchSection(agg.batch));
  if (agg.crash) parts.push('', '## 5. Crash recovery', '', crashSection(agg.crash));
  for (const [title, body] of sections) parts.push('', `## ${title}`, '', body);
  return `${parts.join('\n')}\n`;
}
