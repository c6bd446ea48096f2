/**
 * What this client knows of one conversation: stored messages keyed by `seq`, my own messages that
 * are still sending (keyed by their request id, which the server echoes as `clientId`), and
 * join/leave notices. Every entry has a `sortKey`: stored messages sort by `seq`; sending ones stay
 * at the end until their ack gives them a `seq`; a notice sits after the messages known when it
 * arrived.
 */

const PENDING_BASE = 1e12;
const AUTO_RESENDS = 3;
let pendingCounter = 0;
let noticeCounter = 0;

export const MessageState = Object.freeze({ SENDING: 'sending', SENT: 'sent', FAILED: 'failed' });

export class ConversationLog {
  #entries = new Map();
  #bySeq = new Map();
  #byClientId = new Map();
  #noticeTick = 0;

  constructor(conversation) {
    this.conversation = conversation;
    /** The request id of my send that is on its way (one at a time keeps my messages in order). */
    this.inFlight = null;
    /** Highest seq seen. */
    this.lastSeq = 0;
    /** Lowest seq seen, or null when none. */
    this.oldestSeq = null;
    /** Whether the server said older messages exist before oldestSeq. */
    this.more = false;
    /** Whether the latest history page has been merged since the log was (re)opened. */
    this.historyLoaded = false;
    /** The seq I told the server I read up to. */
    this.readSent = 0;
    /** How far each other member has read: user id → seq. */
    this.othersRead = new Map();
  }

  /** The highest seq some other member has read (for "Read" on my messages). */
  get readByOthers() {
    let max = 0;
    for (const seq of this.othersRead.values()) {
      max = Math.max(max, seq);
    }
    return max;
  }

