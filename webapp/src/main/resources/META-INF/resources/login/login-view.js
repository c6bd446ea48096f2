/**
 * The sign-in form: checks the fields against the contract's rules, calls the gateway and hands
 * the login answer to whoever shows the rest of the app. Problems go to `onError` (the page's
 * error banner); the offending field is marked `aria-invalid` and focused.
 */

import { nicknameProblem, passwordProblem, usernameProblem } from '../protocol/rules.js';
import { register, signIn } from './auth.js';

export class LoginView {
  #screen;
  #form;
  #username;
  #password;
  #nickname;
  #buttons;
  #onSignedIn;
  #onError;
  #busy = false;

  /**
   * @param {{screen: HTMLElement, form: HTMLFormElement, username: HTMLInputElement,
   *   password: HTMLInputElement, nickname: HTMLInputElement, submit: HTMLButtonElement,
   *   register: HTMLButtonElement}} el
   * @param {{onSignedIn: (login: object) => void, onError: (message: string) => void}} handlers
   */
  constructor(el, { onSignedIn, onError }) {
    this.#screen = el.screen;
    this.#form = el.form;
    this.#username = el.username;
    this.#password = el.password;
    this.#nickname = el.nickname;
    this.#buttons = [el.submit, el.register];
    this.#onSignedIn = onSignedIn;
    this.#onError = onError;

    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#run(signIn);
    });
    el.register.addEventListener('click', () => this.#run(register));
    for (const input of [this.#username, this.#password, this.#nickname]) {
      input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
    }
  }

  show() {
    this.#screen.hidden = false;
    this.#password.value = '';
    (this.#username.value === '' ? this.#username : this.#password).focus();
  }

  hide() {
    this.#screen.hidden = true;
  }

  async #run(action) {
    if (this.#busy) {
      return;
    }
    const username = this.#username.value.trim();
    const password = this.#password.value;
    const nickname = this.#nickname.value.trim();
    this.#username.value = username;
    const problem =
      this.#check(this.#username, usernameProblem(username)) ??
      this.#check(this.#password, passwordProblem(password)) ??
      this.#check(this.#nickname, nicknameProblem(nickname));
    if (problem) {
      this.#onError(problem.message);
      problem.field.focus();
      return;
    }
    this.#setBusy(true);
    try {
      const login = await action(username, password, nickname);
      this.#password.value = '';
      this.#onSignedIn(login);
    } catch (error) {
      this.#onError(error?.message || 'Signing in failed. Please try again.');
      this.#password.focus();
    } finally {
      this.#setBusy(false);
    }
  }

  #check(field, message) {
    if (message === null) {
      field.removeAttribute('aria-invalid');
      return null;
    }
    field.setAttribute('aria-invalid', 'true');
    return { field, message };
  }

  #setBusy(busy) {
    this.#busy = busy;
    this.#form.setAttribute('aria-busy', String(busy));
    for (const button of this.#buttons) {
      button.disabled = busy;
    }
  }
}
