// The console's report pages: Overview, Blocks, Section, Status and Settings. Each page function gets the
// view element, the session (with the site: name, zone, terms, data range), the hash parameters and the
// path argument, and fills the view; data comes only from /api/v1 and is inserted as text (see dom.js).
// The site page and the unblock loop are in site.js, the decision queue in queue.js, the meeting report
// in report.js.

import { get, send, query, HttpError } from './api.js';
import {
  el, val, muted, link, table, empty, time, domainHref, sectionHref, siteZone, heading, card, pct, named,
} from './dom.js';
import { dayChart, periodChart } from './chart.js';
import { rangeFrom, rangeNav, rangeCaption, apiRange, previousNoun } from './range.js';
import { methodName } from './labels.js';

const WEEKDAYS = { MONDAY: 'Mon', TUESDAY: 'Tue', WEDNESDAY: 'Wed', THURSDAY: 'Thu', FRIDAY: 'Fri', SATURDAY: 'Sat', SUNDAY: 'Sun' };
export const ROLES = ['viewer', 'teacher', 'coordinator', 'admin'];

/** Roles that see single attempts (device, room, evidence); viewers see counts only. */
export const seesBlocks = (session) => session.role !== 'viewer';

function heatmapTable(hm) {
  const max = Math.max(1, ...hm.attempts.flat());
  const heads = ['Period', ...hm.weekdays.map((w) => WEEKDAYS[w] || w)];
  const rows = hm.periods.map((p, i) => [p, ...hm.attempts[i].map((n) => {
    const level = n === 0 ? 0 : Math.min(5, 1 + Math.floor((n / max) * 4.999));
    return el('span', { class: `heat heat-${level}`, title: `${n} attempts` }, String(n));
  })]);
  return table('Blocked attempts during class by bell period and weekday', heads, rows, { rowHeader: true, class: 'heatmap', showCaption: false });
}

/**
 * The trend of a range as a chart: bars per day, or for a single day bars per bell period. `filter`
 * narrows it (a site, a section); `trend` is the range's unfiltered-by-class trend when the page has it
 * already. Null when nothing was blocked.
 */
export async function trendChart(r, filter, title, trend = null) {
  const range = apiRange(r);
  const t = trend ? Promise.resolve(trend) : get(`/api/v1/reports/trend${query({ ...range, ...filter })}`);
  if (r.span === 'day') {
    const [all, inClass, day] = await Promise.all([
      get(`/api/v1/reports/heatmap${query({ ...range, ...filter })}`),
      get(`/api/v1/reports/heatmap${query({ ...range, ...filter, instructional: true })}`),
      t,
    ]);
    return periodChart(all, inClass, day.current, `${title}, by bell period`, r.zone);
  }
  return dayChart(r, (await t).days, `${title}, per day`);
}

/**
 * Why a site blocked during class has no class and no room: the attributor counts a block as during
 * class when neither user nor room is known and the time is in a class period ("room unknown"). Roles
 * that see attempts also get the evidence line of one of them that says why the room is unknown.
 */
export async function whyNoClass(domain, session, r) {
  const p = el('p', { class: 'why' }, 'Why no class or room: room unknown (the device is in no roster room and no user was logged);'
    + ' it counts as during class because it fell in a class period.');
  if (seesBlocks(session)) {
    const one = await get(`/api/v1/blocks${query({ domain, instructional: true, ...apiRange(r), limit: 1 })}`);
    const line = one.blocks[0]?.evidence.find((e) => /^(room|dhcp: no lease|ipv6: no binding|device unknown)/.test(e) && !e.startsWith('room unknown'));
    if (line) p.append(el('br'), el('span', { class: 'muted' }, `Evidence: ${line}`));
  }
  return p;
}

/** A domain row's site cell: the link, and when no class or room is known, why. */
export async function siteCell(d, session, r, href) {
  const a = link(href, d.domain);
  if (d.sections === 0 && d.rooms === 0 && (d.instructional_attempts ?? d.attempts) > 0) {
    return el('span', {}, a, await whyNoClass(d.domain, session, r));
  }
  return a;
}

