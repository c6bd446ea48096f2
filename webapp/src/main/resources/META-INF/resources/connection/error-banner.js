/**
 * The page's error banner (`data-testid="error-banner"`): one line with the latest problem —
 * an `error` frame, a failed request, a refused sign-in — and a button to dismiss it.
 */
export class ErrorBanner {
  #root;
  #text;

  /** @param {{root: HTMLElement, text: HTMLElement, dismiss: HTMLButtonElement}} el */
  constructor(el) {
    this.#root = el.root;
    this.#text = el.text;
    el.dismiss.addEventListener('click', () => this.clear());
  }

  /** Shows a message (an Error's message, or a string); never throws. */
  show(problem) {
    const message = typeof problem === 'string' ? problem : problem?.message;
    this.#text.textContent = typeof message === 'string' && message.trim() !== '' ? message : 'Something went wrong.';
    this.#root.dataset.code = typeof problem?.code === 'string' ? problem.code : '';
    this.#root.hidden = false;
  }

  clear() {
    this.#root.hidden = true;
    this.#text.textContent = '';
    this.#root.dataset.code = '';
  }
}
