// Port blocks reserved for one test file. A narrow range of its own makes a coordination bug show up
// as a duplicate port instead of hiding in a wide range, and keeps test files that run at once (each
// with its own lock directory) off each other's ports.
import { basename } from 'node:path';
import { leasePorts, UNSAFE_PORTS } from 'portlease';
import { BLOCK_ZONE, HARNESS_DIR } from './zones.mjs';

const ATTEMPTS = 80;

/**
 * `size` consecutive ports in BLOCK_ZONE that no other test file of this run uses, nothing listens on,
 * and none of them browser-unsafe (portlease skips those, so a block holding one, such as 10080, could
 * never be leased whole), held in HARNESS_DIR until this process exits. Returns `[min, max]`.
 */
export async function reserveRange(size) {
  const owner = `test range of ${basename(process.argv[1] ?? 'a test')}`;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const min = BLOCK_ZONE[0] + Math.floor(Math.random() * (BLOCK_ZONE[1] - BLOCK_ZONE[0] + 2 - size));
    const max = min + size - 1;
    if (holdsUnsafePort(min, max)) continue;
    try {
      await leasePorts(size, { lockDir: HARNESS_DIR, range: [min, max], owner });
      return [min, max];
    } catch (error) {
      // Taken by another test file, or something listens there: try another block.
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  throw new Error(`could not reserve ${size} consecutive free ports in ${BLOCK_ZONE.join('-')}`);
}

function holdsUnsafePort(min, max) {
  for (let port = min; port <= max; port++) if (UNSAFE_PORTS.has(port)) return true;
  return false;
}
