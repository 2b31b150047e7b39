// The workspace's test harness, shared by every package's and example's tests and the chaos run (one
// concept per file; helpers only one package needs stay in that package's test/helpers.mjs).
export { isAlive } from './alive.mjs';
export { bind } from './bind.mjs';
export { cli, core, dist, readableBuild } from './build.mjs';
export { leftovers, memoDirOf, recordsIn, STAGING_DIR, stagingDirOf } from './leftovers.mjs';
export { inPrivateMounts } from './mount-namespace.mjs';
export { optionProblem } from './option-problem.mjs';
export { pnpm, pnpmVersion } from './pnpm.mjs';
export { reserveRange } from './ranges.mjs';
export { codeBlocks } from './readme-blocks.mjs';
export { startRegistry, startRegistryProcess } from './registry.mjs';
export { runNode, runProcess } from './run.mjs';
export { derivedPort, derivesDistinctPorts, projectWithDistinctPorts } from './sticky-ports.mjs';
export { tempDir } from './temp-dir.mjs';
export { until } from './until.mjs';
export { yarn, yarnScript, yarnVersion } from './yarn.mjs';
export { BLOCK_ZONE, DEFAULT_RANGE, HARNESS_DIR, rangeText } from './zones.mjs';
