// The chaos run's independent ledger: it never asks portlease whether a port is held. It rebuilds each
// actor's hold intervals from the holders' own events (monotonic timestamps, so every recorded
// interval lies inside the true one) and from the signals the harness sent, then checks them pairwise.

/** Parses the label of a holder named in a RANGE_EXHAUSTED message: `1234 "chaos h7 t2" (pid 99)`. */
const HOLDER = /^\d+ "chaos (h\d+) t(\d+)"/;

export class Ledger {
  /** port -> closed intervals {actor, start, end} */
  intervals = new Map();
  /** `${actor}|${port}` -> open interval */
  open = new Map();
  /** holder id -> µs when its death was observed */
  deaths = new Map();
  /** actor or holder id -> µs its leases ended at (thread terminated, process exited or signalled) */
  ended = new Map();
  /** actor -> µs when its worker thread was seen gone */
  threadsGone = new Map();
  violations = { duplicates: [], bindFailures: [], stuck: [], errors: [], crashes: [], leftovers: [] };
  stats = {
    leases: 0,
    releases: 0,
    exhausted: 0,
    deadOwnersChecked: 0,
    busySeen: 0,
    releasedMeanwhile: 0,
    threadKills: 0,
    exits: 0,
  };

  /** Records one holder event (a JSON line of chaos/actors.mjs). */
  event(e) {
    switch (e.t) {
      case 'held': {
        this.stats.leases++;
        this.open.set(`${e.actor}|${e.port}`, { actor: e.actor, port: e.port, start: e.at });
        // A worker's events reach stdout through its main thread, so they may arrive after the main
        // thread reported terminating it: close such a hold at once.
        const end = this.ended.get(e.actor) ?? this.ended.get(e.actor.split(' ')[0]);
        if (end !== undefined) this.#close((o) => o.actor === e.actor && o.port === e.port, end);
        break;
      }
      case 'free':
        this.stats.releases++;
        this.#close((o) => o.actor === e.actor && o.port === e.port, e.at);
        break;
      case 'bindfail':
        this.violations.bindFailures.push(e);
        break;
      case 'exhausted':
        this.#checkExhausted(e);
        break;
      case 'thread-kill':
        this.stats.threadKills++;
        this.ended.set(e.victim, e.at);
        this.#close((o) => o.actor === e.victim, e.at);
        break;
      case 'thread-gone':
        this.threadsGone.set(e.victim, e.at);
        break;
      case 'exiting':
        this.stats.exits++;
        this.ended.set(e.actor.split(' ')[0], e.at);
        this.#close((o) => o.actor.startsWith(`${e.actor.split(' ')[0]} `), e.at);
        break;
      case 'error':
        this.violations.errors.push(e);
        break;
    }
  }

  /** A holder's process is gone; its leases ended no earlier than `end` (the signal's time). */
  processEnded(holderId, end, deathObservedAt) {
    this.deaths.set(holderId, deathObservedAt);
    if (!this.ended.has(holderId)) this.ended.set(holderId, end);
    this.#close((o) => o.actor.startsWith(`${holderId} `), end);
  }

  #close(match, end) {
    for (const [key, o] of this.open) {
      if (!match(o)) continue;
      this.open.delete(key);
      if (end <= o.start) continue; // the signal landed before the holder saw its lease: nothing to check
      if (!this.intervals.has(o.port)) this.intervals.set(o.port, []);
      this.intervals.get(o.port).push({ actor: o.actor, start: o.start, end });
    }
  }

  /**
   * A RANGE_EXHAUSTED is only right if every holder it names may be alive: naming one whose death was
   * observed before the allocation started means a dead owner's port stayed unleasable (stuck).
   */
  #checkExhausted(e) {
    this.stats.exhausted++;
    this.stats.busySeen += e.busy?.length ?? 0;
    for (const text of e.held ?? []) {
      const match = HOLDER.exec(text);
      if (/^\d+ \(record missing\)$/.test(text)) {
        // Alive when checked, released before the message was written: a race of the message only.
        this.stats.releasedMeanwhile++;
        continue;
      }
      if (!match) {
        this.violations.stuck.push({
          reason: 'held by something that is not a chaos holder',
          text,
          by: e.actor,
        });
        continue;
      }
      const [, holderId, thread] = match;
      const died = this.deaths.get(holderId);
      const gone = this.threadsGone.get(`${holderId} t${thread}`);
      if (died !== undefined || gone !== undefined) this.stats.deadOwnersChecked++;
      if ((died !== undefined && died < e.startedAt) || (gone !== undefined && gone < e.startedAt)) {
        this.violations.stuck.push({
          reason: 'a dead owner still held a port',
          text,
          by: e.actor,
          startedAt: e.startedAt,
          died,
          gone,
        });
      }
    }
  }

  /** Closes what is still open at `end` (the run is over) and checks every port's intervals pairwise. */
  finish(end) {
    this.#close(() => true, end);
    for (const [port, list] of this.intervals) {
      list.sort((a, b) => a.start - b.start);
      let longest;
      for (const interval of list) {
        if (longest && interval.start < longest.end && interval.actor !== longest.actor) {
          this.violations.duplicates.push({ port, first: longest, second: interval });
        }
        if (!longest || interval.end > longest.end) longest = interval;
      }
    }
    return this;
  }
}
