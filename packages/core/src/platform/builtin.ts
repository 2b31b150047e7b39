import { createRequire } from 'node:module';

/**
 * A Node built-in loaded on its first use, not when portlease is imported: a process that only leases
 * ports never pays for `node:child_process` (OS queries off Linux, servers), `node:dgram` (UDP probes)
 * or the hash of `node:crypto` (sticky names). Loading them up front was a third of
 * `import('portlease')` (bench/README.md, "Where a one-shot process's time goes").
 *
 * `process.getBuiltinModule` where Node has it (20.16+, 22.3+), else a `require` of this module's own.
 */
export function builtin<T>(name: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => {
    loaded ??= (process.getBuiltinModule?.(name) ?? createRequire(import.meta.url)(name)) as T;
    return loaded;
  };
}
