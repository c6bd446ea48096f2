/**
 * The one WebSocket to an IM node, and the only module that touches it.
 *
 * It asks the gateway which node to use (`GET /api/route`), connects with the token, pings every
 * heartbeat/3 seconds after `welcome`, and comes back through `/api/route` with backoff when the
 * connection drops — at once when the node announces `draining`. `kicked` and close code 4002 end
 * it for good (until `reconnectNow`); a 401 from `/api/route` or close code 4001 end the session,
 * unless the 4001 judged a token that has been renewed since (see `renewToken`).
 *
 * Requests get a unique `id` and a Promise settled by the matching `ack` (with the result fields)
 * or `error` (a FrameError with the server's code and message), or rejected after 10 s or when
 * the connection goes away. Every other frame is re-dispatched as an event named by its `type`.
 *
 * Events (use `on(type, handler)`; handlers receive the detail):
 *   state        {state, nodeId?, reason?, delayMs?}  state is one of ConnectionState
 *   welcome      {user, nodeId, heartbeat, first}     first: the first welcome since start()
 *   kicked       {reason}
 *   draining     {reason}
 *   unauthorized {message}                            the session is no longer valid
 *   server-error {code, message}                      an error frame no request is waiting for
 *   <push type>  the frame itself, e.g. 'message', 'room.created', 'member.joined', 'presence'
 */

import { FrameError, LocalCode, REQUEST_TIMEOUT_MS, newRequestId } from '../protocol/frames.js';
import { requestJson } from '../protocol/http.js';
import { Backoff } from './backoff.js';

export const ConnectionState = Object.freeze({
  STOPPED: 'stopped',
  ROUTING: 'routing',
  CONNECTING: 'connecting',
  OPEN: 'open',
  WAITING: 'waiting',
  KICKED: 'kicked',
});

const Close = Object.freeze({
  NORMAL: 1000,
  TOO_LARGE: 1009,
  DRAINING: 1012,
  /** We sign out: the node announces us offline at once, without its grace period. */
  SIGNED_OUT: 4000,
  TOKEN_INVALID: 4001,
  SIGNED_IN_ELSEWHERE: 4002,
  FLOOD: 4008,
});

const DEFAULT_HEARTBEAT_S = 30;
/** How long the node may take to send `welcome` after we start connecting. */
const WELCOME_TIMEOUT_MS = 15_000;
/** A connection that lived this long was healthy: the next failure starts the backoff afresh. */
const STABLE_AFTER_MS = 10_000;
/** A second `draining` this soon after the first backs off instead of hammering the gateway. */
const DRAIN_GRACE_MS = 5_000;

export class Connection extends EventTarget {
  #token = null;
  #socket = null;
  #generation = 0;
  #state = ConnectionState.STOPPED;
  #nodeId = null;
  #pending = new Map();
  #backoff = new Backoff();
  #heartbeatTimer = null;
  #welcomeTimer = null;
  #retryTimer = null;
  #welcomedAt = 0;
  #unansweredSince = null;
  #lastDrainAt = -Infinity;
  #welcomedBefore = false;
  /** The token the node holds for the current socket: the one it opened with, or the last renewed. */
  #socketToken = null;

  get state() {
    return this.#state;
  }