export async function overview(view, session, params) {
  const site = session.site;
  const r = rangeFrom(params, site, 'week');
  view.append(...heading('Overview', session.role === 'teacher'
    ? 'Blocked attempts during your classes: which sites, when, and in which of your classes.'
    : 'Blocked attempts during class: which sites, when, and in how many classes.'));
  view.append(rangeNav(r, site, '#/overview', params), rangeCaption(r));
  if (site.data && !site.data.last) {
    view.append(empty('No blocked attempts recorded yet. Bellwatch fills this page once it receives web-filter logs or DNS traffic; check the Status page for what it receives.'));
    return;
  }
  const range = apiRange(r);
  const allTrend = get(`/api/v1/reports/trend${query(range)}`);
  const [inClass, all, top, hm, chart] = await Promise.all([
    get(`/api/v1/reports/trend${query({ ...range, instructional: true })}`),
    allTrend,
    get(`/api/v1/reports/top-domains${query({ ...range, instructional: true, limit: 10 })}`),
    get(`/api/v1/reports/heatmap${query({ ...range, instructional: true })}`),
    allTrend.then((t) => trendChart(r, {}, 'Blocked attempts', t)),
  ]);
  view.append(el('div', { class: 'cards' },
    card('Blocked during class', inClass.current.attempts, pct(inClass.current.attempts, inClass.previous.attempts, previousNoun(r))),
    card('Sites blocked during class', inClass.current.domains),
    card('Class sections affected', inClass.current.sections),
    card('All blocked attempts', all.current.attempts, 'in and outside class')));
  view.append(el('h3', {}, 'Top sites blocked during class'));
  if (top.items.length === 0) {
    view.append(empty('No blocks during class in this range. Blocks outside class are on the Blocks page; try another range above.'));
  } else {
    const rows = await Promise.all(top.items.map(async (d) => [
      await siteCell(d, session, r, `${domainHref(d.domain)}?span=${r.span}&at=${r.at}`),
      d.sections, d.attempts, d.rooms, time(d.last_seen)]));
    view.append(table(`Top sites blocked during class, ${r.label}`, ['Site', 'Sections', 'Attempts during class', 'Rooms', 'Last seen'],
      rows, { class: 'top-domains' }));
  }
  view.append(el('h3', {}, 'When: bell period by weekday'));
  view.append(hm.periods.length ? heatmapTable(hm) : empty('No blocks during class in a bell period in this range.'));
  view.append(el('h3', {}, 'Trend'));
  view.append(chart || empty('Nothing was blocked in this range, so there is no chart.'));
}

function filtersFromHash(params) {
  return {
    domain: params.get('domain') || '', room: params.get('room') || '', section: params.get('section') || '',
    period: params.get('period') || '', instructional: params.has('instructional') ? params.get('instructional') : 'true',
    while_teaching: params.get('while_teaching') || '',
  };
}

/** The class cell of an attempt: the section's title (id in the tooltip) and its teacher's name. */
function classCell(b) {
  if (!b.section) return val(null);
  return el('span', {},
    el('a', { href: sectionHref(b.section), title: b.section }, b.section_title || b.course || b.section),
    b.teacher ? el('span', { class: 'sub', title: b.teacher }, b.teacher_name || b.teacher) : null);
}

export function blockRow(b) {
  const ev = el('details', {}, el('summary', {}, `${b.evidence.length} steps`),
    el('ul', {}, b.evidence.map((s) => el('li', {}, s))));
  return [
    el('span', { title: b.time }, time(b.time)),
    link(domainHref(b.domain), b.domain),
    val(b.hostname ?? b.client_ip),
    b.user ? named(b.user_name, b.user) : val(null),
    val(b.room),
    classCell(b),
    val(b.period),
    b.instructional ? el('span', { class: 'yes' }, 'Yes') : 'No',
    b.while_teaching ? el('span', { class: 'yes teaching', title: 'The teacher was blocked while teaching this class' }, 'Yes') : 'No',
    methodName(b.method),
    ev,
  ];
}

export const BLOCK_HEADS = ['Time', 'Site', 'Device', 'User', 'Room', 'Class', 'Period', 'During class', 'While teaching', 'How blocked', 'Evidence'];
const SORT_KEYS = ['time', 'domain', 'hostname', 'user', 'room', 'section', 'period', 'instructional', 'while_teaching', 'method', null];

/** Rows shown at first and added by "Show more": laying out 1,000 rows took Chromium over a second. */
const ROWS_SHOWN = 200;

/**
 * Sorts the rows by a clicked column and shows the first ROWS_SHOWN of them; a button after the table
 * shows more. Returns that button (hidden when every row shows).
 */
