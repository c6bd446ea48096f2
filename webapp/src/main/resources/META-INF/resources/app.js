/**
 * Puts the features together: the sign-in screen, then the connection, the room sidebar and the
 * chat. It owns the moves between screens (signed in, signed out, session over) and makes sure no
 * failure escapes as an uncaught error: everything ends in the error banner.
 */

import { Connection } from './connection/connection.js';
import { ErrorBanner } from './connection/error-banner.js';
import { StatusView } from './connection/status-view.js';
import { ChatView } from './chat/chat-view.js';
import { LoginView } from './login/login-view.js';
import { clearSession, loadSession, saveSession } from './login/session.js';
import { displayName } from './protocol/frames.js';
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
    composer: byId('composer'),
    input: byId('message-input'),
    announcer: byId('announcer'),
  },
  { connection, directory, onError: report },
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
      rooms.select(roomId);
      chat.open(roomId);
    },
    onError: report,
  },
);

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
    onSignedIn: (answer) => enterApp(saveSession(answer)),
    onError: report,
  },
);

const appScreen = byId('app-screen');
const meName = byId('me-name');

function showMe(user) {
  meName.textContent = user ? displayName(user) : '';
  meName.title = typeof user?.username === 'string' ? `@${user.username}` : '';
}

function enterApp(session) {
  banner.clear();
  login.hide();
  appScreen.hidden = false;
  showMe(session.user);
  chat.setMe(session.user);
  connection.start(session.token);
}

/** Back to the sign-in screen; `message` explains why when it was not the user's choice. */
function signOut(message) {
  connection.stop();
  clearSession();
  chat.reset();
  directory.reset();
  rooms.reset();
  showMe(null);
  appScreen.hidden = true;
  banner.clear();
  login.show();
  if (message) {
    banner.show(message);
  }
}

connection.on('welcome', ({ user }) => {
  if (user) {
    showMe(user);
    chat.setMe(user);
  }
  directory.refresh().catch((error) => {
    // A connection lost right after welcome refreshes again on the next one.
    if (!error?.unanswered) {
      report(error);
    }
  });
  chat.reconnected();
});
connection.on('kicked', ({ reason }) => banner.show(`You were disconnected: ${reason}`));
connection.on('unauthorized', ({ message }) => signOut(message));
connection.on('server-error', (problem) => report(problem));

byId('signout').addEventListener('click', () => signOut());
window.addEventListener('online', () => connection.reconnectNow());

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

const session = loadSession();
if (session) {
  enterApp(session);
} else {
  login.show();
}
