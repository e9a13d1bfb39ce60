// The console's pages. Each page function gets the view element and the session and fills the view;
// data comes only from /api/v1 and is inserted as text (see dom.js).

import { get, send, query, HttpError } from './api.js';
import {
  el, val, muted, link, table, bars, empty, time, date, day, domainHref, sectionHref, siteZone, localDate,
  localMidnight,
} from './dom.js';

const WEEKDAYS = { MONDAY: 'Mon', TUESDAY: 'Tue', WEDNESDAY: 'Wed', THURSDAY: 'Thu', FRIDAY: 'Fri', SATURDAY: 'Sat', SUNDAY: 'Sun' };
const STATUS_TEXT = {
  requested: 'Requested', unblocked: 'Unblocked', kept_blocked: 'Kept blocked', alternative: 'Alternative offered',
};

function heading(text, sub) {
  return [el('h2', { id: 'page-title', tabindex: '-1' }, text), sub ? el('p', { class: 'muted' }, sub) : null];
}

function pct(cur, prev) {
  if (!prev) return cur ? 'new this period' : 'no change';
  const p = Math.round(((cur - prev) / prev) * 100);
  return `${p > 0 ? '+' : ''}${p}% against the period before`;
}

function card(label, value, note) {
  return el('div', { class: 'card stat' }, el('p', { class: 'stat-label' }, label), el('p', { class: 'stat-value' }, String(value)),
    note ? el('p', { class: 'muted' }, note) : null);
}

/** Start of the site-local week (Monday) containing `date`. */
function weekStart(date) {
  const [y, m, d, wd] = localDate(date);
  const monday = new Date(Date.UTC(y, m - 1, d - (wd - 1)));
  return localMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate());
}

function heatmapTable(hm) {
  const max = Math.max(1, ...hm.attempts.flat());
  const heads = ['Period', ...hm.weekdays.map((w) => WEEKDAYS[w] || w)];
  const rows = hm.periods.map((p, i) => [p, ...hm.attempts[i].map((n) => {
    const level = n === 0 ? 0 : Math.min(5, 1 + Math.floor((n / max) * 4.999));
    return el('span', { class: `heat heat-${level}`, title: `${n} attempts` }, String(n));
  })]);
  const t = table('Blocked attempts during the week by bell period and weekday', heads, rows, { rowHeader: true, class: 'heatmap', showCaption: false });
  return t;
}

export async function overview(view) {
  view.append(...heading('Overview', `Blocked attempts during class, in ${siteZone()} time.`));
  const all = await get(`/api/v1/reports/top-domains${query({ limit: 1000 })}`);
  if (all.items.length === 0) {
    view.append(empty('No blocked attempts recorded yet. Bellwatch fills this page once it receives web-filter logs or DNS traffic; check the Status page for what it receives.'));
    return;
  }
  const latest = new Date(Math.max(...all.items.map((d) => Date.parse(d.last_seen))));
  let anchor = new Date();
  let note = null;
  if (latest < weekStart(anchor) || latest > anchor) {
    anchor = latest;
    note = `No blocks this week yet: showing the week of ${date(weekStart(anchor).toISOString())}, the latest with data.`;
  }
  const from = weekStart(anchor);
  const to = new Date(from.getTime() + 7 * 86400000 + 3600000);
  const range = { from: from.toISOString(), to: weekStart(to).toISOString() };
  const [trend, top, hm] = await Promise.all([
    get(`/api/v1/reports/trend${query({ ...range, instructional: true })}`),
    get(`/api/v1/reports/top-domains${query({ ...range, instructional: true, limit: 10 })}`),
    get(`/api/v1/reports/heatmap${query({ ...range, instructional: true })}`),
  ]);
  if (note) view.append(el('p', { class: 'note' }, note));
  view.append(el('div', { class: 'cards' },
    card('Blocked during class this week', trend.current.attempts, pct(trend.current.attempts, trend.previous.attempts)),
    card('Sites', trend.current.domains),
    card('Class sections affected', trend.current.sections)));
  view.append(el('h3', {}, 'Top sites blocked during class'));
  if (top.items.length === 0) {
    view.append(empty('No blocks during class this week. Blocks outside class are on the Blocks page.'));
  } else {
    view.append(table('Top sites blocked during class this week', ['Site', 'Sections', 'Attempts', 'Rooms', 'Last seen'],
      top.items.map((d) => [link(domainHref(d.domain), d.domain), d.sections, d.attempts, d.rooms, time(d.last_seen)]),
      { class: 'top-domains' }));
  }
  view.append(el('h3', {}, 'When: bell period by weekday'));
  view.append(hm.periods.length ? heatmapTable(hm) : empty('No blocks in a bell period this week.'));
  view.append(el('h3', {}, 'Trend by day'));
  view.append(bars(trend.days, 'Blocked attempts per day this week; darker: during class'));
  view.append(table('Attempts per day', ['Day', 'During class', 'All'],
    trend.days.map((d) => [day(d.day), d.instructional_attempts, d.attempts]), { class: 'compact' }));
}

