import { realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const projects = new Map<string, string>();

/**
 * The project a sticky name belongs to by default: the nearest directory at or above `from` that
 * holds a `package.json`, else the nearest holding `.git` (a checkout or a worktree), else `from`
 * itself; resolved through symlinks, so two paths to one checkout are one project. Cached per `from`.
 */
export function projectOf(from: string = process.cwd()): string {
  let project = projects.get(from);
  if (project === undefined) {
    project = findProject(resolve(from));
    projects.set(from, project);
  }
  return project;
}

function findProject(start: string): string {
  for (const marker of ['package.json', '.git']) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (exists(join(dir, marker))) return real(dir);
      if (dirname(dir) === dir) break;
    }
  }
  return real(start);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
