// One contention worker (forked by measure.mjs): takes `ports` ports one after another with the
// library under test and binds each like a starting server, after a random 0–100 ms delay, holding
// it `hold` ms. Reports every handout to the harness, which looks for collisions across workers.
import { createServer } from 'node:net';
import { loadAllocator } from '../../shared/libraries.mjs';
import { now } from '../../shared/stats.mjs';

const config = JSON.parse(process.argv[2]);
// Several ports are held at once here: a library that can only release all (the drop-in) keeps
// them until the worker is done, as its users' processes do.
const allocate = await loadAllocator(config.adapter, { base: config.base, releaseEach: false });

function bind(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error) => resolve({ server: undefined, error: error.code ?? String(error) }));
    server.listen(port, () => resolve({ server, error: undefined }));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Binds after the delay, holds, closes, releases; fills in the event. `heldUntil` is taken before the
 * close and the release, and `gotAt` after the allocation returned, so an overlap of two handouts'
 * [gotAt, heldUntil] is a real one, never an artefact of when a busy process read its clock.
 */
async function serve(event, release) {
  await sleep(Math.random() * config.maxDelay);
  event.bindAt = now();
  const { server, error } = await bind(event.port);
  event.error = error ?? null;
  if (server) await sleep(config.hold);
  event.heldUntil = now();
  if (server) await new Promise((resolve) => server.close(resolve));
  await release();
}

async function run() {
  const events = [];
  const latencies = [];
  const allocErrors = [];
  const pending = [];
  for (let i = 0; i < config.ports; i++) {
    const t0 = performance.now();
    let got;
    try {
      got = await allocate();
    } catch (error) {
      allocErrors.push(String(error.code ?? error.message).slice(0, 200));
      continue;
    }
    latencies.push(performance.now() - t0);
    const event = { port: got.port, gotAt: now(), bindAt: 0, heldUntil: 0, error: null, pid: process.pid };
    events.push(event);
    pending.push(serve(event, got.release));
  }
  await Promise.all(pending);
  await allocate.finish?.();
  return { events, latencies, allocErrors };
}

process.on('message', async (message) => {
  if (message !== 'go') return;
  const result = await run();
  process.send({ type: 'done', ...result }, () => process.disconnect());
});
process.send({ type: 'ready' });