function filtersFromHash(params) {
  return {
    from: params.get('from') || '', to: params.get('to') || '', domain: params.get('domain') || '',
    room: params.get('room') || '', section: params.get('section') || '', period: params.get('period') || '',
    instructional: params.has('instructional') ? params.get('instructional') : 'true',
  };
}

function blockRow(b) {
  const ev = el('details', {}, el('summary', {}, `${b.evidence.length} steps`),
    el('ul', {}, b.evidence.map((s) => el('li', {}, s))));
  return [
    el('span', { title: b.time }, time(b.time)),
    link(domainHref(b.domain), b.domain),
    val(b.hostname ?? b.client_ip),
    val(b.user),
    val(b.room),
    b.section ? link(sectionHref(b.section), [b.course, b.teacher].filter(Boolean).join(', ') || b.section) : val(null),
    val(b.period),
    b.instructional ? el('span', { class: 'yes' }, 'Yes') : 'No',
    val(b.method),
    ev,
  ];
}

const BLOCK_HEADS = ['Time', 'Site', 'Device', 'User', 'Room', 'Class', 'Period', 'During class', 'How blocked', 'Evidence'];
const SORT_KEYS = ['time', 'domain', 'hostname', 'user', 'room', 'section', 'period', 'instructional', 'method', null];

