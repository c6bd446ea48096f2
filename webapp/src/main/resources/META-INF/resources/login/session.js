/**
 * The signed-in session, kept in sessionStorage so that a reload of the tab stays signed in while
 * a new tab or a closed browser does not. Storage can be unavailable (private modes); then the
 * session simply lasts as long as the page. Besides the expiry it keeps when the token was issued
 * (by this browser's clock), so that a reloaded tab renews the token when the first load would have.
 */

const KEY = 'parley.session';

/**
 * The stored session `{token, user, issuedAt, expiresAt}` (times in epoch milliseconds, null when
 * unknown), or null when there is none or it has expired.
 */
export function loadSession() {
  let raw;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
  if (!raw) {
    return null;
  }
  try {
    const session = JSON.parse(raw);
    if (typeof session?.token !== 'string' || session.token === '') {
      clearSession();
      return null;
    }
    if (typeof session.expiresAt === 'number' && session.expiresAt <= Date.now()) {
      clearSession();
      return null;
    }
    return {
      token: session.token,
      user: session.user ?? null,
      issuedAt: Number.isFinite(session.issuedAt) ? session.issuedAt : null,
      expiresAt: Number.isFinite(session.expiresAt) ? session.expiresAt : null,
    };
  } catch {
    clearSession();
    return null;
  }
}

/**
 * Stores a login or refresh answer `{token, expiresIn, user}` and returns the session it became.
 * The token counts as issued now: the answer has just arrived, and this clock is the one the
 * renewal is timed by.
 */
export function saveSession({ token, expiresIn, user }) {
  const seconds = Number(expiresIn);
  const issuedAt = Date.now();
  const session = {
    token,
    user: user ?? null,
    issuedAt,
    expiresAt: Number.isFinite(seconds) && seconds > 0 ? issuedAt + seconds * 1000 : null,
  };
  try {
    sessionStorage.setItem(KEY, JSON.stringify(session));
  } catch {
    // Without storage the session still works; it just does not survive a reload.
  }
  return session;
}

export function clearSession() {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing stored, nothing to clear.
  }
}
