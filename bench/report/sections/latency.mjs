// RESULTS.md sections 2–3: latency in one process, and the floor in each lock directory.
import { labelOf } from '../../shared/libraries.mjs';
import { fmtMs, fmtSpreadMs } from '../format.mjs';
import { header, ratio, row } from '../table.mjs';

/** Every subject's latency against get-port and its floor, then the floor's parts. */
export function latencySection(agg, meta) {
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
  const floors = Object.keys(agg.bySubject).filter((k) => k.startsWith('floor'));
  const rest = Object.keys(agg.bySubject).filter((k) => !k.startsWith('floor') && !meta.libs.includes(k));
  for (const key of [...meta.libs, ...rest, ...floors]) {
    const s = agg.bySubject[key];
    if (!s) continue;
    const name = FLOOR_NAMES[key] ?? labelOf(key);
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
    `Samples per subject per repeat: ${agg.bySubject.portlease?.n ?? '–'} (fewer for a subject that used up its time budget). CPU per call is this process's user + system time during the call (getrusage), which other processes' load disturbs much less than wall time. Each portlease row is compared with the floor in its own lock directory; the rows in os.tmpdir() and on /dev/shm take the lockDir option (one process cannot hold one PORTLEASE_DIR per row).`,
    '',
  );
  lines.push(...floorPartsTable(agg));
  return lines.join('\n');
}

const FLOOR_NAMES = {
  floor: '**floor**, default lock directory',
  'floor-disk': '**floor**, in os.tmpdir()',
  'floor-tmpfs': '**floor**, on /dev/shm',
};

const PART_NAMES = {
  stage: 'mkdir + exclusive create, write (~350 B), close',
  publish: 'rename of the staged directory',
  probe: 'the listens + closes one lease of this build made (hosts below), one after another',
  release: 'unlink + rmdir (a release)',
  probe1: "one dual-stack listen + close on '::'",
  probe4: "listen + close on '::', '0.0.0.0', '127.0.0.1', '::1'",
  bindZero: "listen on port 0 + close (get-port's getPort())",
};

/** One column per floor (lock directory), one row per part; then the hosts a lease probed. */
function floorPartsTable(agg) {
  // An older results.json has the default floor's parts only, not keyed by floor.
  const byFloor = agg.floorParts.stage ? { floor: agg.floorParts } : agg.floorParts;
  const floors = Object.keys(byFloor);
  const parts = [...new Set(floors.flatMap((f) => Object.keys(byFloor[f])))];
  const lines = [
    header([
      'floor part',
      'what',
      ...floors.map((f) => (FLOOR_NAMES[f] ?? f).replace(/\*\*floor\*\*, /, '')),
    ]),
  ];
  for (const part of parts) {
    lines.push(
      row([part, PART_NAMES[part] ?? '', ...floors.map((f) => fmtSpreadMs(byFloor[f][part] ?? {}))]),
    );
  }
  const hosts = agg.probeHosts?.floor;
  if (hosts) {
    lines.push(
      '',
      `A lease of this build probed: ${hosts.map((h) => `\`${h ?? '(any address)'}\``).join(', ')}; the floor's probe part makes the same listens.`,
    );
  }
  const steps = agg.steps?.floor;
  if (steps) {
    const list = (calls) => (calls.length ? calls.map((c) => `\`${c}\``).join(', ') : 'nothing');
    lines.push(
      '',
      `What one lease + release of this build did, in the default lock directory (a process's second lease; traced): lease ${list(steps.lease)}; release ${list(steps.release)}. The floor: \`mkdirSync\`, \`openSync\`, \`writeSync\`, \`closeSync\`, \`renameSync\`, the same listens; release \`unlinkSync\`, \`rmdirSync\`. Where the two differ, the floor no longer is what a lease must do: update measures/latency/floor.mjs.`,
    );
  }
  return lines;
}
