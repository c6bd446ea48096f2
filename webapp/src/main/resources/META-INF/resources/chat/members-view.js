/**
 * The member list of the open room (`room.members`), online members first. Each entry carries
 * `data-testid="member"`, `data-user-id` and `data-online`.
 */

import { displayName, sameUser } from '../protocol/frames.js';

export class MembersView {
  #list;
  #count;

  /** @param {{list: HTMLUListElement, count: HTMLElement}} el */
  constructor(el) {
    this.#list = el.list;
    this.#count = el.count;
  }

  /** @param {Array<{id, username, nickname, online}>} members @param {object|null} me */
  render(members, me) {
    const sorted = [...members].sort(
      (a, b) =>
        Number(Boolean(b.online)) - Number(Boolean(a.online)) ||
        displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base' }),
    );
    this.#count.textContent = String(members.length);
    this.#list.replaceChildren(...sorted.map((member) => item(member, sameUser(member, me))));
  }
}

function item(member, isMe) {
  const li = document.createElement('li');
  li.className = 'member';
  li.setAttribute('data-testid', 'member');
  li.dataset.userId = String(member.id);
  li.dataset.online = String(Boolean(member.online));

  const dot = document.createElement('span');
  dot.className = 'presence-dot';
  dot.setAttribute('aria-hidden', 'true');

  const name = document.createElement('span');
  name.className = 'member-name';
  name.textContent = displayName(member);
  if (typeof member.username === 'string') {
    name.title = `@${member.username}`;
  }

  const state = document.createElement('span');
  state.className = 'visually-hidden';
  state.textContent = member.online ? ' (online)' : ' (offline)';

  li.append(dot, name);
  if (isMe) {
    const you = document.createElement('span');
    you.className = 'member-you';
    you.textContent = ' (you)';
    li.append(you);
  }
  li.append(state);
  return li;
}