function sortable(tableEl, rows, render) {
  let key = 'time';
  let dir = -1;
  const heads = tableEl.querySelectorAll('thead th');
  const tbody = tableEl.querySelector('tbody');
  const draw = () => {
    const sorted = [...rows].sort((a, b) => {
      const x = a[key] ?? '';
      const y = b[key] ?? '';
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    tbody.replaceChildren(...sorted.map((r) => el('tr', {}, render(r).map((c, i) => el('td', { 'data-label': BLOCK_HEADS[i] }, c)))));
    heads.forEach((th, i) => th.setAttribute('aria-sort', SORT_KEYS[i] === key ? (dir > 0 ? 'ascending' : 'descending') : 'none'));
  };
  heads.forEach((th, i) => {
    if (!SORT_KEYS[i]) return;
    const label = th.textContent;
    const b = el('button', { type: 'button', class: 'sort', onclick: () => {
      dir = key === SORT_KEYS[i] ? -dir : 1;
      key = SORT_KEYS[i];
      draw();
    } }, label);
    th.replaceChildren(b);
  });
  draw();
}

function dateInput(name, label, value) {
  return el('p', {}, el('label', { for: `f-${name}` }, label),
    el('input', { id: `f-${name}`, name, type: 'date', value: value ? value.slice(0, 10) : '' }));
}

function textInput(name, label, value) {
  return el('p', {}, el('label', { for: `f-${name}` }, label), el('input', { id: `f-${name}`, name, value }));
}

export async function blocks(view, session, params) {
  view.append(...heading('Blocks', `Every blocked attempt with its evidence, newest first. Times are in ${siteZone()}.`));
  const f = filtersFromHash(params);
  const scope = el('select', { id: 'f-instructional', name: 'instructional' },
    el('option', { value: 'true' }, 'During class'), el('option', { value: 'false' }, 'Outside class'), el('option', { value: 'all' }, 'All'));
  scope.value = f.instructional;
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter blocks' },
    el('p', {}, el('label', { for: 'f-instructional' }, 'Show'), scope),
    dateInput('from', 'From', f.from), dateInput('to', 'To (inclusive)', f.to),
    textInput('domain', 'Site', f.domain), textInput('room', 'Room', f.room),
    textInput('section', 'Section', f.section), textInput('period', 'Period', f.period),
    el('p', {}, el('button', { type: 'submit' }, 'Apply filters')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    location.hash = `#/blocks?${q}`;
  });
  view.append(form);
  const api = {
    domain: f.domain, room: f.room, section: f.section, period: f.period, limit: 1000,
    instructional: f.instructional === 'all' ? '' : f.instructional,
    from: f.from ? localMidnight(...f.from.split('-').map(Number)).toISOString() : '',
    to: f.to ? new Date(localMidnight(...f.to.split('-').map(Number)).getTime() + 86400000).toISOString() : '',
  };
  const data = await get(`/api/v1/blocks${query(api)}`);
  const exportLink = el('a', { href: `/api/v1/blocks${query({ ...api, format: 'csv' })}`, download: 'bellwatch-blocks.csv', class: 'button' }, 'Export these rows as CSV');
  view.append(el('p', { class: 'toolbar' }, el('span', { id: 'blocks-count' }, `${data.count} of ${data.total} blocked attempts`), exportLink));
  if (session.pseudonymized) view.append(el('p', { class: 'note' }, 'Users and devices are shown as pseudonyms (privacy setting).'));
  else if (!session.can_see_users) view.append(el('p', { class: 'note' }, 'Student usernames are hidden for your role.'));
  if (data.blocks.length === 0) {
    view.append(empty('No blocked attempts match these filters. Widen the dates, choose "All", or clear a filter.'));
    return;
  }
  const t = table('Blocked attempts', BLOCK_HEADS, [], { class: 'blocks' });
  t.id = 'blocks';
  view.append(t);
  sortable(t, data.blocks, blockRow);
}

function reviewHistory(r) {
  return el('ol', { class: 'history' }, r.history.map((h) => el('li', {},
    el('strong', {}, STATUS_TEXT[h.action] || h.action), ` by ${h.actor} (${h.role}), ${time(h.time)}`,
    h.note ? el('p', {}, h.note) : null,
    h.sections.length ? el('p', { class: 'muted' }, `Sections: ${h.sections.join(', ')}`) : null,
    h.alternative ? el('p', {}, `Alternative: ${h.alternative}`) : null)));
}

function reviewForms(domain, session, review, sections, rerender) {
  const out = [];
  const status = el('p', { role: 'status', 'aria-live': 'polite' });
  if (session.role === 'coordinator' || session.role === 'admin') {
    const note = el('textarea', { id: 'req-note', name: 'note', required: true, rows: 3 });
    const boxes = sections.map((s) => el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'sections', value: s.section }),
      ` ${[s.course, s.teacher].filter(Boolean).join(', ') || s.section}`));
    const form = el('form', { class: 'card', id: 'request-form' }, el('h4', {}, 'Needed for instruction?'),
      el('p', {}, el('label', { for: 'req-note' }, 'What is it needed for?'), note),
      boxes.length ? el('fieldset', {}, el('legend', {}, 'Sections concerned'), boxes) : null,
      el('p', {}, el('button', { type: 'submit' }, 'Ask IT to review')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        const secs = [...form.querySelectorAll('input[name=sections]:checked')].map((i) => i.value);
        await send('POST', `/api/v1/reviews/${encodeURIComponent(domain)}/request`, { note: note.value, sections: secs });
        rerender();
      } catch (err) { status.textContent = `Not sent: ${err.message}`; }
    });
    out.push(form);
  }
  if (session.role === 'admin' && review) {
    const decision = el('select', { id: 'dec-decision', name: 'decision' },
      el('option', { value: 'unblocked' }, 'Unblocked'), el('option', { value: 'kept_blocked' }, 'Kept blocked (give the reason)'),
      el('option', { value: 'alternative' }, 'Alternative offered'));
    const note = el('textarea', { id: 'dec-note', name: 'note', rows: 2 });
    const alt = el('input', { id: 'dec-alt', name: 'alternative' });
    const form = el('form', { class: 'card', id: 'decision-form' }, el('h4', {}, 'IT answer'),
      el('p', {}, el('label', { for: 'dec-decision' }, 'Decision'), decision),
      el('p', {}, el('label', { for: 'dec-note' }, 'Reason or note'), note),
      el('p', {}, el('label', { for: 'dec-alt' }, 'Alternative (site or tool)'), alt),
      el('p', {}, el('button', { type: 'submit' }, 'Record decision')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      try {
        await send('POST', `/api/v1/reviews/${encodeURIComponent(domain)}/decision`, { decision: decision.value, note: note.value, alternative: alt.value });
        rerender();
      } catch (err) { status.textContent = `Not recorded: ${err.message}`; }
    });
    out.push(form);
  }
  out.push(status);
  return out;
}

