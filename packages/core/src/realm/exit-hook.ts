/**
 * Runs callbacks when the process is about to end: on `exit`, and on a SIGINT/SIGTERM/SIGHUP that
 * ends it. Exit/signal handling and nothing else (the owner context and deferred removals live in
 * owner.ts).
 *
 * The rule is invisibility: a program's outcome (exit code or signal, which of its handlers ran,
 * whether it survives) is the same with a lease as without. Hence:
 *
 * - Our signal listener is put FIRST (`prependListener`, and moved back to the front when someone
 *   prepends after us), so it sees every listener of this emit, including `process.once` wrappers
 *   that remove themselves when called.
 * - No other listener: without us the signal's default action would end the process, so we run the
 *   callbacks, step away and re-raise it, and the process dies of the signal as it would have.
 *   Except as PID 1 (a container without `--init`): the kernel ignores a default-action signal sent
 *   to a pid namespace's init, so the process would live on: we keep everything and do nothing.
 * - Other listeners: they decide. We step out of the listener list for the rest of this emit (and
 *   come back right after it), so listener-counting peers see the process as it is without us.
 *   That peer is signal-exit (execa, foreground-child, write-file-atomic, rollup…): its listener ends
 *   the process when the listeners of a signal are exactly its own loaded instances
 *   (`process.listeners(sig).length === emitter.count`). If it does, it first calls the `exit`
 *   callbacks of its process-wide emitter; ours are added there for the length of the emit, so they
 *   run exactly when, and only when, signal-exit ends the process.
 *
 * Why not depend on signal-exit and use its `onExit`: its listener is appended and decides by
 * counting listeners when it runs, after an earlier `process.once` wrapper removed itself, so a
 * program with a `once('SIGINT')` graceful shutdown would be killed at once because portlease loaded
 * signal-exit; and as PID 1 it re-raises a signal the kernel ignores after running the callbacks
 * (leases gone, process alive). We interoperate with its shared state instead, read from its source
 * (tapjs/signal-exit v4 `src/index.ts`; v3 keeps an EventEmitter at `process.__signal_exit_emitter__`).
 */

/** The signals that end a process by default and that a program's test runner sends. */
const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

type ExitCallback = () => void;

/** signal-exit v4's process-wide emitter (`globalThis[Symbol.for('signal-exit emitter')]`). */
interface SignalExitV4 {
  on(event: 'exit', fn: (...args: unknown[]) => void): void;
  removeListener(event: 'exit', fn: (...args: unknown[]) => void): void;
}
/** signal-exit v3's emitter (a Node EventEmitter at `process.__signal_exit_emitter__`). */
interface SignalExitV3 {
  on(event: 'exit', fn: (...args: unknown[]) => void): void;
  removeListener(event: 'exit', fn: (...args: unknown[]) => void): void;
}

interface ExitState {
  callbacks: Set<ExitCallback>;
  hooked: boolean;
  onExitEvent: () => void;
  signalHandlers: Map<NodeJS.Signals, () => void>;
  onNewListener: (event: string | symbol) => void;
}

/** Shared under a registered symbol so the ESM and CJS copies of portlease hook once between them. */
const STATE_KEY = Symbol.for('portlease.exit-hook.v1');

function state(): ExitState {
  const holder = globalThis as unknown as Record<symbol, ExitState | undefined>;
  let shared = holder[STATE_KEY];
  if (!shared) {
    shared = {
      callbacks: new Set(),
      hooked: false,
      onExitEvent: () => runCallbacks(),
      signalHandlers: new Map(SIGNALS.map((signal) => [signal, () => onSignal(signal)])),
      onNewListener: (event) => {
        if (typeof event === 'string' && SIGNALS.includes(event as NodeJS.Signals)) {
          // The listener is added after this event: put ours back in front once it is.
          queueMicrotask(() => moveToFront(event as NodeJS.Signals));
        }
      },
    };
    holder[STATE_KEY] = shared;
  }
  return shared;
}

