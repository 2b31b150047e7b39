/*
 * Whether a port accepts a TCP connection now: for waiting on a server (startServer, waitForLease).
 */
import { connect } from 'node:net';

/** Tries one TCP connection; resolves whether it was accepted. */
export function canConnect(port: number, host: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.unref();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The first of `hosts` that accepts a connection on `port`, or undefined. */
export async function reachableHost(port: number, hosts: readonly string[]): Promise<string | undefined> {
  const answers = await Promise.all(hosts.map((host) => canConnect(port, host)));
  return hosts[answers.indexOf(true)];
}
