// Shared by polyglot.test.mjs: private directories, a port range reserved for the test file, child
// processes whose stdout lines are read as they come, and drivers that lease with each client.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from 'portlease';

export const example = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fakeCli = join(example, 'test', 'fixtures', 'fake-cli.mjs');
export const python = process.env.PYTHON ?? 'python3';
export const noPython = spawnSync(python, ['--version']).status === 0 ? false : `${python} not found`;

const tempDirs = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
export function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'pl-polyglot-test-'));
  tempDirs.push(dir);
  return dir;
}

// The smallest piece of packages/*/test/helpers.mjs: a block of ports no other test file of this run
// uses, held in the workspace's harness lock directory until this process exits.
const HARNESS_DIR = join(tmpdir(), `portlease-test-harness-${process.getuid?.() ?? 'user'}`);
const BLOCK_ZONE = [10000, 15999];
export async function reserveRange(size) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = BLOCK_ZONE[0] + Math.floor(Math.random() * (BLOCK_ZONE[1] - BLOCK_ZONE[0] + 1 - size));
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

/** Starts a process; `line()` resolves with its next stdout line, `exited` with its exit. */
export function start(file, args, env) {
  const child = spawn(file, args, {
    cwd: example,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    stdio: 'pipe',
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    child,
    exited,
    async line() {
      while (!out.includes('\n')) {
        if (child.exitCode !== null)
          throw new Error(`exited ${child.exitCode} before a line; stderr: ${err}`);
        await Promise.race([exited, new Promise((resolve) => child.stdout.once('data', resolve))]);
      }
      return out.slice(0, out.indexOf('\n'));
    },
  };
}

export async function until(check, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Leases `port` in `lockDir` from Node, or resolves the PortleaseError code. */
export async function nodeLease(port, lockDir) {
  try {
    return await core.leasePort({ range: [port, port], lockDir, owner: 'node leaser' });
  } catch (error) {
    return error.code;
  }
}

/** Drivers: lease `count` ports with each client and print {"pid", "ports"} or {"pid", "code"}. */
const DRIVERS = {
  python: (count) => [
    python,
    [
      '-c',
      `import json, os, sys
sys.path.insert(0, ${JSON.stringify(example)})
from portlease_client import PortleaseClientError, lease_ports
try:
    print(json.dumps({"pid": os.getpid(), "ports": lease_ports(${count})}), flush=True)
except PortleaseClientError as error:
    print(json.dumps({"pid": os.getpid(), "code": error.code, "message": str(error)}), flush=True)
sys.stdin.read()`,
    ],
  ],
  shell: (count) => [
    'sh',
    [
      '-c',
      `. ./portlease_client.sh
if portlease_get ${count}; then
  printf '{"pid":%s,"ports":[%s]}\\n' $$ "$(echo $PORTLEASE_PORTS | tr ' ' ,)"
else
  printf '{"pid":%s,"code":"%s"}\\n' $$ "$PORTLEASE_ERROR"
fi
read -r line || true`,
    ],
  ],
};

export async function lease(lang, count, env) {
  const [file, args] = DRIVERS[lang](count);
  const client = start(file, args, env);
  return { client, answer: JSON.parse(await client.line()) };
}

/** A Node process holding `count` leases until its stdin closes; resolves once it printed its ports. */
export async function nodeHolder(count, owner, env) {
  const code = `const { leasePorts } = await import('portlease');
const leases = await leasePorts(${count}, { owner: ${JSON.stringify(owner)} });
console.log(JSON.stringify(leases.map((lease) => lease.port)));
process.stdin.resume().on('end', () => process.exit(0));`;
  const holder = start(process.execPath, ['--input-type=module', '-e', code], env);
  return { holder, ports: JSON.parse(await holder.line()) };
}
