import type { Readable } from 'node:stream';
import { urlFor } from './ready.js';
import type { RunningServer } from './types.js';

/** How a server runs: as a supervised command, or in this process. */
export interface Strategy {
  /** The supervisor's pid (commands only). */
  readonly pid: number | undefined;
  /** The command's own pid, once the supervisor has reported it (commands only). */
  appPid(): number | undefined;
  /** How it ended on its own (`exited with code 3`), or undefined while it runs. */
  ended(): string | undefined;
  /** Lets this process exit while the server runs (it still stops when this process dies). */
  detach(): void;
  /** Stops the server; resolves once it and its process tree are gone and the port is free. */
  stop(): Promise<void>;
}

const OUTPUT_LIMIT = 64 * 1024;

/** The last 64 KiB of a server's output, copied to stderr as it comes when `log` is set. */
export class OutputBuffer {
  text = '';
  constructor(private readonly log: boolean) {}
  attach(stream: Readable | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      if (this.log) process.stderr.write(chunk);
      this.text = (this.text + chunk).slice(-OUTPUT_LIMIT);
    });
  }
}

/** The last 30 lines a server printed, for the message of an error about it. */
export function outputTail(text: string): string {
  const lines = text.trimEnd().split('\n').slice(-30).join('\n');
  return lines ? `\n--- server output (last lines) ---\n${lines}\n---` : '\n(the server printed nothing)';
}

/**
 * What startServer resolves once the server accepts connections on `port` at `host`: the strategy is
 * detached (this process may exit while it runs), and `stop` ends it and gives its port back.
 */
export function runningServer(
  strategy: Strategy,
  port: number,
  host: string,
  output: OutputBuffer,
  stop: () => Promise<void>,
): RunningServer {
  strategy.detach();
  return {
    port,
    url: urlFor(host, port),
    pid: strategy.pid,
    get appPid() {
      return strategy.appPid();
    },
    output: () => output.text,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