export async function domain(view, session, params, name) {
  const rerender = () => { view.replaceChildren(); domain(view, session, params, name); };
  view.append(...heading(name, 'Blocked site: when, where, and the evidence for each attempt.'));
  let detail;
  try {
    detail = await get(`/api/v1/domains/${encodeURIComponent(name)}`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) {
      view.append(empty('No blocked attempts of this site are stored. It may have aged out (retention) or never been blocked.'));
      return;
    }
    throw e;
  }
  const review = await get(`/api/v1/reviews/${encodeURIComponent(name)}`).catch((e) => { if (e.status === 404) return null; throw e; });
  view.append(el('div', { class: 'cards' }, card('Attempts', detail.totals.attempts), card('During class', detail.totals.instructional_attempts),
    card('Sections', detail.totals.sections), card('Review', review ? STATUS_TEXT[review.status] : 'None yet')));
  view.append(el('h3', {}, 'Timeline'), bars(detail.days, `Attempts per day for ${name}`),
    table('Attempts per day', ['Day', 'During class', 'All'], detail.days.map((d) => [day(d.day), d.instructional_attempts, d.attempts]), { class: 'compact' }));
  view.append(el('h3', {}, 'Sections'), detail.sections.length
    ? table(`Sections where ${name} was blocked`, ['Section', 'Course', 'Teacher', 'Room', 'Attempts'],
      detail.sections.map((s) => [link(sectionHref(s.section), s.section), val(s.course), val(s.teacher), val(s.room), s.attempts]))
    : empty('No class section was in session for these attempts.'));
  view.append(el('h3', {}, 'Rooms'), table(`Rooms where ${name} was blocked`, ['Room', 'Attempts', 'During class'],
    detail.rooms.map((r) => [val(r.value), r.attempts, r.instructional_attempts])));
  view.append(el('h3', { id: 'review' }, 'Review'), review ? reviewHistory(review) : empty('Nobody has asked for this site yet.'),
    ...reviewForms(name, session, review, detail.sections, rerender));
  if (session.role !== 'viewer') {
    const data = await get(`/api/v1/blocks${query({ domain: name, limit: 200 })}`);
    view.append(el('h3', {}, 'Attempts and evidence'));
    const t = table(`Attempts of ${name}`, BLOCK_HEADS, data.blocks.map(blockRow), { class: 'blocks' });
    view.append(t);
  }
}

export async function section(view, session, params, id) {
  view.append(...heading(`Section ${id}`));
  let d;
  try {
    d = await get(`/api/v1/sections/${encodeURIComponent(id)}`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) {
      view.append(empty('No blocked attempts in this section are stored.'));
      return;
    }
    throw e;
  }
  view.append(el('p', {}, [d.course, d.teacher, d.room].filter(Boolean).join(' · ')));
  view.append(el('div', { class: 'cards' }, card('Attempts', d.totals.attempts), card('During class', d.totals.instructional_attempts), card('Sites', d.totals.domains)));
  view.append(el('h3', {}, 'Sites blocked in this section'), table(`Sites blocked in section ${id}`, ['Site', 'Attempts', 'During class', 'Users'],
    d.domains.map((r) => [link(domainHref(r.value), r.value), r.attempts, r.instructional_attempts, r.users])));
}

export async function reviews(view, session, params) {
  view.append(...heading('Review', 'Requests to unblock sites for instruction, and IT\'s answers.'));
  const status = params.get('status') || '';
  const select = el('select', { id: 'r-status' }, el('option', { value: '' }, 'All'),
    ...Object.entries(STATUS_TEXT).map(([k, v]) => el('option', { value: k }, v)));
  select.value = status;
  select.addEventListener('change', () => { location.hash = `#/review${select.value ? `?status=${select.value}` : ''}`; });
  view.append(el('p', {}, el('label', { for: 'r-status' }, 'Status '), select));
  const data = await get(`/api/v1/reviews${query({ status })}`);
  if (data.items.length === 0) {
    view.append(empty(session.role === 'viewer' ? 'No reviews yet.'
      : 'No reviews yet. To ask for a site, open it from the Overview or Blocks page and use "Ask IT to review".'));
    return;
  }
  view.append(table('Reviews', ['Site', 'Status', 'Asked by', 'Last change', 'Note'], data.items.map((r) => {
    const first = r.history[0];
    const last = r.history[r.history.length - 1];
    return [link(`${domainHref(r.domain)}`, r.domain), el('span', { class: `badge ${r.status}` }, STATUS_TEXT[r.status]),
      first.actor, time(last.time), val(last.note)];
  }), { class: 'reviews' }));
}

