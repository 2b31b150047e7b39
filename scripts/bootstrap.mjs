#!/usr/bin/env node
// Entry point of `npm run demo`, `npm test` and `npm run bench` on a machine with only Node and npm:
// installs the workspace with the pinned pnpm (scripts/pinned-pnpm.mjs: from the npm registry into a
// cache, never a global install), installs Debian's chromium for the browser tests when it is missing
// (Playwright's own browser download is not used), builds, then runs the task with that pnpm first on
// PATH. Each set-up step prints one line; its output is shown only when it fails. Extra arguments go to
// the task: `npm test -- --only core`.
// `node scripts/bootstrap.mjs chromium` only makes sure Chromium is there.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envWithPnpm, pnpmVersion } from './pinned-pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [task, ...rest] = process.argv.slice(2);
const tasks = { demo: 'scripts/demo.mjs', test: 'scripts/test.mjs', bench: 'bench/run.mjs' };
if (!tasks[task] && task !== 'chromium') {
  console.error(`usage: node scripts/bootstrap.mjs ${Object.keys(tasks).join('|')} [args…]`);
  process.exit(2);
}

/**
 * One set-up step: a line saying what it does and how long it took, its whole output in a log file
 * that is printed only when the step fails (then the bootstrap exits with the step's status).
 */
function quietStep(title, command, args, env) {
  const started = Date.now();
  const log = join(tmpdir(), `portlease-setup-${process.pid}.log`);
  process.stdout.write(`· ${title} … `);
  const result = spawnSync(command, args, {
    cwd: root,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['inherit', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? `\n${result.error.message}` : ''}`;
  if (result.status === 0) {
    console.log(`done (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return;
  }
  writeFileSync(log, output);
  console.log(`FAILED (exit ${result.status ?? result.signal ?? result.error?.code})`);
  console.error(`${output.trimEnd()}\n\n${title} failed: the output above is also in ${log}`);
  process.exit(result.status || 1);
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

if (process.env.PORTLEASE_SKIP_SETUP !== '1') {
  const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const major = process.versions.node.split('.')[0];
  // One story with `portlease doctor` and the README's Platforms: 22, 24 and 26 are tested; 20 is in
  // engines (it installs) but past end of life and untested; anything else is outside engines.
  if (!engines.node.split('||').some((range) => range.trim().startsWith(`^${major}.`))) {
    console.log(
      `· Node ${process.version} is outside the supported lines (${engines.node}): running anyway, untested`,
    );
  } else if (!['22', '24', '26'].includes(major)) {
    console.log(`· Node ${process.version}: past end of life, not tested (best effort); tested: 22, 24, 26`);
  }
  ensureChromium();
  let env;
  try {
    process.stdout.write(`· pnpm ${pnpmVersion} (packageManager) … `);
    env = envWithPnpm();
    console.log('ready');
  } catch (error) {
    console.log('FAILED');
    console.error(error.message);
    process.exit(1);
  }
  const installed = existsSync(join(root, 'node_modules', '.modules.yaml'));
  if (!installed || process.env.CI) {
    const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
    quietStep('installing the workspace (pnpm install)', 'pnpm', ['install', ...frozen], env);
  }
  quietStep('building the packages (pnpm run build)', 'pnpm', ['run', 'build'], env);
  process.env.PATH = env.PATH ?? process.env.PATH;
}
const result = spawnSync(process.execPath, [join(root, tasks[task]), ...rest], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
