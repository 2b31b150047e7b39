// The demo's verdicts and tables: who got which port, which binds failed, what the lock directory
// said while they held and after they exited.

/** Counts of one phase: ports wanted and distinct, collisions, failed binds, lock directory checks. */
export function summarize({ participants, listed, leftAfterExit }) {
  const claims = new Map();
  for (const p of participants)
    for (const port of p.ports) claims.set(port, [...(claims.get(port) ?? []), p.who]);
  const wanted = participants.reduce((sum, p) => sum + p.ports.length, 0);
  const results = participants.flatMap((p) => p.results.map((r) => ({ who: p.who, ...r })));
  const failed = results.filter((r) => !r.ok);
  const failures = participants.filter((p) => p.failure).map((p) => ({ who: p.who, ...p.failure }));
  // Every claimed port has exactly one live record, owned by its claimant, and no other port has one.
  const problems = [];
  if (listed) {
    for (const [port, whos] of claims) {
      const records = listed.filter((l) => l.port === port);
      if (records.length !== 1 || records[0].status !== 'alive' || records[0].owner !== whos[0])
        problems.push(`${port}: ${JSON.stringify(records)} for ${whos.join(', ')}`);
    }
    for (const l of listed)
      if (!claims.has(l.port)) problems.push(`${l.port}: listed but nobody reported it`);
  }
  const summary = {
    wanted,
    distinct: claims.size,
    collisions: wanted - claims.size,
    binds: results.length,
    failedBinds: failed.length,
    failedErrors: [...new Set(failed.map((r) => r.error))],
    failures,
    listProblems: problems,
    leftAfterExit: leftAfterExit?.length,
  };
  summary.clean =
    failures.length === 0 &&
    wanted === participants.length * (participants[0]?.ports.length || 1) &&
    summary.collisions === 0 &&
    summary.binds === wanted &&
    summary.failedBinds === 0 &&
    problems.length === 0 &&
    summary.leftAfterExit === 0;
  return summary;
}

function table(phase) {
  return phase.participants
    .map((p) => {
      const cells = p.results.map((r) => `${r.port} ${r.ok ? 'ok' : r.error}`);
      const failure = p.failure ? `failed: ${p.failure.error ?? p.failure.stderr ?? p.failure.code}` : '';
      return `  ${p.who.padEnd(9)} pid ${String(p.pid).padEnd(7)} ${cells.join('  ')}${failure}`;
    })
    .join('\n');
}

export function printReport(report, naive, leased) {
  const { range, lockDir, perProcess } = report;
  console.log(
    `2 Python, 2 shell and 2 Node processes, ${perProcess} ports each, range ${range.join('-')}, ` +
      `lock directory ${lockDir}; all bind at the same moment.\n`,
  );
  console.log(
    'The naive way (Python, Node: first ports of the range a bind-then-close finds free; shell: base + index):',
  );
  console.log(table(report.naive));
  console.log(
    `  ${naive.failedBinds} of ${naive.binds} binds failed (${naive.failedErrors.join(', ') || 'none'}); ` +
      `${naive.distinct} distinct ports for ${naive.wanted} wanted\n`,
  );
  console.log('portlease (Python, shell: `portlease get --json --hold-pid <own pid>`; Node: leasePorts):');
  console.log(table(report.portlease));
  console.log(
    `  ${leased.failedBinds} of ${leased.binds} binds failed; ${leased.collisions} collisions; ` +
      `${leased.distinct} distinct ports for ${leased.wanted} wanted`,
  );
  console.log(
    `  portlease list while held: ${leased.listProblems.length ? leased.listProblems.join('; ') : 'one live record per port, owned by the process that bound it'}`,
  );
  console.log(`  portlease list after every process exited: ${leased.leftAfterExit} leases left`);
  for (const f of leased.failures) console.log(`  ${f.who} failed: ${f.error ?? ''} ${f.stderr ?? ''}`);
  console.log(
    `\n${leased.clean ? 'ok' : 'UNEXPECTED'}: portlease ${leased.clean ? 'gave every process its own ports across three languages' : 'failed (see above)'}; ` +
      `${naive.failedBinds ? 'ok' : 'UNEXPECTED'}: the naive way failed ${naive.failedBinds} binds.`,
  );
}
