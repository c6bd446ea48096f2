/**
 * The composer under the open conversation: the text field (Enter sends, Shift+Enter breaks the
 * line), the emoji picker, the attach button with its progress bar and errors, and the draft of
 * each conversation — kept in sessionStorage, so that a session that expired and a sign-in later
 * find it again. While I type it asks for a `typing` frame at most every few seconds.
 */

import { upload, uploadProblem } from '../files/upload.js';
import { EMOJI } from './emoji.js';

const TYPING_EVERY_MS = 2500;
const DRAFTS_KEY = 'parley.drafts';

export class Composer {
  #el;
  #conversation = null;
  #lastTypingAt = 0;
  #handlers;
  #uploading = false;

  /**
   * @param {{form: HTMLFormElement, input: HTMLTextAreaElement, send: HTMLButtonElement,
   *   emojiButton: HTMLButtonElement, emojiPanel: HTMLElement, attach: HTMLInputElement,
   *   progress: HTMLProgressElement, uploadError: HTMLElement}} el
   * @param {{onSend: (text: string) => void, onTyping: () => void,
   *   onUploaded: (file: object) => void, token: () => string|null}} handlers
   */
  constructor(el, handlers) {
    this.#el = el;
    this.#handlers = handlers;
    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    el.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#submit();
      } else if (event.key === 'Escape') {
        this.#toggleEmoji(false);
      }
    });
    el.input.addEventListener('input', () => {
      this.#saveDraft();
      const now = Date.now();
      if (el.input.value.trim() !== '' && now - this.#lastTypingAt > TYPING_EVERY_MS) {
        this.#lastTypingAt = now;
        handlers.onTyping();
      }
    });

    el.emojiPanel.replaceChildren(
      ...EMOJI.map((emoji) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'emoji-option';
        button.setAttribute('data-testid', 'emoji-option');
        button.textContent = emoji;
        button.setAttribute('aria-label', `Insert ${emoji}`);
        return button;
      }),
    );
    el.emojiButton.addEventListener('click', () => this.#toggleEmoji(el.emojiPanel.hidden));
    el.emojiPanel.addEventListener('click', (event) => {
      const option = event.target instanceof Element ? event.target.closest('.emoji-option') : null;
      if (option) {
        this.#insert(option.textContent);
        this.#toggleEmoji(false);
      }
    });
    el.emojiPanel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        this.#toggleEmoji(false);
        el.emojiButton.focus();
      }
    });
    el.attach.addEventListener('change', () => {
      const file = el.attach.files?.[0];
      el.attach.value = '';
      if (file) {
        this.#upload(file);
      }
    });
  }

  /** Switches to another conversation's draft. */
  setConversation(id) {
    this.#conversation = id;
    this.#el.input.value = id ? (readDrafts()[id] ?? '') : '';
    this.#showUploadError(null);
    this.#toggleEmoji(false);
  }

  focus() {
    this.#el.input.focus();
  }

  /** Forgets every draft (a sign-out by choice). */
  static clearDrafts() {
    try {
      sessionStorage.removeItem(DRAFTS_KEY);
    } catch {
      // Nothing stored.
    }
  }

  #submit() {
    const text = this.#el.input.value.trim();
    if (text === '' || !this.#conversation) {
      return;
    }
    this.#el.input.value = '';
    this.#saveDraft();
    this.#showUploadError(null);
    this.#lastTypingAt = 0;
    this.#handlers.onSend(text);
  }

  #insert(text) {
    const input = this.#el.input;
    const start = input.selectionStart ?? input.value.length;
    const end = input.selectionEnd ?? input.value.length;
    input.value = input.value.slice(0, start) + text + input.value.slice(end);
    const caret = start + text.length;
    input.focus();
    input.setSelectionRange(caret, caret);
    this.#saveDraft();
  }

  #toggleEmoji(open) {
    this.#el.emojiPanel.hidden = !open;
    this.#el.emojiButton.setAttribute('aria-expanded', String(open));
    if (open) {
      this.#el.emojiPanel.querySelector('button')?.focus();
    }
  }

  async #upload(file) {
    if (this.#uploading) {
      this.#showUploadError('Wait for the current upload to finish.');
      return;
    }
    const problem = uploadProblem(file);
    if (problem) {
      this.#showUploadError(problem);
      return;
    }
    this.#showUploadError(null);
    const progress = this.#el.progress;
    this.#uploading = true;
    progress.value = 0;
    progress.hidden = false;
    progress.setAttribute('aria-valuetext', `Uploading ${file.name}`);
    try {
      const uploaded = await upload(file, this.#handlers.token(), {
        onProgress: (fraction) => {
          progress.value = Math.round(fraction * 100);
        },
      });
      this.#handlers.onUploaded(uploaded);
    } catch (error) {
      this.#showUploadError(error?.message ?? 'The upload failed.');
    } finally {
      this.#uploading = false;
      progress.hidden = true;
    }
  }

  #showUploadError(message) {
    this.#el.uploadError.textContent = message ?? '';
    this.#el.uploadError.hidden = !message;
  }

  #saveDraft() {
    if (!this.#conversation) {
      return;
    }
    const drafts = readDrafts();
    const text = this.#el.input.value;
    if (text === '') {
      delete drafts[this.#conversation];
    } else {
      drafts[this.#conversation] = text;
    }
    try {
      sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts));
    } catch {
      // Without storage a draft lasts as long as the page.
    }
  }
}

function readDrafts() {
  try {
    const drafts = JSON.parse(sessionStorage.getItem(DRAFTS_KEY) ?? '{}');
    return drafts && typeof drafts === 'object' ? drafts : {};
  } catch {
    return {};
  }
}