export async function report(view, session, params) {
  const now = localDate(new Date());
  const month = params.get('month') || `${now[0]}-${String(now[1]).padStart(2, '0')}`;
  const [y, m] = month.split('-').map(Number);
  const from = localMidnight(y, m, 1);
  const to = localMidnight(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1);
  const label = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
  view.append(...heading(`Meeting report: ${label}`, 'For the IT / ed-tech meeting. Print it or save it as PDF.'));
  const picker = el('input', { id: 'r-month', type: 'month', value: month });
  picker.addEventListener('change', () => { location.hash = `#/report?month=${picker.value}`; });
  view.append(el('p', { class: 'no-print' }, el('label', { for: 'r-month' }, 'Month '), picker, ' ',
    el('button', { type: 'button', onclick: () => window.print() }, 'Print')));
  const range = { from: from.toISOString(), to: to.toISOString() };
  const [trend, top, all] = await Promise.all([
    get(`/api/v1/reports/trend${query({ ...range, instructional: true })}`),
    get(`/api/v1/reports/top-domains${query({ ...range, instructional: true, limit: 15 })}`),
    get('/api/v1/reviews'),
  ]);
  view.append(el('div', { class: 'cards' }, card('Blocked during class', trend.current.attempts, pct(trend.current.attempts, trend.previous.attempts)),
    card('Sites', trend.current.domains), card('Sections affected', trend.current.sections)));
  view.append(el('h3', {}, 'Top sites blocked during class'), top.items.length
    ? table('Top instructional blocks', ['Site', 'Sections', 'Attempts', 'Rooms'], top.items.map((d) => [d.domain, d.sections, d.attempts, d.rooms]))
    : empty('No blocks during class this month. Pick another month above.'));
  const inMonth = all.items.flatMap((r) => r.history.filter((h) => { const t = Date.parse(h.time); return t >= from && t < to; })
    .map((h) => ({ ...h, domain: r.domain })));
  view.append(el('h3', {}, 'Requests and decisions'), inMonth.length
    ? table('Requests and decisions this month', ['Site', 'Step', 'By', 'When', 'Note'],
      inMonth.map((h) => [h.domain, STATUS_TEXT[h.action], h.actor, time(h.time), [h.note, h.alternative].filter(Boolean).join(' — ') || muted('—')]))
    : empty('No requests or decisions this month.'));
  view.append(el('h3', {}, 'Trend'), bars(trend.days, `Blocked attempts per day in ${label}`));
}

const STATUS_METRICS = [
  ['bellwatch_logs_lines_total', 'Filter log lines read'],
  ['bellwatch_logs_malformed_total', 'Log lines that did not parse'],
  ['bellwatch_decode_messages_total', 'DNS and DHCP messages decoded'],
  ['bellwatch_capture_dropped_total', 'Captured frames dropped'],
  ['bellwatch_syslog_received_total', 'Syslog messages received'],
  ['bellwatch_syslog_dropped_total', 'Syslog messages dropped'],
  ['bellwatch_correlate_blocks_total', 'Blocked attempts attributed'],
  ['bellwatch_store_events_written_total', 'Events stored'],
  ['bellwatch_store_errors_total', 'Store errors'],
  ['bellwatch_web_logins_total', 'Console logins (all results)'],
];

export async function status(view) {
  view.append(...heading('Status', 'Is Bellwatch receiving data? Counts since the agent started.'));
  const health = await fetch('/health').then((r) => r.json());
  view.append(el('div', { class: 'cards' }, card('Health', health.status), card('Pipeline', health.pipeline), card('Schedule', health.schedule)));
  let metrics = '';
  try { metrics = await get('/metrics'); } catch (e) { view.append(empty(`Metrics unavailable: ${e.message}`)); return; }
  const sums = new Map();
  for (const line of metrics.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (m) sums.set(m[1], (sums.get(m[1]) || 0) + Number(m[3]));
  }
  view.append(table('Pipeline counters', ['Counter', 'Value', 'Metric'], STATUS_METRICS.map(([k, label]) =>
    [label, sums.has(k) ? String(Math.round(sums.get(k))) : muted('none yet'), el('code', {}, k)]), { class: 'status-table' }));
  view.append(el('p', { class: 'muted' }, 'All metrics: ', el('a', { href: '/metrics' }, '/metrics'), '. If "Filter log lines read" stays at none, check the syslog listeners and log files in the configuration.'));
}

