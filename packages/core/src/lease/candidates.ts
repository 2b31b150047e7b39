/**
 * The ports of `[min, max]` in random order, each once, drawn lazily: a lazy Fisher–Yates shuffle that
 * remembers only the swaps it made. Concurrent processes rarely try the same port, and a fully held
 * range ends after exactly one try per port instead of looping.
 */
export class Candidates {
  readonly #min: number;
  #left: number;
  readonly #swaps = new Map<number, number>();

  constructor(min: number, max: number) {
    this.#min = min;
    this.#left = max - min + 1;
  }

  /** The next port, or `undefined` when every port was drawn. */
  next(): number | undefined {
    if (this.#left === 0) return undefined;
    const pick = Math.floor(Math.random() * this.#left);
    const last = this.#left - 1;
    const value = this.#swaps.get(pick) ?? pick;
    this.#swaps.set(pick, this.#swaps.get(last) ?? last);
    this.#swaps.delete(last);
    this.#left = last;
    return this.#min + value;
  }
}
