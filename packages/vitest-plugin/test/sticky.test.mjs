// Sticky ports with the real Vitest CLI (4 and 5) and two fork workers, each run in a fresh copy of
// ./fixtures/sticky (a project of its own: the default sticky scope is its package.json directory):
// a second run of the same project gets the same sticky ports (run-wide `web`, each file's
// leasePort({ sticky })); another project directory gets others; a concurrent holder of a preferred
// port forces another and the run still passes; once it is gone the preferred port comes back.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, test } from 'node:test';
import {
  describeRun,
  leftovers,
  makeProject,
  readRecords,
  reserveRange,
  runVitest,
  tempDir,
} from './helpers.mjs';

// Wide, so that the few sticky names of two projects are unlikely to derive the same port.
const range = await reserveRange(300);

/**
 * Asserts two projects' ports differ name by name. One name may coincide: a port derived from another
 * project's name may be the same one (a preference, like any hash), but two in a range this wide mean
 * the project was not part of the key.
 */
function assertOtherPorts(other, first) {
  const same = Object.keys(first).filter((name) => other[name] === first[name]);
  assert.ok(
    same.length <= 1,
    `another project got the same ports for ${same.join(', ')}: ${JSON.stringify({ first, other })}`,
  );
}

/** One run of the project at `dir`: its sticky ports by name, after asserting the run passed. */
async function run(dir, version, lockDir, env = {}) {
  const outDir = tempDir('pl-out-');
  const result = await runVitest(dir, ['run'], {
    version,
    env: { ...env, PL_RANGE: JSON.stringify(range), PL_LOCK_DIR: lockDir, PL_OUT_DIR: outDir },
  });
  assert.equal(result.code, 0, describeRun(result));
  const byName = Object.fromEntries(readRecords(outDir).map((r) => [r.name, r]));
  assert.deepEqual(Object.keys(byName).sort(), ['one', 'two'], describeRun(result));
  for (const [name, record] of Object.entries(byName)) {
    assert.deepEqual(record.sticky, { api: null, web: 'web', mail: `mail-${name}`, extra: null });
  }
  assert.equal(byName.one.ports.web, byName.two.ports.web);
  return { web: byName.one.ports.web, mailOne: byName.one.ports.mail, mailTwo: byName.two.ports.mail };
}

async function checkSticky(version) {
  const lockDir = tempDir('pl-lock-');
  const a = makeProject('sticky', version);
  const first = await run(a, version, lockDir);
  assert.equal(new Set(Object.values(first)).size, 3, JSON.stringify(first));
  assert.deepEqual(await run(a, version, lockDir), first, 'a second run of the same project');

  const other = await run(makeProject('sticky', version), version, lockDir);
  assertOtherPorts(other, first);

  // web's port held in the same lock directory, file one's mail port bound by a plain listener.
  const { leasePort } = await import('portlease');
  const holder = await leasePort({ lockDir, range: [first.web, first.web], owner: 'holder' });
  const listener = createServer();
  await new Promise((resolve, reject) => listener.once('error', reject).listen(first.mailOne, resolve));
  try {
    const forced = await run(a, version, lockDir);
    assert.notEqual(forced.web, first.web);
    assert.notEqual(forced.mailOne, first.mailOne);
  } finally {
    await holder.release();
    await new Promise((resolve) => listener.close(resolve));
  }
  assert.deepEqual(await run(a, version, lockDir), first, 'the preferred ports come back once free');
  assert.deepEqual(await leftovers(lockDir), []);

  // One stickyScope in the plugin's options (also used by the fixtures' leasePort({ sticky })): two
  // directories are one project and share the ports.
  const shared = { PL_SCOPE: `vitest-sticky-${version}-${process.pid}` };
  assert.deepEqual(
    await run(makeProject('sticky', version), version, lockDir, shared),
    await run(makeProject('sticky', version), version, lockDir, shared),
    'one stickyScope',
  );
}

describe('@portlease/vitest sticky ports', () => {
  test('Vitest 4', { timeout: 600_000 }, () => checkSticky('v4'));
  test('Vitest 5', { timeout: 600_000 }, () => checkSticky('v5'));
});
