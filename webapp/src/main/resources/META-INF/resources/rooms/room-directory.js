/**
 * The rooms the server knows (`room.list`): name, member count and whether I am a member, plus
 * how many messages arrived in each while it was not open. It refreshes itself on `room.created`
 * and when my own membership changes on another device (`member.joined` / `member.left` about me);
 * another member's join or leave only moves the room's count, without a `room.list`. (Rooms of
 * more than 500 members do not push other members' joins at all.) Every change is announced with
 * a `change` event.
 */

import { LocalCode, idOf, sameUser } from '../protocol/frames.js';

const REFRESH_DELAY_MS = 150;

export class RoomDirectory extends EventTarget {
  #connection;
  #onError;
  #rooms = new Map();
  #unread = new Map();
  #refreshTimer = null;
  #me = null;

  /**
   * @param {import('../connection/connection.js').Connection} connection
   * @param {{onError: (error: Error) => void}} handlers
   */
  constructor(connection, { onError }) {
    super();
    this.#connection = connection;
    this.#onError = onError;
    connection.on('room.created', (frame) => this.#roomCreated(frame.room));
    connection.on('welcome', ({ user }) => {
      this.#me = user ?? null;
    });
    connection.on('member.joined', (frame) => this.#memberChanged(frame, 1));
    connection.on('member.left', (frame) => this.#memberChanged(frame, -1));
  }

  /** The rooms, sorted by name. */
  get rooms() {
    return [...this.#rooms.values()].sort(
      (a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id - b.id,
    );
  }

  /** The room with this id, or null. */
  get(roomId) {
    return this.#rooms.get(Number(roomId)) ?? null;
  }

  unread(roomId) {
    return this.#unread.get(Number(roomId)) ?? 0;
  }

  markUnread(roomId) {
    const id = Number(roomId);
    this.#unread.set(id, this.unread(id) + 1);
    this.#changed();
  }

  clearUnread(roomId) {
    if (this.#unread.delete(Number(roomId))) {
      this.#changed();
    }
  }

  /** Loads the list from the server (`room.list`). */
  async refresh() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    const result = await this.#connection.request('room.list');
    const rooms = Array.isArray(result?.rooms) ? result.rooms.map(normalize).filter(Boolean) : [];
    this.#rooms = new Map(rooms.map((room) => [room.id, room]));
    this.#changed();
  }

  /** Refreshes shortly, so that a burst of pushes costs one `room.list`. */
  scheduleRefresh() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.refresh().catch((error) => this.#report(error));
    }, REFRESH_DELAY_MS);
  }

  /** Creates a room (`room.create`); I become its member. Resolves with `{id, name}`. */
  async create(name) {
    const result = await this.#connection.request('room.create', { name });
    const room = normalize({ ...result?.room, memberCount: 1, joined: true });
    if (room) {
      this.#rooms.set(room.id, { ...room, memberCount: this.get(room.id)?.memberCount || 1 });
      this.#changed();
    }
    this.scheduleRefresh();
    return room;
  }

  /**
   * Joins a room (`room.join`); resolves with the ack `{room, members, memberCount, next?}`
   * (`members` is the first page only when `next` is there).
   */
  async join(roomId) {
    const result = await this.#connection.request('room.join', { room: Number(roomId) });
    const room = this.get(roomId);
    if (room) {
      const total = Number(result?.memberCount);
      const count = Number.isFinite(total) && total >= 0
        ? total
        : Array.isArray(result?.members) ? result.members.length : room.memberCount + 1;
      this.#rooms.set(room.id, { ...room, joined: true, memberCount: count });
      this.#changed();
    }
    this.scheduleRefresh();
    return result;
  }

  /** Leaves a room (`room.leave`). */
  async leave(roomId) {
    await this.#connection.request('room.leave', { room: Number(roomId) });
    const room = this.get(roomId);
    if (room) {
      this.#rooms.set(room.id, { ...room, joined: false, memberCount: Math.max(0, room.memberCount - 1) });
      this.#unread.delete(room.id);
      this.#changed();
    }
    this.scheduleRefresh();
  }

  /** Forgets everything (sign out). */
  reset() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = null;
    this.#rooms.clear();
    this.#unread.clear();
    this.#changed();
  }

  #roomCreated(ref) {
    const id = idOf(ref);
    if (id !== null && !this.#rooms.has(id) && typeof ref?.name === 'string') {
      // Shown at once; the refresh that follows fills in the real count and membership.
      this.#rooms.set(id, { id, name: ref.name, memberCount: 1, joined: false });
      this.#changed();
    }
    this.scheduleRefresh();
  }

  /** Someone joined or left a room I follow: its count moves; my own membership needs the list. */
  #memberChanged(frame, delta) {
    const id = idOf(frame?.room);
    const room = id === null ? null : this.#rooms.get(id);
    if (!room || !this.#me || sameUser(frame?.user, this.#me)) {
      this.scheduleRefresh();
      return;
    }
    this.#rooms.set(id, { ...room, memberCount: Math.max(0, room.memberCount + delta) });
    this.#changed();
  }

  #report(error) {
    // While disconnected the list is reloaded on the next welcome; no need to alarm anyone.
    if (!Object.values(LocalCode).includes(error?.code)) {
      this.#onError(error);
    }
  }

  #changed() {
    this.dispatchEvent(new Event('change'));
  }
}

function normalize(raw) {
  const id = idOf(raw);
  if (id === null) {
    return null;
  }
  const count = Number(raw.memberCount);
  return {
    id,
    name: typeof raw.name === 'string' && raw.name !== '' ? raw.name : `Room ${id}`,
    memberCount: Number.isFinite(count) && count >= 0 ? count : 0,
    joined: raw.joined === true,
  };
}
