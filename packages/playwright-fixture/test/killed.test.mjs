// A worker that dies by SIGKILL mid-test, holding its server port, an extra port and a running server:
// after the run nothing is held alive, its ports can be leased again, and its server died with it.
// The fixture project is CommonJS, with the run-wide port from leaseRunPortSync.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  core,
  eventually,
  fixture,
  isAlive,
  rangeText,
  reserveRange,
  runPlaywright,
  serverPids,
  tempDir,
} from './helpers.mjs';

test('a worker killed mid-run leaks neither its ports nor its server', { timeout: 120_000 }, async () => {
  const lockDir = tempDir();
  const out = tempDir();
  const pids = tempDir();
  const range = await reserveRange(20);
  const { code, output } = await runPlaywright(fixture('killed'), [], {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: rangeText(range),
    FIXTURE_OUT: out,
    FIXTURE_PIDS: pids,
    FIXTURE_OUTPUT_DIR: join(out, 'results'),
  });
  assert.notEqual(code, 0, output);
  assert.match(output, /SIGKILL/, output);
  assert.match(output, /1 passed/, output);

  const killed = JSON.parse(readFileSync(join(out, 'killed.json'), 'utf8'));
  const survivor = JSON.parse(readFileSync(join(out, 'survivor.json'), 'utf8'));
  assert.notEqual(killed.serverPort, survivor.serverPort);

  // The killed worker's server (and its supervisor) went down with the worker.
  assert.equal(serverPids(pids).length, 2);
  const servers = [...serverPids(pids), killed.supervisorPid];
  assert.ok(
    await eventually(() => servers.every((pid) => !isAlive(pid))),
    `a server outlived the run: ${servers}`,
  );

  // Nothing is held alive: not the killed worker's ports, nor the run port (its holder follows the
  // runner out within a second).
  const alive = async () => (await core.listLeases({ lockDir })).filter((lease) => lease.status === 'alive');
  assert.ok(await eventually(async () => (await alive()).length === 0), JSON.stringify(await alive()));
  for (const port of [killed.serverPort, killed.extraPort, survivor.runPort]) {
    const lease = await core.leasePort({ lockDir, range: [port, port], owner: 'after the kill' });
    assert.equal(lease.port, port);
    await lease.release();
  }
  // Leasing them again reclaimed the killed worker's records: the lock directory is empty.
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});
