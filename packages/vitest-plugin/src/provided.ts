import type {} from 'vitest';
import type { PortleaseVitestOptions } from './options.js';

/**
 * The names of your run-wide ports, for typing. Empty by default, which types `inject('portlease')` as
 * `Readonly<Record<string, number>>` (every access may be `undefined` under `noUncheckedIndexedAccess`).
 * Declare your names once and every access is a `number`:
 *
 * @example
 * ```ts
 * // vitest.config.ts (or any .d.ts in the project)
 * declare module '@portlease/vitest' {
 *   interface PortleasePorts {
 *     api: number;
 *     web: number;
 *   }
 * }
 * ```
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface users augment with their port names.
export interface PortleasePorts {}

/** What `inject('portlease')` returns: the run-wide ports by name. */
export type ProvidedPorts = keyof PortleasePorts extends never
  ? Readonly<Record<string, number>>
  : { readonly [Name in keyof PortleasePorts]: number };

/** A name of a run-wide port: one of {@link PortleasePorts}' keys, or any string if none is declared. */
export type PortName = keyof PortleasePorts extends never ? string : keyof PortleasePorts & string;

declare module 'vitest' {
  interface ProvidedContext {
    /** The run-wide ports leased by `portlease({ ports })` or the global-setup module, by name. */
    portlease: ProvidedPorts;
    /**
     * portlease's options for this project: set by the plugin, or by you in `test.provide` for the
     * global-setup module. Worker fixtures take the lock directory and range from here.
     */
    portleaseOptions: PortleaseVitestOptions;
  }
}
