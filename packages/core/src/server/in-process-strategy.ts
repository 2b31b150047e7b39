import type { Strategy } from './strategy.js';
import type { Stoppable } from './types.js';

async function stopStoppable(stoppable: Stoppable): Promise<void> {
  if (!stoppable) return;
  if (typeof stoppable === 'function') {
    await stoppable();
  } else if ('stop' in stoppable) {
    await stoppable.stop();
  } else if ('close' in stoppable) {
    await new Promise<void>((resolve) => {
      const result = stoppable.close(() => resolve());
      // Promise-returning close() (fastify, …) has no callback.
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(
          () => resolve(),
          () => resolve(),
        );
      }
      if ('closeAllConnections' in stoppable)
        (stoppable as { closeAllConnections(): void }).closeAllConnections();
    });
  }
}

/** A server started in this process by `start(port)`; stopped through what `start` returned. */
export async function startInProcess(
  start: (port: number) => Stoppable | Promise<Stoppable>,
  port: number,
): Promise<Strategy> {
  const stoppable = await start(port);
  return {
    pid: undefined,
    appPid: () => undefined,
    ended: () => undefined,
    detach: () => {},
    stop: () => stopStoppable(stoppable),
  };
}
