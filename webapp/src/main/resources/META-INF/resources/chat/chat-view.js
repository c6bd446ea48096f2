/**
 * The open conversation — a room (`room:<id>`) or a direct conversation (`dm:<a>:<b>`): its
 * messages (a log per conversation, merged from `history`, `sync`, `message` pushes and my own
 * sends), its members with presence, who is typing, who has read what, and the composer.
 *
 * My message shows at once as "sending" and turns "sent" with its seq when the ack comes; one that
 * got no answer is sent again under the same request id after the next welcome's `sync` (the
 * server de-duplicates it), so nothing is lost or doubled across a reconnect. My sends of one
 * conversation go one at a time, in the order written, so they also keep that order in seqs.
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
import { Composer } from './composer.js';
import { isEmojiOnly } from './emoji.js';
import { ConversationLog, MessageState } from './conversation-log.js';
import { MembersView } from './members-view.js';
import { MessageList } from './message-list.js';

const PAGE_SIZE = 50;
const MAX_PAGE = 100;
const TYPING_SHOWN_MS = 4000;
const READ_DELAY_MS = 250;
/** How long a hole in the seqs may last before history is asked for it. */
const GAP_WAIT_MS = 1500;
const OPEN_KEY = 'parley.open';

/** The direct conversation of two users: `dm:<smaller id>:<larger id>`. */
export function directConversation(a, b) {
  const [x, y] = [Number(a), Number(b)].sort((p, q) => p - q);
  return `dm:${x}:${y}`;
}

/** The other user's id in a `dm:` conversation, or null. */
function peerOf(conversation, me) {
  const match = /^dm:(\d+):(\d+)$/.exec(conversation ?? '');
  if (!match || !me) {
    return null;
  }
  const [a, b] = [Number(match[1]), Number(match[2])];
  return a === Number(me.id) ? b : a;
}

export class ChatView {
  #el;
  #connection;
  #directory;
  #conversations;
  #onError;
  #messages;
  #members;
  #composer;
  #logs = new Map();
  #me = null;
  /** @type {{id: string, roomId: number|null, peerId: number|null, joined: boolean} | null} */
  #current = null;
  #memberMap = new Map();
  /** The open room's member count (`memberCount`), or null before its list is loaded. */
  #memberTotal = null;
  /** The cursor of the open room's next member page (`next`), or null when all are listed. */
  #memberNext = null;
  /** Who is online, as far as we know: user id → boolean (room.members, presence pushes). */
  #presence = new Map();
  /** Users met anywhere (members, senders): id → {id, username, nickname}. */
  #people = new Map();
  #typing = new Map();
  #typingTimer = null;
  #readTimer = null;
  #syncing = null;
  #onOpened;

