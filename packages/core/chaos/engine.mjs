// The chaos run: holder processes (each with worker threads) lease, bind and release at random in a
// small range while a killer sends SIGKILL, SIGTERM and SIGSTOP/SIGCONT to random holders; dead holders
// are replaced. When time is up, survivors release and exit; then the ledger is checked, and a fresh
// process must lease the whole range and leave, after collectGarbage, an empty lock directory.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leftovers, runProcess } from '@portlease/test-harness';
import { Ledger } from './ledger.mjs';

const here = dirname(fileURLToPath(import.meta.url));
// One holder process: a main-thread actor plus worker-thread actors leasing, binding, releasing.
const ACTORS = join(here, 'actors.mjs');
const DIST = join(here, '..', 'dist', 'index.js');
const now = () => Number(process.hrtime.bigint() / 1000n);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (list) => list[Math.floor(Math.random() * list.length)];

/** Every record and staged entry below the lock directory's scopes, with the owner label inside. */
function records(lockDir) {
  return leftovers(lockDir)
    .filter((l) => l.kind === 'record' || l.kind === 'staged')
    .map(({ path, kind, owner }) => ({ path, staged: kind === 'staged', owner }));
}

/** Runs `node -e script` with PORTLEASE_DIR; resolves its parsed last stdout line. */
async function runChecker(lockDir, script) {
  const { stdout, stderr } = await runProcess(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, PORTLEASE_DIR: lockDir },
  });
  try {
    return JSON.parse(stdout.trim().split('\n').pop());
  } catch {
    return { error: `checker failed: ${stderr || stdout}` };
  }
}

/**
 * @param {object} o
 * @param {string} o.lockDir   lock directory (a fresh one)
 * @param {[number, number]} o.range   ports to fight over (none of them browser-unsafe)
 * @param {number} o.durationMs   how long the chaos lasts
 * @param {number} [o.processes]  holder processes alive at once
 * @param {number} [o.threads]    worker threads per holder (each a separate owner)
 * @param {string} [o.splitDir]   negative control: half of the holders use this other lock directory
 * @param {(line: string) => void} [o.log]
 */
