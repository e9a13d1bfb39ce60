// The console's shell: login, navigation by URL hash (#/page/arg?query), and page rendering.
// See dom.js for how text is inserted (never as HTML).

import { get, send, setCsrf, HttpError } from './api.js';
import { setZone } from './dom.js';
import * as pages from './pages.js';
import { domain } from './site.js';
import { queue } from './queue.js';
import { reviews } from './reviews.js';
import { report } from './report.js';
import { setOwnSections } from './labels.js';

const view = document.getElementById('view');
const statusEl = document.getElementById('status');
let session = null;

const ROUTES = {
  overview: ['Overview', pages.overview],
  queue: ['Decision queue', queue],
  blocks: ['Blocks', pages.blocks],
  domain: ['Site', domain],
  section: ['Section', pages.section],
  review: ['Review', reviews],
  report: ['Meeting report', report],
  status: ['Status', pages.status],
  settings: ['Settings', pages.settings],
};

function showLogin(message) {
  session = null;
  setCsrf(null);
  view.replaceChildren();
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('site').textContent = 'Log in to see blocked sites.';
  document.getElementById('login-status').textContent = message || '';
  document.title = 'Log in · Bellwatch';
  statusEl.textContent = '';
  get('/api/v1/auth/methods').then((m) => {
    document.getElementById('sso').hidden = !m.oidc;
    if (m.oidc) document.getElementById('sso-link').textContent = m.oidc_label;
  }).catch(() => { document.getElementById('sso').hidden = true; });
  get('/api/v1/setup').then((s) => { document.getElementById('setup-form').hidden = !s.open; })
    .catch(() => { document.getElementById('setup-form').hidden = true; });
}

async function startSession(s) {
  setCsrf(s.csrf_token);
  // Section names are the session's: a teacher's are their own sections' only.
  setOwnSections(s.sections);
  const site = await get('/api/v1/site');
  session = { ...s, site };
  setZone(site.timezone);
  document.getElementById('site').textContent = `${site.name} · ${site.timezone}`;
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  document.getElementById('who-name').textContent = `${s.display_name || s.username} (${s.role})`;
  for (const li of document.querySelectorAll('#nav li[data-role]')) {
    li.hidden = li.dataset.role === 'coordinator' && s.role === 'viewer';
  }
  await render();
}

async function render() {
  if (!session) return;
  // IT's work starts from the queue; everyone else's from the overview.
  const hash = location.hash.replace(/^#\/?/, '') || (session.role === 'admin' ? 'queue' : 'overview');
  const [path, q] = hash.split('?');
  const [name, ...rest] = path.split('/');
  const route = ROUTES[name] || ROUTES.overview;
  const active = name in ROUTES ? name : 'overview';
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  for (const a of document.querySelectorAll('#nav a')) {
    if (a.getAttribute('href') === `#/${active}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.title = `${arg ?? route[0]} · Bellwatch`;
  // Each render fills its own container: a slow page left behind keeps writing into a detached one.
  const page = document.createElement('div');
  view.replaceChildren(page);
  view.setAttribute('aria-busy', 'true');
  statusEl.textContent = 'Loading…';
  const current = () => view.firstChild === page;
  try {
    await route[1](page, session, new URLSearchParams(q || ''), arg);
    if (!current()) return;
    statusEl.textContent = '';
    document.getElementById('page-title')?.focus();
  } catch (e) {
    if (!current() || (e instanceof HttpError && e.status === 401)) return;
    statusEl.textContent = e instanceof HttpError && e.status === 403
      ? 'Your role cannot open this page. Ask an admin if you need it.'
      : `Could not load this page: ${e.message}. Reload to try again; if it persists, check the Status page.`;
  } finally {
    if (current()) view.removeAttribute('aria-busy');
  }
}

document.getElementById('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = document.getElementById('login-status');
  out.textContent = 'Logging in…';
  try {
    const s = await send('POST', '/api/v1/auth/login', {
      username: document.getElementById('username').value,
      password: document.getElementById('password').value,
    });
    document.getElementById('password').value = '';
    out.textContent = '';
    await startSession(s);
  } catch (e) {
    out.textContent = e.status === 401 ? 'Wrong username or password, or the account is disabled.' : e.message;
  }
});

document.getElementById('setup-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const out = document.getElementById('setup-status');
  out.textContent = 'Creating the admin account…';
  try {
    const made = await send('POST', '/api/v1/setup', {
      token: document.getElementById('setup-token').value,
      username: document.getElementById('setup-username').value,
      password: document.getElementById('setup-password').value,
    });
    document.getElementById('setup-password').value = '';
    document.getElementById('setup-form').hidden = true;
    document.getElementById('username').value = made.username;
    document.getElementById('login-status').textContent = `Admin account ${made.username} created. Log in with it.`;
  } catch (e) {
    out.textContent = e.message;
  }
});

document.getElementById('logout').addEventListener('click', async () => {
  try { await send('POST', '/api/v1/auth/logout'); } catch (e) { /* the session may have ended already */ }
  showLogin('You are logged out.');
});

window.addEventListener('bellwatch:logged-out', () => {
  if (session) showLogin('Your session ended. Log in again.');
});
window.addEventListener('hashchange', render);

// A refused single sign-on comes back as #sso-error=MESSAGE (see OidcApi.callback).
const ssoError = location.hash.startsWith('#sso-error=')
  ? decodeURIComponent(location.hash.slice('#sso-error='.length)) : null;
if (ssoError) history.replaceState(null, '', location.pathname);
get('/api/v1/auth/session').then(startSession).catch(() => showLogin(ssoError));
