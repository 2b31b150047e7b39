#!/usr/bin/env node
// The chaos run, by command (the quick variant runs in packages/core/test/chaos.test.mjs):
//   node packages/core/chaos/run.mjs --minutes 10 [--processes 5] [--threads 2] [--ports 20]
//                                    [--split] [--json] [--host-network] [--verbose]
// Holder processes (each with worker threads) lease, bind and release ports at random while a killer
// sends SIGKILL, SIGTERM and SIGSTOP/SIGCONT. Prints the ledger's findings and exits 1 on any
// violation: a port held by two live owners, EADDRINUSE at a holder's bind, a port that stayed
// unleasable after its owner died, a holder crash, or lock-directory leftovers.
// By default the run happens in a private network namespace (`unshare --net`, as root or in a user
// namespace), so no other program on the machine can touch its ports; where that is refused (or with
// --host-network), it uses a port block reserved like the tests' own. --split is the ledger's control: holders are split across
// two lock directories, and violations are expected. Build the core first (pnpm --filter portlease build).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runChaos } from './engine.mjs';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string' },
    seconds: { type: 'string' },
    processes: { type: 'string', default: '5' },
    threads: { type: 'string', default: '2' },
    ports: { type: 'string', default: '20' },
    split: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'host-network': { type: 'boolean', default: false },
    inside: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  },
});
const seconds = values.seconds ? Number(values.seconds) : Number(values.minutes ?? '1') * 60;
if (!(seconds > 0)) {
  console.error('--minutes (or --seconds) must be a positive number');
  process.exit(2);
}
const say = values.json ? () => {} : (line) => console.log(line);

// Re-run this command inside a new network namespace with loopback up, if the system allows it.
if (!values['host-network'] && !values.inside && process.platform === 'linux') {
  const isRoot = process.getuid?.() === 0;
  const prefix = ['unshare', ...(isRoot ? [] : ['--user', '--map-root-user']), '--net'];
  const probe = spawnSync(prefix[0], [...prefix.slice(1), 'ip', 'link', 'set', 'lo', 'up'], {
    stdio: 'ignore',
  });
  if (probe.status === 0) {
    const self = fileURLToPath(import.meta.url);
    const script = 'ip link set lo up && exec "$0" "$@"';
    const args = [
      ...prefix.slice(1),
      'sh',
      '-c',
      script,
      process.execPath,
      self,
      '--inside',
      ...process.argv.slice(2),
    ];
    const child = spawnSync(prefix[0], args, { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  say('chaos: cannot create a network namespace here; using a reserved port block on the host network');
}

const size = Number(values.ports);
let range;
if (values.inside) {
  range = [20000, 20000 + size - 1]; // a private network: nothing else uses any port
} else {
  const { reserveRange } = await import('@portlease/test-harness');
  range = await reserveRange(size);
}
const lockDir = mkdtempSync(join(tmpdir(), 'pl-chaos-'));
const splitDir = values.split ? mkdtempSync(join(tmpdir(), 'pl-chaos-other-')) : undefined;
say(
  `chaos: ${seconds} s, ports ${range.join('-')}, lock directory ${lockDir}${values.inside ? ' (own network namespace)' : ''}`,
);
const started = Date.now();
const progress = setInterval(() => say(`… ${Math.round((Date.now() - started) / 1000)} s`), 60_000);
progress.unref();
const report = await runChaos({
  lockDir,
  splitDir,
  range,
  durationMs: seconds * 1000,
  processes: Number(values.processes),
  threads: Number(values.threads),
  log: values.verbose ? say : undefined,
});
clearInterval(progress);
report.isolated = values.inside;
if (values.json) {
  console.log(JSON.stringify(report));
} else {
  console.log(JSON.stringify(report.stats, null, 2));
  for (const [kind, list] of Object.entries(report.violations)) {
    console.log(`${kind}: ${list.length}`);
    for (const item of list.slice(0, 10)) console.log(`  ${JSON.stringify(item)}`);
  }
  console.log(report.ok ? 'OK: no violations' : 'FAILED');
}
if (report.ok || values.split) {
  rmSync(lockDir, { recursive: true, force: true });
  if (splitDir) rmSync(splitDir, { recursive: true, force: true });
} else say(`lock directory kept for inspection: ${lockDir}`);
process.exit(report.ok || values.split ? 0 : 1);