  /**
   * @param {object} el the elements of the chat pane (see app.js)
   * @param {{connection: import('../connection/connection.js').Connection,
   *   directory: import('../rooms/room-directory.js').RoomDirectory,
   *   conversations: import('../conversations/conversation-list.js').ConversationList,
   *   token: () => string|null, onError: (error: Error|string) => void,
   *   onOpened: (id: string|null) => void}} deps
   */
  constructor(el, { connection, directory, conversations, token, onError, onOpened = () => {} }) {
    this.#el = el;
    this.#onOpened = onOpened;
    this.#connection = connection;
    this.#directory = directory;
    this.#conversations = conversations;
    this.#onError = onError;
    this.#messages = new MessageList({ list: el.list, pane: el.pane }, { onRetry: (key) => this.#retry(key) });
    this.#members = new MembersView(
      { list: el.memberList, count: el.memberCount },
      { onDirect: (user) => this.openDirect(user), onMore: () => this.#loadMoreMembers() },
    );
    this.#composer = new Composer(el.composer, {
      onSend: (text) => this.#send({ kind: isEmojiOnly(text) ? 'emoji' : 'text', body: text }),
      onTyping: () => this.#current && this.#connection.notify('typing', { conversation: this.#current.id }),
      onUploaded: (file) => this.#sendFile(file),
      token,
    });

    connection.on('message', (frame) => this.#onMessage(frame));
    connection.on('member.joined', (frame) => this.#onMembership(frame, true));
    connection.on('member.left', (frame) => this.#onMembership(frame, false));
    connection.on('presence', (frame) => this.#onPresence(frame));
    connection.on('typing', (frame) => this.#onTyping(frame));
    connection.on('read', (frame) => this.#onRead(frame));
    directory.addEventListener('change', () => this.#onDirectoryChange());
    conversations.addEventListener('change', () => this.#onConversationsChange());

    el.loadEarlier.addEventListener('click', () => this.#loadEarlier());
    // History loads as the reader scrolls back to the top.
    el.pane.addEventListener('scroll', () => {
      if (el.pane.scrollTop < 48 && !el.loadEarlier.hidden && !el.loadEarlier.disabled) {
        this.#loadEarlier();
      }
    });
    document.addEventListener('visibilitychange', () => this.#scheduleRead());
    el.membersPanel.open = !window.matchMedia('(max-width: 720px)').matches;
  }

  /** The signed-in user `{id, username, nickname}`; decides which messages are mine. */
  setMe(user) {
    this.#me = user && typeof user === 'object' ? user : null;
    if (this.#me) {
      this.#people.set(Number(this.#me.id), this.#me);
    }
  }

  /** The conversation open last in this tab (kept across an expired session). */
  static lastOpen() {
    try {
      return sessionStorage.getItem(OPEN_KEY);
    } catch {
      return null;
    }
  }

  get currentId() {
    return this.#current?.id ?? null;
  }

  /** Opens a room by id (from the directory). */
  openRoom(roomId) {
    this.open(roomConversation(roomId));
  }

  /** Opens (or starts) the direct conversation with this user. */
  openDirect(user) {
    if (!this.#me || !user || sameUser(user, this.#me)) {
      return;
    }
    this.#people.set(Number(user.id), user);
    const id = directConversation(this.#me.id, user.id);
    this.#conversations.ensure(id, displayName(user), user);
    this.open(id);
  }

  /** Shows a conversation; for a room I am not in, a hint to join it. */
  open(id) {
    const roomId = roomIdOf(id);
    const peerId = peerOf(id, this.#me);
    if (roomId === null && peerId === null) {
      this.close();
      return;
    }
    const room = roomId !== null ? this.#directory.get(roomId) : null;
    const joined = roomId === null || room?.joined === true || this.#conversations.get(id) !== null;
    const switched = this.#current?.id !== id;
    this.#current = { id, roomId, peerId, joined };
    this.#conversations.setOpen(id);
    try {
      sessionStorage.setItem(OPEN_KEY, id);
    } catch {
      // Not remembered across reloads then.
    }

    const el = this.#el;
    el.empty.hidden = true;
    el.room.hidden = false;
    el.notMember.hidden = joined;
    el.body.hidden = !joined;
    el.composer.form.hidden = !joined;
    el.membersPanel.hidden = !joined;
    this.#renderTitle();
    if (switched) {
      this.#onOpened(id);
      this.#memberMap.clear();
      this.#memberTotal = null;
      this.#memberNext = null;
      this.#typing.clear();
      this.#renderTyping();
      this.#members.render([], this.#me);
      this.#composer.setConversation(id);
    }
    if (!joined) {
      this.#messages.clear();
      el.loadEarlier.hidden = true;
      return;
    }
    const log = this.#log(id);
    this.#messages.renderAll(log.entries(), { scroll: 'bottom', readUpTo: log.readByOthers });
    this.#showLoadEarlier(log);
    this.#loadMembers();
    this.#loadLatest(log);
    if (switched && window.matchMedia('(pointer: fine)').matches) {
      this.#composer.focus();
    }
  }

  /** Shows the "pick a conversation" placeholder. */
  close() {
    this.#current = null;
    this.#conversations.setOpen(null);
    this.#memberMap.clear();
    this.#memberTotal = null;
    this.#memberNext = null;
    this.#messages.clear();
    this.#composer.setConversation(null);
    this.#el.room.hidden = true;
    this.#el.empty.hidden = false;
    this.#onOpened(null);
  }

  /** Forgets every conversation (sign out or expired session; drafts stay unless `drafts`). */
  reset({ drafts = false } = {}) {
    this.close();
    this.#logs.clear();
    this.#presence.clear();
    this.#people.clear();
    this.#me = null;
    if (drafts) {
      Composer.clearDrafts();
      try {
        sessionStorage.removeItem(OPEN_KEY);
      } catch {
        // Nothing stored.
      }
    }
  }

  /**
   * After every welcome: `conversation.list`, then `sync` from what each conversation's log holds
   * (so nothing that happened while away is missed), then sends that never got an answer go out
   * again with their ids, in the order they were written.
   */
  async reconnected() {
    const generation = {};
    this.#syncing = generation;
    try {
      const listed = await this.#conversations.refresh();
      if (this.#current) {
        // A conversation opened before the list arrived (e.g. restored after a reload).
        this.open(this.#current.id);
      } else {
        const last = ChatView.lastOpen();
        if (last && (this.#conversations.get(last) || /^dm:/.test(last))) {
          this.open(last);
        }
      }
      const after = {};
      for (const item of listed) {
        const log = this.#logs.get(item.id);
        after[item.id] = log && log.lastSeq > 0 ? log.lastSeq : item.lastSeq;
      }
      for (const log of this.#logs.values()) {
        if (log.lastSeq > 0) {
          after[log.conversation] = log.lastSeq;
        }
      }
      for (let round = 0; round < 20 && this.#syncing === generation; round++) {
        const ack = await this.#connection.request('sync', { after });
        // The missed messages came before the ack and are in the logs now.
        const latest = ack?.latest && typeof ack.latest === 'object' ? ack.latest : {};
        for (const conversation of Object.keys(latest)) {
          after[conversation] = Math.max(after[conversation] ?? 0, this.#logs.get(conversation)?.lastSeq ?? 0);
        }
        if (ack?.more !== true) {
          break;
        }
      }
    } catch (error) {
      if (!Object.values(LocalCode).includes(error?.code)) {
        this.#onError(error);
      }
      return;
    }
    if (this.#syncing !== generation) {
      return;
    }
    if (this.#current?.id) {
      this.#loadMembers();
    }
    for (const log of this.#logs.values()) {
      for (const entry of log.unanswered()) {
        this.#resend(log, entry.clientId, { automatic: true });
      }
      this.#pump(log);
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
    return this.#current !== null && this.#current.joined && this.#current.id === conversation;
  }

  // --- sending -------------------------------------------------------------------------------

  #send(content) {
    const current = this.#current;
    if (!current?.joined) {
      return;
    }
    const log = this.#log(current.id);
    const entry = log.addPending(newRequestId(), content, this.#me);
    this.#messages.upsert(entry, { scroll: 'bottom' });
    this.#pump(log);
  }

  /**
   * Sends my next waiting message of this conversation. One send is on its way at a time, and a
   * send that failed unanswered (it goes again after the next welcome) holds back the later ones,
   * so my messages get their seqs in the order I wrote them, across reconnects too.
   */
  #pump(log) {
    if (log.inFlight !== null) {
      return;
    }
    for (const entry of log.outbox()) {
      if (entry.state === MessageState.SENDING) {
        this.#transmit(log, entry.clientId);
        return;
      }
      if (ConversationLog.awaitsResend(entry)) {
        return;
      }
      // A send the server refused (or one given up on) holds nothing back.
    }
  }

  #sendFile(file) {
    if (!file?.fileId) {
      this.#onError('The upload gave no file id.');
      return;
    }
    const type = String(file.contentType ?? '');
    const kind = type === 'image/gif' ? 'gif' : type.startsWith('image/') ? 'image' : 'file';
    this.#send({ kind, body: '', fileId: file.fileId, file });
  }

  async #transmit(log, clientId) {
    const entry = log.find(`c:${clientId}`);
    if (!entry) {
      return;
    }
    log.inFlight = clientId;
    const roomId = roomIdOf(log.conversation);
    const target = roomId !== null ? { room: roomId } : { user: peerOf(log.conversation, this.#me) };
    const fields = { ...target, kind: entry.kind, body: entry.body };
    if (entry.fileId) {
      fields.fileId = entry.fileId;
    }
    try {
      const ack = await this.#connection.request('message.send', fields, { id: clientId });
      const { entry: done, removedKey } = log.acknowledge(clientId, ack);
      if (done) {
        this.#conversations.noteMessage(
          { conversation: log.conversation, seq: done.seq, from: this.#me, kind: done.kind, body: done.body, file: done.file, sentAt: done.sentAt },
          { own: true },
        );
        log.readSent = Math.max(log.readSent, done.seq ?? 0);
      }
      if (this.#isOpen(log.conversation)) {
        if (removedKey) {
          this.#messages.remove(removedKey);
        }
        if (done) {
          this.#messages.upsert(done, { readUpTo: log.readByOthers });
        }
      }
      // My seq may jump over a message whose push has not come (or never will).
      this.#scheduleGapCheck(log);
    } catch (error) {
      // BUSY: the node could not take the send now; it goes again by itself after a while (same
      // id, so it is stored once), and later sends wait behind it to keep their order.
      const busy = error?.code === 'BUSY';
      const retriable = busy || Object.values(LocalCode).includes(error?.code);
      const failed = log.fail(clientId, error, retriable);
      if (failed && this.#isOpen(log.conversation)) {
        this.#messages.upsert(failed);
      }
      const delay = busy && failed ? ConversationLog.busyRetryDelay(failed) : null;
      if (delay !== null) {
        setTimeout(() => this.#resend(log, clientId, { automatic: true }), delay);
      } else if (!retriable || busy) {
        this.#onError(error);
      }
    } finally {
      if (log.inFlight === clientId) {
        log.inFlight = null;
      }
      this.#pump(log);
    }
  }

  #retry(key) {
    const log = this.#current ? this.#logs.get(this.#current.id) : undefined;
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
    this.#pump(log);
  }

  // --- reading -------------------------------------------------------------------------------

  /** Tells the server how far I have read the open conversation, once the tab is visible. */
  #scheduleRead() {
    clearTimeout(this.#readTimer);
    this.#readTimer = setTimeout(() => {
      const current = this.#current;
      const log = current?.joined ? this.#logs.get(current.id) : undefined;
      if (!log || document.visibilityState !== 'visible' || log.lastSeq <= log.readSent) {
        return;
      }
      const seq = log.lastSeq;
      log.readSent = seq;
      this.#conversations.noteRead(log.conversation, seq);
      this.#connection.request('read', { conversation: log.conversation, seq }).catch(() => {
        log.readSent = Math.min(log.readSent, seq - 1);
      });
    }, READ_DELAY_MS);
  }

  #onRead(frame) {
    const conversation = frame?.conversation;
    const seq = Number(frame?.seq);
    if (typeof conversation !== 'string' || !Number.isFinite(seq)) {
      return;
    }
    if (sameUser(frame.user, this.#me)) {
      // My other device read it.
      this.#conversations.noteRead(conversation, seq);
      return;
    }
    const log = this.#log(conversation);
    const id = Number(frame.user?.id);
    if ((log.othersRead.get(id) ?? 0) >= seq) {
      return;
    }
    log.othersRead.set(id, seq);
    if (this.#isOpen(conversation)) {
      this.#messages.markRead(log.readByOthers);
    }
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
    if (previousOldest === null || (log.oldestSeq !== null && log.oldestSeq < previousOldest) || page.messages.length === 0) {
      log.more = page.more;
    }
    log.historyLoaded = true;
    log.placeFloatingNotices();
    this.#redraw(log, 'stick');
    this.#scheduleRead();
    this.#scheduleGapCheck(log);
  }

  async #loadEarlier() {
    const current = this.#current;
    const log = current ? this.#logs.get(current.id) : undefined;
    if (!log || log.oldestSeq === null || this.#el.loadEarlier.disabled) {
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

  /**
   * Fetches what is missing between known messages (a lost push), newest hole first. One fetch
   * per conversation at a time; a hole found meanwhile is looked at when it finishes.
   */
  async #fillGaps(log) {
    if (!log.historyLoaded || log.gapFetching) {
      return;
    }
    log.gapFetching = true;
    try {
      for (let round = 0; round < 5; round++) {
        const missing = log.missing();
        if (missing.length === 0) {
          return;
        }
        const newest = missing[0];
        const oldest = missing[missing.length - 1];
        const page = await this.#history(log, { before: newest + 1, limit: Math.min(MAX_PAGE, newest - oldest + 1) });
        if (page === null) {
          return;
        }
        this.#merge(log, page.messages);
        this.#redraw(log, 'stick');
      }
    } finally {
      log.gapFetching = false;
    }
  }

  /**
   * Looks for holes shortly after a change: pushes from different nodes may arrive out of seq
   * order, so a hole that fills itself within a moment costs no request.
   */
  #scheduleGapCheck(log) {
    clearTimeout(log.gapTimer);
    log.gapTimer = setTimeout(() => this.#fillGaps(log), GAP_WAIT_MS);
  }

  /** One `history` request; null when it failed (a DM with no message yet has none). */
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
      this.#remember(message.from);
      log.addMessage(message, this.#me);
      this.#senderRead(log, message);
    }
  }

  /** Whoever sends a message has read the conversation up to it (the server counts it so too). */
  #senderRead(log, message) {
    const id = Number(message?.from?.id);
    const seq = Number(message?.seq);
    if (!Number.isFinite(id) || !Number.isFinite(seq) || sameUser(message.from, this.#me)) {
      return false;
    }
    if ((log.othersRead.get(id) ?? 0) >= seq) {
      return false;
    }
    log.othersRead.set(id, seq);
    return true;
  }

  #redraw(log, scroll) {
    if (this.#isOpen(log.conversation)) {
      this.#messages.renderAll(log.entries(), { scroll, readUpTo: log.readByOthers });
      this.#showLoadEarlier(log);
    }
  }

  #showLoadEarlier(log) {
    this.#el.loadEarlier.hidden = !(log.more && log.oldestSeq !== null && log.oldestSeq > 1);
  }

  // --- pushes --------------------------------------------------------------------------------

  #onMessage(frame) {
    const conversation = frame?.conversation;
    if (typeof conversation !== 'string' || (roomIdOf(conversation) === null && peerOf(conversation, this.#me) === null)) {
      return;
    }
    this.#remember(frame.from);
    const log = this.#log(conversation);
    const seq = Number(frame.seq);
    const known = log.lastSeq;
    const entry = log.addMessage(frame, this.#me);
    if (!entry) {
      return;
    }
    this.#conversations.noteMessage(frame, { own: entry.own });
    if (this.#typing.delete(Number(frame.from?.id))) {
      this.#renderTyping();
    }
    const readMoved = this.#senderRead(log, frame);
    if (this.#isOpen(conversation)) {
      this.#messages.upsert(entry, { readUpTo: log.readByOthers });
      if (readMoved) {
        this.#messages.markRead(log.readByOthers);
      }
      if (!entry.own) {
        this.#announce(`${displayName(entry.from)}: ${entry.body || entry.kind}`);
      }
      this.#scheduleRead();
    }
    if (seq > known + 1 || seq < known) {
      this.#scheduleGapCheck(log);
    }
  }

  #onMembership(frame, joined) {
    const roomId = idOf(frame?.room);
    const user = frame?.user;
    if (roomId === null || !user) {
      return;
    }
    this.#remember(user);
    const conversation = roomConversation(roomId);
    const isMe = sameUser(user, this.#me);
    if (isMe) {
      this.#conversations.scheduleRefresh();
    }
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
      const known = this.#memberMap.has(id);
      if (joined) {
        // Whoever just joined is online (the join came from one of their connections).
        this.#presence.set(id, true);
        this.#memberMap.set(id, { ...user, online: true });
      } else {
        this.#memberMap.delete(id);
      }
      if (this.#memberTotal !== null && joined !== known) {
        this.#memberTotal = Math.max(0, this.#memberTotal + (joined ? 1 : -1));
      }
      this.#renderMembers();
    }
  }

  #onPresence(frame) {
    const id = Number(frame?.user?.id);
    if (!Number.isFinite(id)) {
      return;
    }
    this.#remember(frame.user);
    const online = frame.online === true;
    this.#presence.set(id, online);
    const member = this.#memberMap.get(id);
    if (member) {
      this.#memberMap.set(id, { ...member, online });
      this.#renderMembers();
    }
    if (this.#current?.peerId === id) {
      this.#renderTitle();
    }
  }

  #onTyping(frame) {
    const conversation = frame?.conversation;
    const id = Number(frame?.user?.id);
    if (!this.#isOpen(conversation) || !Number.isFinite(id) || sameUser(frame.user, this.#me)) {
      return;
    }
    this.#typing.set(id, { user: frame.user, until: Date.now() + TYPING_SHOWN_MS });
    this.#renderTyping();
  }

  #renderTyping() {
    clearTimeout(this.#typingTimer);
    const now = Date.now();
    for (const [id, typing] of this.#typing) {
      if (typing.until <= now) {
        this.#typing.delete(id);
      }
    }
    const names = [...this.#typing.values()].map((t) => displayName(t.user));
    const indicator = this.#el.typing;
    indicator.textContent =
      names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : `${names.join(', ')} are typing…`;
    indicator.hidden = names.length === 0;
    if (names.length > 0) {
      const next = Math.min(...[...this.#typing.values()].map((t) => t.until)) - now;
      this.#typingTimer = setTimeout(() => this.#renderTyping(), Math.max(100, next));
    }
  }

  #onDirectoryChange() {
    this.#recheckMembership();
  }

  #onConversationsChange() {
    this.#recheckMembership();
  }

  /** Joining or leaving the open room (here or on another device) switches its view. */
  #recheckMembership() {
    const current = this.#current;
    if (!current || current.roomId === null) {
      return;
    }
    const room = this.#directory.get(current.roomId);
    const joined = room?.joined === true || this.#conversations.get(current.id) !== null;
    if (joined !== current.joined) {
      this.open(current.id);
    } else {
      this.#renderTitle();
    }
  }

  // --- members -------------------------------------------------------------------------------

  async #loadMembers() {
    const current = this.#current;
    if (!current?.joined) {
      return;
    }
    this.#memberTotal = null;
    this.#memberNext = null;
    if (current.roomId === null) {
      // A direct conversation: the two of us, with what we know of the other's presence.
      const peer = this.#people.get(current.peerId) ?? this.#conversations.get(current.id)?.peer ?? { id: current.peerId };
      this.#memberMap = new Map([
        [Number(this.#me.id), { ...this.#me, online: true }],
        [current.peerId, { ...peer, online: this.#presence.get(current.peerId) === true }],
      ]);
      this.#renderMembers();
      return;
    }
    try {
      const result = await this.#connection.request('room.members', { room: current.roomId });
      if (this.#current?.id !== current.id) {
        return;
      }
      this.#memberMap = new Map();
      this.#addMemberPage(result);
    } catch (error) {
      if (!Object.values(LocalCode).includes(error?.code)) {
        this.#onError(error);
      }
    }
  }

  /** "Show more": the next page of a large room's members (`room.members` after `next`). */
  async #loadMoreMembers() {
    const current = this.#current;
    const after = this.#memberNext;
    if (!current?.joined || current.roomId === null || after === null) {
      return;
    }
    this.#members.loading();
    try {
      const result = await this.#connection.request('room.members', { room: current.roomId, after });
      if (this.#current?.id === current.id && this.#memberNext === after) {
        this.#addMemberPage(result);
      }
    } catch (error) {
      this.#renderMembers();
      if (!Object.values(LocalCode).includes(error?.code)) {
        this.#onError(error);
      }
    }
  }

  /** Adds a `room.members` page `{members, memberCount, next?}` to the open room's list. */
  #addMemberPage(result) {
    const members = Array.isArray(result?.members) ? result.members : [];
    for (const member of members) {
      if (idOf(member) === null) {
        continue;
      }
      this.#remember(member);
      this.#presence.set(Number(member.id), member.online === true);
      this.#memberMap.set(Number(member.id), member);
    }
    const total = Number(result?.memberCount);
    this.#memberTotal = Number.isFinite(total) && total >= 0 ? total : null;
    const next = Number(result?.next);
    this.#memberNext = result?.next != null && Number.isFinite(next) ? next : null;
    this.#renderMembers();
  }

  #renderMembers() {
    const direct = this.#current?.roomId === null;
    this.#members.render([...this.#memberMap.values()], this.#me, {
      direct,
      total: direct ? this.#memberMap.size : this.#memberTotal ?? this.#memberMap.size,
      more: !direct && this.#memberNext !== null,
    });
    this.#renderTitle();
  }

  #renderTitle() {
    const current = this.#current;
    if (!current) {
      return;
    }
    const el = this.#el;
    let title;
    let subtitle;
    if (current.roomId !== null) {
      const room = this.#directory.get(current.roomId);
      title = room?.name ?? this.#conversations.get(current.id)?.name ?? `Room ${current.roomId}`;
      const listed = this.#memberMap.size;
      const count = this.#memberTotal ?? (listed > 0 ? listed : room?.memberCount ?? 0);
      const online = [...this.#memberMap.values()].filter((m) => m.online).length;
      const members = count === 1 ? '1 member' : `${count} members`;
      // With a paged list only the listed members' presence is known.
      const onlineText = this.#memberNext !== null ? `${online} of ${listed} listed online` : `${online} online`;
      subtitle = listed > 0 ? `${members}, ${onlineText}` : members;
    } else {
      const peer = this.#people.get(current.peerId) ?? this.#conversations.get(current.id)?.peer;
      title = peer ? displayName(peer) : this.#conversations.get(current.id)?.name ?? 'Direct message';
      const online = this.#presence.get(current.peerId);
      subtitle = online === undefined ? 'Direct message' : online ? 'Direct message · online' : 'Direct message · offline';
    }
    el.title.textContent = title;
    el.title.dataset.kind = current.roomId === null ? 'dm' : 'room';
    el.subtitle.textContent = subtitle;
    el.list.setAttribute('aria-label', `Messages in ${title}`);
  }

  #remember(user) {
    const id = Number(user?.id);
    if (Number.isFinite(id) && id > 0 && (typeof user.username === 'string' || typeof user.nickname === 'string')) {
      this.#people.set(id, { id, username: user.username, nickname: user.nickname });
    }
  }

  /** Tells screen readers about a new message through the polite live region. */
  #announce(text) {
    const announcer = this.#el.announcer;
    announcer.textContent = '';
    window.setTimeout(() => {
      announcer.textContent = text.length > 300 ? `${text.slice(0, 300)}…` : text;
    }, 50);
  }
}
