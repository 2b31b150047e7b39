// One process of the chaos run: a main-thread actor plus worker-thread actors. Each actor loops at
// random: lease 1-2 ports, bind each (after a short random "server start-up" delay), hold, close and
// release; now and then list or garbage-collect. The main thread also terminates a worker now and then,
// or exits with everything held. Every event goes to stdout as a JSON line with a CLOCK_MONOTONIC
// timestamp in µs (comparable across processes), for the harness's ledger:
//   held {port, at}         after the lease resolved (the true hold began earlier)
//   free {port, at}         before the server closes and the lease is released (the true hold ends later)
//   bindfail {port, code}   a leased port could not be bound: never allowed
//   exhausted {startedAt, held, busy}  RANGE_EXHAUSTED, with the holders it named
//   thread-kill {victim, at} / thread-gone {victim, at}   a worker is terminated / has exited
//   exiting {at}            the process exits with its leases held (exit hooks release them)
//   error {where, code, message}       anything unexpected
// stdin "quit": every actor releases everything and the process exits.
import { writeSync } from 'node:fs';
import { createServer } from 'node:net';
import { isMainThread, parentPort, threadId, Worker, workerData } from 'node:worker_threads';
import { collectGarbage, leasePorts, listLeases } from '../dist/index.js';

const config = isMainThread ? JSON.parse(process.argv[2]) : workerData;
const { id, range, threads, maxHeld } = config;
const actor = `${id} t${threadId}`;
const label = `chaos ${actor}`;
const now = () => Number(process.hrtime.bigint() / 1000n);
/**
 * Writes one event straight to fd 1, synchronously, from any thread: once it returns, the event is in
 * the pipe and survives a SIGKILL or a worker's termination (a worker's process.stdout is forwarded
 * through the main thread asynchronously and would lose the last events: false alarms in the ledger).
 * Lines stay well under PIPE_BUF (4 KiB), so writes from several threads never interleave.
 */
function emit(event) {
  const line = Buffer.from(`${JSON.stringify({ actor, ...event })}\n`);
  for (let off = 0; off < line.length; ) {
    try {
      off += writeSync(1, line, off);
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error;
    }
  }
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = (list) => list[Math.floor(Math.random() * list.length)];

const held = [];
let quitting = false;

function listen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve({ error }));
    server.listen({ port, exclusive: true }, () => resolve({ server }));
  });
}

async function acquire() {
  const startedAt = now();
  let leases;
  try {
    leases = await leasePorts(1 + Math.floor(Math.random() * 2), { range, owner: label });
  } catch (error) {
    if (error.code === 'RANGE_EXHAUSTED') emit({ t: 'exhausted', startedAt, ...error.details });
    else emit({ t: 'error', where: 'lease', code: error.code, message: error.message });
    return;
  }
  const at = now();
  for (const lease of leases) emit({ t: 'held', port: lease.port, at });
  for (const lease of leases) {
    const entry = { lease, server: undefined };
    held.push(entry);
    await sleep(Math.random() * 30);
    const { server, error } = await listen(lease.port);
    if (server) entry.server = server;
    else emit({ t: 'bindfail', port: lease.port, code: error.code, at: now() });
  }
}

async function releaseOne(index) {
  const [{ lease, server }] = held.splice(index, 1);
  emit({ t: 'free', port: lease.port, at: now() });
  if (server) await new Promise((resolve) => server.close(resolve));
  try {
    await lease.release();
  } catch (error) {
    emit({ t: 'error', where: 'release', code: error.code, message: error.message });
  }
}

async function inspect() {
  try {
    await (Math.random() < 0.5 ? collectGarbage() : listLeases());
  } catch (error) {
    emit({ t: 'error', where: 'inspect', code: error.code, message: error.message });
  }
}

// Main thread only: the worker actors, terminated and replaced now and then.
const workers = new Set();
function startWorker() {
  const worker = new Worker(new URL(import.meta.url), { workerData: config });
  const victim = `${id} t${worker.threadId}`;
  workers.add(worker);
  worker.once('exit', () => {
    workers.delete(worker);
    emit({ t: 'thread-gone', victim, at: now() });
    if (!quitting) startWorker();
  });
  worker.once('error', (error) =>
    emit({ t: 'error', where: 'worker', message: String(error?.stack ?? error) }),
  );
  return worker;
}

async function mainThreadChaos() {
  const r = Math.random();
  if (r < 0.015 && workers.size > 0) {
    const worker = pick([...workers]);
    emit({ t: 'thread-kill', victim: `${id} t${worker.threadId}`, at: now() });
    await worker.terminate();
    return true;
  }
  if (r < 0.02) {
    emit({ t: 'exiting', at: now() });
    process.exit(0);
  }
  return false;
}

async function loop() {
  while (!quitting) {
    if (isMainThread && (await mainThreadChaos())) continue;
    const r = Math.random();
    if (r < 0.04) await inspect();
    else if (r < 0.55 && held.length < maxHeld) await acquire();
    else if (held.length > 0) await releaseOne(Math.floor(Math.random() * held.length));
    await sleep(Math.random() * 120);
  }
  while (held.length > 0) await releaseOne(0);
}

if (isMainThread) {
  for (let i = 0; i < threads; i++) startWorker();
  process.stdin.setEncoding('utf8').on('data', async (text) => {
    if (!text.includes('quit') || quitting) return;
    quitting = true;
    for (const worker of workers) worker.postMessage('quit');
  });
  process.stdin.on('end', () => {
    quitting = true;
  });
  await loop();
  await Promise.all([...workers].map((w) => new Promise((resolve) => w.once('exit', resolve))));
  emit({ t: 'bye', at: now() });
  process.exit(0);
} else {
  parentPort.on('message', (message) => {
    if (message === 'quit') quitting = true;
  });
  await loop();
  process.exit(0);
}
