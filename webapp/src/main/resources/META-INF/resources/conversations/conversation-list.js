/**
 * The conversations I am in — joined rooms and direct conversations — as `conversation.list`
 * gives them (name, last and read seq, unread count, last message), kept current by `message`
 * and `read` pushes in between. Announces every change with a `change` event.
 */

import { LocalCode, displayName } from '../protocol/frames.js';

const REFRESH_DELAY_MS = 200;

export class ConversationList extends EventTarget {
  #connection;
  #items = new Map();
  #refreshTimer = null;
  #openId = null;

  /** @param {import('../connection/connection.js').Connection} connection */
  constructor(connection) {
    super();
    this.#connection = connection;
  }

  /** The conversations, the most recently active first. */
  get items() {
    return [...this.#items.values()].sort((a, b) => b.lastAt - a.lastAt || a.name.localeCompare(b.name));
  }

  get(id) {
    return this.#items.get(id) ?? null;
  }

  /** Loads the list from the server (`conversation.list`); resolves with it. */
  async refresh() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    const result = await this.#connection.request('conversation.list');
    const fresh = new Map();
    for (const raw of Array.isArray(result?.conversations) ? result.conversations : []) {
      if (typeof raw?.id !== 'string') {
        continue;
      }
      const known = this.#items.get(raw.id);
      const lastSeq = Number(raw.lastSeq) || 0;
      const item = {
        id: raw.id,
        name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : raw.id,
        lastSeq: Math.max(lastSeq, known?.lastSeq ?? 0),
        unread: raw.id === this.#openId ? 0 : Math.max(0, Number(raw.unread) || 0),
        lastMessage: raw.lastMessage ?? known?.lastMessage ?? null,
        lastAt: timeOf(raw.lastMessage?.sentAt) || known?.lastAt || 0,
        peer: known?.peer ?? null,
      };
      fresh.set(item.id, item);
    }
    this.#items = fresh;
    this.#changed();
    return this.items;
  }

  /** Refreshes shortly, so that a burst of changes costs one `conversation.list`. */
  scheduleRefresh() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.refresh().catch((error) => {
        if (!Object.values(LocalCode).includes(error?.code)) {
          console.warn('Parley: conversation.list failed', error);
        }
      });
    }, REFRESH_DELAY_MS);
  }

  /** Makes sure a conversation is listed (a new DM I start, a room I just joined). */
  ensure(id, name, peer = null) {
    const item = this.#items.get(id);
    if (item) {
      if (peer && !item.peer) {
        item.peer = peer;
      }
      return item;
    }
    const created = { id, name, lastSeq: 0, unread: 0, lastMessage: null, lastAt: Date.now(), peer };
    this.#items.set(id, created);
    this.#changed();
    return created;
  }

  /** Takes a stored message into account (a push, a sync, my own acked send). */
  noteMessage(message, { own }) {
    const id = message.conversation;
    const seq = Number(message.seq) || 0;
    let item = this.#items.get(id);
    if (!item) {
      // A direct conversation someone else started: it is named after them.
      const name = id.startsWith('dm:') ? displayName(message.from) : id;
      item = this.ensure(id, name, id.startsWith('dm:') ? message.from ?? null : null);
      this.scheduleRefresh();
    }
    if (seq <= item.lastSeq && item.lastMessage) {
      return;
    }
    item.lastSeq = Math.max(item.lastSeq, seq);
    item.lastMessage = message;
    item.lastAt = timeOf(message.sentAt) || Date.now();
    if (!own && id !== this.#openId) {
      item.unread += 1;
    }
    this.#changed();
  }

  /** The conversation on screen: it counts nothing as unread. */
  setOpen(id) {
    this.#openId = id;
    const item = id ? this.#items.get(id) : null;
    if (item && item.unread !== 0) {
      item.unread = 0;
      this.#changed();
    }
  }

  /** My read position moved (here or on another device). */
  noteRead(id, seq) {
    const item = this.#items.get(id);
    if (item) {
      const unread = Math.max(0, item.lastSeq - seq);
      if (unread < item.unread || seq >= item.lastSeq) {
        item.unread = unread;
        this.#changed();
      }
    }
  }

  reset() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    this.#items.clear();
    this.#openId = null;
    this.#changed();
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}

function timeOf(iso) {
  const time = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return Number.isNaN(time) ? 0 : time;
}

/** One line of preview for a message: its text, or what it carries. */
export function previewOf(message) {
  if (!message) {
    return '';
  }
  const body = typeof message.body === 'string' ? message.body.replace(/\s+/g, ' ').trim() : '';
  if (body !== '') {
    return body;
  }
  switch (message.kind) {
    case 'image':
      return '📷 Image';
    case 'gif':
      return 'GIF';
    case 'file':
      return `📎 ${message.file?.name ?? 'File'}`;
    default:
      return '';
  }
}
