// The end-to-end measure's table (measures/e2e): wall time per variant against the fixed-port suite
// run alone, and the tests that failed.

import { spread } from '../../shared/stats.mjs';
import { fmtMs, fmtSpreadMs } from '../format.mjs';

/** Variants in the order they ran, and repeats (also for a results.json of an older run). */
function shape(e2e) {
  const variants = e2e.variants ?? [...new Set(e2e.runs.map((r) => r.variant))];
  return { variants, repeats: e2e.repeats ?? Math.round(e2e.runs.length / variants.length) };
}

/** One line for the console. */
export function e2eSummary(e2e) {
  const wall = (variant) => spread(e2e.runs.filter((r) => r.variant === variant).map((r) => r.wall)).median;
  return `portlease 2 shards ${fmtMs(wall('portlease'))} vs fixed alone ${fmtMs(wall('fixed alone'))}`;
}

/** The section's markdown. */
export function e2eMarkdown(e2e) {
  const { runs } = e2e;
  const { variants, repeats } = shape(e2e);
  const rows = variants.map((variant) => {
    const mine = runs.filter((r) => r.variant === variant);
    const wall = spread(mine.map((r) => r.wall));
    return {
      variant,
      wall,
      passed: mine.map((r) => r.passed),
      failed: mine.map((r) => r.failed),
      ok: mine.filter((r) => r.ok).length,
      n: mine.length,
    };
  });
  const what = {
    portlease: '2 shards at once × 4 workers, leased ports',
    'fixed alone': 'whole suite once × 4 workers, fixed base + parallelIndex, nothing else running',
    'fixed shards': '2 shards at once × 4 workers, fixed base + parallelIndex',
    'portlease alone': 'whole suite once × 4 workers, leased ports, nothing else running',
  };
  const base = rows.find((r) => r.variant === 'fixed alone').wall.median;
  const markdown = [
    `examples/playwright (10 tests: 8 on a per-worker server, 2 on the run's webServer; Chromium), ${repeats} repeat${repeats > 1 ? 's' : ''} per variant, interleaved.`,
    '',
    '| variant | what | wall time | vs fixed alone | tests passed / failed per repeat | runs exiting 0 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${what[r.variant]} | ${fmtSpreadMs(r.wall)} | ${(r.wall.median / base).toFixed(2)}× | ${r.passed.map((p, i) => `${p}/${r.failed[i]}`).join(', ')} | ${r.ok} of ${r.n} |`,
    ),
  ];
  for (const variant of variants) {
    const failures = [...new Set(runs.filter((r) => r.variant === variant).flatMap((r) => r.failures))];
    if (failures.length === 0) continue;
    markdown.push(
      '',
      `Failures of ${variant}:`,
      '',
      ...failures.slice(0, 6).map((f) => `- ${f.replace(/\|/g, '\\|')}`),
    );
  }
  return markdown.join('\n');
}
