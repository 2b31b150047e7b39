// Opt-in for the example's own test (test/example.test.mjs): when EXAMPLE_PORT_LOG is set, every
// holder appends the time span it held a port for, so the test can check no port was shared.
import { appendFileSync } from 'node:fs';

export function logPort(label, port, since) {
  const file = process.env.EXAMPLE_PORT_LOG;
  if (!file) return;
  const line = { label, port, pid: process.pid, start: since, end: Date.now() };
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}
