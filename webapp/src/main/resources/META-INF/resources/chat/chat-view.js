/**
 * The open room: its messages (a cache per conversation, merged from `history`, `message` pushes
 * and my own sends), its members, and the composer. My message shows at once as "sending" and
 * turns "sent" with its seq when the ack comes; one that never got an answer is sent again, under
 * the same request id, after the next welcome (the server de-duplicates it).
 */

import {
  LocalCode,
  displayName,
  idOf,
  newRequestId,
  roomConversation,
  roomIdOf,
  sameUser,
} from '../protocol/frames.js';
import { ConversationLog } from './conversation-log.js';
import { MembersView } from './members-view.js';
import { MessageList } from './message-list.js';

const PAGE_SIZE = 50;
const MAX_PAGE = 100;

export class ChatView {
  #el;
  #connection;
  #directory;
  #onError;
  #messages;
  #members;
  #logs = new Map();
  #me = null;
  /** @type {{roomId: number, conversation: string, joined: boolean} | null} */
  #current = null;
  #memberMap = new Map();

  /**
   * @param {{empty: HTMLElement, room: HTMLElement, title: HTMLElement, subtitle: HTMLElement,
   *   notMember: HTMLElement, body: HTMLElement, pane: HTMLElement, list: HTMLOListElement,
   *   loadEarlier: HTMLButtonElement, membersPanel: HTMLDetailsElement, memberList: HTMLUListElement,
   *   memberCount: HTMLElement, composer: HTMLFormElement, input: HTMLTextAreaElement,
   *   announcer: HTMLElement}} el
   * @param {{connection: import('../connection/connection.js').Connection,
   *   directory: import('../rooms/room-directory.js').RoomDirectory,
   *   onError: (error: Error|string) => void}} deps
   */
  constructor(el, { connection, directory, onError }) {
    this.#el = el;
    this.#connection = connection;
    this.#directory = directory;
    this.#onError = onError;
    this.#messages = new MessageList({ list: el.list, pane: el.pane }, { onRetry: (key) => this.#retry(key) });
    this.#members = new MembersView({ list: el.memberList, count: el.memberCount });

    connection.on('message', (frame) => this.#onMessage(frame));
    connection.on('member.joined', (frame) => this.#onMembership(frame, true));
    connection.on('member.left', (frame) => this.#onMembership(frame, false));
    connection.on('presence', (frame) => this.#onPresence(frame));
    directory.addEventListener('change', () => this.#onDirectoryChange());

    el.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#send();
    });
    el.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#send();
      }
    });
    el.loadEarlier.addEventListener('click', () => this.#loadEarlier());
    el.membersPanel.open = !window.matchMedia('(max-width: 720px)').matches;
  }

  /** The signed-in user `{id, username, nickname}`; decides which messages are mine. */
  setMe(user) {
    this.#me = user && typeof user === 'object' ? user : null;
  }

  /** Shows a room: its messages and members when I am a member, a hint to join otherwise. */
  open(roomId) {
    const room = this.#directory.get(roomId);
    if (!room) {
      this.close();
      return;
    }
    const switched = this.#current?.roomId !== room.id;
    const conversation = roomConversation(room.id);
    this.#current = { roomId: room.id, conversation, joined: room.joined };
    this.#directory.clearUnread(room.id);

    const el = this.#el;
    el.empty.hidden = true;
    el.room.hidden = false;
    el.title.textContent = room.name;
    el.list.setAttribute('aria-label', `Messages in ${room.name}`);
    el.notMember.hidden = room.joined;
    el.body.hidden = !room.joined;
    el.composer.hidden = !room.joined;
    this.#renderSubtitle(room);
    if (switched) {
      this.#memberMap.clear();
      this.#members.render([], this.#me);
    }
    if (!room.joined) {
      this.#messages.clear();
      el.loadEarlier.hidden = true;
      return;
    }
    const log = this.#log(conversation);
    this.#messages.renderAll(log.entries(), { scroll: 'bottom' });
    this.#showLoadEarlier(log);
    this.#loadMembers(room.id);
    this.#loadLatest(log);
    if (switched && window.matchMedia('(pointer: fine)').matches) {
      el.input.focus();
    }
  }

  /** Shows the "pick a room" placeholder. */
  close() {
    this.#current = null;
    this.#memberMap.clear();
    this.#messages.clear();
    this.#el.room.hidden = true;
    this.#el.empty.hidden = false;
  }

  /** Forgets every conversation (sign out). */
  reset() {
    this.close();
    this.#logs.clear();
    this.#me = null;
    this.#el.input.value = '';
  }

  /**
   * After every welcome: what happened while we were away is fetched again for the open room
   * (other rooms fetch it when opened), and sends that never got an answer go out again.
   */
  reconnected() {
    for (const log of this.#logs.values()) {
      log.historyLoaded = false;
    }
    const current = this.#current;
    if (current?.joined) {
      this.#loadMembers(current.roomId);
      this.#loadLatest(this.#log(current.conversation));
    }
    for (const log of this.#logs.values()) {
      for (const entry of log.unanswered()) {
        this.#resend(log, entry.clientId, { automatic: true });
      }
    }
  }

  #log(conversation) {
    let log = this.#logs.get(conversation);
    if (!log) {
      log = new ConversationLog(conversation);
      this.#logs.set(conversation, log);
    }
    return log;
  }

