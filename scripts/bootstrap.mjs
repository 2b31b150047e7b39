#!/usr/bin/env node
// Entry point of `npm run demo`, `npm test` and `npm run bench` on a machine with only Node and npm:
// installs the workspace with the pinned pnpm (via npx when pnpm is not on PATH), installs Debian's
// chromium for the browser tests when it is missing (Playwright's own browser download is not used),
// builds, then runs the task. Extra arguments go to the task: `npm test -- --only core`.
// `node scripts/bootstrap.mjs chromium` only makes sure Chromium is there.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pnpmSpec = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager;
const pnpmVersion = pnpmSpec.split('@')[1];
const [task, ...rest] = process.argv.slice(2);
const tasks = { demo: 'scripts/demo.mjs', test: 'scripts/test.mjs', bench: 'bench/run.mjs' };
if (!tasks[task] && task !== 'chromium') {
  console.error(`usage: node scripts/bootstrap.mjs ${Object.keys(tasks).join('|')} [args…]`);
  process.exit(2);
}

function pnpmCommand() {
  try {
    const version = execFileSync('pnpm', ['--version'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    if (version.trim() === pnpmVersion) return ['pnpm', []];
  } catch {
    // Not on PATH: fall back to npx below.
  }
  return ['npx', ['-y', pnpmSpec]];
}

function run(command, args) {
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Debian's chromium, which the Playwright examples launch; installed with apt-get when missing. */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = !root && spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status === 0;
  if (!hasApt || (!root && !sudo)) {
    console.error(
      `${path} not found: the Playwright examples need Chromium. Install it (Debian/Ubuntu: apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary.`,
    );
    process.exit(1);
  }
  // apt-get prints hundreds of lines even with -qq (dpkg's unpacking and triggers): one line on the
  // screen, the whole output in a log file whose path is printed, its end shown only on failure.
  const log = join(tmpdir(), `portlease-apt-get-${process.pid}.log`);
  console.log(`${path} not found: installing Debian's chromium with apt-get (log: ${log})…`);
  const prefix = root ? [] : ['sudo'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const fd = openSync(log, 'a');
  try {
    for (const args of [
      ['update', '-qq'],
      ['install', '-y', '-qq', 'chromium'],
    ]) {
      const [cmd, ...rest] = [...prefix, 'apt-get', ...args];
      // sudo may ask for a password on the terminal: stdin stays inherited.
      const result = spawnSync(cmd, rest, { stdio: ['inherit', fd, fd], env });
      if (result.status !== 0) {
        const tail = readFileSync(log, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
        console.error(
          `apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}); last lines of ${log}:\n${tail}`,
        );
        process.exit(result.status ?? 1);
      }
    }
  } finally {
    closeSync(fd);
  }
  console.log(`chromium installed (apt-get log: ${log})`);
}

if (task === 'chromium') {
  ensureChromium();
  process.exit(0);
}

const [pnpm, pre] = pnpmCommand();
if (process.env.PORTLEASE_SKIP_SETUP !== '1') {
  ensureChromium();
  const installed = existsSync(join(root, 'node_modules', '.modules.yaml'));
  if (!installed || process.env.CI) {
    run(pnpm, [...pre, 'install', ...(process.env.CI ? ['--frozen-lockfile'] : [])]);
  }
  run(pnpm, [...pre, 'run', 'build']);
}
run(process.execPath, [join(root, tasks[task]), ...rest]);