export async function settings(view, session) {
  view.append(...heading('Settings'));
  view.append(el('p', {}, `Logged in as ${session.username} (${session.role}). Raw block events are kept ${session.retention_events_days} days.`));
  const pwStatus = el('p', { role: 'status', 'aria-live': 'polite' });
  const cur = el('input', { id: 'pw-current', type: 'password', autocomplete: 'current-password', required: true });
  const next = el('input', { id: 'pw-new', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
  const pwForm = el('form', { class: 'card narrow' }, el('h3', {}, 'Change your password'),
    el('p', {}, el('label', { for: 'pw-current' }, 'Current password'), cur),
    el('p', {}, el('label', { for: 'pw-new' }, 'New password (12 characters or more)'), next),
    el('p', {}, el('button', { type: 'submit' }, 'Change password')), pwStatus);
  pwForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await send('POST', '/api/v1/auth/password', { current_password: cur.value, new_password: next.value });
      pwStatus.textContent = r.status;
    } catch (err) { pwStatus.textContent = err.message; }
  });
  view.append(pwForm);
  if (session.role !== 'admin') return;

  const accounts = await get('/api/v1/accounts');
  const rerender = () => { view.replaceChildren(); settings(view, session); };
  const acctStatus = el('p', { role: 'status', 'aria-live': 'polite' });
  view.append(el('h3', {}, 'Accounts'), table('Accounts', ['Username', 'Role', 'State', 'Changed', 'Actions'], accounts.items.map((a) => {
    const role = el('select', { 'aria-label': `Role of ${a.username}` }, ['viewer', 'teacher', 'coordinator', 'admin'].map((r) => el('option', { value: r }, r)));
    role.value = a.role;
    role.addEventListener('change', async () => {
      try { await send('PUT', `/api/v1/accounts/${encodeURIComponent(a.username)}`, { role: role.value }); rerender(); } catch (e) { acctStatus.textContent = e.message; role.value = a.role; }
    });
    const toggle = el('button', { type: 'button', onclick: async () => {
      try { await send('PUT', `/api/v1/accounts/${encodeURIComponent(a.username)}`, { disabled: !a.disabled }); rerender(); } catch (e) { acctStatus.textContent = e.message; }
    } }, a.disabled ? `Enable ${a.username}` : `Disable ${a.username}`);
    return [a.username, role, a.disabled ? 'disabled' : 'enabled', time(a.updated), toggle];
  })), acctStatus);
  const u = el('input', { id: 'new-username', required: true, autocomplete: 'off' });
  const r = el('select', { id: 'new-role' }, ['viewer', 'teacher', 'coordinator', 'admin'].map((x) => el('option', { value: x }, x)));
  const p = el('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true, minlength: 12 });
  const addStatus = el('p', { role: 'status', 'aria-live': 'polite' });
  const add = el('form', { class: 'card narrow', id: 'add-account' }, el('h3', {}, 'Add an account'),
    el('p', {}, el('label', { for: 'new-username' }, 'Username'), u), el('p', {}, el('label', { for: 'new-role' }, 'Role'), r),
    el('p', {}, el('label', { for: 'new-password' }, 'Password (12 characters or more)'), p),
    el('p', {}, el('button', { type: 'submit' }, 'Add account')), addStatus);
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await send('POST', '/api/v1/accounts', { username: u.value, role: r.value, password: p.value }); rerender(); } catch (err) { addStatus.textContent = err.message; }
  });
  view.append(add);
  const audit = await get('/api/v1/audit?limit=50');
  view.append(el('h3', {}, 'Audit log (latest 50)'), table('Audit log', ['Time', 'Who', 'What', 'About', 'From', 'Detail'],
    audit.items.map((e) => [time(e.time), e.actor, e.action, val(e.target), e.client, val(e.detail)]), { class: 'compact' }));
}
