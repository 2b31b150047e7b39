// Sticky ports with the real Vitest CLI (4 and 5) and two fork workers, each run in a fresh copy of
// ./fixtures/sticky (a project of its own: the default sticky scope is its package.json directory):
// a second run of the same project gets the same sticky ports (run-wide `web`, each file's
// leasePort({ sticky })); another project directory gets others; a concurrent holder of a preferred
// port forces another and the run still passes; once it is gone the preferred port comes back.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
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

const { UNSAFE_PORTS } = await import('portlease');
const UNSAFE = new Set(UNSAFE_PORTS);
const NAMES = ['web', 'mail-one', 'mail-two'];

/**
 * The port a sticky name of the project `scope` prefers with no memo: the first 8 hex digits of
 * SHA-256(name NUL project) into the range (docs/protocol.md, "Sticky memos").
 */
function derivedPort(name, scope) {
  const hash = createHash('sha256').update(`${name}\0${scope}`).digest('hex');
  return range[0] + (Number.parseInt(hash.slice(0, 8), 16) % (range[1] - range[0] + 1));
}

/**
 * Whether the project `scope`'s names prefer distinct ports, none of them among `taken` or the unsafe
 * ports (which core skips for the next usable one).
 */
function distinct(scope, taken = []) {
  const derived = NAMES.map((name) => derivedPort(name, scope));
  const ports = [...derived, ...taken];
  return new Set(ports).size === ports.length && !derived.some((port) => UNSAFE.has(port));
}

/**
 * A project whose names prefer distinct ports (none among `taken`): two names may hash alike, and then
 * one gets another port, which is the rule but not what these tests are about.
 */
function project(version, taken = []) {
  // Bounded: a bug that makes every project look alike must fail here, not fill the disk.
  for (let tries = 0; tries < 200; tries++) {
    const dir = makeProject('sticky', version);
    if (distinct(realpathSync(dir), taken)) return dir;
  }
  throw new Error('no project copy among 200 derives distinct ports: is the range right?');
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
    assert.deepEqual(record.sticky, { web: 'web', mail: `mail-${name}` });
  }
  assert.equal(byName.one.ports.web, byName.two.ports.web);
  return { web: byName.one.ports.web, mailOne: byName.one.ports.mail, mailTwo: byName.two.ports.mail };
}

async function checkSticky(version) {
  const lockDir = tempDir('pl-lock-');
  const a = project(version);
  const first = await run(a, version, lockDir);
  const scope = realpathSync(a);
  assert.deepEqual(
    first,
    {
      web: derivedPort('web', scope),
      mailOne: derivedPort('mail-one', scope),
      mailTwo: derivedPort('mail-two', scope),
    },
    'with no memo, each name gets the port derived from it and the project directory',
  );
  assert.deepEqual(await run(a, version, lockDir), first, 'a second run of the same project');

  const other = await run(project(version, Object.values(first)), version, lockDir);
  for (const name of Object.keys(first))
    assert.notEqual(other[name], first[name], `another project: ${name}`);

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
  let n = 0;
  while (!distinct(`vitest-sticky-${version}-${process.pid}-${n}`)) n++;
  const shared = { PL_SCOPE: `vitest-sticky-${version}-${process.pid}-${n}` };
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
