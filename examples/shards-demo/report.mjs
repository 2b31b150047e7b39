// Reads Playwright's JSON reports of the shards demo and prints them as compact tables.

/** Per shard: for each parallel index, the ports its workers used and its tests' outcomes. */
export function summarize(report) {
  const workers = new Map();
  const failures = [];
  let passed = 0;
  let failed = 0;
  const visit = (suite) => {
    for (const child of suite.suites ?? []) visit(child);
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        for (const result of test.results) {
          const worker = workers.get(result.parallelIndex) ?? { ports: new Set(), ok: true };
          workers.set(result.parallelIndex, worker);
          const port = result.annotations?.find((a) => a.type === 'serverPort')?.description;
          if (port) worker.ports.add(Number(port));
          if (result.status === 'passed') passed++;
          else {
            failed++;
            worker.ok = false;
            failures.push({
              worker: result.parallelIndex,
              test: spec.title,
              error: firstLine(result.errors),
            });
          }
        }
      }
    }
  };
  for (const suite of report?.suites ?? []) visit(suite);
  for (const error of report?.errors ?? [])
    failures.push({ worker: '-', test: '(run)', error: firstLine([error]) });
  return {
    workers,
    failures,
    passed,
    failed,
    ok: report !== undefined && failed === 0 && !report.errors?.length,
  };
}

/** One readable line for a failed result: expected/received of an assertion, else the first line. */
function firstLine(errors) {
  const lines = (errors?.[0]?.message ?? 'no error message')
    // Strips ANSI colours from Playwright's messages.
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const field = (name) =>
    lines
      .find((line) => line.startsWith(`${name}:`))
      ?.slice(name.length + 1)
      .trim();
  const [expected, received] = [field('Expected'), field('Received')];
  const line = expected && received ? `expected ${expected}, got ${received}` : (lines[0] ?? '');
  return line.length > 150 ? `${line.slice(0, 147)}…` : line;
}

const pad = (text, width) => String(text).padEnd(width);

/** A table: one row per shard, one column per worker (parallel index), then the shard's tests. */
export function table(title, shards, workerCount) {
  const lines = [title];
  const cell = 18;
  const header = ['  shard', ...Array.from({ length: workerCount }, (_, i) => pad(`worker ${i}`, cell))];
  lines.push(`${pad(header[0], 9)}${header.slice(1).join('')}tests`);
  for (const shard of shards) {
    const cells = [];
    for (let i = 0; i < workerCount; i++) {
      const worker = shard.summary.workers.get(i);
      const ports = worker ? [...worker.ports].join('/') || '?' : '-';
      cells.push(pad(worker ? `${ports} ${worker.ok ? 'ok' : 'FAILED'}` : '-', cell));
    }
    const tests = `${shard.summary.passed} passed${shard.summary.failed ? `, ${shard.summary.failed} failed` : ''}`;
    lines.push(`${pad(`  ${shard.label}`, 9)}${cells.join('')}${tests}`);
  }
  return lines.join('\n');
}

/** The first failure of each shard, one line each. */
export function failureLines(shards, limit = 1) {
  const lines = [];
  for (const shard of shards) {
    for (const failure of shard.summary.failures.slice(0, limit)) {
      lines.push(`    shard ${shard.label} worker ${failure.worker}: ${failure.error}`);
    }
  }
  return lines.join('\n');
}
