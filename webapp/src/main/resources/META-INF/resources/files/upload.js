/**
 * Uploads one file to the gateway (`POST /api/files`, multipart part `file`) with progress. The
 * gateway decides what is allowed (it sniffs the bytes); the checks here only answer the obvious
 * cases before any byte is sent. XMLHttpRequest, because fetch reports no upload progress.
 */

import { API_BASE, ApiError } from '../protocol/http.js';

/** The gateway's defaults (`parley.gateway.files.*`); the server has the last word. */
export const MAX_BYTES = 10 * 1024 * 1024;
const ALLOWED = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];

/** Why this file will certainly be refused, or null when it is worth sending. */
export function uploadProblem(file) {
  if (file.size > MAX_BYTES) {
    return `“${file.name}” is ${megabytes(file.size)}; files can be at most ${megabytes(MAX_BYTES)}.`;
  }
  if (file.size === 0) {
    return `“${file.name}” is empty.`;
  }
  // Browsers leave the type empty when they do not know it; let the server sniff those.
  if (file.type !== '' && !ALLOWED.includes(file.type)) {
    return `Files of type ${file.type} are not allowed. Send images (PNG, JPEG, GIF, WebP), PDF or text.`;
  }
  return null;
}

/**
 * Sends the file; resolves with `{fileId, name, size, contentType, url, width?, height?}`, rejects
 * with an ApiError. `onProgress(fraction)` is called as bytes go out.
 */
export function upload(file, token, { onProgress = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${API_BASE}/files`);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Accept', 'application/json');
    request.responseType = 'text';
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) {
        onProgress(event.loaded / event.total);
      }
    });
    request.addEventListener('load', () => {
      let body = null;
      try {
        body = request.responseText ? JSON.parse(request.responseText) : null;
      } catch {
        body = null;
      }
      if (request.status === 201 || request.status === 200) {
        onProgress(1);
        resolve(body);
        return;
      }
      reject(new ApiError(request.status, body?.code ?? `HTTP_${request.status}`, messageFor(request.status, body)));
    });
    request.addEventListener('error', () =>
      reject(new ApiError(0, 'NETWORK', 'The upload failed: the server cannot be reached.')),
    );
    request.addEventListener('abort', () => reject(new ApiError(0, 'ABORTED', 'The upload was cancelled.')));
    const form = new FormData();
    form.append('file', file, file.name);
    request.send(form);
  });
}

function messageFor(status, body) {
  switch (body?.code ?? '') {
    case 'FILE_TOO_LARGE':
      return `That file is too large (at most ${megabytes(MAX_BYTES)}).`;
    case 'FILE_TYPE_NOT_ALLOWED':
      return 'That type of file is not allowed. Send images (PNG, JPEG, GIF, WebP), PDF or text.';
    default:
      break;
  }
  if (status === 413) {
    return `That file is too large (at most ${megabytes(MAX_BYTES)}).`;
  }
  if (status === 415) {
    return 'That type of file is not allowed.';
  }
  return typeof body?.message === 'string' && body.message !== '' ? body.message : `The upload failed (HTTP ${status}).`;
}

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
}
