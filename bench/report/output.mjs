// Writes RESULTS.md, chart.svg and results.json; or re-renders the first two from a results.json
// (`node bench/run.mjs --render DIR`, after a change to the report's wording, without measuring again).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { aggregateAll } from './aggregate.mjs';
import { renderChart } from './chart.mjs';
import { renderReport } from './markdown.mjs';
import { e2eMarkdown } from './sections/e2e.mjs';
import { evaluateTargets, targetsTable } from './targets.mjs';

function render(outDir, { meta, agg, e2e, errors }) {
  const targets = evaluateTargets(agg, meta);
  const sections = [['Targets', targetsTable(targets, meta)]];
  if (meta.measures.includes('e2e')) {
    const body = !e2e
      ? 'failed: see the errors below'
      : e2e.skipped
        ? `skipped: ${e2e.skipped}`
        : e2eMarkdown(e2e);
    sections.push(['6. End to end: the Playwright example', body]);
  }
  if (errors.length) {
    sections.push(['Errors of the bench itself', errors.map((e) => `\`\`\`\n${e}\n\`\`\``).join('\n\n')]);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'RESULTS.md'), renderReport(agg, meta, sections));
  writeFileSync(join(outDir, 'chart.svg'), renderChart(agg, meta));
  return targets;
}

/** Writes all three files; returns the target rows for the console. */
export function writeOutputs(outDir, results) {
  const targets = render(outDir, results);
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 1)}\n`);
  return targets;
}

/**
 * Re-renders RESULTS.md and chart.svg of `dir` from its results.json, aggregating its raw figures
 * anew (so a change to the aggregation shows too).
 */
export function rerender(dir) {
  const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  return render(dir, { ...results, agg: aggregateAll(results.raw) });
}
