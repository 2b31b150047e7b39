// Shared by the core's tests: private lock directories, port ranges reserved for one test file, and
// child processes running fixtures. No port is hard-coded: ranges are leased from a harness lock
// directory shared by the whole test run, so test files running at once never overlap.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, linkSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const dist = join(here, '..', 'dist');
export const cli = join(dist, 'cli.js');
export const core = await import(join(dist, 'index.js'));
export const fixture = (name) => join(here, 'fixtures', name);

const HARNESS_DIR = join(tmpdir(), `portlease-test-harness-${process.getuid?.() ?? 'user'}`);
/** Reserved blocks live below the range tests use by default (scripts/test.mjs sets 16000-32767). */
const BLOCK_ZONE = [10000, 15999];

const tempDirs = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh, private directory (mode 0700), removed when the process exits. */
export function tempLockDir() {
  const dir = mkdtempSync(join(tmpdir(), 'pl-test-'));
  tempDirs.push(dir);
  return dir;
}

/**
 * `size` consecutive ports nobody else in this test run uses and nothing listens on, held (in the
 * harness directory) until this process exits. Returns `[min, max]`.
 */
export async function reserveRange(size) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const span = BLOCK_ZONE[1] - BLOCK_ZONE[0] + 1 - size;
    const min = BLOCK_ZONE[0] + Math.floor(Math.random() * span);
    try {
      await core.leasePorts(size, {
        lockDir: HARNESS_DIR,
        range: [min, min + size - 1],
        owner: 'test range',
      });
      return [min, min + size - 1];
    } catch (error) {
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  throw new Error(`could not reserve ${size} consecutive free ports`);
}

function readdirOrNone(path) {
  try {
    return readdirSync(path);
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Records left in a lock directory (excluding the empty staging area). */
export function recordsIn(lockDir) {
  const found = [];
  for (const scope of readdirSync(lockDir)) {
    for (const entry of readdirSync(join(lockDir, scope))) {
      const path = join(lockDir, scope, entry);
      // A port directory removed between the two readdirs was being released: it holds nothing.
      const inner = readdirOrNone(path);
      if (inner === undefined) continue;
      if (entry === '.staging') found.push(...inner.map((n) => join(path, n)));
      else found.push(path, ...inner.map((n) => join(path, n)));
    }
  }
  return found;
}

/**
 * Starts `node <file> ...args` with PORTLEASE_DIR and friends; `lines()` gives parsed JSON lines of its
 * stdout as they come, `exited` its exit {code, signal}.
 */
export function startNode(file, args = [], { env = {}, execArgv = [] } = {}) {
  const child = spawn(process.execPath, [...execArgv, file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const messages = [];
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    let newline = out.indexOf('\n');
    while (newline !== -1) {
      const line = out.slice(0, newline);
      out = out.slice(newline + 1);
      try {
        messages.push(JSON.parse(line));
      } catch {
        messages.push({ text: line });
      }
      for (const waiter of waiters.splice(0)) waiter();
      newline = out.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => {
    for (const waiter of waiters.splice(0)) waiter();
  });
  return {
    child,
    exited,
    messages,
    stderr: () => err,
    /** Waits for the next message matching `predicate` (or any message). */
    async message(predicate = () => true) {
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `child exited (${child.exitCode ?? child.signalCode}) without the expected message; stderr:\n${err}`,
          );
        }
        await new Promise((resolve) => waiters.push(resolve));
      }
    },
  };
}

/** Runs a node script to completion; resolves {code, signal, stdout, stderr}. */
export function runNode(args, { env = {}, input } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.stdin.end(input ?? '');
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Binds `port` on `host` (dual-stack for `::`); resolves the server or the error code. */
export async function bind(port, host = '::') {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve({ error: error.code }));
    server.listen({ port, host, exclusive: true }, () => resolve({ server }));
  });
}

/**
 * What a child run as another (unprivileged) user needs to run the build, inside `base` (made
 * readable to all): a copy of dist, copies of the given fixtures, and a node binary it can execute.
 * The checkout may sit in a directory only root can enter (a fresh clone under a 0700 temp dir), and a
 * Node line installed from the npm registry sits in root's npm cache: a hard link to the running
 * binary, or a copy across filesystems. Returns `{ node, index, fixture(name) }`.
 */
export function readableBuild(base, fixtures = []) {
  chmodSync(base, 0o755);
  const copy = join(base, 'dist');
  cpSync(dist, copy, { recursive: true });
  for (const name of fixtures) cpSync(fixture(name), join(base, 'fixtures', name), { recursive: true });
  const node = join(base, 'node');
  try {
    linkSync(process.execPath, node);
  } catch {
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
  }
  return { node, index: join(copy, 'index.js'), fixture: (name) => join(base, 'fixtures', name) };
}
