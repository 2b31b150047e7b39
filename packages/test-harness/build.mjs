// The built portlease under test (packages/core/dist, through the workspace link): its module, where it
// lies, its CLI, and a copy of it that another user can run.
import { chmodSync, copyFileSync, cpSync, linkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built package's folder (`dist`): the tests run against the build, never the sources. */
export const dist = dirname(fileURLToPath(import.meta.resolve('portlease')));
/** The `portlease` CLI of the build, to run with `runNode([cli, …])`. */
export const cli = join(dist, 'cli.js');
/** The built package's module (the same instance as any other import of the build). */
export const core = await import('portlease');

/**
 * What a child run as another (unprivileged) user needs to run the build, inside `base` (made
 * readable to all): a copy of dist, copies of `fixtures` (`{ name: path }`, each copied to
 * `fixtures/<name>`), and a node binary it can execute. The checkout may sit in a directory only root
 * can enter (a fresh clone under a 0700 temp dir), and a Node line installed from the npm registry sits
 * in root's npm cache: a hard link to the running binary, or a copy across filesystems.
 * Returns `{ node, index, fixture(name) }`.
 */
export function readableBuild(base, fixtures = {}) {
  chmodSync(base, 0o755);
  const copy = join(base, 'dist');
  cpSync(dist, copy, { recursive: true });
  for (const [name, path] of Object.entries(fixtures)) {
    cpSync(path, join(base, 'fixtures', name), { recursive: true });
  }
  const node = join(base, 'node');
  try {
    linkSync(process.execPath, node);
  } catch {
    copyFileSync(process.execPath, node);
    chmodSync(node, 0o755);
  }
  return { node, index: join(copy, 'index.js'), fixture: (name) => join(base, 'fixtures', name) };
}
