/**
 * Token renewal in the browser, against a gateway and two nodes whose tokens live 30 s
 * (PARLEY_GATEWAY_TOKEN_LIFETIME), so that renewals happen within a test: the client renews at
 * 80 % of the lifetime, tells its node with `auth.renew` and outlives the first token; a 4001 that
 * beats the renewal to the node brings the connection back with the new token; a reloaded tab past
 * the renewal point renews at once and tries again after a failed refresh; a refresh the gateway
 * refuses signs the user out and says why. Each test signs in users of its own.
 *
 * With PARLEY_TEST_GATEWAY the cluster must have been started with
 * PARLEY_GATEWAY_TOKEN_LIFETIME=PT30S.
 */

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { User, launchBrowser } from './browser.js';
import { BOOT_TIMEOUT_MS, Cluster } from './cluster.js';

const run = Date.now().toString(36);
const TOKEN_LIFETIME_S = 30;
/** The node checks token expiry every 10 s: a connection is closed at most this long after it. */
const NODE_SWEEP_MS = 10_000;
const SESSION_ENDED = 'Your session has ended; please sign in again.';

const isRefresh = (response) => response.url().endsWith('/api/auth/refresh') && response.request().method() === 'POST';
const isLogin = (response) => response.url().endsWith('/api/auth/login-register');

