/**
 * Draws a conversation's entries: message bubbles (`data-testid="message"`, `data-seq` once known,
 * `data-state` sending|sent|failed, `data-read` once another member read it) — mine on the right,
 * others' on the left with name and time — day separators, and small system lines for notices.
 * All text goes in through textContent; pictures and links only point at the server's file URLs.
 */

import { displayName } from '../protocol/frames.js';
import { MessageState } from './conversation-log.js';
import { isEmojiOnly } from './emoji.js';

/** Within this many pixels of the bottom the view follows new messages. */
const STICK_PX = 80;

export class MessageList {
  #list;
  #pane;
  #nodes = new Map();
  #readUpTo = 0;

  /**
   * @param {{list: HTMLOListElement, pane: HTMLElement}} el the list and the element that scrolls
   * @param {{onRetry: (key: string) => void}} handlers
   */
  constructor(el, { onRetry }) {
    this.#list = el.list;
    this.#pane = el.pane;
    this.#list.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-action="retry"]') : null;
      const item = button?.closest('[data-key]');
      if (item) {
        onRetry(item.dataset.key);
      }
    });
  }

  clear() {
    this.#readUpTo = 0;
    this.#nodes.clear();
    this.#list.replaceChildren();
  }

  /**
   * Draws all entries afresh. `scroll`: 'bottom' jumps to the newest, 'stick' follows only when the
   * reader was at the bottom, 'keep' holds the reader's place (older messages added above).
   */
  renderAll(entries, { scroll = 'stick', readUpTo = this.#readUpTo } = {}) {
    this.#readUpTo = readUpTo;
    const place = this.#measure();
    this.#nodes.clear();
    const nodes = entries.map((entry) => {
      const node = build(entry, readUpTo);
      this.#nodes.set(entry.key, node);
      return node;
    });
    this.#list.replaceChildren(...nodes);
    this.#separate();
    this.#restore(place, scroll);
  }

  /** Marks my messages up to this seq as read by someone else. */
  markRead(readUpTo) {
    this.#readUpTo = Math.max(this.#readUpTo, readUpTo);
    for (const node of this.#nodes.values()) {
      if (node.classList.contains('own') && Number(node.dataset.seq) <= this.#readUpTo && node.dataset.read !== 'true') {
        node.dataset.read = 'true';
        const status = node.querySelector('.message-status');
        if (status) {
          status.textContent = `Read · #${node.dataset.seq}`;
        }
      }
    }
  }

  /** Draws one entry, new or changed, at its place in the order. */
  upsert(entry, { scroll = 'stick', readUpTo = this.#readUpTo } = {}) {
    this.#readUpTo = Math.max(this.#readUpTo, readUpTo);
    const place = this.#measure();
    this.#nodes.get(entry.key)?.remove();
    const node = build(entry, this.#readUpTo);
    this.#nodes.set(entry.key, node);
    let before = null;
    for (let child = this.#list.lastElementChild; child; child = child.previousElementSibling) {
      if (child.dataset.key && Number(child.dataset.sortKey) <= entry.sortKey) {
        break;
      }
      before = child;
    }
    this.#list.insertBefore(node, before);
    this.#separate();
    this.#restore(place, scroll);
  }

  /** Puts a day separator before the first entry of each calendar day. */
  #separate() {
    for (const old of this.#list.querySelectorAll('.day-separator')) {
      old.remove();
    }
    let day = null;
    for (const node of [...this.#list.children]) {
      const iso = node.querySelector('time')?.dateTime;
      if (!iso) {
        continue;
      }
      const date = new Date(iso);
      const key = date.toDateString();
      if (key !== day) {
        day = key;
        const separator = document.createElement('li');
        separator.className = 'day-separator';
        separator.setAttribute('data-testid', 'day-separator');
        separator.setAttribute('role', 'separator');
        separator.textContent = dayLabel(date);
        this.#list.insertBefore(separator, node);
      }
    }
  }

  remove(key) {
    this.#nodes.get(key)?.remove();
    this.#nodes.delete(key);
  }

  #measure() {
    const pane = this.#pane;
    return {
      atBottom: pane.scrollHeight - pane.scrollTop - pane.clientHeight < STICK_PX,
      fromBottom: pane.scrollHeight - pane.scrollTop,
    };
  }

  #restore(place, scroll) {
    const pane = this.#pane;
    if (scroll === 'bottom' || (scroll === 'stick' && place.atBottom)) {
      pane.scrollTop = pane.scrollHeight;
    } else if (scroll === 'keep') {
      pane.scrollTop = pane.scrollHeight - place.fromBottom;
    }
  }
}