function sortable(tableEl, rows, render) {
  let key = 'time';
  let dir = -1;
  let shown = ROWS_SHOWN;
  let sorted = rows;
  const heads = tableEl.querySelectorAll('thead th');
  const tbody = tableEl.querySelector('tbody');
  const more = el('button', { type: 'button', class: 'more', id: 'blocks-more' });
  const row = (r) => el('tr', {}, render(r).map((c, i) => el('td', { 'data-label': BLOCK_HEADS[i] }, c)));
  const label = () => {
    more.hidden = shown >= sorted.length;
    more.textContent = `Show ${Math.min(ROWS_SHOWN, sorted.length - shown)} more (${shown} of ${sorted.length} shown)`;
  };
  const draw = () => {
    sorted = [...rows].sort((a, b) => {
      const x = a[key] ?? '';
      const y = b[key] ?? '';
      return (x < y ? -1 : x > y ? 1 : 0) * dir;
    });
    tbody.replaceChildren(...sorted.slice(0, shown).map(row));
    heads.forEach((th, i) => th.setAttribute('aria-sort', SORT_KEYS[i] === key ? (dir > 0 ? 'ascending' : 'descending') : 'none'));
    label();
  };
  more.addEventListener('click', () => {
    tbody.append(...sorted.slice(shown, shown + ROWS_SHOWN).map(row));
    shown += ROWS_SHOWN;
    label();
  });
  heads.forEach((th, i) => {
    if (!SORT_KEYS[i]) return;
    const text = th.textContent;
    const b = el('button', { type: 'button', class: 'sort', onclick: () => {
      dir = key === SORT_KEYS[i] ? -dir : 1;
      key = SORT_KEYS[i];
      draw();
    } }, text);
    th.replaceChildren(b);
  });
  draw();
  return more;
}

/** The "blocked while teaching" filter: any block, only those that stopped a teacher's own lesson, or the others. */
export function teachingSelect(value, id = 'f-while-teaching') {
  const s = el('select', { id, name: 'while_teaching' },
    el('option', { value: '' }, 'Any'), el('option', { value: 'true' }, 'Only blocked while teaching'),
    el('option', { value: 'false' }, 'Not while teaching'));
  s.value = ['true', 'false'].includes(value) ? value : '';
  return s;
}

function textInput(name, label, value) {
  return el('p', {}, el('label', { for: `f-${name}` }, label), el('input', { id: `f-${name}`, name, value }));
}

export async function blocks(view, session, params) {
  const site = session.site;
  const r = rangeFrom(params, site, 'week');
  view.append(...heading('Blocks', `Every blocked attempt with its evidence, newest first. Times are in ${siteZone()}.`));
  view.append(rangeNav(r, site, '#/blocks', params), rangeCaption(r));
  const f = filtersFromHash(params);
  const scope = el('select', { id: 'f-instructional', name: 'instructional' },
    el('option', { value: 'true' }, 'During class'), el('option', { value: 'false' }, 'Outside class'), el('option', { value: 'all' }, 'All'));
  scope.value = f.instructional;
  const teaching = teachingSelect(f.while_teaching);
  const form = el('form', { class: 'filters', role: 'search', 'aria-label': 'Filter blocks' },
    el('p', {}, el('label', { for: 'f-instructional' }, 'Show'), scope),
    el('p', {}, el('label', { for: 'f-while-teaching' }, 'Blocked while teaching'), teaching),
    textInput('domain', 'Site', f.domain), textInput('room', 'Room', f.room),
    textInput('section', 'Section (id)', f.section), textInput('period', 'Period', f.period),
    el('p', {}, el('button', { type: 'submit' }, 'Apply filters')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ span: r.span, at: r.at });
    if (r.term) q.set('term', r.term.id);
    for (const [k, v] of new FormData(form)) if (v) q.set(k, v);
    location.hash = `#/blocks?${q}`;
  });
  view.append(form);
  const api = {
    domain: f.domain, room: f.room, section: f.section, period: f.period, limit: 1000,
    instructional: f.instructional === 'all' ? '' : f.instructional, while_teaching: f.while_teaching, ...apiRange(r),
  };
  const data = await get(`/api/v1/blocks${query(api)}`);
  const exportLink = el('a', { href: `/api/v1/blocks${query({ ...api, format: 'csv' })}`, download: 'bellwatch-blocks.csv', class: 'button' }, 'Export these rows as CSV');
  view.append(el('p', { class: 'toolbar' }, el('span', { id: 'blocks-count' }, `${data.count} of ${data.total} blocked attempts`), exportLink));
  if (session.pseudonymized) view.append(el('p', { class: 'note' }, 'Users and devices are shown as pseudonyms (privacy setting).'));
  else if (!session.can_see_users) view.append(el('p', { class: 'note' }, 'Student names are hidden for your role.'));
  if (data.blocks.length === 0) {
    view.append(empty('No blocked attempts match these filters in this range. Choose another range, "All", or clear a filter.'));
    return;
  }
  const t = table(`Blocked attempts, ${r.label}`, BLOCK_HEADS, [], { class: 'blocks' });
  t.id = 'blocks';
  view.append(t, el('p', { class: 'no-print' }, sortable(t, data.blocks, blockRow)));
}

