/**
 * The client's token renewal on its own (no browser, no cluster): when it refreshes, what it keeps,
 * how it retries, when it gives up, and how a refusal ends the session. `fetch` and
 * `sessionStorage` are stand-ins; timers and the clock are Node's mock timers.
 */

import assert from 'node:assert/strict';
import path from 'node:path';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectDir } from './cluster.js';

const { Renewal, SESSION_ENDED_MESSAGE, renewalTime } = await import(
  pathToFileURL(path.join(projectDir, 'webapp/src/main/resources/META-INF/resources/login/renewal.js')).href
);

const START = Date.UTC(2026, 10, 27, 12, 0, 0);
const user = { id: 1, username: 'ann', nickname: 'Ann' };

/** Lets the answer of a stand-in fetch travel through the promise chains. */
async function settle() {
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('token renewal', () => {
  /** @type {{url: string, method: string, authorization: string, body: unknown}[]} */
  let calls;
  /** When each call went out (the mock clock). */
  let callTimes;
  /** What the stand-in gateway does with the next refresh: a function of the call's number. */
  let answer;
  let stored;
  let renewed;
  let ended;
  let renewal;

  const session = (lifetimeS, { issuedAgoS = 0, token = 'first' } = {}) => ({
    token,
    user,
    issuedAt: Date.now() - issuedAgoS * 1000,
    expiresAt: Date.now() - issuedAgoS * 1000 + lifetimeS * 1000,
  });
  const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: START });
    calls = [];
    callTimes = [];
    stored = new Map();
    renewed = [];
    ended = [];
    answer = (n) => json(200, { token: `renewed-${n}`, tokenType: 'Bearer', expiresIn: 100, user });
    globalThis.fetch = async (url, init) => {
      calls.push({ url, method: init.method, authorization: init.headers.Authorization, body: init.body });
      callTimes.push(Date.now());
      const result = answer(calls.length);
      if (result instanceof Error) {
        throw result;
      }
      return result;
    };
    globalThis.sessionStorage = {
      getItem: (key) => stored.get(key) ?? null,
      setItem: (key, value) => stored.set(key, String(value)),
      removeItem: (key) => stored.delete(key),
    };
    renewal = new Renewal({ onRenewed: (next) => renewed.push(next), onEnded: (problem) => ended.push(problem) });
  });

  afterEach(() => {
    renewal.stop();
    mock.timers.reset();
    delete globalThis.fetch;
    delete globalThis.sessionStorage;
  });

  test('renewalTime_isAt80PercentOfTheLifetime', () => {
    assert.equal(renewalTime({ issuedAt: START, expiresAt: START + 3_600_000 }), START + 2_880_000);
    assert.equal(renewalTime({ issuedAt: START, expiresAt: null }), null, 'no expiry, no renewal');
    assert.equal(renewalTime({ issuedAt: null, expiresAt: START + 60_000 }), Date.now(), 'unknown lifetime: at once');
  });

  test('start_refreshesAfter80PercentAndKeepsTheNewSession', async () => {
    renewal.start(session(100));
    mock.timers.tick(79_999);
    await settle();
    assert.equal(calls.length, 0, 'not before 80 s of 100');
    mock.timers.tick(1);
    await settle();
    assert.deepEqual(calls, [{ url: '/api/auth/refresh', method: 'POST', authorization: 'Bearer first', body: undefined }]);
    assert.equal(renewed.length, 1);
    assert.equal(renewed[0].token, 'renewed-1');
    assert.deepEqual(renewed[0].user, user);
    const saved = JSON.parse(stored.get('parley.session'));
    assert.deepEqual(saved, { token: 'renewed-1', user, issuedAt: START + 80_000, expiresAt: START + 180_000 });

    // The next renewal is timed by the new token, and presents it.
    mock.timers.tick(80_000);
    await settle();
    assert.equal(calls.length, 2);
    assert.equal(calls[1].authorization, 'Bearer renewed-1');
    assert.deepEqual(ended, []);
  });

  test('aRestoredSessionPastItsRenewalPoint_renewsAtOnce', async () => {
    renewal.start(session(100, { issuedAgoS: 90 }));
    mock.timers.tick(0);
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(renewed[0].token, 'renewed-1');
  });

  test('transientFailures_retryWithBackoffUntilJustBeforeExpiry', async () => {
    const warn = mock.method(console, 'warn', () => {});
    answer = (n) => (n % 2 ? new TypeError('Failed to fetch') : json(503, { code: 'NO_NODE_AVAILABLE', message: 'busy' }));
    const first = session(3_600);
    renewal.start(first);
    mock.timers.tick(2_880_000);
    await settle();
    assert.equal(calls.length, 1);
    // Step through the remaining 12 minutes and two more, a second at a time.
    while (Date.now() < first.expiresAt + 120_000) {
      mock.timers.tick(1000);
      await settle();
    }
    const times = callTimes;
    assert.equal(times[0], first.issuedAt + 2_880_000);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    assert.ok(gaps[0] >= 5_000 && gaps[0] <= 10_000, `first retry after ${gaps[0]} ms`);
    assert.ok(gaps[1] >= 10_000 && gaps[1] <= 20_000, `second retry after ${gaps[1]} ms`);
    assert.ok(gaps.every((gap) => gap <= 60_000), `no wait over a minute: ${gaps}`);
    assert.ok(times.at(-1) <= first.expiresAt - 2_000 && times.at(-1) >= first.expiresAt - 62_000, 'the last try just before expiry');
    assert.ok(times.length >= 12, `kept trying (${times.length} tries)`);
    assert.deepEqual(ended, [], 'a failure that is not a 401 does not end the session');
    assert.deepEqual(renewed, []);
    assert.equal(warn.mock.callCount(), 1, 'giving up is noted once');
    assert.doesNotMatch(warn.mock.calls[0].arguments.join(' '), /first/, 'without the token');
    warn.mock.restore();
  });

  test('aRetryThatSucceeds_storesTheSessionAndStartsTheBackoffAfresh', async () => {
    answer = (n) => (n === 1 || n === 3 ? json(502, {}) : json(200, { token: `renewed-${n}`, expiresIn: 100, user }));
    renewal.start(session(100));
    mock.timers.tick(80_000);
    await settle();
    mock.timers.tick(10_000);
    await settle();
    assert.equal(calls.length, 2);
    assert.equal(renewed[0].token, 'renewed-2');
    assert.equal(JSON.parse(stored.get('parley.session')).token, 'renewed-2');
    // The next renewal fails once more: its retry waits as a first retry does (5–10 s), not longer.
    mock.timers.tick(80_000);
    await settle();
    assert.equal(calls.length, 3);
    mock.timers.tick(10_000);
    await settle();
    assert.equal(calls.length, 4);
    const gap = callTimes[3] - callTimes[2];
    assert.ok(gap >= 5_000 && gap <= 10_000, `retry after ${gap} ms`);
    assert.equal(renewed.at(-1).token, 'renewed-4');
  });

  test('sessionExpired_endsTheSessionWithTheServersWords', async () => {
    answer = () => json(401, { code: 'SESSION_EXPIRED', message: 'You signed in more than 7 days ago; sign in again' });
    renewal.start(session(100));
    mock.timers.tick(80_000);
    await settle();
    assert.deepEqual(ended, [{ code: 'SESSION_EXPIRED', message: 'You signed in more than 7 days ago; sign in again' }]);
    mock.timers.tick(3_600_000);
    await settle();
    assert.equal(calls.length, 1, 'nothing is tried after the session ended');
  });

  test('unauthorized_endsTheSessionWithAPlainMessage', async () => {
    answer = () => json(401, { code: 'UNAUTHORIZED', message: 'Token expired' });
    renewal.start(session(100));
    mock.timers.tick(80_000);
    await settle();
    assert.deepEqual(ended, [{ code: 'UNAUTHORIZED', message: SESSION_ENDED_MESSAGE }]);
  });

  test('stop_cancelsTheTimerAndIgnoresAnAnswerOnItsWay', async () => {
    renewal.start(session(100));
    renewal.stop();
    mock.timers.tick(200_000);
    await settle();
    assert.equal(calls.length, 0);

    let release;
    answer = () => new Promise((resolve) => (release = resolve));
    renewal.start(session(100));
    mock.timers.tick(80_000);
    await settle();
    assert.equal(calls.length, 1);
    renewal.stop();
    release(json(200, { token: 'too-late', expiresIn: 100, user }));
    await settle();
    assert.deepEqual(renewed, []);
    assert.equal(stored.has('parley.session'), false, 'an answer after sign-out is not stored');
  });

  test('checkNow_catchesUpATimerThatRunsLate', async () => {
    renewal.start(session(100));
    renewal.checkNow();
    await settle();
    assert.equal(calls.length, 0, 'not due yet');
    // The computer slept: the clock moved on, the timer has not fired.
    mock.timers.setTime(START + 85_000);
    renewal.checkNow();
    await settle();
    assert.equal(calls.length, 1);
    assert.equal(renewed[0].token, 'renewed-1');
  });
});
