// What the registry gets: every package of the workspace packed as `npm publish` would (`pnpm pack`),
// then the tarball checked the way a user meets it on the registry page: README.md and LICENSE are in
// it, the license is the MIT one package.json names, `repository`/`homepage`/`bugs` are set, and every
// README link works off the repository (absolute `https://` links, or `#anchors` within the page):
// a relative `../core` is dead on the registry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { pnpm } from './helpers.mjs';

const packages = join(fileURLToPath(import.meta.url), '..', '..', '..');
const REPOSITORY = 'https://github.com/portlease/portlease';
const work = mkdtempSync(join(tmpdir(), 'pl-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Packs `dir` into its own folder under `work` and unpacks it; returns the unpacked `package/`. */
function packAndUnpack(dir) {
  const out = mkdtempSync(join(work, 'p-'));
  const [packed] = JSON.parse(
    `[${pnpm(['pack', '--pack-destination', out, '--json'], { cwd: dir, encoding: 'utf8' })}]`,
  );
  execFileSync('tar', ['xzf', packed.filename, '-C', out]);
  return join(out, 'package');
}

/** Every link target of a Markdown file: `[text](target)`, `![alt](target)`, `<a href="target">`. */
function links(markdown) {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  const found = [...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]);
  for (const m of withoutCode.matchAll(/\b(?:href|src)="([^"]+)"/g)) found.push(m[1]);
  return found;
}

for (const folder of ['core', 'playwright-fixture', 'vitest-plugin', 'jest-env', 'get-port-shim']) {
  test(`${folder}: the packed package carries README.md, LICENSE and links that work on the registry`, () => {
    const dir = join(packages, folder);
    const unpacked = packAndUnpack(dir);
    const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8'));

    const readme = readFileSync(join(unpacked, 'README.md'), 'utf8');
    assert.match(
      readme,
      new RegExp(`^# ${manifest.name.replace('/', '\\/')}\\n`),
      "the README is the package's",
    );
    const license = readFileSync(join(unpacked, 'LICENSE'), 'utf8');
    assert.equal(manifest.license, 'MIT');
    assert.match(license, /^MIT License\n/);

    assert.equal(manifest.repository?.url, `git+${REPOSITORY}.git`);
    assert.equal(manifest.repository?.directory, `packages/${folder}`);
    assert.ok(manifest.homepage?.startsWith(REPOSITORY), `homepage: ${manifest.homepage}`);
    assert.equal(manifest.bugs?.url, `${REPOSITORY}/issues`);

    const targets = links(readme);
    assert.ok(targets.length > 0, 'the README links to the documentation');
    const dead = targets.filter((target) => !/^https:\/\//.test(target) && !/^#[\w-]+$/.test(target));
    assert.deepEqual(dead, [], 'relative links are dead on the registry page: make them absolute');
  });
}
