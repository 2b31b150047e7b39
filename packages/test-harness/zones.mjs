// The port zones of a test run, kept apart here in code rather than by a comment: blocks that one test
// file reserves for itself (reserveRange, leased in HARNESS_DIR) lie in BLOCK_ZONE, and everything that
// leases without a range uses DEFAULT_RANGE (scripts/test.mjs puts it in PORTLEASE_RANGE). Test files
// that run at once, each with its own lock directory, therefore never probe or bind each other's ports.
// No imports of the build: scripts/test.mjs reads this before anything is known to be built.
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where reserved blocks live: below DEFAULT_RANGE, and inside portlease's own default range. */
export const BLOCK_ZONE = Object.freeze([10000, 15999]);

/** The range tests lease from when they name none, as `PORTLEASE_RANGE` (see scripts/test.mjs). */
export const DEFAULT_RANGE = Object.freeze([16000, 32767]);

/** The lock directory every test file of the run reserves its blocks in (one per user). */
export const HARNESS_DIR = join(tmpdir(), `portlease-test-harness-${process.getuid?.() ?? 'user'}`);

/** `[min, max]` as `PORTLEASE_RANGE` spells it. */
export const rangeText = ([min, max]) => `${min}-${max}`;

if (BLOCK_ZONE[1] >= DEFAULT_RANGE[0])
  throw new Error('the block zone must lie below the default test range');
