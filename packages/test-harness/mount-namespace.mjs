// A child in a private mount namespace, for tests that mount a tmpfs or bind-mount over a system
// directory (/dev/shm, /dev) without touching the host's.

/**
 * `[command, args]` that run `argv` (`[file, ...args]`) after the shell command `setup`, in a private
 * mount namespace (`unshare -m --propagation private`; Linux, as root). Spawn it as given.
 */
export function inPrivateMounts(setup, argv) {
  return ['unshare', ['-m', '--propagation', 'private', 'sh', '-c', `${setup} && exec "$0" "$@"`, ...argv]];
}
