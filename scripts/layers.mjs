#!/usr/bin/env node
// Draws packages/core/src as a house: each file's floor, the arrows (relative imports) that run back
// up a floor, and the import cycles.
//   node scripts/layers.mjs            summary: files, arrows, arrows up, cycles
//   node scripts/layers.mjs --list     also each file with its floor and imports
// Floors, lowest first: a file may import its own floor and the floors below it. Files at the root of
// src/ other than the entries are the foundation (errors.ts); folders not in the table are unknown
// and reported as such.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const FLOORS = [
  ['errors.ts', 0],
  ['settle.ts', 0],
  ['platform/', 1],
  ['store/', 2],
  ['realm/', 3],
  ['options/', 4],
  ['lease/', 5],
  ['server/', 6],
  ['get-port/', 6],
  ['cli/', 7],
  ['adapter.ts', 8],
  ['index.ts', 8],
  ['on-demand.ts', 8],
  ['rarely-used.ts', 8],
];
const NAMES = [
  'foundation',
  'platform',
  'store',
  'realm',
  'options',
  'lease',
  'server/get-port',
  'cli',
  'entries',
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'core', 'src');
const list = process.argv.includes('--list');
const files = readdirSync(root, { recursive: true })
  .map((f) => f.split(sep).join('/'))
  .filter((f) => f.endsWith('.ts'))
  .sort();

const floorOf = (file) => {
  for (const [prefix, floor] of FLOORS)
    if (file === prefix || (prefix.endsWith('/') && file.startsWith(prefix))) return floor;
  return undefined;
};

const imports = new Map();
for (const file of files) {
  const text = readFileSync(join(root, file), 'utf8');
  const targets = new Set();
  for (const m of text.matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
    targets.add(
      normalize(join(dirname(file), m[1]))
        .split(sep)
        .join('/')
        .replace(/\.js$/, '.ts'),
    );
  }
  imports.set(file, [...targets].sort());
}

let arrows = 0;
const up = [];
const unknown = files.filter((f) => floorOf(f) === undefined);
for (const [file, targets] of imports) {
  for (const target of targets) {
    arrows++;
    const a = floorOf(file);
    const b = floorOf(target);
    if (a !== undefined && b !== undefined && b > a)
      up.push(`${file} (${NAMES[a]}) -> ${target} (${NAMES[b]})`);
  }
}

// Cycles: strongly connected components of more than one file (Tarjan).
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const cycles = [];
let counter = 0;
const visit = (v) => {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of imports.get(v) ?? []) {
    if (!imports.has(w)) continue;
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const scc = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) cycles.push(scc.sort());
  }
};
for (const file of files) if (!index.has(file)) visit(file);

if (list) {
  for (const [file, targets] of imports) {
    const f = floorOf(file);
    console.log(
      `${file} [${f === undefined ? '?' : NAMES[f]}]${targets.length ? `\n  ${targets.join('\n  ')}` : ''}`,
    );
  }
  console.log('');
}
console.log(`files: ${files.length}, arrows: ${arrows}, arrows up: ${up.length}, cycles: ${cycles.length}`);
for (const line of up) console.log(`  up: ${line}`);
for (const scc of cycles) console.log(`  cycle: ${scc.join(' <-> ')}`);
for (const file of unknown) console.log(`  no floor: ${relative(root, join(root, file))}`);
process.exitCode = up.length || cycles.length ? 1 : 0;
