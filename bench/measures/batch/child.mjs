// Many ports at once: portlease's leasePorts(n) (all or nothing) against the peers' nearest usage,
// get-port called n times and portfinder's getPortsPromise(n). Each call's ports are released (for
// portlease) before the next call; `repeats` calls per n after one warm-up call.
const config = JSON.parse(process.argv[2]);

async function loader(lib) {
  switch (lib) {
    case 'portlease': {
      const { leasePorts } = await import('portlease');
      return async (n) => {
        const t0 = performance.now();
        // The defaults: no lockDir option, no PORTLEASE_DIR (fork.mjs's childEnv drops it).
        const leases = await leasePorts(n, { owner: 'bench batch' });
        const ms = performance.now() - t0;
        for (const lease of leases) lease.releaseSync();
        return ms;
      };
    }
    case 'get-port': {
      const { default: getPort } = await import('get-port');
      return async (n) => {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) await getPort();
        return performance.now() - t0;
      };
    }
    case 'portfinder': {
      const { default: portfinder } = await import('portfinder');
      return async (n) => {
        const t0 = performance.now();
        await portfinder.getPortsPromise(n, { port: config.base });
        return performance.now() - t0;
      };
    }
    default:
      throw new Error(`no batch usage for ${lib}`);
  }
}

const run = await loader(config.lib);
const results = {};
for (const n of config.counts) {
  await run(n);
  const samples = [];
  for (let i = 0; i < config.repeats; i++) samples.push(await run(n));
  results[n] = samples;
}
process.send({ type: 'done', results }, () => process.disconnect());
