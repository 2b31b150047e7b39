// RESULTS.md: machine, then one section per measure (sections/), then the targets with where
// portlease stands.
import { FEATURE_ROWS, LIBRARIES } from '../shared/libraries.mjs';
import { contentionSection } from './sections/contention.mjs';
import { latencySection } from './sections/latency.mjs';
import { processSection } from './sections/process.mjs';
import { batchSection, crashSection, scaleSection } from './sections/scale.mjs';
import { header, row } from './table.mjs';

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
    ...lockDirRows(meta),
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
    row(['portlease range', `default: ${meta.portleaseRange.join('–')} (below the ephemeral range)`]),
    '',
    'Each figure is the median over repeats, with the min–max over repeats in parentheses. The machine is shared: a load average above the core count means other work competed for the CPU during the run, which shows in the spread.',
  ].join('\n');
}

/** Where the lock directories were, and on what (older results.json: one line for os.tmpdir()). */
function lockDirRows(meta) {
  const d = meta.lockDirs;
  if (!d) return [row(['filesystem of the lock directories (os.tmpdir())', meta.machine.lockDirFs])];
  const rows = [
    row([
      'default lock directory (no lockDir, no PORTLEASE_DIR): the rows named plain "portlease"',
      `\`${d.defaults.path}\`, ${d.defaults.fs}`,
    ]),
    row(['lock directory of the "in os.tmpdir()" rows', `\`${d.disk.path}\`, ${d.disk.fs}`]),
  ];
  if (d.tmpfs)
    rows.push(row(['lock directory of the "on /dev/shm" rows', `\`${d.tmpfs.path}\`, ${d.tmpfs.fs}`]));
  return rows;
}

/** Every row measured and how it was called; the rows this build could not run, and why. */
function usageSection(meta) {
  const shown = new Set([...meta.libs, ...(meta.featureRows ?? [])]);
  const lines = [
    header(['library', 'called as']),
    ...[...LIBRARIES, ...FEATURE_ROWS]
      .filter((l) => shown.has(l.id))
      .map((l) => row([l.label, `\`${l.usage}\``])),
  ];
  const skipped = Object.entries(meta.skipped ?? {});
  if (skipped.length) {
    const label = (id) => [...LIBRARIES, ...FEATURE_ROWS].find((l) => l.id === id)?.label ?? id;
    lines.push('', 'Not measured, because this build of portlease does not offer it yet:', '');
    for (const [id, why] of skipped) lines.push(`- ${label(id)}: ${why}`);
  }
  return lines.join('\n');
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
    usageSection(meta),
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
  if (agg.process)
    parts.push('', '## 6. A whole process: import, one lease, exit', '', processSection(agg.process));
  for (const [title, body] of sections) parts.push('', `## ${title}`, '', body);
  return `${parts.join('\n')}\n`;
}
