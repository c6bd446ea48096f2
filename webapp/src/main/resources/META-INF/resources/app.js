/**
 * Puts the features together: the sign-in screen, then the connection, the sidebar (conversations
 * and the room directory), the chat and the cluster view. It owns the moves between screens (signed in, signed out, session over) and makes sure no
 * failure escapes as an uncaught error: everything ends in the error banner. While signed in, the
 * token is renewed before it expires and the connection is given each new one.
 */

import { Connection } from './connection/connection.js';
import { ErrorBanner } from './connection/error-banner.js';
import { StatusView } from './connection/status-view.js';
import { ChatView } from './chat/chat-view.js';
import { ClusterView } from './cluster/cluster-view.js';
import { ConversationList } from './conversations/conversation-list.js';
import { ConversationsView } from './conversations/conversations-view.js';
import { LoginView } from './login/login-view.js';
import { Renewal } from './login/renewal.js';
import { clearSession, loadSession, saveSession } from './login/session.js';
import { displayName, sameUser } from './protocol/frames.js';
import { RoomDirectory } from './rooms/room-directory.js';
import { RoomsView } from './rooms/rooms-view.js';

const byId = (id) => {
  const element = document.getElementById(id);
  if (!element) {
    throw new Error(`index.html lacks #${id}`);
  }
  return element;
};

const banner = new ErrorBanner({
  root: byId('error-banner'),
  text: byId('error-banner-text'),
  dismiss: byId('error-banner-dismiss'),
});
const report = (problem) => banner.show(problem);

const connection = new Connection();
const directory = new RoomDirectory(connection, { onError: report });
const conversations = new ConversationList(connection);
let session = null;
const currentToken = () => session?.token ?? null;

const renewal = new Renewal({
  onRenewed: (next) => {
    session = next;
    connection.renewToken(next.token);
  },
  onEnded: (problem) => signOut(problem),
});

// Joining or leaving a room changes my conversations; the list is reloaded when the set changes.
let joinedRooms = '';
directory.addEventListener('change', () => {
  const joined = directory.rooms
    .filter((room) => room.joined)
    .map((room) => room.id)
    .join(',');
  if (joined !== joinedRooms) {
    joinedRooms = joined;
    if (connection.state === 'open') {
      conversations.scheduleRefresh();
    }
  }
});

new StatusView(
  {
    root: byId('connection-status'),
    text: byId('connection-text'),
    countdown: byId('connection-countdown'),
    nodeId: byId('node-id'),
    retry: byId('connection-retry'),
  },
  connection,
);

const chat = new ChatView(
  {
    empty: byId('chat-empty'),
    room: byId('chat-room'),
    title: byId('chat-title'),
    subtitle: byId('chat-subtitle'),
    notMember: byId('chat-not-member'),
    body: byId('chat-body'),
    pane: byId('message-pane'),
    list: byId('message-list'),
    loadEarlier: byId('load-earlier'),
    membersPanel: byId('members-panel'),
    memberList: byId('member-list'),
    memberCount: byId('member-count'),
    typing: byId('typing-indicator'),
    composer: {
      form: byId('composer'),
      input: byId('message-input'),
      send: byId('message-send'),
      emojiButton: byId('emoji-button'),
      emojiPanel: byId('emoji-panel'),
      attach: byId('attach-input'),
      progress: byId('upload-progress'),
      uploadError: byId('upload-error'),
    },
    announcer: byId('announcer'),
  },
  {
    connection,
    directory,
    conversations,
    token: currentToken,
    onError: report,
    // However a conversation opens (a list, a member's "Message", a restore), both lists follow.
    onOpened: (id) => {
      conversationsView?.select(id);
      const roomMatch = /^room:(\d+)$/.exec(id ?? '');
      rooms?.select(roomMatch ? Number(roomMatch[1]) : null, { fold: id !== null });
    },
  },
);

const conversationsView = new ConversationsView(
  { list: byId('conversation-list'), empty: byId('conversations-empty') },
  { store: conversations, onSelect: (id) => select(id) },
);

const rooms = new RoomsView(
  {
    sidebar: byId('sidebar'),
    toggle: byId('sidebar-toggle'),
    list: byId('room-list'),
    empty: byId('rooms-empty'),
    form: byId('room-create-form'),
    name: byId('room-create-name'),
    create: byId('room-create-submit'),
  },
  {
    directory,
    onSelect: (roomId) => {
      conversations.scheduleRefresh();
      select(`room:${roomId}`);
    },
    onError: report,
  },
);

