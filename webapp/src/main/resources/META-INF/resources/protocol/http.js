/**
 * JSON over HTTP to the gateway (`/api`). Every failure becomes an ApiError carrying the `{code,
 * message}` of the contract's error bodies, or a readable stand-in when the body is not one.
 */

export const API_BASE = '/api';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * Sends a request and resolves with the parsed JSON body (null when empty).
 *
 * @param {string} method
 * @param {string} path below API_BASE, starting with '/'
 * @param {{body?: unknown, token?: string}} [options]
 */
export async function requestJson(method, path, { body, token } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  let response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  const data = await readJson(response);
  if (response.ok) {
    return data;
  }
  const code = typeof data?.code === 'string' && data.code !== '' ? data.code : `HTTP_${response.status}`;
  const message =
    typeof data?.message === 'string' && data.message.trim() !== ''
      ? data.message
      : fallbackMessage(response.status);
  throw new ApiError(response.status, code, message);
}

async function readJson(response) {
  let text;
  try {
    text = await response.text();
  } catch {
    return null;
  }
  if (text === '') {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function fallbackMessage(status) {
  switch (status) {
    case 400:
      return 'The server did not accept that request.';
    case 401:
      return 'Please sign in again.';
    case 403:
      return 'That is not allowed.';
    case 409:
      return 'That conflicts with something that already exists.';
    case 429:
      return 'Too many attempts. Wait a moment and try again.';
    case 503:
      return 'The service is unavailable right now. Try again shortly.';
    default:
      return `The server answered with an error (HTTP ${status}).`;
  }
}