function dayLabel(date) {
  const today = new Date();
  const yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
  if (date.toDateString() === today.toDateString()) {
    return 'Today';
  }
  if (date.toDateString() === yesterday.toDateString()) {
    return 'Yesterday';
  }
  return date.toLocaleDateString([], { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

function build(entry, readUpTo) {
  const node = entry.type === 'notice' ? buildNotice(entry) : buildMessage(entry, readUpTo);
  node.dataset.key = entry.key;
  node.dataset.sortKey = String(entry.sortKey);
  return node;
}

function buildNotice(entry) {
  const li = document.createElement('li');
  li.className = 'notice';
  li.setAttribute('data-testid', 'notice');
  li.textContent = entry.text;
  return li;
}

function buildMessage(entry, readUpTo) {
  const li = document.createElement('li');
  li.className = `message ${entry.own ? 'own' : 'other'}`;
  li.setAttribute('data-testid', 'message');
  li.dataset.state = entry.state;
  li.dataset.kind = entry.kind;
  const read = entry.own && entry.seq !== null && entry.seq <= readUpTo;
  if (read) {
    li.dataset.read = 'true';
  }
  if (entry.seq !== null) {
    li.dataset.seq = String(entry.seq);
  }
  if (entry.messageId !== null) {
    li.dataset.messageId = String(entry.messageId);
  }

  const meta = document.createElement('div');
  meta.className = 'message-meta';
  if (!entry.own) {
    const author = element('span', 'message-author', displayName(entry.from));
    if (typeof entry.from?.username === 'string') {
      author.title = `@${entry.from.username}`;
    }
    meta.append(author);
  }
  meta.append(timeOf(entry.sentAt));

  const body = document.createElement('div');
  body.className = 'message-body';
  if (entry.body !== '') {
    const text = element('p', 'message-text', entry.body);
    text.setAttribute('data-testid', 'message-text');
    if (entry.kind === 'emoji' || isEmojiOnly(entry.body)) {
      text.classList.add('message-emoji');
    }
    body.append(text);
  }
  const attachment = attachmentOf(entry);
  if (attachment) {
    body.append(attachment);
  }

  li.append(meta, body);
  if (entry.own) {
    li.append(statusOf(entry, read));
  }
  return li;
}

function statusOf(entry, read) {
  const status = document.createElement('div');
  status.className = 'message-status';
  status.setAttribute('data-testid', 'message-status');
  if (entry.state === MessageState.SENDING) {
    status.textContent = 'Sending…';
  } else if (entry.state === MessageState.SENT) {
    status.textContent = `${read ? 'Read' : 'Sent'}${entry.seq !== null ? ` · #${entry.seq}` : ''}`;
    if (entry.seq !== null) {
      status.title = `Stored as message #${entry.seq} of this conversation`;
    }
  } else {
    status.append(
      element('span', 'message-error', entry.retriable ? 'Not sent yet.' : `Not sent${entry.error ? `: ${entry.error}` : '.'}`),
    );
    const retry = element('button', 'link-button', 'Retry');
    retry.type = 'button';
    retry.dataset.action = 'retry';
    status.append(' ', retry);
  }
  return status;
}

function timeOf(sentAt) {
  const time = document.createElement('time');
  time.className = 'message-time';
  const date = sentAt ? new Date(sentAt) : null;
  if (date && !Number.isNaN(date.getTime())) {
    time.dateTime = date.toISOString();
    time.title = date.toLocaleString();
    const today = date.toDateString() === new Date().toDateString();
    time.textContent = today
      ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
      : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  }
  return time;
}

/** A link (or picture) for `image` and `file` messages, only to the server's own file URLs. */
function attachmentOf(entry) {
  const file = entry.file;
  const href = safeUrl(file?.url);
  if (!href) {
    return null;
  }
  const name = typeof file.name === 'string' && file.name !== '' ? file.name : 'attachment';
  const link = document.createElement('a');
  link.className = 'message-file';
  link.href = href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  if (entry.kind === 'image' || entry.kind === 'gif') {
    const image = document.createElement('img');
    image.setAttribute('data-testid', 'message-image');
    image.src = href;
    image.alt = name;
    // Reserve the picture's space before it loads, so the conversation does not jump.
    if (Number.isInteger(file.width) && Number.isInteger(file.height)) {
      image.width = file.width;
      image.height = file.height;
    }
    image.loading = 'lazy';
    link.append(image);
  } else {
    link.textContent = `📎 ${name}`;
    link.setAttribute('data-testid', 'message-file');
    if (Number.isFinite(file.size)) {
      link.append(element('span', 'message-file-size', ` (${Math.max(1, Math.round(file.size / 1024))} KB)`));
    }
  }
  return link;
}

function safeUrl(raw) {
  if (typeof raw !== 'string' || raw === '') {
    return null;
  }
  try {
    const url = new URL(raw, window.location.href);
    const ours = url.origin === window.location.origin && url.pathname.startsWith('/api/files/');
    return ours ? url.href : null;
  } catch {
    return null;
  }
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  node.textContent = text;
  return node;
}
