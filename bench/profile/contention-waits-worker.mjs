// One worker of contention-waits.mjs: the contention measure's pattern (measures/contention/worker.mjs:
// allocations back to back, each port bound after 0–100 ms and held 300 ms), recording per call its
// wall time split three ways: on a CPU (process.cpuUsage, exact; the main thread's, plus whatever
// V8's helper threads did meanwhile), runnable but queued for a CPU (the scheduler's own run_delay of
// the main thread, /proc/thread-self/schedstat, complete once the thread runs again: re-read with
// pread, no open per call), and the rest: off the CPU and not runnable, i.e. blocked in the kernel
// (a lock, I/O) or the event loop waiting. Also how many times the main thread was switched in.
import { closeSync, openSync, readSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadAllocator } from '../shared/libraries.mjs';

const config = JSON.parse(process.argv[2]);
const allocate = await loadAllocator(config.adapter, { releaseEach: false });
const statFd = openSync('/proc/thread-self/schedstat', 'r');
const statBuf = Buffer.alloc(128);
/** [ns on a CPU (updated only at ticks and switches: not used), ns runnable but queued, times switched in]. */
function schedstat() {
  const n = readSync(statFd, statBuf, 0, statBuf.length, 0);
  return statBuf.toString('latin1', 0, n).trim().split(' ').map(Number);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const bind = (port) =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, () => resolve(server));
  });

async function serve(port, release) {
  await sleep(Math.random() * 100);
  const server = await bind(port);
  if (server) await sleep(300);
  if (server) await new Promise((resolve) => server.close(resolve));
  await release();
}

process.on('message', async (message) => {
  if (message !== 'go') return;
  const calls = [];
  const pending = [];
  for (let i = 0; i < config.ports; i++) {
    // The clock outermost: every read here is a syscall, and a syscall's return is where a thread
    // due to be preempted is switched out, so a wait at any of them is inside the wall time.
    const t0 = performance.now();
    const s0 = schedstat();
    const c0 = process.cpuUsage();
    const got = await allocate();
    const c1 = process.cpuUsage(c0);
    const s1 = schedstat();
    const t1 = performance.now();
    const wall = t1 - t0;
    const run = (c1.user + c1.system) / 1000;
    const queued = (s1[1] - s0[1]) / 1e6;
    calls.push({ wall, run, queued, off: Math.max(0, wall - run - queued), slices: s1[2] - s0[2] });
    pending.push(serve(got.port, got.release));
  }
  await Promise.all(pending);
  await allocate.finish?.();
  closeSync(statFd);
  process.send({ type: 'done', calls }, () => process.disconnect());
});
process.send({ type: 'ready' });
