/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidi overrides, which would
 * let text read from the lock directory (owner labels, file names: anyone who can write there picks
 * them) forge table rows or send escape sequences to the terminal.
 */
const UNSAFE = /[\\\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` safe to print on one terminal line: unsafe characters become escapes (`\n`, `\x1b`,
 * `\u202e`) and a backslash becomes `\\`, so an escape in the output always means an escaped byte.
 *
 * @example
 * ```ts
 * printable('api\n20001  alive'); //=> 'api\\n20001  alive'
 * printable('\x1b[2J'); //=> '\\x1b[2J'
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
