// Broken and hostile things that can sit where a lease record should be, and a child process that
// meets them (allocation, list, gc) under a time limit, so a hang is a failure and not a stuck suite.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProcess } from '@portlease/test-harness';
import { distIndex, tempDir } from './helpers.mjs';

const validRecord = (token) =>
  JSON.stringify({ v: 1, owner: 'x', ownerId: token.slice(0, 24), token, pid: 1, created: Date.now() });

/** name -> creates that shape at `path` (whatever was there is removed first). */
export const RECORD_SHAPES = {
  empty: (path) => writeFileSync(path, ''),
  truncated: (path, token) => writeFileSync(path, validRecord(token).slice(0, 25)),
  binary: (path) => writeFileSync(path, Buffer.from([0, 255, 254, 1, 0x80, 0xc3, 0x28, 10, 0])),
  'huge (64 KiB)': (path) => writeFileSync(path, `{"v":1,"owner":"${'x'.repeat(64 * 1024)}"}`),
  'sparse 4 GiB': (path) => {
    writeFileSync(path, '');
    truncateSync(path, 4 * 1024 ** 3);
  },
  'future version': (path, token) =>
    writeFileSync(path, JSON.stringify({ v: 7, token, lease: { holder: token.slice(0, 24) }, ttl: 'PT5M' })),
  'wrong types': (path) =>
    writeFileSync(path, '{"v":"1","owner":42,"ownerId":null,"token":[],"pid":"7","created":{}}'),
  'JSON array': (path) => writeFileSync(path, '[1,2,3]'),
  'a directory': (path) => {
    mkdirSync(path);
    writeFileSync(`${path}/inside`, 'x');
  },
  'a symlink to /etc/hostname': (path) => symlinkSync('/etc/hostname', path),
  'a dangling symlink': (path) => symlinkSync('/nonexistent/portlease-test', path),
  'a FIFO': (path) => execFileSync('mkfifo', [path]),
  'a symlink to a FIFO': (path) => {
    const fifo = join(tempDir('pl-fifo-'), 'fifo');
    execFileSync('mkfifo', [fifo]);
    symlinkSync(fifo, path);
  },
};

/** Replaces whatever is at `path` with the named shape. */
export function makeShape(name, path, token) {
  rmSync(path, { recursive: true, force: true });
  RECORD_SHAPES[name](path, token);
}

/**
 * In a fresh child (with a time limit): leasePort on [port, port], then listLeases, then
 * collectGarbage. Resolves what each did: `{ lease: {port} | {error}, list: {statuses} | {error},
 * gc: {...} | {error} }`, or `{ hang: true }` if the child did not finish within `ms`.
 */
export async function meetInChild(lockDir, port, ms = 20_000) {
  const script = `
    import { collectGarbage, leasePort, listLeases } from ${JSON.stringify(`file://${distIndex}`)};
    const describe = (e) => ({ error: { name: e?.name, code: e?.code, message: String(e?.message ?? e) } });
    const out = {};
    out.lease = await leasePort({ range: [${port}, ${port}] }).then(
      (l) => { l.releaseSync(); return { port: l.port }; }, describe);
    out.list = await listLeases().then((infos) => ({ statuses: infos.map((i) => i.status) }), describe);
    out.gc = await collectGarbage().then((r) => r, describe);
    console.log(JSON.stringify(out));`;
  // SIGKILL at the timeout: a process stuck in open() on a FIFO does not even die of SIGTERM.
  const { code, signal, stdout, stderr } = await runProcess(
    process.execPath,
    ['--input-type=module', '-e', script],
    {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      timeout: ms,
    },
  );
  if (signal === 'SIGKILL') return { hang: true };
  if (code !== 0) return { crash: stderr || stdout };
  return JSON.parse(stdout.trim().split('\n').pop());
}
