/**
 * The "Chats" list of the sidebar: one entry per conversation (`data-testid="conversation-item"`,
 * `data-conversation`) with its name, the last message as a preview
 * (`conversation-preview`) and an unread badge (`conversation-unread`).
 */

import { displayName } from '../protocol/frames.js';
import { previewOf } from './conversation-list.js';

export class ConversationsView {
  #list;
  #empty;
  #store;
  #me = null;
  #selected = null;

  /**
   * @param {{list: HTMLUListElement, empty: HTMLElement}} el
   * @param {{store: import('./conversation-list.js').ConversationList, onSelect: (id: string) => void}} deps
   */
  constructor(el, { store, onSelect }) {
    this.#list = el.list;
    this.#empty = el.empty;
    this.#store = store;
    store.addEventListener('change', () => this.render());
    this.#list.addEventListener('click', (event) => {
      const item = event.target instanceof Element ? event.target.closest('[data-conversation]') : null;
      if (item) {
        onSelect(item.dataset.conversation);
      }
    });
    this.render();
  }

  setMe(user) {
    this.#me = user;
  }

  select(id) {
    this.#selected = id;
    this.render();
  }

  render() {
    const items = this.#store.items;
    this.#empty.hidden = items.length > 0;
    this.#list.replaceChildren(...items.map((item) => this.#item(item)));
  }

  #item(item) {
    const li = document.createElement('li');
    li.className = 'conversation-item';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'conversation-open';
    button.setAttribute('data-testid', 'conversation-item');
    button.dataset.conversation = item.id;
    if (item.id === this.#selected) {
      button.setAttribute('aria-current', 'true');
      li.classList.add('selected');
    }

    const icon = span('conversation-icon', item.id.startsWith('dm:') ? '@' : '#');
    icon.setAttribute('aria-hidden', 'true');
    const text = document.createElement('span');
    text.className = 'conversation-text';
    const name = span('conversation-name', item.name);
    const last = item.lastMessage;
    let preview = previewOf(last);
    if (last && preview !== '') {
      const mine = this.#me && Number(last.from?.id) === Number(this.#me.id);
      preview = `${mine ? 'You' : displayName(last.from)}: ${preview}`;
    }
    const previewNode = span('conversation-preview', preview || 'No messages yet');
    previewNode.setAttribute('data-testid', 'conversation-preview');
    text.append(name, previewNode);
    button.append(icon, text);
    if (item.unread > 0 && item.id !== this.#selected) {
      const badge = span('badge', item.unread > 99 ? '99+' : String(item.unread));
      badge.setAttribute('data-testid', 'conversation-unread');
      badge.setAttribute('aria-label', `${item.unread} unread`);
      button.append(badge);
    }
    li.append(button);
    return li;
  }
}

function span(className, text) {
  const node = document.createElement('span');
  node.className = className;
  node.textContent = text;
  return node;
}