/** The claims of a JWT (read, not verified: the test only needs `exp`). */
function claims(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

function parse(payload) {
  try {
    return JSON.parse(String(payload));
  } catch {
    return null;
  }
}

/**
 * Polls `probe` until it returns a value other than undefined, null or false, and returns that
 * value; fails naming `what` after `timeout` ms.
 */
async function waitUntil(probe, { timeout, what }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeout / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every WebSocket the page opens: the token it opened with, its frames (parsed), whether it closed. */
function recordSockets(page) {
  const sockets = [];
  page.on('websocket', (ws) => {
    const socket = {
      token: new URL(ws.url()).searchParams.get('access_token'),
      sent: [],
      received: [],
      closed: false,
    };
    sockets.push(socket);
    ws.on('framesent', (frame) => socket.sent.push(parse(frame.payload)));
    ws.on('framereceived', (frame) => socket.received.push(parse(frame.payload)));
    ws.on('close', () => {
      socket.closed = true;
    });
  });
  return sockets;
}

/** The node's answer to the `auth.renew` this socket sent with `token`, once it arrived. */
function renewAnswer(socket, token) {
  const renew = socket.sent.find((frame) => frame?.type === 'auth.renew' && frame.token === token);
  return renew && socket.received.find((frame) => frame?.id === renew.id && (frame.type === 'ack' || frame.type === 'error'));
}

async function storedSession(user) {
  return user.page.evaluate(() => JSON.parse(sessionStorage.getItem('parley.session') ?? 'null'));
}

/** Signs in and returns the gateway's login answer. */
async function signInWithAnswer(user) {
  const login = user.page.waitForResponse(isLogin);
  await user.signIn();
  return (await login).json();
}

async function stillSignedIn(user) {
  assert.equal(await user.testId('login-username').isVisible(), false, `${user.name} is not on the sign-in screen`);
  await user.page.locator('#connection-status[data-state="open"]').waitFor({ timeout: 10_000 });
}

/** Moves the stored session's issue time back so that its renewal is overdue (as after a long sleep). */
async function makeRenewalOverdue(user) {
  await user.page.evaluate(() => {
    const session = JSON.parse(sessionStorage.getItem('parley.session'));
    sessionStorage.setItem('parley.session', JSON.stringify({ ...session, issuedAt: Date.now() - 10 * 60_000 }));
  });
}

describe('Session renewal in the browser', { concurrency: false }, () => {
  /** @type {Cluster} */
  let cluster;
  let browser;
  /** @type {User[]} */
  const users = [];
  let failed = false;

  const open = async (name, options) => {
    const user = await User.open(browser, cluster.url, `${name}_${run}`, options);
    users.push(user);
    return user;
  };

  function check(name, fn) {
    test(name, { timeout: 150_000 }, async () => {
      try {
        await fn();
      } catch (error) {
        failed = true;
        throw error;
      }
    });
  }

  before(async () => {
    cluster = await Cluster.start({
      name: 'run-session',
      env: { PARLEY_GATEWAY_TOKEN_LIFETIME: `PT${TOKEN_LIFETIME_S}S` },
    });
    browser = await launchBrowser();
  }, { timeout: BOOT_TIMEOUT_MS + 60_000 });

  after(async () => {
    for (const user of users) {
      if (user.errors.length) {
        console.log(`page errors of ${user.name}:\n  ${user.errors.join('\n  ')}`);
      }
      if (failed && user.frames.length) {
        console.log(`last frames of ${user.name}:\n  ${user.frames.join('\n  ')}`);
      }
    }
    await browser?.close().catch(() => {});
    await cluster?.stop();
  }, { timeout: 90_000 });

  check('a session outlives its first token: renewed at 80 % of its life and acknowledged by the node', async () => {
    const ann = await open('ann');
    const bob = await open('bob');
    const sockets = recordSockets(ann.page);
    const login = ann.page.waitForResponse(isLogin).then(async (response) => ({ at: Date.now(), answer: await response.json() }));
    await ann.signIn();
    const { at: signedInAt, answer: first } = await login;
    assert.ok(
      first.expiresIn <= 2 * TOKEN_LIFETIME_S,
      `tokens of this cluster live ${first.expiresIn} s; start it with PARLEY_GATEWAY_TOKEN_LIFETIME=PT${TOKEN_LIFETIME_S}S`,
    );
    const lifetimeMs = first.expiresIn * 1000;
    const firstExpiry = claims(first.token).exp * 1000;
    await bob.signIn();
    const room = `renewal-${run}`;
    await ann.createRoom(room);
    await bob.joinRoom(room);

    const refreshed = await ann.page.waitForResponse(isRefresh, { timeout: lifetimeMs });
    const renewedAfter = Date.now() - signedInAt;
    assert.equal(refreshed.status(), 200);
    assert.ok(
      renewedAfter >= 0.8 * lifetimeMs - 3000 && renewedAfter < lifetimeMs - 2000,
      `renewed ${renewedAfter} ms after signing in, expected about 80 % of ${lifetimeMs} ms`,
    );
    const request = refreshed.request();
    assert.equal((await request.allHeaders()).authorization, `Bearer ${first.token}`, 'the refresh presents the current token');
    assert.equal(request.postData(), null, 'the refresh has no body');
    const renewed = await refreshed.json();
    assert.notEqual(renewed.token, first.token);

    // The node took the new token on the connection opened at sign-in...
    const ack = await waitUntil(() => sockets[0] && renewAnswer(sockets[0], renewed.token), {
      timeout: 15_000,
      what: 'the answer to auth.renew',
    });
    assert.equal(ack.type, 'ack', `auth.renew was answered ${JSON.stringify(ack)}`);
    assert.ok(Date.parse(ack.expiresAt) > firstExpiry, `the connection now lives until ${ack.expiresAt}, past the first token`);
    // ...and the tab keeps the new session for a reload.
    const stored = await storedSession(ann);
    assert.equal(stored.token, renewed.token);
    assert.ok(stored.expiresAt - stored.issuedAt === renewed.expiresIn * 1000, 'the stored session keeps its lifetime');

    // The next renewal comes after the first token expired and the node's sweep went by: the
    // connection of the sign-in is still the one in use, and the session goes on.
    const second = await ann.page.waitForResponse(isRefresh, { timeout: lifetimeMs + 5000 });
    assert.equal(second.status(), 200);
    assert.ok(Date.now() > firstExpiry + NODE_SWEEP_MS, 'the second renewal came after the first token’s expiry and a sweep');
    const secondToken = (await second.json()).token;
    const secondAck = await waitUntil(() => renewAnswer(sockets[0], secondToken), { timeout: 15_000, what: 'the second auth.renew answer' });
    assert.equal(secondAck.type, 'ack');
    assert.equal(sockets.length, 1, 'no reconnect: the first connection carried both renewals');
    assert.equal(sockets[0].closed, false, 'the first connection is open');
    await stillSignedIn(ann);

    await ann.send('still here after two renewals');
    await bob.sees('still here after two renewals');
    await bob.send('so I see');
    await ann.sees('so I see');
    await ann.ownMessage('still here after two renewals').and(ann.page.locator('[data-state="sent"]')).waitFor();
    assert.equal(sockets.length, 1);
    await ann.screenshot('renewed');
  });

  check('a 4001 that beats the renewal to the node brings the connection back with the new token', async () => {
    // The first connection never passes its auth.renew on, as if it were lost in a race with the
    // node's expiry sweep: the node closes that connection with 4001 when the first token expires.
    const routed = [];
    const cy = await open('cy', {
      beforeLoad: (page) =>
        page.routeWebSocket(
          (url) => url.searchParams.has('access_token'),
          (ws) => {
            const socket = { token: new URL(ws.url()).searchParams.get('access_token'), held: [], closedWith: null };
            routed.push(socket);
            const server = ws.connectToServer();
            ws.onMessage((message) => {
              const frame = parse(message);
              if (frame?.type === 'auth.renew' && routed.length === 1) {
                socket.held.push(frame);
                return;
              }
              server.send(message);
            });
            server.onClose((code, reason) => {
              socket.closedWith = code ?? null;
              ws.close({ code, reason });
            });
          },
        ),
    });
    const first = await signInWithAnswer(cy);
    await cy.createRoom(`race-${run}`);

    const refreshed = await cy.page.waitForResponse(isRefresh, { timeout: first.expiresIn * 1000 });
    assert.equal(refreshed.status(), 200);
    const renewed = await refreshed.json();
    await waitUntil(() => routed[0].held.some((frame) => frame.token === renewed.token), {
      timeout: 10_000,
      what: 'the auth.renew of the first connection',
    });

    const closedWith = await waitUntil(() => routed[0].closedWith, {
      timeout: first.expiresIn * 1000 + NODE_SWEEP_MS + 5000,
      what: 'the node closing the first connection',
    });
    assert.equal(closedWith, 4001, 'the node closed the connection at the first token’s expiry');
    await waitUntil(() => routed.length >= 2, { timeout: 15_000, what: 'a new connection' });
    assert.equal(routed[1].token, renewed.token, 'the new connection opens with the renewed token');
    await cy.connected();
    await stillSignedIn(cy);
    assert.equal(await cy.testId('error-banner').isVisible(), false, 'no session-ended banner');

    const sent = await cy.send('back with the new token');
    await sent.and(cy.page.locator('[data-state="sent"]')).waitFor();
    assert.equal(routed.length, 2, 'one reconnect, no loop');
  });

  check('a reloaded tab past the renewal point renews at once, and tries again after a failed refresh', async () => {
    const dee = await open('dee');
    await signInWithAnswer(dee);
    const refreshes = [];
    dee.page.on('response', (response) => {
      if (isRefresh(response)) {
        refreshes.push({ at: Date.now(), status: response.status(), response });
      }
    });
    let failures = 0;
    await dee.page.route('**/api/auth/refresh', (route) => {
      if (failures++ === 0) {
        return route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ code: 'INTERNAL', message: 'The gateway is restarting.' }),
        });
      }
      return route.fallback();
    });

    await makeRenewalOverdue(dee);
    const sockets = recordSockets(dee.page);
    const reloadedAt = Date.now();
    await dee.page.reload();

    await waitUntil(() => refreshes.length >= 1, { timeout: 10_000, what: 'a refresh after the reload' });
    assert.equal(refreshes[0].status, 503);
    assert.ok(refreshes[0].at - reloadedAt < 5000, `the overdue renewal went out ${refreshes[0].at - reloadedAt} ms after the reload`);
    await waitUntil(() => refreshes.length >= 2, { timeout: 15_000, what: 'a second try after the failed refresh' });
    assert.equal(refreshes[1].status, 200);
    const pause = refreshes[1].at - refreshes[0].at;
    assert.ok(pause >= 4000, `the second try waited ${pause} ms (backoff), not at once`);

    const renewed = await refreshes[1].response.json();
    assert.equal((await storedSession(dee)).token, renewed.token);
    const ack = await waitUntil(() => sockets[0] && renewAnswer(sockets[0], renewed.token), {
      timeout: 15_000,
      what: 'the answer to auth.renew after the reload',
    });
    assert.equal(ack.type, 'ack');
    await stillSignedIn(dee);
    assert.equal(refreshes.length, 2);
  });

  check('a refresh refused with SESSION_EXPIRED or UNAUTHORIZED signs out and says why', async () => {
    const eve = await open('eve');
    // Markup in the server's words must show as text.
    const serverWords = 'You signed in more than 7 days ago; <b>sign in</b> again';
    let refusal = { code: 'SESSION_EXPIRED', message: serverWords };
    await eve.page.route('**/api/auth/refresh', (route) =>
      route.fulfill({
        status: 401,
        contentType: 'application/json',
        headers: { 'WWW-Authenticate': 'Bearer' },
        body: JSON.stringify(refusal),
      }),
    );
    const first = await signInWithAnswer(eve);
    const room = `refused-${run}`;
    await eve.createRoom(room);
    await eve.testId('message-input').fill('an unsent draft');

    const refused = await eve.page.waitForResponse(isRefresh, { timeout: first.expiresIn * 1000 });
    assert.equal(refused.status(), 401);
    await eve.testId('login-username').waitFor({ state: 'visible', timeout: 10_000 });
    const banner = eve.testId('error-banner');
    await banner.waitFor({ state: 'visible' });
    assert.equal((await eve.page.locator('#error-banner-text').textContent()).trim(), serverWords);
    assert.equal(await banner.getAttribute('data-code'), 'SESSION_EXPIRED');
    assert.equal(await banner.locator('b').count(), 0, 'the server’s words are shown as text');
    assert.equal(await storedSession(eve), null, 'the session is forgotten');
    assert.equal(await eve.page.locator('#connection-status').getAttribute('data-state'), 'stopped');
    await eve.screenshot('session-expired');

    // Signing in again works and keeps the draft; a plain 401 then ends the session with our words.
    await eve.signIn();
    await eve.page.locator('[data-testid="chat-title"]', { hasText: room }).waitFor();
    assert.equal(await eve.testId('message-input').inputValue(), 'an unsent draft');
    refusal = { code: 'UNAUTHORIZED', message: 'Token expired' };
    await makeRenewalOverdue(eve);
    const refusedAgain = eve.page.waitForResponse(isRefresh, { timeout: 10_000 });
    await eve.page.reload();
    assert.equal((await refusedAgain).status(), 401);
    await eve.testId('login-username').waitFor({ state: 'visible', timeout: 10_000 });
    await eve.page.locator('#error-banner-text', { hasText: SESSION_ENDED }).waitFor();
    assert.equal(await storedSession(eve), null);
  });
});
