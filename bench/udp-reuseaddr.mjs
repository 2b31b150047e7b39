#!/usr/bin/env node
// node-osc's collision in the small: 4 processes at once, each round each one takes a port with
// `getPort({ port: portNumbers(from, to) })`, binds a UDP socket on it with `reuseAddr: true` (as
// node-osc's Server does), sends itself tagged datagrams and counts the ones it receives from another
// process. get-port checks TCP only, and `reuseAddr` lets every process bind the same UDP port, so
// nothing fails: one process's server just receives the others' messages. The drop-in leases each port.
//   node bench/udp-reuseaddr.mjs [--rounds 20] [--from 3000] [--to 3500] [--processes 4]
// Prints one line per implementation: times two processes held one port at once, datagrams a
// process received from another, sockets that missed some of their own datagrams.
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    rounds: { type: 'string', default: '20' },
    from: { type: 'string', default: '3000' },
    to: { type: 'string', default: '3500' },
    processes: { type: 'string', default: '4' },
    start: { type: 'string' },
  },
});
const rounds = Number(values.rounds);
const from = Number(values.from);
const to = Number(values.to);
const MESSAGES = 20;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function child(impl) {
  const module = impl === 'get-port' ? await import('get-port') : await import('portlease/get-port');
  const { default: getPort, portNumbers, clearLockedPorts } = module;
  const me = String(process.pid);
  const results = [];
  // All processes start their rounds together, as parallel test suites do.
  await sleep(Math.max(0, Number(values.start) - Date.now()));
  for (let round = 0; round < rounds; round++) {
    const port = await getPort({ port: portNumbers(from, to) });
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    let foreign = 0;
    let own = 0;
    socket.on('message', (message) => {
      if (message.toString() === me) own++;
      else foreign++;
    });
    await new Promise((resolve) => socket.bind(port, '127.0.0.1', resolve));
    const bound = Date.now();
    for (let i = 0; i < MESSAGES; i++) {
      socket.send(me, port, '127.0.0.1');
      await sleep(5);
    }
    await sleep(100);
    socket.close();
    const closed = Date.now();
    clearLockedPorts();
    results.push({ port, own, foreign, bound, closed });
    await sleep(20);
  }
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

function runOne(impl, lockDir, start) {
  return new Promise((resolve, reject) => {
    const args = [fileURLToPath(import.meta.url), '--child', impl, '--rounds', String(rounds)];
    args.push('--from', String(from), '--to', String(to), '--start', String(start));
    const proc = spawn(process.execPath, args, {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.on('data', (chunk) => {
      out += chunk;
    });
    proc.once('error', reject);
    proc.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${impl} child exited ${code}`)),
    );
  });
}

async function main() {
  const count = Number(values.processes);
  for (const impl of ['get-port', 'portlease/get-port']) {
    const lockDir = mkdtempSync(join(tmpdir(), 'pl-bench-udp-'));
    try {
      const start = Date.now() + 1500;
      const all = await Promise.all(Array.from({ length: count }, () => runOne(impl, lockDir, start)));
      let foreign = 0;
      let starved = 0;
      for (const results of all) {
        for (const { own, foreign: theirs } of results) {
          foreign += theirs;
          if (own < MESSAGES) starved++;
        }
      }
      // Two processes bound to one port at once: their sockets' bound..closed intervals overlap.
      let shared = 0;
      for (let a = 0; a < all.length; a++) {
        for (let b = a + 1; b < all.length; b++) {
          for (const x of all[a]) {
            for (const y of all[b]) {
              if (x.port === y.port && x.bound < y.closed && y.bound < x.closed) shared++;
            }
          }
        }
      }
      console.log(
        `${impl.padEnd(18)} ${count} processes x ${rounds} rounds: times two processes held one port at once ${shared}, datagrams received from another process ${foreign}, sockets missing some of their own ${starved}/${count * rounds}`,
      );
    } finally {
      rmSync(lockDir, { recursive: true, force: true });
    }
  }
}

if (values.child) await child(values.child);
else await main();