export async function section(view, session, params, id) {
  const site = session.site;
  const r = rangeFrom(params, site, 'term');
  const title = el('h2', { id: 'page-title', tabindex: '-1', title: id }, `Section ${id}`);
  view.append(title, rangeNav(r, site, `#/section/${encodeURIComponent(id)}`, params), rangeCaption(r));
  let d;
  try {
    d = await get(`/api/v1/sections/${encodeURIComponent(id)}${query(apiRange(r))}`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) {
      view.append(empty('No blocked attempts in this section in this range. Choose another range above.'));
      return;
    }
    throw e;
  }
  if (d.title) title.textContent = d.title;
  const teachers = d.teachers?.length ? d.teachers : (d.teacher ? [{ username: d.teacher, name: d.teacher_name }] : []);
  view.append(el('p', { class: 'section-facts' },
    teachers.length ? ['Taught by ', ...teachers.flatMap((t, i) => [i ? ', ' : '', named(t.name, t.username)])] : 'Teacher unknown',
    d.room ? ` · Room ${d.room}` : '', d.periods?.length ? ` · Period ${d.periods.join(', ')}` : ''));
  const [chart, teaching] = await Promise.all([
    trendChart(r, { section: id }, `Blocked attempts in ${d.title || id}`),
    get(`/api/v1/reports/breakdown/domain${query({ ...apiRange(r), section: id, while_teaching: true, limit: 1000 })}`),
  ]);
  const taught = new Map(teaching.items.map((x) => [x.value, x.attempts]));
  const teachingTotal = teaching.items.reduce((n, x) => n + x.attempts, 0);
  view.append(el('div', { class: 'cards' }, card('Attempts', d.totals.attempts), card('During class', d.totals.instructional_attempts),
    card('Blocked while teaching', teachingTotal, 'the teacher\'s own lesson stopped'), card('Sites', d.totals.domains)));
  if (teachingTotal > 0 && seesBlocks(session)) {
    const q = new URLSearchParams({ span: r.span, at: r.at, section: id, instructional: 'all', while_teaching: 'true' });
    view.append(el('p', { class: 'no-print' }, link(`#/blocks?${q}`, 'Show the attempts blocked while teaching')));
  }
  view.append(el('h3', {}, 'Sites blocked in this section'), table(`Sites blocked in ${d.title || id}, ${r.label}`, ['Site', 'Attempts', 'During class', 'While teaching', 'Users'],
    d.domains.map((x) => [link(`${domainHref(x.value)}?span=${r.span}&at=${r.at}`, x.value), x.attempts, x.instructional_attempts,
      taught.get(x.value) ?? 0, x.users])));
  view.append(el('h3', {}, 'Trend'), chart || empty('Nothing was blocked in this range.'));
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
  // Each input (capture interface, syslog listener, log file) and output (Kafka export, mail), as /health
  // reports it: a failing one names its problem here, so IT need not read the journal to find it.
  const sources = health.sources || [];
  view.append(el('h3', {}, 'Inputs and outputs'), sources.length
    ? table('Inputs and outputs', ['Source', 'State', 'Last input', 'Problem'], sources.map((s) => [
      s.name, s.state,
      s.last_seen ? time(s.last_seen) : (s.silent_since ? `none since ${time(s.silent_since)}` : '—'),
      s.error || muted('none')]), { class: 'sources-table' })
    : empty('No capture interface, syslog listener, log file, export or mail is configured.'));
  let metrics = '';
  try { metrics = await get('/metrics'); } catch (e) { view.append(empty(`Metrics unavailable: ${e.message}`)); return; }
  const sums = new Map();
  for (const line of metrics.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-z_]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (m) sums.set(m[1], (sums.get(m[1]) || 0) + Number(m[3]));
  }
  view.append(el('h3', {}, 'Counters since the start'), table('Pipeline counters', ['Counter', 'Value', 'Metric'], STATUS_METRICS.map(([k, label]) =>
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
    const role = el('select', { 'aria-label': `Role of ${a.username}` }, ROLES.map((r) => el('option', { value: r }, r)));
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
  const r = el('select', { id: 'new-role' }, ROLES.map((x) => el('option', { value: x }, x)));
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