/** Runs every callback once (each is removed before it runs); one failing does not stop the rest. */
function runCallbacks(): void {
  const { callbacks } = state();
  for (const callback of [...callbacks]) {
    callbacks.delete(callback);
    try {
      callback();
    } catch {
      // Exit path: keep going; what a callback could not do is recovered after the process is gone.
    }
  }
}

function moveToFront(signal: NodeJS.Signals): void {
  const shared = state();
  const handler = shared.signalHandlers.get(signal);
  if (!shared.hooked || !handler) return;
  const listeners = process.rawListeners(signal);
  if (listeners[0] === handler || !listeners.includes(handler)) return;
  process.removeListener(signal, handler);
  process.prependListener(signal, handler);
}

function signalExitEmitters(): (SignalExitV4 | SignalExitV3)[] {
  const found: (SignalExitV4 | SignalExitV3)[] = [];
  const v4 = (globalThis as unknown as Record<symbol, SignalExitV4 | undefined>)[
    Symbol.for('signal-exit emitter')
  ];
  if (v4 && typeof v4.on === 'function') found.push(v4);
  const v3 = (process as unknown as { __signal_exit_emitter__?: SignalExitV3 }).__signal_exit_emitter__;
  if (v3 && typeof v3.on === 'function') found.push(v3);
  return found;
}

function onSignal(signal: NodeJS.Signals): void {
  const shared = state();
  const handler = shared.signalHandlers.get(signal) as () => void;
  const others = process.listeners(signal).filter((listener) => listener !== handler);
  // As init of a pid namespace (process.pid 1), nothing dies of a default-action signal: the kernel
  // drops it. The process lives on, so it keeps everything; its `exit` event runs the callbacks.
  const initOfPidNamespace = process.pid === 1;
  if (others.length === 0) {
    if (initOfPidNamespace) return;
    runCallbacks();
    unhook();
    // Nothing listens now, so the default action applies: the process dies of the signal.
    process.kill(process.pid, signal);
    return;
  }
  // Step aside for the rest of this emit (Node calls a copy of the listener list, so the others
  // still run) and come back once it is over, in front again.
  process.removeListener(signal, handler);
  const emitters = initOfPidNamespace ? [] : signalExitEmitters();
  const viaSignalExit = () => runCallbacks();
  for (const emitter of emitters) emitter.on('exit', viaSignalExit);
  process.nextTick(() => {
    for (const emitter of emitters) emitter.removeListener('exit', viaSignalExit);
    if (shared.hooked && !process.rawListeners(signal).includes(handler)) {
      process.prependListener(signal, handler);
    }
  });
}

function hook(): void {
  const shared = state();
  if (shared.hooked) return;
  shared.hooked = true;
  process.on('exit', shared.onExitEvent);
  for (const [signal, handler] of shared.signalHandlers) process.prependListener(signal, handler);
  process.on('newListener', shared.onNewListener);
}

function unhook(): void {
  const shared = state();
  if (!shared.hooked) return;
  shared.hooked = false;
  process.removeListener('exit', shared.onExitEvent);
  process.removeListener('newListener', shared.onNewListener);
  for (const [signal, handler] of shared.signalHandlers) process.removeListener(signal, handler);
}

/**
 * Registers `callback` to run (synchronously, once) when the process is about to end; returns its
 * remover. The process's handlers are installed while any callback is registered and removed with
 * the last one, so a process that holds nothing carries no listener of ours.
 *
 * @example
 * ```ts
 * const forget = onProcessEnd(() => unlinkSync(lockFile));
 * // … later, once the lock file is gone by other means:
 * forget();
 * ```
 */
export function onProcessEnd(callback: ExitCallback): () => void {
  const shared = state();
  shared.callbacks.add(callback);
  hook();
  return () => {
    shared.callbacks.delete(callback);
    if (shared.callbacks.size === 0) unhook();
  };
}
