import { AssertionError } from 'node:assert';

/**
 * Polls `check` until it returns something truthy, and resolves that; fails with `timed out waiting
 * for <what>` after `ms`. For conditions that become true eventually, never for timing.
 */
export async function until(check, what, { ms = 15_000, every = 100 } = {}) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, every));
  }
  throw new AssertionError({ message: `timed out waiting for ${what}` });
}
