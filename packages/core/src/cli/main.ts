import { readFileSync } from 'node:fs';
import { PortleaseError } from '../errors.js';
import { closest } from '../options/errors.js';
import { ignoreClosedStdout } from './closed-stdout.js';
import { doctor } from './doctor.js';
import { get, hold } from './get.js';
import { HELP } from './help.js';
import { gc, list } from './inspect-commands.js';
import { port } from './port.js';
import { run } from './run.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

/** The commands a typo is matched against (`portlease gett` → did you mean get?). */
const COMMANDS = ['run', 'get', 'list', 'gc', 'doctor', 'version', 'help'];

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'run':
      return run(args);
    case 'get':
      return get(args);
    case '__hold':
      return hold(args);
    case 'port':
      return port(args);
    case 'list':
      return list(args);
    case 'gc':
      return gc(args);
    case 'doctor':
      return doctor(args);
    case 'version':
    case '--version':
    case '-v':
      process.stdout.write(`${version()}\n`);
      return 0;
    case undefined:
      // As git and npm do: a bare `portlease` is a usage mistake (in a script, a missing argument).
      process.stderr.write(`portlease: no command given\n\n${HELP}`);
      return 2;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default: {
      const near = closest(command, COMMANDS);
      const hint = near ? ` (did you mean ${near}?)` : '';
      process.stderr.write(`portlease: unknown command ${JSON.stringify(command)}${hint}\n\n${HELP}`);
      return 2;
    }
  }
}

ignoreClosedStdout();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof PortleaseError) {
      process.stderr.write(`portlease: ${error.message}\n`);
      process.exitCode = error.code === 'INVALID_OPTIONS' ? 2 : 1;
    } else {
      process.stderr.write(`portlease: ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
