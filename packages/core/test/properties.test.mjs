// Property-based tests (fast-check) of what portlease parses: ranges, options, and whatever it finds in
// a lock directory (record bodies, entry names, things of every file type). Records are only met the
// way the allocator meets them: as files in a real lock directory next to real live and dead owners.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { STAGING_DIR } from '@portlease/test-harness';
import fc from 'fast-check';
import { core, leftovers, reserveRange, scopeName, startAgent, tempDir } from './reliability/helpers.mjs';
import { expectedOptionsOutcome, optionsArbitrary } from './reliability/options-model.mjs';
import { makeShape, meetInChild, RECORD_SHAPES } from './reliability/record-shapes.mjs';

const { collectGarbage, leasePort, leasePorts, listLeases, parseRange, PortleaseError } = core;
const [min, max] = await reserveRange(12);
// The block is: [min, min+3] for option properties, then one port each for the record properties.
const optionRange = [min, min + 3];
const [liveOwnerPort, deadOwnerPort, unknownPort, shapePort] = [min + 4, min + 5, min + 6, min + 7];
const scopeRange = [min + 8, max];
const lockDir = tempDir('pl-prop-');
process.env.PORTLEASE_DIR = lockDir;
process.env.PORTLEASE_RANGE = optionRange.join('-');
const scope = join(lockDir, scopeName());
// Windows forbids some of the generated names' characters (" \ : * ? < > |) in file names.
const windowsNames =
  process.platform === 'win32' && 'needs POSIX file names (Windows forbids " \\ : * ? < > |)';
const hex = (length) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const isInvalidOptions = (e) => e instanceof PortleaseError && e.code === 'INVALID_OPTIONS';

test('parseRange: any string gives a valid [min, max] or INVALID_OPTIONS, never another error', () => {
  const rangeLike = fc
    .tuple(
      fc.integer({ min: -9, max: 120_000 }),
      fc.constantFrom('-', ':', ' - ', '--', '~', ''),
      fc.integer({ min: -9, max: 120_000 }),
    )
    .map(([a, sep, b]) => `${a}${sep}${b}`);
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), rangeLike), (text) => {
      let result;
      try {
        result = parseRange(text);
      } catch (error) {
        assert.ok(isInvalidOptions(error), `${JSON.stringify(text)} threw ${error}`);
        assert.match(error.message, /20000-29999|1024|swap/, 'the message says what is expected');
        return;
      }
      const [lo, hi] = result;
      assert.ok(
        Number.isInteger(lo) && Number.isInteger(hi) && lo >= 1024 && lo <= hi && hi <= 65535,
        `${text} -> ${result}`,
      );
    }),
    { numRuns: 3000 },
  );
});

test('parseRange: "a-b" is accepted exactly when 1024 <= a <= b <= 65535, and gives [a, b]', () => {
  fc.assert(
    fc.property(
      fc.nat(120_000),
      fc.nat(120_000),
      fc.constantFrom('-', ':'),
      fc.constantFrom('', ' ', '\t'),
      (a, b, sep, ws) => {
        const text = `${ws}${a}${ws}${sep}${ws}${b}${ws}`;
        const valid = a >= 1024 && a <= b && b <= 65535;
        if (valid) assert.deepEqual(parseRange(text), [a, b]);
        else assert.throws(() => parseRange(text), isInvalidOptions);
      },
    ),
    { numRuns: 2000 },
  );
});

test('leasePort options: a lease exactly when the options are valid, else INVALID_OPTIONS; never another error', async () => {
  await fc.assert(
    fc.asyncProperty(optionsArbitrary(optionRange, lockDir), async (options) => {
      const expected = expectedOptionsOutcome(options, optionRange);
      let lease;
      try {
        lease = await leasePort(options);
      } catch (error) {
        assert.ok(error instanceof PortleaseError, `threw a ${error?.name}: ${error?.message}`);
        assert.equal(error.code, expected.code, `${error.code}: ${error.message}`);
        return;
      }
      lease.releaseSync();
      assert.equal(expected.code, undefined, `leased ${lease.port}, expected ${expected.code}`);
      assert.ok(expected.allowed.has(lease.port), `port ${lease.port} is outside the range or excluded`);
    }),
    { numRuns: 400 },
  );
  assert.deepEqual(leftovers(lockDir), []);
});

