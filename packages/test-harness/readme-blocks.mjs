/**
 * The js/ts code blocks of a README, each with the marker comment before it, as the READMEs write
 * them: `<!-- readme-test: file -->` (run by a test, as `file`), `<!-- fragment -->`, or none.
 * Returns `{ marker, file, lang, code }` (`marker` and `file` `undefined` when absent).
 */
export function codeBlocks(markdown) {
  const pattern = /(?:<!--\s*([\w-]+)(?::\s*(\S+))?\s*-->\n\n)?```(js|ts|mjs|cjs)\n([\s\S]*?)```/g;
  return [...markdown.matchAll(pattern)].map((m) => ({ marker: m[1], file: m[2], lang: m[3], code: m[4] }));
}
