// The libraries under test (the rows of the contention and latency measures), each called the way its
// README shows. `base` is the first port of a preferred range verified free at the start of the run
// (never 3000 or 8000, which may be real services). portlease is measured as a user runs it: no
// `lockDir` option and no PORTLEASE_DIR (the row `portlease`), and again with the lock directory set
// on a disk and on a tmpfs (see lock-dirs.mjs), each beside get-port in the same run.

/**
 * Every row, in the order tables and charts show them. `adapter` names the code in loadAllocator;
 * `lockDir` is a place of lock-dirs.mjs (portlease rows only); `needs` a feature of features.mjs
 * without which the row is left out (with a note in the report saying why); `short` the chart's label.
 */
export const LIBRARIES = [
  {
    id: 'portlease',
    label: 'portlease',
    usage: 'leasePort() with the defaults: no lockDir option, no PORTLEASE_DIR (release after use)',
    adapter: 'portlease',
    lockDir: 'defaults',
  },
  {
    id: 'portlease-disk',
    label: 'portlease, lock dir in os.tmpdir()',
    short: 'portlease, tmpdir',
    usage: 'leasePort() with PORTLEASE_DIR (latency: the lockDir option) a fresh directory in os.tmpdir()',
    adapter: 'portlease',
    lockDir: 'disk',
  },
  {
    id: 'portlease-tmpfs',
    label: 'portlease, lock dir on /dev/shm',
    short: 'portlease, /dev/shm',
    usage: 'leasePort() with PORTLEASE_DIR (latency: the lockDir option) a fresh directory in /dev/shm',
    adapter: 'portlease',
    lockDir: 'tmpfs',
    needs: 'tmpfs',
  },
  {
    id: 'portlease-get-port',
    label: 'portlease/get-port',
    usage:
      "getPort() from 'portlease/get-port' (the drop-in), defaults; latency: clearLockedPorts() after each call, contention: once when the worker is done",
    adapter: 'portlease-get-port',
    lockDir: 'defaults',
    needs: 'dropIn',
  },
  { id: 'get-port', label: 'get-port', usage: 'getPort() (port 0: the kernel picks)', adapter: 'get-port' },
  {
    id: 'get-port-range',
    label: 'get-port (range)',
    usage: 'getPort({ port: portNumbers(B, B+100) })',
    adapter: 'get-port-range',
  },
  {
    id: 'get-port-please',
    label: 'get-port-please',
    usage:
      'getPort({ port: B, alternativePortRange: [B, B+100] }) (its default, 3000 + 3000–3100, moved to B)',
    adapter: 'get-port-please',
  },
  {
    id: 'portfinder',
    label: 'portfinder',
    usage: 'getPortPromise({ port: B }) (scans upward from B)',
    adapter: 'portfinder',
  },
  {
    id: 'detect-port',
    label: 'detect-port',
    usage: 'detectPort(B) (B..B+10, then port 0)',
    adapter: 'detect-port',
  },
];

/**
 * Rows of the latency measure only, for portlease features that may not exist in the build measured
 * (they appear once the core accepts their options: see features.mjs). Defaults lock directory.
 */
export const FEATURE_ROWS = [
  {
    id: 'portlease-sticky',
    label: "portlease, sticky: 'web'",
    short: 'portlease, sticky',
    usage: "leasePort({ sticky: 'web' }) (release after use)",
    adapter: 'portlease-sticky',
    lockDir: 'defaults',
    needs: 'sticky',
  },
  {
    id: 'portlease-block10',
    label: 'portlease, block of 10',
    short: 'portlease, 10 in a row',
    usage: 'leasePorts(10, { contiguous: true }) (all released after use; the time is for the 10)',
    adapter: 'portlease-block10',
    lockDir: 'defaults',
    needs: 'contiguous',
  },
];

export const LIBRARY_IDS = LIBRARIES.map((l) => l.id);

const ALL = [...LIBRARIES, ...FEATURE_ROWS];

/** The row `id` ({ id, label, usage, adapter, lockDir?, needs? }); throws for an unknown one. */
export function rowOf(id) {
  const row = ALL.find((l) => l.id === id);
  if (!row) throw new Error(`unknown library ${id}; one of ${LIBRARY_IDS.join(', ')}`);
  return row;
}

export function labelOf(id) {
  return ALL.find((l) => l.id === id)?.label ?? id;
}

/** The label for the chart, where 150 px must hold it. */
export function shortLabelOf(id) {
  const row = ALL.find((l) => l.id === id);
  return row?.short ?? row?.label ?? id;
}

/** Whether a row is portlease's (any lock directory, the drop-in, a feature). */
export const isPortlease = (id) => id.startsWith('portlease');

/** Span of the preferred range given to the range-taking peers. */
export const PREFERRED_SPAN = 100;

const none = () => Promise.resolve();

/**
 * Loads one library and returns `allocate()`, resolving to `{ port, release }`: `release` frees what
 * the library holds (only portlease holds anything; the others return a bare number). `lockDir` is
 * passed to portlease as the option only when given: the defaults rows pass none. `allocate.finish`,
 * where present, frees what is still held once the caller is done (the drop-in's clearLockedPorts).
 * `releaseEach: false` (contention) is for a caller that holds several ports at once: the drop-in
 * can only release all of them, so it then releases none until `finish`, as its users do.
 */
export async function loadAllocator(adapter, { base, lockDir, range, releaseEach = true } = {}) {
  const portleaseOptions = (extra = {}) => {
    const options = { owner: `bench worker ${process.pid}`, ...extra };
    if (lockDir) options.lockDir = lockDir;
    if (range) options.range = range;
    return options;
  };
  switch (adapter) {
    case 'portlease': {
      const { leasePort } = await import('portlease');
      const options = portleaseOptions();
      return async () => {
        const lease = await leasePort(options);
        return { port: lease.port, release: () => lease.release() };
      };
    }
    case 'portlease-sticky': {
      const { leasePort } = await import('portlease');
      const options = portleaseOptions({ sticky: 'web' });
      return async () => {
        const lease = await leasePort(options);
        return { port: lease.port, release: () => lease.release() };
      };
    }
    case 'portlease-block10': {
      const { leasePorts } = await import('portlease');
      const options = portleaseOptions({ contiguous: true });
      return async () => {
        const leases = await leasePorts(10, options);
        return { port: leases[0].port, release: () => Promise.all(leases.map((l) => l.release())) };
      };
    }
    case 'portlease-get-port': {
      // The drop-in takes get-port's options, none of portlease's: it runs with the defaults.
      const { default: getPort, clearLockedPorts } = await import('portlease/get-port');
      const release = releaseEach ? async () => clearLockedPorts() : none;
      const allocate = async () => ({ port: await getPort(), release });
      allocate.finish = async () => clearLockedPorts();
      return allocate;
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
      throw new Error(`unknown library adapter ${adapter}`);
  }
}