  /** All entries in display order. */
  entries() {
    return [...this.#entries.values()].sort((a, b) => a.sortKey - b.sortKey);
  }

  find(key) {
    return this.#entries.get(key) ?? null;
  }

  /** My messages without a seq yet, in the order I wrote them. */
  outbox() {
    return [...this.#entries.values()]
      .filter((e) => e.type === 'message' && e.own && e.seq === null && e.clientId)
      .sort((a, b) => a.sortKey - b.sortKey);
  }

  /**
   * How long to wait before sending again a message the server answered `BUSY` (its queue of
   * sends to store was full): 1 s, 2 s, 4 s, each plus up to half again at random so that many
   * clients do not come back together; null once AUTO_RESENDS automatic tries are spent.
   */
  static busyRetryDelay(entry, random = Math.random) {
    if (entry.autoResends >= AUTO_RESENDS) {
      return null;
    }
    const base = 1000 * 2 ** entry.autoResends;
    return Math.round(base + base * 0.5 * random());
  }

  /** True for a failure that will be sent again on the next welcome: later sends wait for it. */
  static awaitsResend(entry) {
    return entry.state === MessageState.FAILED && entry.retriable && entry.autoResends < AUTO_RESENDS;
  }

  /**
   * The seqs missing between the oldest and the newest known one: a push that never came (my own
   * acked sends can jump over it, so looking at the newest seq alone would not notice).
   */
  missing() {
    const gaps = [];
    if (this.oldestSeq === null) {
      return gaps;
    }
    for (let seq = this.lastSeq - 1; seq > this.oldestSeq && gaps.length < 100; seq--) {
      if (!this.#bySeq.has(seq)) {
        gaps.push(seq);
      }
    }
    return gaps;
  }

  /**
   * My messages that failed without the server ever judging them (safe to resend as they are),
   * at most AUTO_RESENDS times each: a message that itself breaks the connection (one too large
   * for the server, say) must not loop forever.
   */
  unanswered() {
    return [...this.#entries.values()].filter(
      (e) => e.state === MessageState.FAILED && e.retriable && e.autoResends < AUTO_RESENDS,
    );
  }

  /**
   * Merges a stored message (a `message` push or a `history` item). Returns the entry that was
   * added or completed, or null when the message was already known or is not usable.
   */
  addMessage(message, me) {
    const seq = Number(message?.seq);
    if (!Number.isSafeInteger(seq) || seq < 1 || this.#bySeq.has(seq)) {
      return null;
    }
    const from = message.from && typeof message.from === 'object' ? message.from : null;
    const own = Boolean(me && from && Number(from.id) === Number(me.id));
    const clientId = typeof message.clientId === 'string' ? message.clientId : null;
    const mine = own && clientId !== null ? this.#byClientId.get(clientId) : undefined;
    if (mine && mine.seq === null) {
      // My own send, met again (history after a lost ack): complete it instead of doubling it.
      this.#settle(mine, seq, message);
      return mine;
    }
    const entry = {
      key: `m:${seq}`,
      type: 'message',
      seq,
      messageId: message.messageId ?? null,
      clientId: own ? clientId : null,
      from,
      kind: typeof message.kind === 'string' ? message.kind : 'text',
      body: typeof message.body === 'string' ? message.body : '',
      file: message.file && typeof message.file === 'object' ? message.file : null,
      sentAt: typeof message.sentAt === 'string' ? message.sentAt : null,
      state: MessageState.SENT,
      own,
      retriable: false,
      error: null,
      sortKey: seq,
    };
    this.#entries.set(entry.key, entry);
    this.#bySeq.set(seq, entry);
    this.#noteSeq(seq);
    return entry;
  }

  /** Adds my message as "sending" under its request id: `{kind, body, fileId?, file?}`. */
  addPending(clientId, { kind = 'text', body = '', fileId = null, file = null }, me) {
    const entry = {
      key: `c:${clientId}`,
      type: 'message',
      seq: null,
      messageId: null,
      clientId,
      from: me,
      kind,
      body,
      fileId,
      file,
      sentAt: new Date().toISOString(),
      state: MessageState.SENDING,
      own: true,
      retriable: false,
      autoResends: 0,
      error: null,
      sortKey: PENDING_BASE + ++pendingCounter,
    };
    this.#entries.set(entry.key, entry);
    this.#byClientId.set(clientId, entry);
    return entry;
  }

  /**
   * Completes my message with its ack `{conversation, seq, messageId, sentAt}`. Returns
   * `{entry, removedKey}`: removedKey names a copy of the same message that was already shown
   * (it came through history without a clientId) and is now dropped, or is null.
   */
  acknowledge(clientId, ack) {
    const entry = this.#byClientId.get(clientId);
    if (!entry) {
      return { entry: null, removedKey: null };
    }
    if (entry.seq !== null) {
      return { entry, removedKey: null };
    }
    const seq = Number(ack?.seq);
    if (!Number.isSafeInteger(seq) || seq < 1) {
      entry.state = MessageState.SENT;
      entry.messageId = ack?.messageId ?? entry.messageId;
      return { entry, removedKey: null };
    }
    const copy = this.#bySeq.get(seq);
    let removedKey = null;
    if (copy && copy !== entry) {
      this.#entries.delete(copy.key);
      this.#bySeq.delete(seq);
      removedKey = copy.key;
    }
    this.#settle(entry, seq, ack);
    return { entry, removedKey };
  }

  /** Marks my message as failed; `retriable` when the server never answered it. */
  fail(clientId, error, retriable) {
    const entry = this.#byClientId.get(clientId);
    if (!entry || entry.seq !== null) {
      return null;
    }
    entry.state = MessageState.FAILED;
    entry.retriable = retriable;
    entry.error = error?.message ?? null;
    return entry;
  }

  /** Marks a failed message of mine as sending again; `automatic` counts towards AUTO_RESENDS. */
  resend(clientId, { automatic = false } = {}) {
    const entry = this.#byClientId.get(clientId);
    if (!entry || entry.state !== MessageState.FAILED) {
      return null;
    }
    entry.autoResends = automatic ? entry.autoResends + 1 : 0;
    entry.state = MessageState.SENDING;
    entry.retriable = false;
    entry.error = null;
    return entry;
  }

  /** Adds a small system line ("Ann joined the room"). */
  addNotice(text) {
    const entry = {
      key: `n:${++noticeCounter}`,
      type: 'notice',
      text,
      // Before the first history page, "after what we know" means nothing yet; place it again then.
      floating: !this.historyLoaded,
      sortKey: this.#noticeKey(),
    };
    this.#entries.set(entry.key, entry);
    return entry;
  }

  /** Called after the latest history page is merged: notices that came first go after it. */
  placeFloatingNotices() {
    for (const entry of this.#entries.values()) {
      if (entry.type === 'notice' && entry.floating) {
        entry.floating = false;
        entry.sortKey = this.#noticeKey();
      }
    }
  }

  #settle(entry, seq, answer) {
    entry.seq = seq;
    entry.messageId = answer?.messageId ?? entry.messageId;
    entry.sentAt = typeof answer?.sentAt === 'string' ? answer.sentAt : entry.sentAt;
    if (answer?.file && typeof answer.file === 'object') {
      entry.file = answer.file;
    }
    entry.state = MessageState.SENT;
    entry.retriable = false;
    entry.error = null;
    entry.sortKey = seq;
    this.#bySeq.set(seq, entry);
    this.#noteSeq(seq);
  }

  #noteSeq(seq) {
    if (seq > this.lastSeq) {
      this.lastSeq = seq;
      this.#noticeTick = 0;
    }
    if (this.oldestSeq === null || seq < this.oldestSeq) {
      this.oldestSeq = seq;
    }
  }

  #noticeKey() {
    this.#noticeTick = Math.min(this.#noticeTick + 1, 499_999);
    return this.lastSeq + 0.5 + this.#noticeTick / 1e6;
  }
}
