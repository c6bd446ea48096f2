/**
 * Wire-contract vocabulary shared by every feature: request ids, conversation ids, how a user is
 * named, and the error a request settles with. Imports nothing of ours.
 */

/** How long a request waits for its `ack` or `error` before it fails. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** Error codes this client gives to requests that never reached an answer (not server codes). */
export const LocalCode = Object.freeze({
  NOT_CONNECTED: 'NOT_CONNECTED',
  DISCONNECTED: 'DISCONNECTED',
  TIMEOUT: 'TIMEOUT',
});

/** A request that was answered with an `error` frame, or that got no answer at all. */
export class FrameError extends Error {
  constructor(code, message) {
    super(typeof message === 'string' && message !== '' ? message : String(code));
    this.name = 'FrameError';
    this.code = code;
  }

  /** True when the server never judged the request, so sending it again with the same id is safe. */
  get unanswered() {
    return Object.values(LocalCode).includes(this.code);
  }
}

/**
 * A fresh request id (at most 64 characters, as the contract requires). `crypto.randomUUID` only
 * exists in secure contexts, so plain http on a LAN address falls back to `getRandomValues`.
 */
export function newRequestId() {
  if (typeof globalThis.crypto?.randomUUID === 'function') {
    return globalThis.crypto.randomUUID();
  }
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The conversation id of a room: `room:<roomId>`. */
export function roomConversation(roomId) {
  return `room:${roomId}`;
}

/** The room id inside a `room:<id>` conversation id, or null for anything else (e.g. a `dm:`). */
export function roomIdOf(conversation) {
  const match = /^room:(\d+)$/.exec(typeof conversation === 'string' ? conversation : '');
  return match ? Number(match[1]) : null;
}

/**
 * The numeric id of a reference that frames give either as an object (`{id, name}`) or as a bare
 * id; null when there is none.
 */
export function idOf(ref) {
  const raw = ref !== null && typeof ref === 'object' ? ref.id : ref;
  const id = Number(raw);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** What to call a `{id, username, nickname}` user on screen. */
export function displayName(user) {
  if (!user || typeof user !== 'object') {
    return 'Someone';
  }
  if (typeof user.nickname === 'string' && user.nickname.trim() !== '') {
    return user.nickname;
  }
  if (typeof user.username === 'string' && user.username !== '') {
    return user.username;
  }
  return user.id != null ? `User ${user.id}` : 'Someone';
}

/** True when two user references name the same user. */
export function sameUser(a, b) {
  return Boolean(a && b && a.id != null && Number(a.id) === Number(b.id));
}
