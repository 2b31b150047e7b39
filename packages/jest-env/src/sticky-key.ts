import { createHash } from 'node:crypto';

/** Core's limit on a sticky name's length (its name rule is core's own; core reports a bad name). */
const MAX_NAME = 100;

/**
 * The sticky name of a test file's port `name`: `<file>:<name>`, the file being its path from the
 * rootDir with every character a sticky name cannot hold made a `.` (`src/api.test.js` →
 * `src.api.test.js:api`). Per file because test files run at once in several workers and each may
 * name a port `api`: one shared name would have many holders at a time and give its preferred port
 * to whichever file came first. A path too long for a name (or not starting with a letter or digit)
 * is replaced by a hash of it, still the same run after run.
 */
export function fileStickyName(file: string, name: string): string {
  const slug = file.replace(/[^A-Za-z0-9._-]/g, '.');
  const readable = `${slug}:${name}`;
  if (readable.length <= MAX_NAME && /^[A-Za-z0-9]/.test(slug)) return readable;
  return `${createHash('sha256').update(file).digest('hex').slice(0, 16)}:${name}`;
}
