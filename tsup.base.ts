import type { Options } from 'tsup';

/**
 * What every package of the suite builds alike: ESM + CJS + types, one file per entry. The target is
 * Node 20, the oldest line of `engines` (best effort, untested: README, Platforms), which
 * node-lines.test.mjs also runs the build on (its owners must stay visible to 22+). A package's tsup.config.ts adds its entries and what stays external (its peers and
 * `portlease`, so there is one copy of the core's shared lease state).
 */
export const library: Options = {
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  platform: 'node',
  shims: true,
  clean: true,
  sourcemap: false,
  splitting: false,
  // Classes keep their source names (esbuild renames `class PortleaseError` to `_PortleaseError` when it
  // refers to itself, and that name shows in stack traces and `constructor.name`).
  keepNames: true,
};
