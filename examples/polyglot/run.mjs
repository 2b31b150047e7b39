#!/usr/bin/env node
// Python, shell and Node processes take ports on one host at the same moment, bind them all at once
// and hold them, twice:
//   1. the naive way: Python and Node take the first ports of the range that a bind-then-close check
//      finds free, the shell takes base + index; each binds later;
//   2. with portlease: Python (portlease_client.py) and the shell (portlease_client.sh) through the CLI,
//      `portlease get --json --hold-pid <own pid>`, Node through the library, one lock directory.
// Prints who got which port and which binds failed, then checks `portlease list --json` while they
// hold and after they exit. Exits 0 when portlease had no collision and no failed bind and the
// naive way failed; 1 otherwise.
//
// Options: --json (print the raw report instead of tables), --range A-B (else PORTLEASE_RANGE, else a
// free block of the default range), --ports N (per process, default 4). PORTLEASE_DIR is shared with
// every process (default: a fresh private directory); PYTHON names the interpreter (default python3).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultRange, leasePorts, parseRange } from 'portlease';
import { printReport, summarize } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const cli = createRequire(import.meta.url)
  .resolve('portlease/package.json')
  .replace(/package\.json$/, 'dist/cli.js');
const { values } = parseArgs({
  options: { json: { type: 'boolean' }, range: { type: 'string' }, ports: { type: 'string', default: '4' } },
});
const perProcess = Number(values.ports);
if (!Number.isInteger(perProcess) || perProcess < 1 || perProcess > 100) {
  console.error(`portlease polyglot demo: --ports must be a whole number from 1 to 100, got ${values.ports}`);
  process.exit(2);
}
const python = process.env.PYTHON ?? 'python3';

/** Who takes part: two processes per language, each wanting `perProcess` ports. */
const CREW = [
  { who: 'python-1', lang: 'python', index: 0 },
  { who: 'python-2', lang: 'python', index: 1 },
  { who: 'shell-1', lang: 'shell', index: 0 },
  { who: 'shell-2', lang: 'shell', index: 1 },
  { who: 'node-1', lang: 'node', index: 0 },
  { who: 'node-2', lang: 'node', index: 1 },
];
const total = CREW.length * perProcess;

let lockDir = process.env.PORTLEASE_DIR;
if (!lockDir) {
  lockDir = mkdtempSync(join(tmpdir(), 'pl-polyglot-'));
  const made = lockDir;
  process.on('exit', () => rmSync(made, { recursive: true, force: true }));
}

/** A block of `size` consecutive ports of the default range that nothing listens on or leases now. */
async function freeBlock(size) {
  const [min, max] = defaultRange();
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = min + Math.floor(Math.random() * (max - min + 2 - size));
    try {
      const leases = await leasePorts(size, {
        range: [base, base + size - 1],
        lockDir,
        owner: 'polyglot demo',
      });
      for (const lease of leases) await lease.release();
      return [base, base + size - 1];
    } catch (error) {
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  throw new Error(`no ${size} consecutive free ports in ${min}-${max}`);
}

const rangeText = values.range ?? process.env.PORTLEASE_RANGE;
const range = rangeText ? parseRange(rangeText, '--range') : await freeBlock(total);
if (range[1] - range[0] + 1 < total) {
  console.error(
    `portlease polyglot demo: the range ${range.join('-')} is smaller than the ${total} ports wanted`,
  );
  process.exit(2);
}
// No __pycache__ left in the example directory.
const env = {
  ...process.env,
  PORTLEASE_DIR: lockDir,
  PORTLEASE_RANGE: range.join('-'),
  PYTHONDONTWRITEBYTECODE: '1',
};

function command({ who, lang, index }, mode) {
  const count = String(perProcess);
  if (lang === 'python') return [python, [join(here, 'python_suite.py'), who, count, mode]];
  if (lang === 'shell') return ['sh', [join(here, 'shell_suite.sh'), who, count, mode, String(index)]];
  return [process.execPath, [join(here, 'node_suite.mjs'), who, count, mode]];
}

/** Starts one process; `next(event)` resolves with its next JSON line of that event, or its exit. */
function start(member, mode) {
  const [file, args] = command(member, mode);
  const child = spawn(file, args, { cwd: here, env, stdio: ['pipe', 'pipe', 'pipe'] });
  // A process that failed to start or was killed closes its stdin: writing "go" then is no error.
  child.stdin.on('error', () => {});
  const state = { ...member, child, messages: [], stderr: '', exit: undefined, waiters: [] };
  const wake = () => {
    for (const waiter of state.waiters.splice(0)) waiter();
  };
  let buffer = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    for (let newline = buffer.indexOf('\n'); newline !== -1; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        state.messages.push(JSON.parse(line));
      } catch {
        state.messages.push({ event: 'text', text: line });
      }
    }
    wake();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    state.stderr += chunk;
  });
  child.once('error', (error) => {
    state.exit = { error: `${file}: ${error.message}` };
    wake();
  });
  state.exited = new Promise((resolve) => {
    child.once('error', resolve);
    child.once('exit', (code, signal) => {
      state.exit = { code, signal };
      wake();
      resolve();
    });
  });
  state.next = async (event) => {
    for (;;) {
      const found = state.messages.find((m) => m.event === event || m.event === 'failed');
      if (found) return found;
      if (state.exit) return { event: 'exited', ...state.exit, stderr: state.stderr.trim() };
      await new Promise((resolve) => state.waiters.push(resolve));
    }
  };
  return state;
}

/** `portlease list --json` through the CLI, as any language would read it. */
function listLeases() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'list', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`portlease list failed (${code}): ${err}`));
      else resolve(JSON.parse(out).map(({ port, status, owner, pid }) => ({ port, status, owner, pid })));
    });
  });
}

/** Waits until the CLI holders have seen their processes exit and released (about a second). */
async function listAfterExit() {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const leases = await listLeases();
    if (leases.length === 0 || Date.now() > deadline) return leases;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function runPhase(mode) {
  const crew = CREW.map((member) => start(member, mode));
  // A hung process must not hang the demo: after 2 minutes everything still running is killed.
  const watchdog = setTimeout(() => {
    for (const member of crew) member.child.kill('SIGKILL');
  }, 120_000);
  watchdog.unref();
  const ready = await Promise.all(crew.map((member) => member.next('ready')));
  // Everyone has chosen; now all bind at once, as parallel suites starting their servers do.
  for (const [i, member] of crew.entries()) if (ready[i].event === 'ready') member.child.stdin.write('go\n');
  const bound = await Promise.all(
    crew.map((member, i) => (ready[i].event === 'ready' ? member.next('bound') : ready[i])),
  );
  const listed = mode === 'portlease' ? await listLeases() : undefined;
  for (const member of crew) member.child.stdin.end();
  await Promise.all(crew.map((member) => member.exited));
  clearTimeout(watchdog);
  const participants = crew.map((member, i) => ({
    who: member.who,
    lang: member.lang,
    pid: member.child.pid,
    ports: ready[i].ports ?? [],
    results: bound[i].results ?? [],
    ...(bound[i].event === 'bound' ? {} : { failure: bound[i] }),
    exit: member.exit,
  }));
  return { participants, listed, leftAfterExit: mode === 'portlease' ? await listAfterExit() : undefined };
}

const report = {
  range,
  lockDir,
  perProcess,
  naive: await runPhase('naive'),
  portlease: await runPhase('portlease'),
};
const naive = summarize(report.naive);
const leased = summarize(report.portlease);
if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else printReport(report, naive, leased);
process.exitCode = leased.clean && naive.failedBinds > 0 ? 0 : 1;