export async function runChaos({
  lockDir,
  range,
  durationMs,
  processes = 5,
  threads = 2,
  maxHeld = 3,
  splitDir,
  log = () => {},
}) {
  const ledger = new Ledger();
  const holders = new Map();
  /** holder id -> 'signalled' | 'exited' (process.exit with leases held) | 'quit' | 'crashed' */
  const fates = new Map();
  const signals = { SIGKILL: 0, SIGTERM: 0, SIGSTOP: 0, respawns: 0 };
  const deadline = Date.now() + durationMs;
  let seq = 0;

  function startHolder() {
    const id = `h${++seq}`;
    const dir = splitDir && seq % 2 === 0 ? splitDir : lockDir;
    const config = { id, range, threads, maxHeld };
    const child = spawn(process.execPath, [ACTORS, JSON.stringify(config)], {
      env: { ...process.env, PORTLEASE_DIR: dir },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const h = {
      id,
      child,
      stopped: false,
      signalledAt: undefined,
      signal: undefined,
      stderr: '',
      exitAt: undefined,
    };
    holders.set(id, h);
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        try {
          ledger.event(JSON.parse(line));
        } catch {
          ledger.violations.errors.push({ id, reason: 'unreadable event line', line: line.slice(0, 300) });
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      h.stderr += chunk;
    });
    child.stdin.on('error', () => {});
    child.once('exit', () => {
      h.exitAt = now();
    });
    child.once('close', (code, signal) => {
      holders.delete(id);
      const fate =
        h.signal !== undefined ? 'signalled' : code !== 0 ? 'crashed' : h.quitting ? 'quit' : 'exited';
      fates.set(id, fate);
      if (fate === 'crashed')
        ledger.violations.crashes.push({ id, code, signal, stderr: h.stderr.slice(-2000) });
      // Leases end at the signal's time at the latest we can prove; a clean exit reported its own time.
      ledger.processEnded(id, h.signalledAt ?? h.exitAt, h.exitAt);
      if (Date.now() < deadline) {
        signals.respawns++;
        startHolder();
      }
    });
    return h;
  }

  function signal(h, name) {
    if (h.exitAt !== undefined) return;
    if (name !== 'SIGSTOP' && name !== 'SIGCONT' && h.signalledAt === undefined) {
      h.signalledAt = now();
      h.signal = name;
    }
    try {
      h.child.kill(name);
    } catch {
      // Already gone.
    }
  }

  for (let i = 0; i < processes; i++) startHolder();
  const stopTimers = new Set();
  while (Date.now() < deadline) {
    await sleep(100 + Math.random() * 400);
    const living = [...holders.values()].filter((h) => h.signal === undefined && h.exitAt === undefined);
    if (living.length === 0) continue;
    const h = pick(living);
    const r = Math.random();
    const name = r < 0.45 ? 'SIGKILL' : r < 0.7 ? 'SIGTERM' : 'SIGSTOP';
    if (name === 'SIGSTOP') {
      if (h.stopped) continue;
      h.stopped = true;
      signal(h, 'SIGSTOP');
      const timer = setTimeout(
        () => {
          stopTimers.delete(timer);
          h.stopped = false;
          signal(h, 'SIGCONT');
        },
        200 + Math.random() * 1300,
      );
      stopTimers.add(timer);
    } else {
      signal(h, name);
    }
    signals[name]++;
    log(`${name} ${h.id}`);
  }

  // Time is up: wake the stopped, ask everyone to release and exit, and wait.
  for (const timer of stopTimers) clearTimeout(timer);
  const remaining = [...holders.values()];
  const closed = remaining.map((h) => new Promise((resolve) => h.child.once('close', resolve)));
  for (const h of remaining) {
    signal(h, 'SIGCONT');
    h.quitting = true;
    h.child.stdin.write('quit\n');
  }
  const quitDeadline = setTimeout(() => {
    for (const h of holders.values()) {
      ledger.violations.crashes.push({
        id: h.id,
        reason: 'did not quit within 60 s',
        stderr: h.stderr.slice(-2000),
      });
      signal(h, 'SIGKILL');
    }
  }, 60_000);
  await Promise.all(closed);
  clearTimeout(quitDeadline);
  ledger.finish(now());

  // What was left before healing: records of a holder that was signalled (or whose thread was
  // terminated) are expected; those of a holder that quit cleanly, or of the main thread of one that
  // called process.exit, are leaks.
  const before = records(lockDir);
  let leftByKilled = 0;
  let tornStaged = 0;
  for (const entry of before) {
    if (entry.staged && entry.owner === undefined) {
      // A staged record that cannot be read was torn by a kill between mkdir and write (SIGKILL, or a
      // worker terminated mid-call): a live writer always completes it or removes it. Heal must clear it.
      tornStaged++;
      continue;
    }
    const match = /^chaos (h\d+) t(\d+)$/.exec(entry.owner ?? '');
    const fate = match ? fates.get(match[1]) : undefined;
    const killedThread = match && ledger.threadsGone.has(`${match[1]} t${match[2]}`);
    if (fate === 'signalled' || killedThread || (fate === 'exited' && match[2] !== '0')) leftByKilled++;
    else if (!splitDir)
      ledger.violations.leftovers.push({ ...entry, fate, reason: 'left by a holder that exited cleanly' });
  }
  const [min, max] = range;
  const healScript = `
    import { collectGarbage, leasePorts } from ${JSON.stringify(new URL(`file://${DIST}`).href)};
    const leases = await leasePorts(${max - min + 1}, { range: [${min}, ${max}], owner: 'chaos healer' });
    for (const lease of leases) lease.releaseSync();
    const gc = await collectGarbage();
    console.log(JSON.stringify({ leased: leases.length, gc }));`;
  const heal = await runChecker(lockDir, healScript);
  const after = records(lockDir);
  if (heal.error)
    ledger.violations.stuck.push({
      reason: 'the whole range was not leasable after the run',
      detail: heal.error,
    });
  if (heal.gc?.unknown?.length)
    ledger.violations.leftovers.push(...heal.gc.unknown.map((path) => ({ path, reason: 'unknown entry' })));
  for (const entry of after) ledger.violations.leftovers.push({ ...entry, reason: 'left after heal and gc' });
  const stats = {
    ...ledger.stats,
    ...signals,
    holders: seq,
    recordsLeftByKilled: leftByKilled,
    tornStaged,
    heal,
  };
  return {
    violations: ledger.violations,
    stats,
    ok: Object.values(ledger.violations).every((v) => v.length === 0),
  };
}
