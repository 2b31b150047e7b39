// Measure 4b: many ports at once (child.mjs): portlease's leasePorts(n), with the defaults as a user
// calls it, against get-port called n times and portfinder's getPortsPromise(n).
import { forkChild } from '../../shared/fork.mjs';
import { summarize } from '../../shared/stats.mjs';

/** Time of one call that yields `n` ports, for each n in `counts` (see child.mjs). */
export async function runBatch({ lib, counts, repeats, base }) {
  const child = forkChild(new URL('./child.mjs', import.meta.url), { lib, counts, repeats, base });
  const { results } = await child.next('done');
  await child.exited;
  const out = {};
  for (const [n, samples] of Object.entries(results)) out[n] = summarize(samples);
  return out;
}
