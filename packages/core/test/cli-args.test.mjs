// The CLI's command lines (node:util.parseArgs, strict), --help on every command, and values that
// must be refused rather than read loosely.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, runNode, tempLockDir } from './helpers.mjs';

test('--help and -h print the help of every command and exit 0; run -h does not start "-h"', async () => {
  for (const command of ['run', 'get', 'list', 'gc', 'doctor']) {
    for (const flag of ['--help', '-h']) {
      const result = await runNode([cli, command, flag]);
      assert.equal(result.code, 0, `${command} ${flag}: ${result.stderr}`);
      assert.match(result.stdout, new RegExp(`^Usage: portlease ${command} `), `${command} ${flag}`);
      assert.equal(result.stderr, '');
    }
  }
  const top = await runNode([cli, '--help']);
  assert.match(top.stdout, /portlease <command> --help/);
});

test('unknown options are errors that suggest the near one; the command after -- is never parsed', async () => {
  const lockDir = tempLockDir();
  const typo = await runNode([cli, 'run', '--rnage', '20000-20010', '--', 'true']);
  assert.equal(typo.code, 2);
  assert.match(
    typo.stderr,
    /^portlease: \[INVALID_OPTIONS\] unknown option --rnage \(did you mean --range\?\)/,
  );
  for (const command of ['get', 'list', 'gc', 'doctor']) {
    const result = await runNode([cli, command, '--bogus'], { env: { PORTLEASE_DIR: lockDir } });
    assert.equal(result.code, 2, `${command}: ${result.stdout}${result.stderr}`);
    assert.match(`${result.stdout}${result.stderr}`, /INVALID_OPTIONS\] unknown option --bogus/);
  }
  const script = 'console.log(JSON.stringify(process.argv.slice(1)))';
  const after = await runNode(
    [cli, 'run', '--count', '1', '--', 'node', '-e', script, '--', '--help', '-h', '--count'],
    {
      env: { PORTLEASE_DIR: lockDir },
    },
  );
  assert.equal(after.code, 0, after.stderr);
  assert.deepEqual(JSON.parse(after.stdout), ['--help', '-h', '--count']);
  const bare = await runNode([cli, 'run', 'node', '-e', script, '--', '-h'], {
    env: { PORTLEASE_DIR: lockDir },
  });
  assert.equal(bare.code, 0, bare.stderr);
  assert.deepEqual(JSON.parse(bare.stdout), ['-h'], 'without --, the command starts at its first word');
});

test('--hold-pid, --count and --exclude take decimal digits only', async () => {
  for (const pid of ['0x1', '1e0', '1.0', ' 1', '+1', '0', '-1']) {
    const result = await runNode([cli, 'get', '--json', `--hold-pid=${pid}`]);
    assert.equal(result.code, 2, `--hold-pid ${JSON.stringify(pid)}: ${result.stdout}`);
    const { v, error } = JSON.parse(result.stdout);
    assert.equal(v, 1);
    assert.equal(error.code, 'INVALID_OPTIONS');
    assert.match(error.message, /--hold-pid/);
  }
  const count = await runNode([cli, 'run', '--count', '0x2', '--', 'true']);
  assert.equal(count.code, 2);
  const exclude = await runNode([cli, 'run', '--exclude', '1e4', '--', 'true']);
  assert.equal(exclude.code, 2);
  assert.match(exclude.stderr, /--exclude must be a port number in decimal digits/);
});

test('list/gc/doctor --lock-dir "" is a usage error, not a stack trace; doctor --range blames --range', async () => {
  for (const command of ['list', 'gc', 'doctor']) {
    const result = await runNode([cli, command, '--lock-dir', '']);
    assert.equal(result.code, 2, `${command}: ${result.stderr}`);
    assert.match(result.stderr, /^portlease: \[INVALID_OPTIONS\] --lock-dir is empty/);
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
  const doctor = await runNode([cli, 'doctor', '--json', '--range', 'abc'], {
    env: { PORTLEASE_DIR: tempLockDir(), PORTLEASE_RANGE: '' },
  });
  assert.equal(doctor.code, 1);
  const report = JSON.parse(doctor.stdout);
  assert.match(report.options, /--range must look like/);
  assert.doesNotMatch(report.options, /PORTLEASE_RANGE/);
});