  #isOpen(conversation) {
    return this.#current !== null && this.#current.joined && this.#current.conversation === conversation;
  }

  // --- sending -------------------------------------------------------------------------------

  #send() {
    const current = this.#current;
    if (!current?.joined) {
      return;
    }
    const body = this.#el.input.value.trim();
    if (body === '') {
      return;
    }
    const log = this.#log(current.conversation);
    const entry = log.addPending(newRequestId(), body, this.#me);
    this.#el.input.value = '';
    this.#messages.upsert(entry, { scroll: 'bottom' });
    this.#transmit(log, entry.clientId);
  }

  async #transmit(log, clientId) {
    const entry = log.find(`c:${clientId}`);
    const roomId = roomIdOf(log.conversation);
    if (!entry || roomId === null) {
      return;
    }
    try {
      const ack = await this.#connection.request(
        'message.send',
        { room: roomId, kind: 'text', body: entry.body },
        { id: clientId },
      );
      const { entry: done, removedKey } = log.acknowledge(clientId, ack);
      if (this.#isOpen(log.conversation)) {
        if (removedKey) {
          this.#messages.remove(removedKey);
        }
        if (done) {
          this.#messages.upsert(done);
        }
      }
    } catch (error) {
      const retriable = Object.values(LocalCode).includes(error?.code);
      const failed = log.fail(clientId, error, retriable);
      if (failed && this.#isOpen(log.conversation)) {
        this.#messages.upsert(failed);
      }
      if (!retriable) {
        this.#onError(error);
      }
    }
  }

  #retry(key) {
    const log = this.#current ? this.#logs.get(this.#current.conversation) : undefined;
    const entry = log?.find(key);
    if (log && entry?.clientId) {
      this.#resend(log, entry.clientId);
    }
  }

  #resend(log, clientId, { automatic = false } = {}) {
    const entry = log.resend(clientId, { automatic });
    if (!entry) {
      return;
    }
    if (this.#isOpen(log.conversation)) {
      this.#messages.upsert(entry);
    }
    this.#transmit(log, clientId);
  }

  // --- history -------------------------------------------------------------------------------

  /** The latest page; also what fills the log again after a reconnect. */
  async #loadLatest(log) {
    const page = await this.#history(log, { limit: PAGE_SIZE });
    if (page === null) {
      return;
    }
    const previousOldest = log.oldestSeq;
    this.#merge(log, page.messages);
    // The page says whether older messages exist only if it reached below what we already had.
    if (previousOldest === null || (log.oldestSeq !== null && log.oldestSeq < previousOldest) || page.messages.length === 0) {
      log.more = page.more;
    }
    log.historyLoaded = true;
    log.placeFloatingNotices();
    this.#redraw(log, 'stick');
  }

  async #loadEarlier() {
    const current = this.#current;
    const log = current ? this.#logs.get(current.conversation) : undefined;
    if (!log || log.oldestSeq === null) {
      return;
    }
    this.#el.loadEarlier.disabled = true;
    try {
      const page = await this.#history(log, { before: log.oldestSeq, limit: PAGE_SIZE });
      if (page !== null) {
        this.#merge(log, page.messages);
        log.more = page.more;
        this.#redraw(log, 'keep');
      }
    } finally {
      this.#el.loadEarlier.disabled = false;
    }
  }

  /** Fetches the messages between what we had and a push that skipped ahead. */
  async #fillGap(log, beforeSeq, count) {
    const page = await this.#history(log, { before: beforeSeq, limit: Math.min(MAX_PAGE, count) });
    if (page !== null) {
      this.#merge(log, page.messages);
      this.#redraw(log, 'stick');
    }
  }

  /**
   * One `history` request; null when it failed. A server without history (or any error) is not
   * worth a banner: the room simply starts with what arrives from now on.
   */
  async #history(log, { before, limit }) {
    const fields = { conversation: log.conversation, limit };
    if (before !== undefined) {
      fields.before = before;
    }
    try {
      const result = await this.#connection.request('history', fields);
      return {
        messages: Array.isArray(result?.messages) ? result.messages : [],
        more: result?.more === true,
      };
    } catch (error) {
      console.info(`Parley: no history for ${log.conversation} (${error?.code ?? error})`);
      return null;
    }
  }

  #merge(log, messages) {
    for (const message of messages) {
      log.addMessage(message, this.#me);
    }
  }

  #redraw(log, scroll) {
    if (this.#isOpen(log.conversation)) {
      this.#messages.renderAll(log.entries(), { scroll });
      this.#showLoadEarlier(log);
    }
  }

  #showLoadEarlier(log) {
    this.#el.loadEarlier.hidden = !(log.more && log.oldestSeq !== null && log.oldestSeq > 1);
  }

  // --- pushes --------------------------------------------------------------------------------

  #onMessage(frame) {
    const roomId = roomIdOf(frame?.conversation);
    if (roomId === null) {
      // Direct messages have no screen in this client yet.
      return;
    }
    const log = this.#log(frame.conversation);
    const seq = Number(frame.seq);
    const known = log.lastSeq;
    const entry = log.addMessage(frame, this.#me);
    if (!entry) {
      return;
    }
    if (this.#isOpen(log.conversation)) {
      this.#messages.upsert(entry);
      if (!entry.own) {
        this.#announce(`${displayName(entry.from)}: ${entry.body}`);
      }
    } else if (!entry.own) {
      this.#directory.markUnread(roomId);
    }
    if (log.historyLoaded && known > 0 && seq > known + 1) {
      this.#fillGap(log, seq, seq - known - 1);
    }
  }

  #onMembership(frame, joined) {
    const roomId = idOf(frame?.room);
    const user = frame?.user;
    if (roomId === null || !user) {
      return;
    }
    const conversation = roomConversation(roomId);
    const isMe = sameUser(user, this.#me);
    const log = this.#logs.get(conversation);
    if (log) {
      const who = isMe ? 'You' : displayName(user);
      const entry = log.addNotice(`${who} ${joined ? 'joined' : 'left'} the room`);
      if (this.#isOpen(conversation)) {
        this.#messages.upsert(entry);
      }
    }
    if (this.#current?.roomId === roomId) {
      const id = Number(user.id);
      if (joined) {
        this.#memberMap.set(id, { ...user, online: this.#memberMap.get(id)?.online ?? true });
      } else {
        this.#memberMap.delete(id);
      }
      this.#renderMembers();
    }
  }

  #onPresence(frame) {
    const id = Number(frame?.user?.id);
    const member = this.#memberMap.get(id);
    if (member) {
      this.#memberMap.set(id, { ...member, online: frame.online === true });
      this.#renderMembers();
    }
  }

  #onDirectoryChange() {
    const current = this.#current;
    if (!current) {
      return;
    }
    const room = this.#directory.get(current.roomId);
    if (!room) {
      // The list is empty while it reloads (e.g. sign-out); only a loaded list can drop a room.
      if (this.#directory.rooms.length > 0) {
        this.close();
      }
      return;
    }
    if (room.joined !== current.joined) {
      this.open(room.id);
    } else {
      this.#el.title.textContent = room.name;
      this.#renderSubtitle(room);
    }
  }

  // --- members -------------------------------------------------------------------------------

  async #loadMembers(roomId) {
    try {
      const result = await this.#connection.request('room.members', { room: roomId });
      if (this.#current?.roomId !== roomId) {
        return;
      }
      const members = Array.isArray(result?.members) ? result.members : [];
      this.#memberMap = new Map(
        members.filter((m) => idOf(m) !== null).map((m) => [Number(m.id), m]),
      );
      this.#renderMembers();
    } catch (error) {
      if (!Object.values(LocalCode).includes(error?.code)) {
        this.#onError(error);
      }
    }
  }

  #renderMembers() {
    this.#members.render([...this.#memberMap.values()], this.#me);
    const room = this.#current ? this.#directory.get(this.#current.roomId) : null;
    if (room) {
      this.#renderSubtitle(room);
    }
  }

  #renderSubtitle(room) {
    const count = this.#memberMap.size > 0 ? this.#memberMap.size : room.memberCount;
    const online = [...this.#memberMap.values()].filter((m) => m.online).length;
    const members = count === 1 ? '1 member' : `${count} members`;
    this.#el.subtitle.textContent = this.#memberMap.size > 0 ? `${members}, ${online} online` : members;
  }

  /** Tells screen readers about a new message through the polite live region. */
  #announce(text) {
    const announcer = this.#el.announcer;
    announcer.textContent = '';
    // A fresh text node after a cleared region is announced even when the text repeats.
    window.setTimeout(() => {
      announcer.textContent = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    }, 50);
  }
}
