/**
 * Reconnect delays: exponential growth with "equal jitter" (half fixed, half random), so that many
 * clients that lost the same node do not all come back in the same instant.
 */
export class Backoff {
  #baseMs;
  #maxMs;
  #random;
  #attempt = 0;

  constructor({ baseMs = 500, maxMs = 30_000, random = Math.random } = {}) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
    this.#random = random;
  }

  /** The delay before the next attempt; each call doubles the ceiling up to the maximum. */
  next() {
    const ceiling = Math.min(this.#maxMs, this.#baseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    return Math.round(ceiling / 2 + this.#random() * (ceiling / 2));
  }

  reset() {
    this.#attempt = 0;
  }
}
