/**
 * The connection line in the header: which node we are on (`data-testid="node-id"`, the nodeId
 * from `welcome`, empty while not connected), what the connection is doing, and a button to
 * reconnect at once while waiting or after being signed in elsewhere.
 */

import { ConnectionState } from './connection.js';

export class StatusView {
  #root;
  #text;
  #countdown;
  #nodeId;
  #retry;
  #countdownTimer = null;

  /**
   * @param {{root: HTMLElement, text: HTMLElement, countdown: HTMLElement, nodeId: HTMLElement,
   *   retry: HTMLButtonElement}} el
   * @param {import('./connection.js').Connection} connection
   */
  constructor(el, connection) {
    this.#root = el.root;
    this.#text = el.text;
    this.#countdown = el.countdown;
    this.#nodeId = el.nodeId;
    this.#retry = el.retry;
    this.#retry.addEventListener('click', () => connection.reconnectNow());
    connection.on('state', (detail) => this.#render(detail));
    this.#render({ state: connection.state });
  }

  #render({ state, nodeId, reason, delayMs }) {
    clearInterval(this.#countdownTimer);
    this.#countdownTimer = null;
    this.#countdown.textContent = '';
    this.#root.dataset.state = state;
    this.#nodeId.textContent = state === ConnectionState.OPEN && nodeId ? nodeId : '';
    this.#retry.hidden = true;
    switch (state) {
      case ConnectionState.ROUTING:
        this.#text.textContent = 'Finding a server…';
        break;
      case ConnectionState.CONNECTING:
        this.#text.textContent = 'Connecting…';
        break;
      case ConnectionState.OPEN:
        this.#text.textContent = 'Connected';
        break;
      case ConnectionState.WAITING:
        this.#text.textContent = reason ? `${reason} Reconnecting…` : 'Reconnecting…';
        this.#retry.textContent = 'Retry now';
        this.#retry.hidden = !(delayMs > 1000);
        this.#startCountdown(delayMs);
        break;
      case ConnectionState.KICKED:
        this.#text.textContent = `Disconnected: ${reason ?? 'signed in elsewhere'}`;
        this.#retry.textContent = 'Reconnect';
        this.#retry.hidden = false;
        break;
      default:
        this.#text.textContent = 'Offline';
    }
  }

  /** Counts down to the next attempt, outside the live status text so it is not re-announced. */
  #startCountdown(delayMs) {
    if (!(delayMs > 1000)) {
      return;
    }
    const until = Date.now() + delayMs;
    const tick = () => {
      const seconds = Math.max(0, Math.ceil((until - Date.now()) / 1000));
      this.#countdown.textContent = ` (in ${seconds} s)`;
      if (seconds === 0) {
        clearInterval(this.#countdownTimer);
      }
    };
    tick();
    this.#countdownTimer = setInterval(tick, 1000);
  }
}
