import { readlinkSync } from 'node:fs';
import { fdExhaustion, PortleaseError } from '../errors.js';

/**
 * Names the network namespace, since ports (and Linux abstract sockets) belong to one: two containers
 * with their own network never collide; with host networking they share a scope.
 *
 * On Linux the name is the namespace's inode, read from `/proc/self/ns/net`. Where that cannot be
 * read (no `/proc` mounted), there is no other way from Node to name the namespace, and guessing a
 * scope (the old `local`) would let this process and a normal one in the same namespace lease the
 * same port: so it is refused with `NETWORK_NAMESPACE_UNKNOWN`.
 */
export function networkScope(): string {
  if (process.platform !== 'linux') return 'local';
  let link: string;
  try {
    link = readlinkSync('/proc/self/ns/net');
  } catch (error) {
    const fds = fdExhaustion(error, 'read /proc/self/ns/net');
    if (fds) throw fds;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new PortleaseError(
      'NETWORK_NAMESPACE_UNKNOWN',
      `portlease cannot tell which network namespace this process is in: /proc/self/ns/net is unreadable (${code}), so it cannot know which other processes share its ports. Mount /proc in this container or sandbox (e.g. do not mask /proc), then try again.`,
      { cause: error, details: { errno: code } },
    );
  }
  const match = /\[(\d+)\]/.exec(link);
  if (!match) {
    throw new PortleaseError(
      'NETWORK_NAMESPACE_UNKNOWN',
      `portlease cannot tell which network namespace this process is in: /proc/self/ns/net reads ${JSON.stringify(link)}, not net:[<inode>]. Mount a real /proc, then try again.`,
      { details: { link } },
    );
  }
  return `net-${match[1]}`;
}
