#!/usr/bin/env node
// What loading each Node built-in costs a fresh process that has loaded `node:net` already (as
// get-port and portlease both do): the median over fresh processes of the time of `import(name)`.
//   node bench/profile/builtin-cost.mjs node:crypto node:worker_threads node:module [--rounds 15]
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '15' } },
});
const times = Object.fromEntries(['node:net', ...positionals].map((name) => [name, []]));
for (let round = 0; round < Number(values.rounds); round++) {
  for (const name of Object.keys(times)) {
    const code = `await import('node:net'); const t0 = performance.now(); await import('${name}'); console.log(performance.now() - t0);`;
    const out = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' });
    times[name].push(Number(out.stdout));
  }
}
for (const [name, list] of Object.entries(times)) {
  list.sort((a, b) => a - b);
  console.log(`${name.padEnd(22)} ${list[list.length >> 1].toFixed(2)} ms`);
}
