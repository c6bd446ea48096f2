/**
 * The gateway's account calls. "Sign in" uses login-register, which signs in or creates the
 * account when the name is free; "Register" insists on a new account and then signs in; "refresh"
 * trades a token that is still valid for a new one.
 */

import { ApiError, requestJson } from '../protocol/http.js';

/** Signs in (creating the account when the name is free); resolves with `{token, expiresIn, user}`. */
export async function signIn(username, password, nickname) {
  return asLogin(await requestJson('POST', '/auth/login-register', { body: credentials(username, password, nickname) }));
}

/** Creates the account (fails when the name is taken), then signs in. */
export async function register(username, password, nickname) {
  await requestJson('POST', '/auth/register', { body: credentials(username, password, nickname) });
  return asLogin(await requestJson('POST', '/auth/login', { body: { username, password } }));
}

/**
 * Trades a valid token for a fresh one; resolves like sign-in. Rejects with an ApiError: status 401
 * (code UNAUTHORIZED, or SESSION_EXPIRED when the sign-in is older than the server's maximum
 * session age) means the session is over; anything else is worth another try.
 */
export async function refresh(token) {
  return asLogin(await requestJson('POST', '/auth/refresh', { token }));
}

function credentials(username, password, nickname) {
  return nickname ? { username, password, nickname } : { username, password };
}

function asLogin(answer) {
  if (typeof answer?.token !== 'string' || answer.token === '') {
    throw new ApiError(0, 'BAD_RESPONSE', 'The server sent an unexpected answer. Please try again.');
  }
  return { token: answer.token, expiresIn: answer.expiresIn, user: answer.user ?? null };
}
