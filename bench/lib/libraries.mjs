// The libraries under test, each called the way its README shows. `base` is the first port of a
// preferred range verified free at the start of the run (never 3000 or 8000, which may be real
// services); portlease uses its default range and the run's private lock directory.

/** Every variant, in the order tables and charts show them. */
export const LIBRARIES = [
  { id: 'portlease', label: 'portlease', usage: 'leasePort() (default range, release after use)' },
  { id: 'get-port', label: 'get-port', usage: 'getPort() (port 0: the kernel picks)' },
  {
    id: 'get-port-range',
    label: 'get-port (range)',
    usage: 'getPort({ port: portNumbers(B, B+100) })',
  },
  {
    id: 'get-port-please',
    label: 'get-port-please',
    usage:
      'getPort({ port: B, alternativePortRange: [B, B+100] }) (its default, 3000 + 3000–3100, moved to B)',
  },
  { id: 'portfinder', label: 'portfinder', usage: 'getPortPromise({ port: B }) (scans upward from B)' },
  { id: 'detect-port', label: 'detect-port', usage: 'detectPort(B) (B..B+10, then port 0)' },
];

export const LIBRARY_IDS = LIBRARIES.map((l) => l.id);

const EXTRA_LABELS = { 'portlease-tmpfs': 'portlease, lock dir on tmpfs (/dev/shm)' };

export function labelOf(id) {
  return LIBRARIES.find((l) => l.id === id)?.label ?? EXTRA_LABELS[id] ?? id;
}

/** Span of the preferred range given to the range-taking peers. */
export const PREFERRED_SPAN = 100;

const none = () => Promise.resolve();

/**
 * Loads one library and returns `allocate()`, resolving to `{ port, release }`: `release` frees what
 * the library holds (only portlease holds anything; the others return a bare number).
 */
export async function loadAllocator(id, { base, lockDir, range } = {}) {
  switch (id) {
    case 'portlease': {
      const { leasePort } = await import('portlease');
      const options = { lockDir, owner: `bench worker ${process.pid}` };
      if (range) options.range = range;
      return async () => {
        const lease = await leasePort(options);
        return { port: lease.port, release: () => lease.release() };
      };
    }
    case 'get-port': {
      const { default: getPort } = await import('get-port');
      return async () => ({ port: await getPort(), release: none });
    }
    case 'get-port-range': {
      const { default: getPort, portNumbers } = await import('get-port');
      return async () => ({
        port: await getPort({ port: portNumbers(base, base + PREFERRED_SPAN) }),
        release: none,
      });
    }
    case 'get-port-please': {
      const { getPort } = await import('get-port-please');
      return async () => ({
        port: await getPort({ port: base, alternativePortRange: [base, base + PREFERRED_SPAN] }),
        release: none,
      });
    }
    case 'portfinder': {
      const { default: portfinder } = await import('portfinder');
      return async () => ({ port: await portfinder.getPortPromise({ port: base }), release: none });
    }
    case 'detect-port': {
      const { detectPort } = await import('detect-port');
      return async () => ({ port: await detectPort(base), release: none });
    }
    default:
      throw new Error(`unknown library ${id}`);
  }
}
