import type { Readable } from 'node:stream';

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
