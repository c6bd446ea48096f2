/**
 * Keeps a session's token fresh. Once 80 % of the token's lifetime has passed it trades the token
 * for a new one (`POST /api/auth/refresh`), stores the new session and hands it to `onRenewed`.
 * A network failure or a 5xx is tried again with backoff (after 5–10 s, 10–20 s, 20–40 s, then
 * every 30–60 s, jittered so that clients do not return together) until the token expires; a 401 ends the session through `onEnded`. Timers run late in a
 * throttled tab or after the computer slept, so `checkNow` catches up when the page wakes.
 */

import { Backoff } from '../connection/backoff.js';
import { ApiError } from '../protocol/http.js';
import { refresh } from './auth.js';
import { saveSession } from './session.js';

/** The share of a token's lifetime after which it is renewed. */
const RENEW_AFTER = 0.8;
/** The last retry goes out this long before the token expires: the server's clock may run ahead. */
const EXPIRY_MARGIN_MS = 2_000;
/** setTimeout fires at once for longer delays; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export const SESSION_ENDED_MESSAGE = 'Your session has ended; please sign in again.';

/** When a session's token is due for renewal (epoch ms), or null when its expiry is unknown. */
export function renewalTime({ issuedAt, expiresAt }) {
  if (!Number.isFinite(expiresAt)) {
    return null;
  }
  if (!Number.isFinite(issuedAt) || issuedAt >= expiresAt) {
    // Stored before issue times were kept: the lifetime is unknown, so renew now.
    return Date.now();
  }
  return issuedAt + RENEW_AFTER * (expiresAt - issuedAt);
}

export class Renewal {
  #onRenewed;
  #onEnded;
  #backoff = new Backoff({ baseMs: 10_000, maxMs: 60_000 });
  #session = null;
  #timer = null;
  /** When the pending attempt is due (epoch ms), or null while none is scheduled. */
  #nextAt = null;
  #inFlight = false;
  #generation = 0;

  /**
   * @param {{onRenewed: (session: object) => void,
   *   onEnded: (problem: {code: string, message: string}) => void}} handlers
   */
  constructor({ onRenewed, onEnded }) {
    this.#onRenewed = onRenewed;
    this.#onEnded = onEnded;
  }

  /** Looks after this session from now on (instead of any earlier one). */
  start(session) {
    this.stop();
    this.#session = session;
    const at = renewalTime(session);
    if (at !== null) {
      this.#schedule(at);
    }
  }

  /** Forgets the session: no timer is left and an answer still on its way is ignored. */
  stop() {
    this.#generation += 1;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextAt = null;
    this.#inFlight = false;
    this.#session = null;
    this.#backoff.reset();
  }

  /** Runs an attempt whose time has come although its timer has not fired yet. */
  checkNow() {
    if (this.#session !== null && !this.#inFlight && this.#nextAt !== null && this.#nextAt <= Date.now()) {
      this.#renew();
    }
  }

  #schedule(at) {
    clearTimeout(this.#timer);
    this.#nextAt = at;
    const generation = this.#generation;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (generation !== this.#generation) {
        return;
      }
      if (Date.now() < at) {
        this.#schedule(at);
      } else {
        this.#renew();
      }
    }, Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
  }

  async #renew() {
    const session = this.#session;
    const generation = this.#generation;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#nextAt = null;
    this.#inFlight = true;
    let answer;
    try {
      answer = await refresh(session.token);
    } catch (error) {
      if (generation !== this.#generation) {
        return;
      }
      this.#inFlight = false;
      if (error instanceof ApiError && error.status === 401) {
        this.#end(error);
      } else {
        this.#retry(session, error);
      }
      return;
    }
    if (generation !== this.#generation) {
      return;
    }
    this.#inFlight = false;
    this.#backoff.reset();
    const next = saveSession({ ...answer, user: answer.user ?? session.user });
    this.#session = next;
    const at = renewalTime(next);
    if (at !== null) {
      this.#schedule(at);
    }
    this.#onRenewed(next);
  }

  #retry(session, error) {
    const lastChance = session.expiresAt - EXPIRY_MARGIN_MS;
    const now = Date.now();
    if (now >= lastChance) {
      // Nothing more to try: the node closes the connection when the token expires (4001) or the
      // gateway refuses it (401), and the session ends there as it would have without renewal.
      console.warn('Parley: the session could not be renewed before it expired (%s)', error?.code);
      return;
    }
    this.#schedule(Math.min(now + this.#backoff.next(), lastChance));
  }

  #end(error) {
    // The server's words for an over-age session tell the user why; any other 401 gets ours.
    const message = error.code === 'SESSION_EXPIRED' && error.message ? error.message : SESSION_ENDED_MESSAGE;
    const code = error.code;
    this.stop();
    this.#onEnded({ code, message });
  }
}
