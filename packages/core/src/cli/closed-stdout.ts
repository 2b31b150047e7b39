/**
 * A CLI's stdout closed by its reader (`portlease doctor | head -1`, `portlease list | grep -q …`):
 * Node ignores SIGPIPE, so the next write fails with `EPIPE`, and an `error` event nobody listens to
 * crashes the process with a stack trace. A closed stdout is the reader's choice, not a failure:
 * once it is closed, further output is dropped and the command finishes as it would have (a `get`
 * still holds the ports it leased for the calling shell), exiting with its own code.
 */
export function ignoreClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
