// Shared by polyglot.test.mjs: child processes whose stdout lines are read as they come, and drivers
// that lease with each client; the workspace's test harness gives the rest (re-exported).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from 'portlease';

export { reserveRange, tempDir, until } from '@portlease/test-harness';

export const example = join(dirname(fileURLToPath(import.meta.url)), '..');
export const fakeCli = join(example, 'test', 'fixtures', 'fake-cli.mjs');
export const python = process.env.PYTHON ?? 'python3';
export const noPython = spawnSync(python, ['--version']).status === 0 ? false : `${python} not found`;

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
