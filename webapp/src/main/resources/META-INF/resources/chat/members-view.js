/**
 * The member list of the open room (`room.members`), online members first. Each entry carries
 * `data-testid="member"`, `data-user-id` and `data-online`. A large room's list is paged: the count
 * shows the room's total and a "Show more" button (`data-testid="members-more"`) loads the next
 * page.
 */

import { displayName, sameUser } from '../protocol/frames.js';

export class MembersView {
  #list;
  #count;
  #members = new Map();
  #more;

  /**
   * @param {{list: HTMLUListElement, count: HTMLElement}} el
   * @param {{onDirect: (user: object) => void, onMore?: () => void}} handlers "Message" on a
   *   member starts a DM; "Show more" asks for the next page
   */
  constructor(el, { onDirect, onMore = () => {} }) {
    this.#list = el.list;
    this.#count = el.count;
    this.#more = document.createElement('button');
    this.#more.type = 'button';
    this.#more.className = 'small members-more';
    this.#more.setAttribute('data-testid', 'members-more');
    this.#more.textContent = 'Show more';
    this.#more.hidden = true;
    this.#more.addEventListener('click', () => onMore());
    this.#list.after(this.#more);
    this.#list.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('[data-action="dm"]') : null;
      const member = this.#members.get(button?.closest('[data-user-id]')?.dataset.userId);
      if (member) {
        onDirect(member);
      }
    });
  }

  /**
   * @param {Array<{id, username, nickname, online}>} members
   * @param {object|null} me
   * @param {{direct?: boolean, total?: number, more?: boolean}} options a direct conversation has
   *   no "Message" buttons; `total` is the room's member count when only some are listed, `more`
   *   whether a next page can be loaded
   */
  render(members, me, { direct = false, total = members.length, more = false } = {}) {
    const sorted = [...members].sort(
      (a, b) =>
        Number(Boolean(b.online)) - Number(Boolean(a.online)) ||
        displayName(a).localeCompare(displayName(b), undefined, { sensitivity: 'base' }),
    );
    this.#count.textContent = String(Math.max(total, members.length));
    this.#more.hidden = !more;
    this.#more.disabled = false;
    this.#members = new Map(members.map((m) => [String(m.id), m]));
    this.#list.replaceChildren(...sorted.map((member) => item(member, sameUser(member, me), direct)));
  }

  /** While a page loads, "Show more" cannot be pressed again. */
  loading() {
    this.#more.disabled = true;
  }
}

function item(member, isMe, direct) {
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
  li.append(state);
  if (isMe) {
    const you = document.createElement('span');
    you.className = 'member-you';
    you.textContent = ' (you)';
    li.append(you);
  } else if (!direct) {
    const dm = document.createElement('button');
    dm.type = 'button';
    dm.className = 'small member-dm';
    dm.dataset.action = 'dm';
    dm.setAttribute('data-testid', 'member-dm');
    dm.textContent = 'Message';
    dm.setAttribute('aria-label', `Message ${displayName(member)}`);
    li.append(dm);
  }
  return li;
}
