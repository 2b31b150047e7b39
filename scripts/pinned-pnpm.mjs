#!/usr/bin/env node
// The one way this workspace reaches pnpm: the version `packageManager` pins, installed with the
// machine's npm into a cache directory of its own, never a global install. The bootstrap (`npm run
// demo`, `npm test`, `npm run bench`), .ci/run and the tests that pack or install (through the test
// harness's `pnpm()`) all call it, so a machine with only node, npm and corepack runs everything, and
// a pnpm that happens to be on PATH (of another version, or none) changes nothing.
//   node scripts/pinned-pnpm.mjs --bin-dir   installs it if needed, prints the directory holding `pnpm`
//
// Why not corepack: it fetches pnpm from a URL that this workplace's closed network does not reach;
// `npm install` from the registry is what works everywhere Node and npm do. Why not `npx -y pnpm@…`:
// it re-resolves the version from the registry on every call (a second or more each), and its cache
// (~/.npm/_npx) is keyed by a hash, not a path that PATH can name.
//
// This file imports only Node built-ins: it runs before the workspace is installed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The pinned version: `packageManager` of the root package.json (`pnpm@12.21.0` gives `12.21.0`). */
export const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];

/**
 * Where a pinned tool is installed: `$PORTLEASE_TOOL_CACHE/<name>/<version>`, by default under
 * `${XDG_CACHE_HOME:-~/.cache}/portlease-ci` beside .ci/run's Node lines (delete it to reinstall).
 */
export function toolHome(name, version) {
  const cache =
    process.env.PORTLEASE_TOOL_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'portlease-ci');
  return join(cache, name, version);
}

const binName = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';

/**
 * `name@version` from the npm registry, installed with the machine's npm into {@link toolHome} on first
 * use; returns the path of `file` (relative to that directory) in it. Processes that install at once do
 * not see each other's half-written install: each installs into a directory of its own and renames it
 * into place; the loser of the rename uses the winner's.
 */
export function npmInstalledTool(name, version, file) {
  const home = toolHome(name, version);
  const target = join(home, file);
  if (existsSync(target)) return target;
  // A directory without the file was not made by the rename below (an older layout, or a hand edit).
  if (existsSync(home)) rmSync(home, { recursive: true, force: true });
  const staging = `${home}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync(
      'npm',
      ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-fund', '--no-audit'].concat([
        '--loglevel=error',
        `${name}@${version}`,
      ]),
      // Never a hang: a registry that does not answer fails the step after 5 minutes.
      { stdio: ['ignore', 'ignore', 'pipe'], shell: process.platform === 'win32', timeout: 300_000 },
    );
    try {
      renameSync(staging, home);
    } catch (error) {
      // Another process installed it first (the target exists and is not empty): use that one.
      if (!existsSync(target)) throw error;
    }
  } catch (error) {
    const detail = error.stderr ? `\n${String(error.stderr).trim()}` : ` (${error.message})`;
    throw new Error(`could not install ${name}@${version} with npm into ${home}${detail}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

/** The directory holding the pinned `pnpm` (put it first on PATH), installed on first use. */
export function pnpmBinDir() {
  return dirname(npmInstalledTool('pnpm', pnpmVersion, join('node_modules', '.bin', binName)));
}

/** This process's environment with the pinned pnpm first on PATH (for everything it starts). */
export function envWithPnpm(env = process.env) {
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH') ?? 'PATH';
  const sep = process.platform === 'win32' ? ';' : ':';
  return { ...env, [key]: [pnpmBinDir(), env[key]].filter(Boolean).join(sep) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv[2] !== '--bin-dir') {
    console.error('usage: node scripts/pinned-pnpm.mjs --bin-dir');
    process.exit(2);
  }
  try {
    console.log(pnpmBinDir());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