test('leasePorts: any count gives that many distinct ports, RANGE_EXHAUSTED with nothing kept, or INVALID_OPTIONS', async () => {
  const counts = fc.oneof(
    fc.integer({ min: -3, max: 8 }),
    fc.integer({ min: 65530, max: 70000 }),
    fc.double(),
    fc.anything(),
  );
  await fc.assert(
    fc.asyncProperty(counts, async (count) => {
      const leases = await leasePorts(count, { range: optionRange }).catch((e) => e);
      if (Array.isArray(leases)) {
        assert.equal(leases.length, count);
        assert.equal(new Set(leases.map((l) => l.port)).size, count);
        for (const lease of leases) lease.releaseSync();
      } else if (Number.isInteger(count) && count >= 1 && count <= 65535) {
        assert.equal(leases.code, 'RANGE_EXHAUSTED', String(leases));
      } else {
        assert.ok(isInvalidOptions(leases), `count ${fc.stringify(count)} gave ${fc.stringify(leases)}`);
      }
      assert.deepEqual(leftovers(lockDir), [], 'all or nothing: no lease of a failed call is kept');
    }),
    { numRuns: 300 },
  );
});

test("any bytes in a live owner's record: its port is never handed out, listed as alive, kept by gc", async () => {
  const holder = startAgent({ env: { PORTLEASE_DIR: lockDir } });
  try {
    const { tokens } = await holder.ask({ cmd: 'lease', range: [liveOwnerPort, liveOwnerPort], bind: false });
    const path = join(scope, String(liveOwnerPort), tokens[0]);
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 2048 }),
      fc.string(),
      fc.json(),
      fc.jsonValue().map((v) => JSON.stringify({ v: 2, ...Object(v) })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        writeFileSync(path, body);
        const error = await leasePort({ range: [liveOwnerPort, liveOwnerPort] }).then(
          (l) => assert.fail(`handed out ${l.port}, held by a live owner`),
          (e) => e,
        );
        assert.equal(error.code, 'RANGE_EXHAUSTED', String(error));
        const infos = await listLeases();
        assert.deepEqual(
          infos.map((i) => [i.port, i.status]),
          [[liveOwnerPort, 'alive']],
        );
        assert.equal((await collectGarbage()).stale, 0);
      }),
      { numRuns: 150 },
    );
  } finally {
    await holder.kill();
  }
  assert.equal(
    (await leasePort({ range: [liveOwnerPort, liveOwnerPort] })).port,
    liveOwnerPort,
    'reclaimed after death',
  );
});

test("any bytes in a dead owner's record: the port is reclaimed, allocation never fails", async () => {
  await fc.assert(
    fc.asyncProperty(
      hex(24),
      hex(16),
      fc.oneof(fc.uint8Array({ maxLength: 2048 }), fc.string()),
      async (owner, suffix, body) => {
        const portDir = join(scope, String(deadOwnerPort));
        mkdirSync(portDir, { recursive: true });
        writeFileSync(join(portDir, `${owner}-${suffix}`), body);
        const lease = await leasePort({ range: [deadOwnerPort, deadOwnerPort] });
        assert.equal(lease.port, deadOwnerPort);
        lease.releaseSync();
        assert.deepEqual(
          leftovers(lockDir).filter((p) => p.includes(`/${deadOwnerPort}`)),
          [],
        );
      },
    ),
    { numRuns: 150 },
  );
});

const foreignNames = fc
  .string({ minLength: 1, maxLength: 80 })
  .filter(
    (n) => !n.includes('/') && !n.includes('\0') && n !== '.' && n !== '..' && Buffer.byteLength(n) <= 255,
  )
  .filter((n) => !/^[0-9a-f]{24}-[0-9a-f]{16}$/.test(n));

/** Puts a foreign entry (file or directory) named `name` alone in the port's directory. */
function plantForeign(port, name, asDirectory) {
  const portDir = join(scope, String(port));
  rmSync(portDir, { recursive: true, force: true });
  mkdirSync(portDir, { recursive: true });
  if (asDirectory) mkdirSync(join(portDir, name));
  else writeFileSync(join(portDir, name), 'foreign');
  return join(portDir, name);
}

test('any entry name portlease did not write, in a port directory: never reclaimed, never deleted, never a crash', {
  skip: windowsNames,
}, async () => {
  await fc.assert(
    fc.asyncProperty(foreignNames, fc.boolean(), async (name, asDirectory) => {
      const path = plantForeign(unknownPort, name, asDirectory);
      const error = await leasePort({ range: [unknownPort, unknownPort] }).catch((e) => e);
      assert.equal(error.code, 'RANGE_EXHAUSTED', String(error));
      const gc = await collectGarbage();
      assert.deepEqual(gc.unknown, [path]);
    }),
    { numRuns: 150 },
  );
  rmSync(join(scope, String(unknownPort)), { recursive: true, force: true });
});

