/**
 * The sidebar: the room list with a Join or Leave button per room, the "Create room" form, and on
 * narrow screens a toggle that folds the list away above the chat. Every room entry carries
 * `data-testid="room-item"` and `data-room-id`.
 */

export class RoomsView {
  #el;
  #directory;
  #onSelect;
  #onError;
  #selectedId = null;
  #busy = new Set();
  #narrow;

  /**
   * @param {{sidebar: HTMLElement, toggle: HTMLButtonElement, list: HTMLUListElement,
   *   empty: HTMLElement, form: HTMLFormElement, name: HTMLInputElement,
   *   create: HTMLButtonElement}} el
   * @param {{directory: import('./room-directory.js').RoomDirectory,
   *   onSelect: (roomId: number) => void, onError: (error: Error|string) => void}} deps
   */
  constructor(el, { directory, onSelect, onError }) {
    this.#el = el;
    this.#directory = directory;
    this.#onSelect = onSelect;
    this.#onError = onError;
    this.#narrow = window.matchMedia('(max-width: 720px)');

    directory.addEventListener('change', () => this.render());
    el.form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#create();
    });
    el.list.addEventListener('click', (event) => {
      const button = event.target instanceof Element ? event.target.closest('button[data-action]') : null;
      const item = button?.closest('[data-room-id]');
      if (button && item && button.getAttribute('aria-disabled') !== 'true') {
        this.#act(button.dataset.action, Number(item.dataset.roomId));
      }
    });
    el.toggle.addEventListener('click', () => this.#collapse(el.sidebar.dataset.collapsed !== 'true'));
    this.render();
  }

  /**
   * Marks the open room (null: a direct conversation is open); on a narrow screen folds the list
   * away to make room for the chat.
   */
  select(roomId, { fold = true } = {}) {
    this.#selectedId = roomId === null ? null : Number(roomId);
    if (fold && this.#narrow.matches) {
      this.#collapse(true);
    }
    this.render();
  }

  /** Folds the lists away on a narrow screen (a conversation is open and needs the room). */
  fold() {
    if (this.#narrow.matches) {
      this.#collapse(true);
    }
  }

  reset() {
    this.#selectedId = null;
    this.#busy.clear();
    this.#el.name.value = '';
    this.#collapse(false);
    this.render();
  }

  render() {
    const focused = focusedAction(this.#el.list);
    const rooms = this.#directory.rooms;
    this.#el.empty.hidden = rooms.length > 0;
    this.#el.list.replaceChildren(...rooms.map((room) => this.#item(room)));
    if (focused) {
      // After Join the same spot holds Leave (and back); keep the focus on that spot.
      const swapped = { join: 'leave', leave: 'join' }[focused.action] ?? focused.action;
      const item = this.#el.list.querySelector(`[data-room-id="${focused.roomId}"]`);
      (
        item?.querySelector(`button[data-action="${focused.action}"]`) ??
        item?.querySelector(`button[data-action="${swapped}"]`)
      )?.focus();
    }
  }

  #item(room) {
    const selected = room.id === this.#selectedId;
    const busy = this.#busy.has(room.id);
    const nameId = `room-name-${room.id}`;

    const item = document.createElement('li');
    item.className = 'room-item';
    item.classList.toggle('selected', selected);
    item.classList.toggle('joined', room.joined);
    item.setAttribute('data-testid', 'room-item');
    item.dataset.roomId = String(room.id);
    item.dataset.joined = String(room.joined);

    const open = button('room-open', 'open');
    if (selected) {
      open.setAttribute('aria-current', 'true');
    }
    const name = span('room-name', room.name);
    name.id = nameId;
    const count = room.memberCount === 1 ? '1 member' : `${room.memberCount} members`;
    const meta = span('room-meta', room.joined ? `${count} · joined` : count);
    open.append(name, meta);
    const unread = this.#directory.unread(room.id);
    if (unread > 0 && !selected) {
      const badge = span('badge', unread > 99 ? '99+' : String(unread));
      badge.setAttribute('aria-label', `${unread} unread`);
      open.append(badge);
    }

    const membership = button(room.joined ? 'room-leave' : 'room-join', room.joined ? 'leave' : 'join');
    membership.textContent = room.joined ? 'Leave' : 'Join';
    membership.setAttribute('data-testid', room.joined ? 'room-leave' : 'room-join');
    membership.setAttribute('aria-describedby', nameId);
    // aria-disabled rather than disabled: a disabled button drops the keyboard focus.
    membership.setAttribute('aria-disabled', String(busy));

    item.append(open, membership);
    return item;
  }

  async #act(action, roomId) {
    if (action === 'open') {
      this.#onSelect(roomId);
      return;
    }
    this.#busy.add(roomId);
    this.render();
    try {
      if (action === 'join') {
        await this.#directory.join(roomId);
        this.#onSelect(roomId);
      } else if (action === 'leave') {
        await this.#directory.leave(roomId);
      }
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#busy.delete(roomId);
      this.render();
    }
  }

  async #create() {
    const name = this.#el.name.value.trim();
    if (name === '') {
      this.#onError('Enter a name for the new room.');
      this.#el.name.focus();
      return;
    }
    this.#el.create.disabled = true;
    try {
      const room = await this.#directory.create(name);
      this.#el.name.value = '';
      if (room) {
        this.#onSelect(room.id);
      }
    } catch (error) {
      this.#onError(error);
    } finally {
      this.#el.create.disabled = false;
    }
  }

  #collapse(collapsed) {
    this.#el.sidebar.dataset.collapsed = String(collapsed);
    this.#el.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.#el.toggle.textContent = collapsed ? 'Show list' : 'Hide list';
  }
}

function button(className, action) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = className;
  element.dataset.action = action;
  return element;
}

function span(className, text) {
  const element = document.createElement('span');
  element.className = className;
  element.textContent = text;
  return element;
}

/** Which room button had the focus, so a re-render can give it back. */
function focusedAction(list) {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || !list.contains(active) || !active.dataset.action) {
    return null;
  }
  const item = active.closest('[data-room-id]');
  return item ? { roomId: item.dataset.roomId, action: active.dataset.action } : null;
}
