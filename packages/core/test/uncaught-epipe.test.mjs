// A script piped into a reader that closes early (`node script.mjs | head -1`) dies of an uncaught
// EPIPE. If a startServer is in flight then, its lease must still be released (the README says
// uncaught exceptions release) and its server stopped, at every point of the start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, dist, reserveRange, tempLockDir, until } from './helpers.mjs';

test('an uncaught EPIPE while startServer is in flight leaves no lease and no server', async () => {
  const dir = tempLockDir();
  const slow = join(dir, 'slow.mjs');
  // Listens only after a while, so the crash can come before, during and after the start.
  writeFileSync(
    slow,
    "import { createServer } from 'node:http';\nsetTimeout(() => createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1'), 800);\n",
  );
  const [min, max] = await reserveRange(4);
  for (const delay of [0, 20, 200, 1500]) {
    const script = join(dir, `script-${delay}.mjs`);
    writeFileSync(
      script,
      `import { startServer } from ${JSON.stringify(join(dist, 'index.js'))};
const pending = startServer({ command: [process.execPath, ${JSON.stringify(slow)}], lease: { range: [${min}, ${max}] } });
setTimeout(() => { for (let i = 0; i < 200; i++) process.stdout.write('x'.repeat(1000) + '\\n'); }, ${delay});
await pending;
setInterval(() => process.stdout.write('still here\\n'), 50);
`,
    );
    const lockDir = tempLockDir();
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy(); // the reader is gone: every write is EPIPE
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const code = await new Promise((resolve) => child.once('exit', (c) => resolve(c)));
    assert.equal(code, 1, `delay ${delay}: died of the uncaught EPIPE`);
    assert.match(stderr, /EPIPE/, `delay ${delay}`);
    await until(
      async () => (await core.listLeases({ lockDir })).length === 0,
      `delay ${delay}: no lease left`,
    );
  }
});