test('RANGE_EXHAUSTED names an unrecognised entry whatever its name (quotes, backslashes, spaces)', {
  skip: windowsNames,
}, async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(foreignNames, fc.constantFrom('"', '\\', 'a\\b', '" "', 'x y')),
      async (name) => {
        plantForeign(unknownPort, name, false);
        const error = await leasePort({ range: [unknownPort, unknownPort] }).catch((e) => e);
        assert.ok(error.message.includes(`unrecognised entry ${JSON.stringify(name)}`), error.message);
      },
    ),
    { numRuns: 100 },
  );
  rmSync(join(scope, String(unknownPort)), { recursive: true, force: true });
});

test('anything next to the port directories (files, links, odd names, ports as files): allocation and gc never crash', async () => {
  const names = fc.oneof(
    fc.integer({ min: scopeRange[0], max: scopeRange[1] }).map(String),
    fc.constantFrom(`${STAGING_DIR}2`, '00' + scopeRange[0], `${scopeRange[0]}.tmp`, '99999', '-1'),
    fc.stringMatching(/^[a-z0-9.-]{1,12}$/).filter((n) => n !== '.' && n !== '..' && n !== STAGING_DIR),
  );
  const kinds = fc.constantFrom(
    'file',
    'empty dir',
    'dir with a file',
    'dangling symlink',
    'symlink to a dir',
  );
  await fc.assert(
    fc.asyncProperty(names, kinds, async (name, kind) => {
      const path = join(scope, name);
      rmSync(path, { recursive: true, force: true });
      if (kind === 'file') writeFileSync(path, 'x');
      else if (kind === 'empty dir') mkdirSync(path);
      else if (kind === 'dir with a file') mkdirSync(join(path, 'stuff'), { recursive: true });
      else if (kind === 'dangling symlink') symlinkSync('/nonexistent/portlease', path);
      else symlinkSync(tempDir(), path);
      const leases = await leasePorts(scopeRange[1] - scopeRange[0], { range: scopeRange }).catch((e) => e);
      if (Array.isArray(leases)) {
        // One port short of the range: the foreign entry may sit on the port left over, or elsewhere.
        for (const lease of leases) lease.releaseSync();
      } else assert.equal(leases.code, 'RANGE_EXHAUSTED', String(leases));
      const gc = await collectGarbage().catch((e) => e);
      assert.ok(!(gc instanceof Error), `collectGarbage threw ${gc}`);
      rmSync(path, { recursive: true, force: true });
    }),
    { numRuns: 120 },
  );
});

for (const [owner, label] of [
  ['live', "in a live owner's record: the port stays held"],
  ['dead', "in a dead owner's record: allocation goes on (reclaimed, or refused with a PortleaseError)"],
]) {
  test(`every kind of thing ${label}; list and gc never hang or crash`, {
    skip: process.platform === 'win32' && 'needs POSIX file kinds (FIFOs, symlinks; not on Windows)',
  }, async (t) => {
    const dir = tempDir('pl-shape-');
    const holder = owner === 'live' ? startAgent({ env: { PORTLEASE_DIR: dir } }) : undefined;
    try {
      const leased = await holder?.ask({ cmd: 'lease', range: [shapePort, shapePort], bind: false });
      assert.equal(leased?.error, undefined, JSON.stringify(leased?.error));
      const token = leased?.tokens[0] ?? `${'d'.repeat(24)}-${'0'.repeat(16)}`;
      const path = join(dir, scopeName(), String(shapePort), token);
      mkdirSync(join(dir, scopeName(), String(shapePort)), { recursive: true, mode: 0o700 });
      for (const shape of Object.keys(RECORD_SHAPES)) {
        await t.test(shape, async () => {
          makeShape(shape, path, token);
          const met = await meetInChild(dir, shapePort, 10_000);
          assert.ok(!met.hang, 'hung (the child was killed after 10 s)');
          assert.equal(met.crash, undefined);
          const detail = JSON.stringify(met);
          for (const step of ['lease', 'list', 'gc']) {
            const error = met[step].error;
            if (error)
              assert.equal(
                error.name,
                'PortleaseError',
                `${step}: ${error.name} ${error.code}: ${error.message}`,
              );
          }
          if (owner === 'live')
            assert.equal(
              met.lease.error?.code,
              'RANGE_EXHAUSTED',
              `handed out a live owner's port: ${detail}`,
            );
          else if (!shape.startsWith('a directory'))
            assert.equal(met.lease.port, shapePort, `a dead file is reclaimed: ${detail}`);
        });
        if (owner === 'dead')
          mkdirSync(join(dir, scopeName(), String(shapePort)), { recursive: true, mode: 0o700 });
      }
    } finally {
      await holder?.kill();
    }
  });
}
