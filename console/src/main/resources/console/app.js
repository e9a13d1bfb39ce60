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
import { HUB_ROUTES, hubSite, hubHeader, hubNav, hubStart } from './district.js';

const view = document.getElementById('view');
const statusEl = document.getElementById('status');
let session = null;
// The answer of /api/v1/auth/methods when this console is served by a district hub (bellwatch hub): its
// pages and navigation are the district's (district.js); else null.
let hub = null;
const routes = () => (hub ? HUB_ROUTES : ROUTES);

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
  if (hub) {
    document.getElementById('site').textContent = `${hub.district}: log in to see blocked sites in the schools.`;
    document.getElementById('login-help').textContent = 'Accounts are in the hub\'s configuration (hub.accounts): ask district IT.';
    return;
  }
  get('/api/v1/auth/methods').then((m) => {
    document.getElementById('sso').hidden = !m.oidc;
    if (m.oidc) document.getElementById('sso-link').textContent = m.oidc_label;
  }).catch(() => { document.getElementById('sso').hidden = true; });
  get('/api/v1/setup').then((s) => { document.getElementById('setup-form').hidden = !s.open; })
    .catch(() => { document.getElementById('setup-form').hidden = true; });
}

async function startHubSession(s) {
  setCsrf(s.csrf_token);
  session = { ...s, site: await hubSite(s) };
  setZone(s.timezone);
  const words = hubHeader(session);
  document.getElementById('site').textContent = words.site;
  document.querySelector('header h1 a').setAttribute('href', '#/district');
  document.querySelector('#nav ul').replaceChildren(...hubNav(session));
  document.getElementById('login').hidden = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('who').hidden = false;
  document.getElementById('who-name').textContent = words.who;
  await render();
}

async function startSession(s) {
  if (hub) {
    await startHubSession(s);
    return;
  }
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
  const start = hub ? hubStart(session) : (session.role === 'admin' ? 'queue' : 'overview');
  const hash = location.hash.replace(/^#\/?/, '') || start;
  const [path, q] = hash.split('?');
  const [name, ...rest] = path.split('/');
  const fallback = hub ? 'district' : 'overview';
  const route = routes()[name] || routes()[fallback];
  const active = name in routes() ? name : fallback;
  const arg = rest.length ? decodeURIComponent(rest.join('/')) : undefined;
  for (const a of document.querySelectorAll('#nav a')) {
    const href = a.getAttribute('href');
    if (href === `#/${active}` || href === `#/${path}`) a.setAttribute('aria-current', 'page');
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
    const refused = hub ? 'Your account cannot open this page: it sees only your school.'
      : 'Your role cannot open this page. Ask an admin if you need it.';
    statusEl.textContent = e instanceof HttpError && e.status === 403
      ? refused
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
get('/api/v1/auth/methods').then((m) => { hub = m.district ? m : null; }).catch(() => { hub = null; })
  .then(() => get('/api/v1/auth/session'))
  .then(startSession).catch(() => showLogin(ssoError));
