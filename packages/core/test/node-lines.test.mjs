// Processes on different Node lines sharing one lock directory. On Linux the liveness oracle is an
// abstract socket, and Node 20 pads abstract names to the whole sun_path while Node 22+ uses their
// exact length: two different names. A holder on one line must still look alive to a checker on the
// other, or the checker reclaims a live lease. The other lines are the binaries CI installs
// (PORTLEASE_NODE_LINES, colon-separated; else the cache .ci/run fills); skipped when there are none.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, fixture, reserveRange, tempLockDir } from './helpers.mjs';

function otherNodes() {
  const listed = (process.env.PORTLEASE_NODE_LINES ?? '').split(':').filter(Boolean);
  const cache = join(homedir(), '.cache', 'portlease-ci', 'node');
  const cached = existsSync(cache)
    ? readdirSync(cache).map((line) => join(cache, line, 'node_modules', 'node', 'bin', 'node'))
    : [];
  const mine = process.versions.node.split('.')[0];
  const byLine = new Map();
  for (const bin of [...listed, ...cached]) {
    if (!existsSync(bin)) continue;
    const version = spawnSync(bin, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    const line = version.split('.')[0];
    if (line && line !== mine && !byLine.has(line)) byLine.set(line, bin);
  }
  return [...byLine.values()];
}

const others = process.platform === 'linux' ? otherNodes() : [];
const skip =
  process.platform !== 'linux'
    ? 'the two abstract-name spellings exist on Linux only'
    : others.length === 0
      ? 'no other Node line installed (set PORTLEASE_NODE_LINES or run .ci/run)'
      : undefined;

function hold(bin, port, env) {
  const child = spawn(bin, [fixture('hold-one-port.mjs'), String(port)], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(JSON.parse(out));
    });
    child.once('exit', (code) => reject(new Error(`holder on ${bin} exited ${code}`)));
  });
  return { child, ready };
}

function attempt(bin, port, env) {
  const result = spawnSync(bin, [fixture('hold-one-port.mjs'), String(port), 'try'], {
    env,
    encoding: 'utf8',
  });
  return JSON.parse(result.stdout.trim() || `{"error":${JSON.stringify(result.stderr)}}`);
}

test('a live holder on one Node line is never reclaimed by a process on another line, either way', {
  skip,
}, async () => {
  for (const other of others) {
    for (const [holderBin, checkerBin] of [
      [process.execPath, other],
      [other, process.execPath],
    ]) {
      const [port] = await reserveRange(1);
      const env = { ...process.env, PORTLEASE_DIR: tempLockDir(), PORTLEASE_CORE: join(dist, 'index.js') };
      const holder = hold(holderBin, port, env);
      try {
        const held = await holder.ready;
        const seen = attempt(checkerBin, port, env);
        assert.equal(
          seen.code,
          'RANGE_EXHAUSTED',
          `Node ${seen.node} took the port Node ${held.node} holds: ${JSON.stringify(seen)}`,
        );
      } finally {
        holder.child.stdin.end();
        await new Promise((resolve) => holder.child.once('exit', resolve));
      }
      // Once the holder is gone, the other line leases the port at once.
      const after = attempt(checkerBin, port, env);
      assert.equal(after.got, port, JSON.stringify(after));
    }
  }
});
