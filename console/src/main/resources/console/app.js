// The blocks page. Every value shown comes from the network (domain names, DHCP host names, user names)
// and is attacker-controlled, so it is only ever inserted as text (textContent), never as HTML.

const statusEl = document.getElementById('status');
const table = document.getElementById('blocks');
const tbody = table.querySelector('tbody');

let siteZone = 'UTC';

function text(tag, value, className) {
  const el = document.createElement(tag);
  el.textContent = value ?? '';
  if (className) el.className = className;
  return el;
}

function cell(label, value, className) {
  const td = text('td', value ?? '—', value == null ? 'muted' : className);
  td.dataset.label = label;
  return td;
}

function localTime(iso) {
  const d = new Date(iso);
  return new Intl.DateTimeFormat(undefined, {
    timeZone: siteZone, weekday: 'short', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit'
  }).format(d);
}

function row(b) {
  const tr = document.createElement('tr');
  const time = cell('Time', localTime(b.time));
  time.title = b.time;
  tr.append(
    time,
    cell('Site', b.domain, 'domain'),
    cell('Device', b.hostname ?? b.client_ip),
    cell('User', b.user),
    cell('Room', b.room),
    cell('Class', b.section == null ? null : [b.course, b.teacher].filter(Boolean).join(', ') || b.section),
    cell('Period', b.period),
  );
  const during = cell('During class', b.instructional ? 'Yes' : 'No');
  if (b.instructional) {
    during.textContent = '';
    during.append(text('span', 'Yes', 'yes'));
  }
  tr.append(during, cell('How blocked', b.method));
  const ev = document.createElement('td');
  ev.dataset.label = 'Evidence';
  const details = document.createElement('details');
  details.append(text('summary', `${b.evidence.length} steps`));
  const list = document.createElement('ul');
  for (const step of b.evidence) list.append(text('li', step));
  details.append(list);
  ev.append(details);
  tr.append(ev);
  return tr;
}

class HttpError extends Error {
  constructor(url, status) {
    super(`${url} answered ${status}`);
    this.status = status;
  }
}

async function getJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new HttpError(url, res.status);
  return res.json();
}

function showLogin() {
  document.getElementById('blocks-view').hidden = true;
  document.getElementById('login').hidden = false;
  document.getElementById('site').textContent = 'Log in to see blocked sites.';
}

async function login(event) {
  event.preventDefault();
  const status = document.getElementById('login-status');
  const res = await fetch('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      username: document.getElementById('username').value,
      password: document.getElementById('password').value,
    }),
  });
  if (!res.ok) {
    const body = await res.json().catch(() => ({}));
    status.textContent = body.error ?? `Login failed (${res.status}).`;
    return;
  }
  document.getElementById('password').value = '';
  document.getElementById('login-form').addEventListener('submit', login);
init();
}

async function load() {
  const scope = document.querySelector('input[name="scope"]:checked').value;
  const params = new URLSearchParams({ limit: '500' });
  if (scope) params.set('instructional', scope);
  statusEl.textContent = 'Loading blocks…';
  try {
    const data = await getJson(`/api/v1/blocks?${params}`);
    tbody.replaceChildren(...data.blocks.map(row));
    table.hidden = data.blocks.length === 0;
    if (data.blocks.length === 0) {
      statusEl.textContent = scope === 'true'
        ? 'No blocks during class yet. Blocks appear here when a filter log or a DNS sinkhole answer shows a refused site while a class is in session.'
        : 'No blocks yet. Check that Bellwatch receives filter logs or DNS traffic (see /health and /metrics).';
    } else {
      statusEl.textContent = `${data.count} blocked attempts, newest first. Times are in ${siteZone}.`;
    }
  } catch (e) {
    table.hidden = true;
    statusEl.textContent = `Could not load blocks: ${e.message}. Is the agent running?`;
  }
}

async function init() {
  try {
    const site = await getJson('/api/v1/site');
    siteZone = site.timezone;
    document.getElementById('site').textContent = `${site.name} · ${site.timezone}`;
  } catch (e) {
    if (e.status === 401) {
      showLogin();
      return;
    }
    document.getElementById('site').textContent = 'Site information unavailable';
  }
  document.getElementById('login').hidden = true;
  document.getElementById('blocks-view').hidden = false;
  for (const input of document.querySelectorAll('input[name="scope"]')) {
    input.addEventListener('change', load);
  }
  await load();
}

document.getElementById('login-form').addEventListener('submit', login);
init();
