// Talks to the agent's /api/v1. The session is an HttpOnly cookie; state-changing requests carry the
// session's CSRF token in X-CSRF-Token (the agent also checks the Origin, which the browser sets).

let csrfToken = null;

export class HttpError extends Error {
  constructor(url, status, message) {
    super(message || `${url} answered ${status}`);
    this.status = status;
  }
}

export function setCsrf(token) {
  csrfToken = token;
}

async function handle(url, res) {
  if (res.ok) {
    const type = res.headers.get('content-type') || '';
    return type.includes('json') ? res.json() : res.text();
  }
  const body = await res.json().catch(() => ({}));
  const err = new HttpError(url, res.status, body.error);
  if (res.status === 401) window.dispatchEvent(new CustomEvent('bellwatch:logged-out'));
  throw err;
}

export async function get(url) {
  return handle(url, await fetch(url, { headers: { Accept: 'application/json' } }));
}

export async function send(method, url, body) {
  const headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  return handle(url, await fetch(url, { method, headers, body: JSON.stringify(body ?? {}) }));
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
