#!/usr/bin/env node
// Demo: 8 processes lease 5 ports each from one lock directory at the same moment, bind them, and
// show they got distinct ports; `portlease list` shows who holds what; one process is SIGKILLed and
// its ports are leased again at once, with no TTL to wait out.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leasePorts } from '../dist/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'dist', 'cli.js');
const lockDir = mkdtempSync(join(tmpdir(), 'portlease-demo-'));
const env = { ...process.env, PORTLEASE_DIR: lockDir };
const PROCESSES = 8;
const PORTS_EACH = 5;

const worker = `
  import { createServer } from 'node:net';
  import { leasePorts } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
  const leases = await leasePorts(${PORTS_EACH}, { owner: 'demo worker ' + process.argv[1] });
  await Promise.all(leases.map((l) => new Promise((ok, fail) => createServer().once('error', fail).listen(l.port, ok))));
  console.log(JSON.stringify({ worker: process.argv[1], pid: process.pid, ports: leases.map((l) => l.port) }));
  // Hold until the demo closes our stdin, then exit (the exit hook releases the leases).
  process.stdin.on('end', () => process.exit(0)).resume();`;

const children = Array.from({ length: PROCESSES }, (_, i) =>
  spawn(process.execPath, ['--input-type=module', '-e', worker, String(i + 1)], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  }),
);
const reports = await Promise.all(
  children.map(
    (child) =>
      new Promise((resolve, reject) => {
        child.stdout.once('data', (data) => resolve(JSON.parse(String(data))));
        child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
      }),
  ),
);

console.log(`${PROCESSES} processes leased ${PORTS_EACH} ports each at the same time and bound them all:`);
for (const r of reports) console.log(`  worker ${r.worker} (pid ${r.pid}): ${r.ports.join(' ')}`);
const all = reports.flatMap((r) => r.ports);
const distinct = new Set(all).size;
console.log(`${all.length} ports, ${distinct} distinct, 0 EADDRINUSE\n`);

console.log('$ portlease list   (first lines)');
console.log(
  execFileSync(process.execPath, [cli, 'list'], { env, encoding: 'utf8' }).split('\n').slice(0, 7).join('\n'),
);

const victim = reports[0];
children[0].kill('SIGKILL');
await new Promise((resolve) => children[0].once('exit', resolve));
const range = [Math.min(...victim.ports), Math.max(...victim.ports)];
const again = await leasePorts(PORTS_EACH, {
  lockDir,
  range,
  exclude: all.filter((p) => !victim.ports.includes(p)),
});
console.log(
  `worker 1 was killed with SIGKILL; leasing its range right after gave: ${again.map((l) => l.port).join(' ')}`,
);
console.log('(recovered at the next allocation: the kernel released its liveness socket, no TTL)');

for (const lease of again) lease.releaseSync();
for (const child of children.slice(1)) child.stdin.end();
await Promise.all(children.slice(1).map((c) => new Promise((resolve) => c.once('exit', resolve))));
rmSync(lockDir, { recursive: true, force: true });
if (distinct !== all.length || again.length !== PORTS_EACH) process.exit(1);
