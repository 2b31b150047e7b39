// The quick chaos run (the long one: `node packages/core/chaos/run.mjs --minutes N`). Processes with
// worker threads lease, bind and release while being SIGKILLed, SIGTERMed and SIGSTOPped; an
// independent ledger (binds plus monotonic hold intervals compared pairwise) must find nothing. The
// run happens in a private network namespace when the system allows one, so other programs on the
// machine (which portlease does not promise anything about) cannot disturb it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { here } from './reliability/helpers.mjs';

const RUN = join(here, '..', '..', 'chaos', 'run.mjs');
const counts = (violations) => Object.fromEntries(Object.entries(violations).map(([k, v]) => [k, v.length]));

/** Runs chaos/run.mjs with --json; resolves its report. */
function chaos(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
    });
    child.once('close', () => {
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch {
        reject(new Error(`chaos/run.mjs printed no report:\n${out}`));
      }
    });
  });
}

test('chaos: holders killed, terminated and frozen at random never share a port, never get stuck, leave nothing', {
  skip: process.platform === 'win32' && 'needs POSIX signals: SIGSTOP and SIGTERM handlers (not on Windows)',
}, async () => {
  // The run must find no violation. The stuck check runs at every exhaustion; whether one of them also
  // names a holder that died meanwhile is a race a loaded machine can miss in every run, so the check's
  // power is proven by the ledger test below, not by this run's luck.
  {
    const report = await chaos(['--seconds', '45', '--processes', '5', '--threads', '2', '--ports', '20']);
    const detail = JSON.stringify({ violations: report.violations, stats: report.stats }, null, 1).slice(
      0,
      6000,
    );
    assert.deepEqual(
      counts(report.violations),
      { duplicates: 0, bindFailures: 0, stuck: 0, errors: 0, crashes: 0, leftovers: 0 },
      detail,
    );
    // The run really was chaotic, and the stuck check really ran.
    const { stats } = report;
    assert.ok(stats.leases >= 200, `only ${stats.leases} leases: ${detail}`);
    assert.ok(stats.SIGKILL >= 5 && stats.SIGTERM >= 2 && stats.SIGSTOP >= 2, detail);
    assert.ok(stats.threadKills >= 1, `no worker thread was terminated: ${detail}`);
    assert.equal(stats.heal.leased, 20, 'a fresh process leased the whole range afterwards');
    assert.ok(
      stats.exhausted >= 1,
      `no allocation met a full range, so the stuck check never ran: ${detail}`,
    );
  }
});

test('chaos ledger: an exhaustion naming a holder seen dead before the allocation began is a stuck port', async () => {
  const { Ledger } = await import('../chaos/ledger.mjs');
  const ledger = new Ledger();
  ledger.processEnded('h3', 100, 150);
  ledger.event({ t: 'exhausted', actor: 'h1 t0', startedAt: 200, held: ['20001 "chaos h3 t1" (pid 99)'] });
  assert.equal(ledger.violations.stuck.length, 1, 'died at 150, still named by an allocation of 200');
  assert.equal(ledger.violations.stuck[0].reason, 'a dead owner still held a port');
  // Died after the allocation began: the message may still name it, which is no stuck port.
  ledger.processEnded('h4', 300, 350);
  ledger.event({ t: 'exhausted', actor: 'h1 t0', startedAt: 320, held: ['20002 "chaos h4 t0" (pid 98)'] });
  ledger.event({ t: 'exhausted', actor: 'h1 t0', startedAt: 320, held: ['20003 "chaos h5 t0" (pid 97)'] });
  assert.equal(ledger.violations.stuck.length, 1);
  assert.equal(ledger.stats.deadOwnersChecked, 2);
  // A holder the chaos run does not know is never taken for a live one.
  ledger.event({ t: 'exhausted', actor: 'h1 t0', startedAt: 400, held: ['20004 "someone else" (pid 5)'] });
  assert.equal(ledger.violations.stuck.length, 2);
});

test('chaos ledger control: holders split across two lock directories are caught sharing ports', async () => {
  // The same run with a broken setup must fail: proof that the ledger can see a duplicate.
  const report = await chaos([
    '--split',
    '--seconds',
    '8',
    '--processes',
    '4',
    '--threads',
    '1',
    '--ports',
    '12',
  ]);
  const found = counts(report.violations);
  assert.ok(found.duplicates > 0, `the ledger missed uncoordinated holders: ${JSON.stringify(found)}`);
  assert.ok(found.bindFailures > 0, `no EADDRINUSE between uncoordinated holders: ${JSON.stringify(found)}`);
});