const cluster = new ClusterView(
  {
    dialog: byId('cluster-dialog'),
    open: byId('cluster-button'),
    close: byId('cluster-close'),
    list: byId('cluster-nodes'),
    status: byId('cluster-status'),
  },
  { token: currentToken, nodeId: () => connection.nodeId },
);
byId('cluster-refresh').addEventListener('click', () => cluster.show());

// A window that becomes narrow with a conversation open gives the chat the room.
window.matchMedia('(max-width: 720px)').addEventListener('change', (event) => {
  if (event.matches && chat.currentId) {
    rooms.fold();
  }
});

/** Opens a conversation (the lists follow through onOpened). */
function select(id) {
  chat.open(id);
}

const login = new LoginView(
  {
    screen: byId('login-screen'),
    form: byId('login-form'),
    username: byId('login-username'),
    password: byId('login-password'),
    nickname: byId('login-nickname'),
    submit: byId('login-submit'),
    register: byId('register-submit'),
  },
  {
    onSignedIn: (answer) => {
      const previous = session?.user ?? loadPreviousUser();
      const next = saveSession(answer);
      // Drafts kept through an expired session belong to that user only.
      if (previous && !sameUser(previous, next.user)) {
        chat.reset({ drafts: true });
      }
      enterApp(next);
    },
    onError: report,
  },
);

const appScreen = byId('app-screen');
const meName = byId('me-name');

function loadPreviousUser() {
  try {
    return JSON.parse(sessionStorage.getItem('parley.lastUser') ?? 'null');
  } catch {
    return null;
  }
}

function showMe(user) {
  meName.textContent = user ? displayName(user) : '';
  meName.title = typeof user?.username === 'string' ? `@${user.username}` : '';
}

function enterApp(next) {
  session = next;
  banner.clear();
  login.hide();
  appScreen.hidden = false;
  showMe(session.user);
  chat.setMe(session.user);
  conversationsView.setMe(session.user);
  try {
    sessionStorage.setItem('parley.lastUser', JSON.stringify(session.user));
  } catch {
    // Only used to keep drafts to their owner.
  }
  connection.start(session.token);
  renewal.start(session);
}

/**
 * Back to the sign-in screen; `problem` (a message, or `{code, message}`) explains why when it was
 * not the user's choice. A session that ended by itself (expired token) keeps the drafts and the
 * open conversation for the next sign-in; signing out by choice forgets them.
 */
function signOut(problem) {
  const byChoice = !problem;
  renewal.stop();
  if (byChoice) {
    connection.signOut();
  } else {
    connection.stop();
  }
  clearSession();
  session = null;
  chat.reset({ drafts: byChoice });
  if (byChoice) {
    try {
      sessionStorage.removeItem('parley.lastUser');
    } catch {
      // Nothing stored.
    }
  }
  directory.reset();
  conversations.reset();
  rooms.reset();
  showMe(null);
  appScreen.hidden = true;
  banner.clear();
  login.show();
  if (problem) {
    banner.show(problem);
  }
}

connection.on('welcome', ({ user }) => {
  if (user) {
    showMe(user);
    chat.setMe(user);
  }
  if (user) {
    conversationsView.setMe(user);
  }
  directory.refresh().catch((error) => {
    // A connection lost right after welcome refreshes again on the next one.
    if (!error?.unanswered) {
      report(error);
    }
  });
  chat.reconnected();
});
// Signed in elsewhere: say so and stay disconnected (the status line offers "Reconnect").
connection.on('kicked', ({ reason }) => banner.show({ message: `You were disconnected: ${reason}`, code: 'KICKED' }));
connection.on('unauthorized', ({ message }) => signOut(message));
connection.on('server-error', (problem) => report(problem));

byId('signout').addEventListener('click', () => signOut());
window.addEventListener('online', () => {
  renewal.checkNow();
  connection.reconnectNow();
});
// Timers run late in a hidden tab or a computer that slept: a renewal that is due goes out now.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') {
    renewal.checkNow();
  }
});

// The last line of defence: a bug shows a banner instead of leaving a dead page.
window.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  console.error('Parley: unhandled rejection', event.reason);
  report(event.reason instanceof Error ? event.reason : 'Something went wrong.');
});
window.addEventListener('error', (event) => {
  console.error('Parley: uncaught error', event.error ?? event.message);
  report('Something went wrong. If it keeps happening, reload the page.');
});

const stored = loadSession();
if (stored) {
  enterApp(stored);
} else {
  login.show();
}