  /** The node of the current connection (from `welcome`), or null while not connected. */
  get nodeId() {
    return this.#nodeId;
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on(type, handler) {
    const listener = (event) => handler(event.detail);
    this.addEventListener(type, listener);
    return () => this.removeEventListener(type, listener);
  }

  /** Connects with this token, closing any previous connection first. */
  start(token) {
    this.stop();
    this.#token = token;
    this.#welcomedBefore = false;
    this.#backoff.reset();
    this.#connect();
  }

  /** Closes the connection and forgets the token; nothing reconnects. */
  stop() {
    this.#halt('The connection was closed.');
    this.#token = null;
    this.#setState(ConnectionState.STOPPED);
  }

  /**
   * `stop()` for a user who signs out by choice: the close tells the node so, and their contacts
   * see them offline at once (any other close leaves them online for the node's grace period, in
   * case they come back).
   */
  signOut() {
    this.#halt('Signed out.', Close.SIGNED_OUT);
    this.#token = null;
    this.#setState(ConnectionState.STOPPED);
  }

  /**
   * Uses a renewed token from now on: for `/api/route`, every reconnect and the open socket, whose
   * node is told with `auth.renew` so that it keeps the connection until the new token expires. A
   * socket still being opened is told after its `welcome`. When the node refuses (it keeps the old
   * expiry then) or the answer is lost, its 4001 at the old expiry brings the connection back with
   * the new token. Does nothing once stopped.
   */
  renewToken(token) {
    if (this.#token === null) {
      return;
    }
    this.#token = token;
    if (this.#state === ConnectionState.OPEN) {
      this.#renewSocket();
    }
  }

  /** Connects again at once: after `kicked`, or to skip a pending backoff delay. */
  reconnectNow() {
    if (this.#token && (this.#state === ConnectionState.WAITING || this.#state === ConnectionState.KICKED)) {
      this.#connect();
    }
  }

  /**
   * Sends a request frame `{type, id, ...fields}`. Resolves with the ack's result fields; rejects
   * with a FrameError. Pass `id` to resend a request under the id it had (a retried message.send).
   */
  request(type, fields = {}, { id = newRequestId(), timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      if (this.#state !== ConnectionState.OPEN || this.#socket === null) {
        reject(new FrameError(LocalCode.NOT_CONNECTED, 'Not connected to the server right now.'));
        return;
      }
      if (this.#pending.has(id)) {
        reject(new FrameError('IN_FLIGHT', 'That request is still waiting for an answer.'));
        return;
      }
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new FrameError(LocalCode.TIMEOUT, 'The server did not answer in time.'));
      }, timeoutMs);
      this.#pending.set(id, { resolve, reject, timer });
      if (!this.#transmit({ type, id, ...fields })) {
        clearTimeout(timer);
        this.#pending.delete(id);
        reject(new FrameError(LocalCode.NOT_CONNECTED, 'Not connected to the server right now.'));
      }
    });
  }

  /**
   * Sends a frame that gets no answer (`typing`). Returns false when not connected: such frames
   * are worth nothing later, so they are dropped rather than queued.
   */
  notify(type, fields = {}) {
    return this.#state === ConnectionState.OPEN && this.#transmit({ type, ...fields });
  }

  async #connect() {
    this.#halt('The connection was replaced.');
    const generation = this.#generation;
    this.#setState(ConnectionState.ROUTING);
    let route;
    try {
      route = await requestJson('GET', '/route', { token: this.#token });
    } catch (error) {
      if (generation !== this.#generation) {
        return;
      }
      if (error.status === 401) {
        this.#endSession(error.message || 'Please sign in again.');
      } else {
        this.#scheduleReconnect(error.message);
      }
      return;
    }
    if (generation !== this.#generation) {
      return;
    }
    if (typeof route?.url !== 'string' || route.url === '') {
      this.#scheduleReconnect('The server named no node to connect to.');
      return;
    }
    this.#open(route);
  }

  #open(route) {
    let socket;
    try {
      socket = new WebSocket(socketUrl(route.url, this.#token));
    } catch {
      this.#scheduleReconnect('The node address given by the server is not usable.');
      return;
    }
    this.#socket = socket;
    this.#socketToken = this.#token;
    this.#setState(ConnectionState.CONNECTING, { nodeId: route.nodeId ?? null });
    socket.addEventListener('message', (event) => this.#receive(socket, event.data));
    socket.addEventListener('close', (event) => this.#closed(socket, event));
    this.#welcomeTimer = setTimeout(() => this.#lost(socket, 'The node did not answer in time.'), WELCOME_TIMEOUT_MS);
  }

  #receive(socket, data) {
    if (socket !== this.#socket) {
      return;
    }
    this.#unansweredSince = null;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('Parley: ignored a frame that is not JSON');
      return;
    }
    if (frame === null || typeof frame !== 'object' || typeof frame.type !== 'string') {
      console.warn('Parley: ignored a frame without a type');
      return;
    }
    switch (frame.type) {
      case 'welcome':
        this.#welcome(socket, frame);
        break;
      case 'pong':
        break;
      case 'ack':
        this.#settle(frame, null);
        break;
      case 'error':
        this.#settle(frame, new FrameError(frame.code ?? 'ERROR', frame.message));
        break;
      case 'kicked':
        this.#kick(frame.reason);
        break;
      case 'draining':
        this.#drain(frame.reason);
        break;
      default:
        this.#emit(frame.type, frame);
    }
  }

  #welcome(socket, frame) {
    clearTimeout(this.#welcomeTimer);
    this.#welcomedAt = Date.now();
    this.#nodeId = frame.nodeId == null ? '' : String(frame.nodeId);
    const seconds = Number(frame.heartbeat) > 0 ? Number(frame.heartbeat) : DEFAULT_HEARTBEAT_S;
    this.#startHeartbeat(socket, seconds * 1000);
    const first = !this.#welcomedBefore;
    this.#welcomedBefore = true;
    this.#setState(ConnectionState.OPEN, { nodeId: this.#nodeId });
    this.#emit('welcome', { user: frame.user ?? null, nodeId: this.#nodeId, heartbeat: seconds, first });
    if (this.#socketToken !== this.#token) {
      // Renewed while this socket was being opened with the token before.
      this.#renewSocket();
    }
  }

  #renewSocket() {
    const socket = this.#socket;
    const token = this.#token;
    this.request('auth.renew', { token }).then(
      () => {
        if (socket === this.#socket) {
          this.#socketToken = token;
        }
      },
      (error) => {
        if (!error.unanswered) {
          console.warn('Parley: the node kept the old token (%s); at its expiry the connection comes back with the new one', error.code);
        }
      },
    );
  }

  /**
   * Pings every heartbeat/3. A ping that stays unanswered (no frame at all) for a whole heartbeat
   * means the node is gone even if the socket has not noticed; measuring from the unanswered ping
   * rather than from the last frame keeps throttled background tabs from tripping it.
   */
  #startHeartbeat(socket, heartbeatMs) {
    clearInterval(this.#heartbeatTimer);
    this.#unansweredSince = null;
    this.#heartbeatTimer = setInterval(() => {
      if (socket !== this.#socket) {
        return;
      }
      const now = Date.now();
      if (this.#unansweredSince !== null && now - this.#unansweredSince > heartbeatMs) {
        this.#lost(socket, 'The node stopped answering.');
        return;
      }
      this.#unansweredSince ??= now;
      this.#transmit({ type: 'ping' });
    }, Math.max(1000, heartbeatMs / 3));
  }

  #settle(frame, error) {
    const request = typeof frame.id === 'string' ? this.#pending.get(frame.id) : undefined;
    if (request === undefined) {
      if (error) {
        this.#emit('server-error', { code: error.code, message: error.message });
      }
      return;
    }
    this.#pending.delete(frame.id);
    clearTimeout(request.timer);
    if (error) {
      request.reject(error);
    } else {
      const { type, id, ...result } = frame;
      request.resolve(result);
    }
  }

  #kick(reason) {
    const text = typeof reason === 'string' && reason !== '' ? reason : 'You signed in somewhere else.';
    this.#halt('Signed in elsewhere.');
    this.#setState(ConnectionState.KICKED, { reason: text });
    this.#emit('kicked', { reason: text });
  }

  #drain(reason) {
    const text = typeof reason === 'string' && reason !== '' ? reason : 'The node is shutting down.';
    const immediately = this.#mayReconnectImmediately();
    this.#halt('The node is shutting down.');
    this.#emit('draining', { reason: text });
    this.#scheduleReconnect(text, { immediately });
  }

  #closed(socket, event) {
    if (socket !== this.#socket) {
      return;
    }
    const livedMs = this.#welcomedAt ? Date.now() - this.#welcomedAt : 0;
    const judgedToken = this.#socketToken;
    this.#halt('The connection was lost before the server answered.');
    if (livedMs >= STABLE_AFTER_MS) {
      this.#backoff.reset();
    }
    switch (event.code) {
      case Close.TOKEN_INVALID:
        if (this.#token !== null && this.#token !== judgedToken) {
          // The node expired a token that has been renewed since (the auth.renew raced its expiry
          // sweep, or was refused): come back with the renewed one, which /api/route checks.
          this.#scheduleReconnect('The session was renewed.', { immediately: true });
          return;
        }
        this.#endSession('Your session has expired. Please sign in again.');
        return;
      case Close.SIGNED_IN_ELSEWHERE:
        this.#kick(event.reason);
        return;
      case Close.DRAINING:
        this.#scheduleReconnect('The node is shutting down.', { immediately: this.#mayReconnectImmediately() });
        return;
      case Close.FLOOD:
        this.#emit('server-error', { code: 'FLOOD', message: 'The server closed the connection: too many messages too fast.' });
        break;
      case Close.TOO_LARGE:
        this.#emit('server-error', { code: 'FRAME_TOO_LARGE', message: 'The server closed the connection: a message was too large.' });
        break;
      default:
        break;
    }
    this.#scheduleReconnect(livedMs > 0 ? 'The connection was lost.' : 'Could not connect to the node.');
  }

  /** Gives up on a socket that has not closed by itself (no welcome, no pong) and tries again. */
  #lost(socket, reason) {
    if (socket !== this.#socket) {
      return;
    }
    this.#halt(reason);
    this.#scheduleReconnect(reason);
  }

  #endSession(message) {
    this.#halt('Signed out.');
    this.#token = null;
    this.#setState(ConnectionState.STOPPED);
    this.#emit('unauthorized', { message });
  }

  #scheduleReconnect(reason, { immediately = false } = {}) {
    if (!this.#token) {
      return;
    }
    const delayMs = immediately ? 0 : this.#backoff.next();
    this.#setState(ConnectionState.WAITING, { reason: reason ?? '', delayMs });
    const generation = this.#generation;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      if (generation === this.#generation) {
        this.#connect();
      }
    }, delayMs);
  }

  #mayReconnectImmediately() {
    const now = Date.now();
    const ok = now - this.#lastDrainAt > DRAIN_GRACE_MS;
    this.#lastDrainAt = now;
    return ok;
  }

  /**
   * Stops everything in flight: timers, the socket (its late events are ignored from here on) and
   * pending requests, which fail with DISCONNECTED. Bumping the generation voids any route lookup
   * or reconnect that is still on its way.
   */
  #halt(reason, closeCode = Close.NORMAL) {
    this.#generation += 1;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#welcomeTimer);
    clearInterval(this.#heartbeatTimer);
    this.#retryTimer = null;
    this.#welcomeTimer = null;
    this.#heartbeatTimer = null;
    const socket = this.#socket;
    this.#socket = null;
    this.#nodeId = null;
    this.#socketToken = null;
    this.#welcomedAt = 0;
    this.#unansweredSince = null;
    if (socket !== null) {
      try {
        socket.close(closeCode);
      } catch {
        // Already closing; nothing more to do.
      }
    }
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const request of pending) {
      clearTimeout(request.timer);
      request.reject(new FrameError(LocalCode.DISCONNECTED, reason));
    }
  }

  #transmit(frame) {
    const socket = this.#socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) {
      return false;
    }
    try {
      socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.#emit('state', { state, ...detail });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/**
 * The node URL with the token appended as the contract says (`?access_token=`). A relative or
 * http(s) URL is resolved against the page and turned into ws(s).
 */
function socketUrl(url, token) {
  const resolved = new URL(url, window.location.href);
  if (resolved.protocol === 'http:') {
    resolved.protocol = 'ws:';
  } else if (resolved.protocol === 'https:') {
    resolved.protocol = 'wss:';
  }
  resolved.hash = '';
  const base = resolved.href;
  return `${base}${base.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(token)}`;
}
