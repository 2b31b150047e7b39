/*
 * Dev servers that ignore $PORT, and how to give them a port instead: `portlease run` and
 * `startServer` add `--port N` (and `--strictPort` where the framework has it, so it fails instead
 * of silently moving to another port) when the command is one of these and the user gave no
 * `--port`. The list follows the one portless keeps (its framework table), each flag checked in the
 * framework's own CLI reference. SvelteKit, Nuxt on Vite and Remix on Vite run `vite`, which is listed.
 */

/** One framework CLI that takes its port as a flag. */
export interface Framework {
  /** The executable's name (`.cmd` / `.exe` stripped on Windows). */
  command: string;
  /** Sub-commands that start a server; `''` means the bare command does (`vite`, `vite --host`). */
  servers: readonly string[];
  /** Sub-commands that never take a port (`vite build`): nothing is added. */
  others?: readonly string[];
  /** A first word that is no sub-command is a root directory, and starts a server (`vite ./app`). */
  rootIsServer?: boolean;
  /** The flag that fails instead of moving to another port when the port is taken, if it has one. */
  strictPort?: string;
}

/** The frameworks, as data: README "Named services" lists this table. */
export const FRAMEWORKS: readonly Framework[] = [
  {
    command: 'vite',
    servers: ['', 'dev', 'serve', 'preview'],
    others: ['build', 'optimize'],
    rootIsServer: true,
    strictPort: '--strictPort',
  },
  { command: 'vitepress', servers: ['dev', 'preview'], strictPort: '--strictPort' },
  { command: 'react-router', servers: ['dev'], strictPort: '--strictPort' },
  { command: 'astro', servers: ['dev', 'preview'] },
  { command: 'ng', servers: ['serve', 's', 'dev'] },
  { command: 'rsbuild', servers: ['', 'dev', 'preview'], others: ['build', 'inspect'] },
  { command: 'expo', servers: ['', 'start'] },
  { command: 'react-native', servers: ['start'] },
  { command: 'wrangler', servers: ['dev'] },
];

/** Package runners that run a framework's executable: `npx vite`, `pnpm exec vite`, `yarn dlx astro dev`. */
const RUNNERS: Readonly<Record<string, readonly string[]>> = {
  npx: [],
  pnpx: [],
  bunx: [],
  pnpm: ['exec', 'dlx'],
  yarn: ['exec', 'dlx'],
};

const base = (word: string) => (word.split(/[\\/]/).pop() ?? word).replace(/\.(cmd|exe)$/i, '');
const byCommand = new Map(FRAMEWORKS.map((f) => [f.command, f]));

/** Where the framework's executable is in `argv` (past a package runner), or -1. */
function frameworkAt(argv: readonly string[]): number {
  const first = argv[0] === undefined ? '' : base(argv[0]);
  if (byCommand.has(first)) return 0;
  const subcommands = RUNNERS[first];
  if (subcommands === undefined) return -1;
  let i = 1;
  if (subcommands.length && subcommands.includes(argv[i] ?? '')) i++;
  // Runner flags without values only (`npx --yes vite`): a flag with a value is not guessed at.
  while (i < argv.length && (argv[i] as string).startsWith('-') && argv[i] !== '--') i++;
  return byCommand.has(base(argv[i] ?? '')) ? i : -1;
}

function startsServer(framework: Framework, args: readonly string[]): boolean {
  const first = args[0];
  if (first === undefined || first.startsWith('-')) {
    // Flags first (`vite --host`): the bare command, unless a word of them names another sub-command.
    return framework.servers.includes('') && !args.some((arg) => framework.others?.includes(arg));
  }
  if (framework.servers.includes(first)) return true;
  if (framework.others?.includes(first)) return false;
  return framework.rootIsServer === true;
}

/**
 * `argv` with the framework's port flags added, or `argv` itself when it runs no known framework
 * server or already gives a port (`--port 4000`, `--port=4000`). Flags go before a `--` that ends the
 * framework's options, else at the end.
 *
 * @example
 * ```ts
 * withFrameworkPort(['vite'], 20417); //=> ['vite', '--port', '20417', '--strictPort']
 * withFrameworkPort(['npx', 'ng', 'serve'], 20417); //=> ['npx', 'ng', 'serve', '--port', '20417']
 * withFrameworkPort(['vite', 'build'], 20417); //=> ['vite', 'build']
 * ```
 */
export function withFrameworkPort(argv: readonly string[], port: number): readonly string[] {
  const at = frameworkAt(argv);
  if (at === -1) return argv;
  const framework = byCommand.get(base(argv[at] as string)) as Framework;
  const end = argv.indexOf('--', at + 1);
  const args = argv.slice(at + 1, end === -1 ? argv.length : end);
  if (!startsServer(framework, args)) return argv;
  if (args.some((arg) => arg === '--port' || arg.startsWith('--port='))) return argv;
  const flags = ['--port', String(port), ...(framework.strictPort ? [framework.strictPort] : [])];
  const insert = end === -1 ? argv.length : end;
  return [...argv.slice(0, insert), ...flags, ...argv.slice(insert)];
}

/**
 * The same for a command line run by the shell (`startServer({ command: 'vite --host' })`), only
 * when it is one plain command: words, no quotes, operators or substitutions.
 */
export function withFrameworkPortInShell(command: string, port: number): string {
  if (/[;&|<>()$`"'\\\n*?#]/.test(command)) return command;
  const words = command.trim().split(/\s+/);
  const added = withFrameworkPort(words, port);
  return added === words ? command : added.join(' ');
}
