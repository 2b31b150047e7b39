// Frameworks that ignore PORT, with stand-in executables of their names on PATH: each stand-in
// prints its arguments and listens only on the port given by --port (never on $PORT), as vite,
// astro or ng serve do. `portlease run` and `startServer` add --port (and --strictPort where the
// framework has it) from the one table, and leave commands alone that give a port or serve nothing.
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '@portlease/test-harness';
import { cli, core, reserveRange, runProcess, tempLockDir } from './helpers.mjs';

const STAND_IN = `#!${process.execPath}
// A framework CLI that ignores $PORT: prints its argv, listens on --port N if given, else exits.
const { createServer } = require('node:http');
const args = process.argv.slice(2);
const at = args.indexOf('--port');
console.log(JSON.stringify({ name: require('node:path').basename(process.argv[1]), args, env: process.env.PORT }));
if (at === -1) process.exit(0);
const server = createServer((_q, r) => r.end('framework')).listen(Number(args[at + 1]), '127.0.0.1', () => {
  if (process.env.EXIT_WHEN_LISTENING) process.exit(0);
});
process.on('SIGTERM', () => process.exit(0));
`;

const names = [
  'vite',
  'vitepress',
  'react-router',
  'astro',
  'ng',
  'rsbuild',
  'expo',
  'react-native',
  'wrangler',
];
const bin = tempDir('pl-frameworks-');
for (const name of names) {
  writeFileSync(join(bin, name), STAND_IN);
  chmodSync(join(bin, name), 0o755);
}
const env = (lockDir) => ({
  ...process.env,
  PATH: `${bin}${delimiter}${process.env.PATH}`,
  PORTLEASE_DIR: lockDir,
  EXIT_WHEN_LISTENING: '1',
});

const cases = [
  [['vite'], ['--port', '{P}', '--strictPort']],
  [
    ['vite', 'dev', '--host'],
    ['dev', '--host', '--port', '{P}', '--strictPort'],
  ],
  [
    ['vite', '--mode', 'dev'],
    ['--mode', 'dev', '--port', '{P}', '--strictPort'],
  ],
  [['vite', 'build'], ['build']],
  [
    ['vite', '--port', '4000'],
    ['--port', '4000'],
  ],
  [
    ['vitepress', 'dev', 'docs'],
    ['dev', 'docs', '--port', '{P}', '--strictPort'],
  ],
  [
    ['react-router', 'dev'],
    ['dev', '--port', '{P}', '--strictPort'],
  ],
  [
    ['astro', 'dev'],
    ['dev', '--port', '{P}'],
  ],
  [['astro', 'build'], ['build']],
  [
    ['ng', 'serve', '--', 'x'],
    ['serve', '--port', '{P}', '--', 'x'],
  ],
  [['rsbuild'], ['--port', '{P}']],
  [
    ['expo', 'start'],
    ['start', '--port', '{P}'],
  ],
  [
    ['react-native', 'start'],
    ['start', '--port', '{P}'],
  ],
  [
    ['wrangler', 'dev'],
    ['dev', '--port', '{P}'],
  ],
];

test('portlease run adds the framework port flags from the table, unless a port is given or nothing serves', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(20);
  for (const [command, expected] of cases) {
    const result = await runProcess(
      process.execPath,
      [cli, 'run', '--range', `${min}-${max}`, '--', ...command],
      {
        env: env(lockDir),
        timeout: 30_000,
      },
    );
    assert.equal(result.code, 0, `${command.join(' ')}: ${result.stderr}`);
    const printed = JSON.parse(result.stdout.trim().split('\n')[0]);
    assert.equal(printed.name, command[0]);
    const port = printed.env;
    assert.deepEqual(
      printed.args,
      expected.map((a) => (a === '{P}' ? port : a)),
      command.join(' '),
    );
  }
  // Not a framework: nothing added.
  const plain = await runProcess(
    process.execPath,
    [
      cli,
      'run',
      '--range',
      `${min}-${max}`,
      '--',
      'node',
      '-e',
      'console.log(JSON.stringify(process.argv.slice(1)))',
    ],
    { env: env(lockDir) },
  );
  assert.deepEqual(JSON.parse(plain.stdout), []);
});

test('startServer starts a framework that ignores PORT on its leased port (argv and shell string)', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(20);
  const saved = process.env.PATH;
  process.env.PATH = `${bin}${delimiter}${saved}`;
  try {
    for (const command of [['vite', 'dev'], 'astro dev']) {
      const server = await core.startServer({
        command,
        lease: { lockDir, range: [min, max] },
        readyTimeout: 20_000,
      });
      try {
        assert.equal(await (await fetch(`${server.url}/`)).text(), 'framework');
        const printed = JSON.parse(server.output().trim().split('\n')[0]);
        assert.ok(
          printed.args.includes(String(server.port)),
          `${JSON.stringify(command)}: ${server.output()}`,
        );
      } finally {
        await server.stop();
      }
    }
  } finally {
    process.env.PATH = saved;
  }
});
