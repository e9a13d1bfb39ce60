// The district hub's pages (bellwatch hub serves this same console): the district overview, one school's
// view, the decision queue across schools and the district meeting report. Data comes only from the hub's
// /api/v1/district/...; what a school coordinator may see is the API's to decide (their school only), and
// these pages show what it answers and nothing else. Text is inserted as text (see dom.js).

import { get, send, query, HttpError } from './api.js';
import { el, val, link, table, empty, time, day, heading, card, statusLine } from './dom.js';
import { barChart, dayChart } from './chart.js';
import { rangeFrom, rangeNav, rangeCaption, apiRange } from './range.js';
import { ACTION_TEXT } from './reviews.js';

const DAYS = ['day', 'week', 'month'];
const REPORT_SPANS = ['week', 'month'];
const HEALTH_TEXT = { ok: 'Reporting', degraded: 'Reporting, a source failing', unavailable: 'Not working' };
const ROLE_TEXT = { district_it: 'district IT', school_coordinator: 'school coordinator' };

export const isDistrictIt = (session) => session.role === 'district_it';

/** The hub's stand-in for a site (range.js reads name, timezone, terms and the last block's time). */
export async function hubSite(session) {
  const { schools } = await get('/api/v1/district/schools');
  const last = schools.map((s) => s.last_block).filter(Boolean).sort().pop() || null;
  return { name: session.district, timezone: session.timezone, terms: [], data: { last }, schools };
}

/** The header line and the account line of a hub session. */
export function hubHeader(session) {
  const n = session.site.schools.length;
  const where = isDistrictIt(session)
    ? `${session.district} · ${n} ${n === 1 ? 'school' : 'schools'}`
    : `${session.school_name} · ${session.district}`;
  return {
    site: `${where} · ${session.timezone}`,
    who: `${session.username} (${ROLE_TEXT[session.role] || session.role})`,
  };
}

/** The hub's navigation: what each role may open. */
export function hubNav(session) {
  const links = [['#/district', 'Overview']];
  if (!isDistrictIt(session)) links.push([schoolHref(session.school), 'My school']);
  links.push(['#/district-queue', 'Decision queue'], ['#/district-report', 'Meeting report']);
  return links.map(([href, text]) => el('li', {}, el('a', { href }, text)));
}

/** Where a session starts: district IT on the district, a coordinator on their school. */
export const hubStart = (session) => (isDistrictIt(session) ? 'district' : `school/${encodeURIComponent(session.school)}`);

const schoolHref = (id, r) => `#/school/${encodeURIComponent(id)}${r ? `?span=${r.span}&at=${r.at}` : ''}`;

function schoolName(session, id) {
  return session.site.schools.find((s) => s.school === id)?.school_name || id;
}

function health(s) {
  if (!s.status) return el('span', { class: 'muted' }, 'No health report yet');
  return el('span', { title: s.status_time ? `Last report ${time(s.status_time)}` : null, class: `badge health-${s.status}` },
    HEALTH_TEXT[s.status] || s.status);
}

const plural = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** Attempts by school as bars: all blocked attempts, and those during class. */
function schoolChart(schools, title) {
  return barChart({
    title,
    categories: schools.map((s) => ({ label: s.school_name })),
    xLabel: 'School',
    yLabel: 'Blocked attempts',
    series: [
      { label: 'All blocked attempts', values: schools.map((s) => s.blocks), color: '#9fb3c8' },
      { label: 'During class', values: schools.map((s) => s.instructional_blocks), color: '#0b5cad' },
    ],
    tableHeads: ['School', 'All blocked attempts', 'During class'],
  });
}

function schoolsTable(schools, r, caption) {
  return table(caption, ['School', 'Status', 'During class', 'Lessons interrupted', 'Class sections', 'Sites', 'All blocked', 'Most blocked during class'],
    schools.map((s) => [link(schoolHref(s.school, r), s.school_name), health(s), s.instructional_blocks, s.lessons, s.sections,
      s.domains, s.blocks, val(s.top_domain)]), { class: 'schools' });
}

function domainsTable(domains, session, caption) {
  const district = isDistrictIt(session);
  const heads = district ? ['Site', 'Category', 'Schools', 'Lessons interrupted', 'Attempts during class', 'Where']
    : ['Site', 'Category', 'Lessons interrupted', 'Attempts during class'];
  return table(caption, heads, domains.map((d) => (district
    ? [d.domain, val(d.category), d.schools, d.lessons, d.instructional_blocks, d.school_names.join(', ')]
    : [d.domain, val(d.category), d.lessons, d.instructional_blocks])), { class: 'district-domains' });
}

function noData(site) {
  return site.data && !site.data.last
    ? empty('No blocked attempt has reached the hub yet. Schools send theirs once their agent has export.kafka set; the schools list shows who has reported.')
    : null;
}

export async function districtOverview(view, session, params) {
  const site = session.site;
  const district = isDistrictIt(session);
  const r = rangeFrom(params, site, 'week', DAYS);
  view.append(...heading(district ? `${session.district}: overview` : `${session.school_name}: overview`, district
    ? 'Blocked attempts during class in every school: which schools, and the sites that block instruction in the most schools.'
    : 'Blocked attempts during class at your school, as the district sees them.'));
  view.append(rangeNav(r, site, '#/district', params, DAYS), rangeCaption(r));
  const none = noData(site);
  if (none) {
    view.append(none);
    return;
  }
  const s = await get(`/api/v1/district/summary${query(apiRange(r))}`);
  const t = s.totals;
  view.append(el('div', { class: 'cards' },
    card('Blocked during class', t.instructional_blocks.toLocaleString()),
    card('Lessons interrupted', t.lessons.toLocaleString(), 'one class on one day'),
    district ? card('Schools affected', `${t.schools_blocked} of ${t.schools}`, 'with a block during class') : null,
    card('Sites blocked during class', t.domains.toLocaleString()),
    card('All blocked attempts', t.blocks.toLocaleString(), 'in and outside class')));
  view.append(el('h3', {}, district ? 'By school' : 'Your school'));
  view.append(schoolsTable(s.schools, r, `Blocked attempts by school, ${r.label}`));
  if (district) {
    view.append(schoolChart(s.schools, `Blocked attempts by school, ${r.title}`)
      || empty('No school had a blocked attempt in this range. Choose another range above.'));
  }
  view.append(el('h3', {}, district ? 'Sites that block instruction in the most schools' : 'Sites blocked during class'));
  view.append(s.domains.length
    ? domainsTable(s.domains, session, `Sites blocked during class, ${r.label}`)
    : empty('No blocks during class in this range. Choose another range above, or "Latest with data".'));
  view.append(el('h3', {}, 'Trend'));
  view.append(dayChart(r, s.days, `Blocked attempts, ${district ? 'all schools' : session.school_name}, per day`)
    || empty('Nothing was blocked in this range, so there is no chart.'));
}

/** One day by bell period, from the school's summary of that day. */
function periodBars(s, title, zone) {
  const categories = s.periods.map((p) => ({ label: /^\d+$/.test(p.period) ? `Period ${p.period}` : p.period }));
  const all = s.periods.map((p) => p.attempts);
  const inClass = s.periods.map((p) => p.instructional_attempts);
  if (s.outside_periods.attempts > 0) {
    categories.push({ label: 'Outside periods' });
    all.push(s.outside_periods.attempts);
    inClass.push(s.outside_periods.instructional_attempts);
  }
  return barChart({
    title,
    categories,
    xLabel: `Bell period (${zone})`,
    yLabel: 'Blocked attempts',
    series: [
      { label: 'All blocked attempts', values: all, color: '#9fb3c8' },
      { label: 'During class', values: inClass, color: '#0b5cad' },
    ],
    tableHeads: ['Bell period', 'All blocked attempts', 'During class'],
  });
}

export async function school(view, session, params, id) {
  const site = session.site;
  const r = rangeFrom(params, site, 'week', DAYS);
  // The name once the hub answers: the id in the address is whatever was typed, and may be refused.
  const known = session.site.schools.find((s) => s.school === id);
  const title = el('h2', { id: 'page-title', tabindex: '-1' }, known ? known.school_name : 'School');
  view.append(title, el('p', { class: 'muted' }, 'One school\'s blocks during class: the sites, the bell periods and the class sections they stopped.'));
  if (isDistrictIt(session)) view.append(el('p', { class: 'no-print' }, link(`#/district?span=${r.span}&at=${r.at}`, '‹ Every school')));
  view.append(rangeNav(r, site, `#/school/${encodeURIComponent(id)}`, params, DAYS), rangeCaption(r));
  let s;
  try {
    s = await get(`/api/v1/district/schools/${encodeURIComponent(id)}/summary${query(apiRange(r))}`);
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) {
      view.append(empty('Nothing from this school has reached the hub yet. Its agent sends its blocks once export.kafka is set in its configuration.'));
      return;
    }
    throw e;
  }
  title.textContent = s.school_name;
  document.title = `${s.school_name} · Bellwatch`;
  const t = s.totals;
  view.append(el('p', { class: 'section-facts' }, 'The school\'s agent: ', health(s),
    s.status_time ? el('span', { class: 'muted' }, ` last report ${time(s.status_time)}`) : null));
  view.append(el('div', { class: 'cards' },
    card('Blocked during class', t.instructional_blocks.toLocaleString()),
    card('Lessons interrupted', t.lessons.toLocaleString(), 'one class on one day'),
    card('Class sections affected', t.sections.toLocaleString()),
    card('Sites blocked during class', t.domains.toLocaleString()),
    card('All blocked attempts', t.blocks.toLocaleString(), 'in and outside class')));
  view.append(el('h3', {}, 'Top sites blocked during class'));
  view.append(s.domains.length
    ? table(`Top sites blocked during class at ${s.school_name}, ${r.label}`,
      ['Site', 'Category', 'Lessons interrupted', 'Class sections', 'Attempts during class', 'Rooms', 'Last seen'],
      s.domains.map((d) => [d.domain, val(d.category), d.lessons, d.sections, d.instructional_blocks, d.rooms, time(d.last_seen)]),
      { class: 'top-domains' })
    : empty('No blocks during class in this range. Choose another range above, or "Latest with data".'));
  view.append(el('h3', {}, 'When: by bell period'));
  view.append(periodBars(s, `Blocked attempts at ${s.school_name} by bell period, ${r.title}`, r.zone)
    || empty('No blocked attempt in this range, so there is no chart.'));
  if (r.span !== 'day') {
    view.append(el('h3', {}, 'Trend'));
    view.append(dayChart(r, s.days, `Blocked attempts at ${s.school_name}, per day`)
      || empty('Nothing was blocked in this range, so there is no chart.'));
  }
  view.append(el('h3', {}, 'Class sections most blocked during class'));
  view.append(s.sections.length
    ? table(`Class sections at ${s.school_name}, ${r.label}`,
      ['Section', 'Course', 'Teacher', 'Room', 'Period', 'Attempts during class', 'Lessons interrupted', 'Sites', 'Most blocked'],
      s.sections.map((c) => [c.section, val(c.course), val(c.teacher), val(c.room), val(c.period), c.instructional_blocks, c.lessons,
        c.domains, val(c.top_domain)]), { class: 'sections' })
    : empty('No block during class was tied to a class section in this range (the school\'s roster names none for these devices).'));
}

/** A decision in words: what, and for whom. */
function decisionText(d, session) {
  const who = d.schools.length ? d.schools.map((s) => schoolName(session, s)).join(', ') : 'every school';
  const what = ACTION_TEXT[d.action] || d.action;
  const until = d.until ? ` until ${day(d.until)}` : '';
  return `${what}${until} for ${who}${d.alternative ? `: ${d.alternative}` : ''}`;
}

function requestRows(item, session) {
  return item.requests.map((q) => [
    schoolName(session, q.school), time(q.time), val(q.role), val(q.reason),
    q.need_from || q.need_until ? `${q.need_from ? day(q.need_from) : ''} – ${q.need_until ? day(q.need_until) : ''}`.trim() : val(null),
    q.sections ? plural(q.sections, 'class', 'classes') : 'the whole school',
    q.answered_by ? el('span', { class: 'badge unblocked' }, 'Decided') : el('span', { class: 'badge requested' }, 'Waiting for the district'),
  ]);
}

const field = (id, label, input, hint) => el('p', {}, el('label', { for: id }, label),
  hint ? el('span', { class: 'hint' }, hint) : null, input);

/** District IT's decision on a site, for every school or for the schools ticked (those asking, at first). */
function decisionForm(domain, asking, session, rerender, n) {
  const p = `dd${n}`;
  const action = el('select', { id: `${p}-action` },
    el('option', { value: 'unblocked' }, 'Unblock'), el('option', { value: 'time_limited' }, 'Unblock until a date'),
    el('option', { value: 'kept_blocked' }, 'Keep blocked'), el('option', { value: 'alternative' }, 'Keep blocked and offer an alternative'));
  const reason = el('textarea', { id: `${p}-reason`, rows: 2, maxlength: 2000, required: true });
  const every = el('input', { type: 'radio', name: `${p}-scope`, id: `${p}-every`, checked: asking.length === 0 });
  const named = el('input', { type: 'radio', name: `${p}-scope`, id: `${p}-named`, checked: asking.length > 0 });
  const boxes = session.site.schools.map((s, i) => el('label', { class: 'check', for: `${p}-s${i}` },
    el('input', { type: 'checkbox', id: `${p}-s${i}`, value: s.school, checked: asking.includes(s.school) }), ` ${s.school_name}`));
  const until = el('input', { type: 'date', id: `${p}-until` });
  const untilP = field(`${p}-until`, 'Until (inclusive)', until);
  const alt = el('input', { id: `${p}-alt`, maxlength: 500 });
  const altP = field(`${p}-alt`, 'Alternative (a site or tool to use instead)', alt);
  const status = statusLine(`${p}-status`);
  const show = () => {
    untilP.hidden = !['unblocked', 'time_limited'].includes(action.value);
    until.required = action.value === 'time_limited';
    altP.hidden = action.value !== 'alternative';
    alt.required = action.value === 'alternative';
  };
  action.addEventListener('change', show);
  show();
  const form = el('form', { class: 'card district-decision', 'aria-labelledby': `${p}-title` },
    el('h4', { id: `${p}-title` }, `District decision on ${domain}`),
    field(`${p}-action`, 'Decision', action), field(`${p}-reason`, 'Reason (required; every school it applies to reads it)', reason),
    el('fieldset', {}, el('legend', {}, 'For which schools'),
      el('label', { class: 'check', for: `${p}-every` }, every, ' Every school'),
      el('label', { class: 'check', for: `${p}-named` }, named, ' Only these schools:'),
      el('div', { class: 'choices' }, boxes)),
    untilP, altP, el('p', {}, el('button', { type: 'submit' }, 'Publish the decision')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const schools = named.checked ? boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value) : [];
    if (named.checked && schools.length === 0) {
      status.textContent = 'Tick at least one school, or choose "Every school".';
      return;
    }
    status.textContent = 'Publishing…';
    try {
      await send('POST', '/api/v1/district/decisions', {
        domain, action: action.value, reason: reason.value, schools,
        until: until.value || null, alternative: action.value === 'alternative' ? alt.value : null,
      });
      await rerender();
    } catch (err) { status.textContent = `Not published: ${err.message}`; }
  });
  return form;
}

export async function districtQueue(view, session, params) {
  const site = session.site;
  const district = isDistrictIt(session);
  const r = rangeFrom(params, site, 'month', DAYS);
  const rerender = () => { view.replaceChildren(); return districtQueue(view, session, params); };
  view.append(...heading(district ? 'Decision queue across schools' : 'Requests to the district', district
    ? 'Requests to unblock sites that came up from the schools, grouped by site, waiting ones first. A decision applies to every school or to the schools you tick, and shows in each of those schools\' consoles with your reason.'
    : 'The requests your school sent to the district, and the district\'s decisions.'));
  view.append(rangeNav(r, site, '#/district-queue', params, DAYS), rangeCaption(r));
  const q = await get(`/api/v1/district/queue${query(apiRange(r))}`);
  if (q.items.length === 0) {
    view.append(empty(district
      ? 'No school has sent a request to unblock a site yet. Requests made in a school\'s console come up here.'
      : 'Your school has sent no request to unblock a site yet. Requests made in your school\'s console come up here.'));
    return;
  }
  const waiting = q.items.filter((i) => i.waiting > 0).length;
  view.append(el('p', { class: 'muted', id: 'queue-count' },
    `${plural(q.items.length, 'site')} asked for, ${waiting} waiting for a district decision. Impact on class is counted over the range shown.`));
  q.items.forEach((item, n) => {
    const asking = [...new Set(item.requests.map((x) => x.school))];
    const section = el('section', { class: 'card queue-item', 'aria-labelledby': `qi-${n}` },
      el('h3', { id: `qi-${n}` }, item.domain, ' ',
        item.waiting > 0 ? el('span', { class: 'badge requested' }, `${item.waiting} waiting`) : el('span', { class: 'badge unblocked' }, 'Answered')),
      el('p', {}, district
        ? `Asked for by ${plural(item.schools_asking, 'school')}. In this range: ${plural(item.instructional_blocks, 'attempt')} during class, ${plural(item.lessons, 'lesson')} interrupted in ${plural(item.schools_blocked, 'school')}.`
        : `In this range: ${plural(item.instructional_blocks, 'attempt')} during class, ${plural(item.lessons, 'lesson')} interrupted.`),
      item.decision ? el('p', { class: 'decision-line' }, el('strong', {}, 'Latest district decision: '),
        `${decisionText(item.decision, session)} (${item.decision.actor}, ${time(item.decision.time)}). Reason: ${item.decision.reason}`) : null,
      table(`Requests for ${item.domain}`, ['School', 'Asked on', 'Asked by', 'Reason', 'Needed', 'For', 'Status'], requestRows(item, session),
        { class: 'requests' }));
    if (district) {
      const form = decisionForm(item.domain, asking, session, rerender, n);
      section.append(item.waiting > 0 ? form : el('details', {}, el('summary', {}, 'Change the decision'), form));
    }
    view.append(section);
  });
}

export async function districtReport(view, session, params) {
  const site = session.site;
  const district = isDistrictIt(session);
  const r = rangeFrom(params, site, 'month', REPORT_SPANS);
  view.append(...heading(`District meeting report: ${r.title}`, district
    ? `${session.district}: blocked sites during class in every school, the requests that came up and the district's decisions.`
    : `${session.school_name}: blocked sites during class, your school's requests and the district's decisions.`));
  view.append(el('p', { class: 'toolbar no-print' },
    el('button', { type: 'button', id: 'save-pdf', onclick: () => window.print() }, 'Save as PDF'),
    el('span', { class: 'muted' }, 'Opens the print dialog: choose "Save as PDF" as the printer, or print it.')));
  view.append(rangeNav(r, site, '#/district-report', params, REPORT_SPANS), rangeCaption(r));
  const range = apiRange(r);
  const [s, q, d] = await Promise.all([
    get(`/api/v1/district/summary${query(range)}`),
    get(`/api/v1/district/queue${query(range)}`),
    get(`/api/v1/district/decisions${query(range)}`),
  ]);
  const t = s.totals;
  const waiting = q.items.filter((i) => i.waiting > 0);
  view.append(el('div', { class: 'cards' },
    card('Blocked during class', t.instructional_blocks.toLocaleString()),
    card('Lessons interrupted', t.lessons.toLocaleString(), 'one class on one day'),
    district ? card('Schools affected', `${t.schools_blocked} of ${t.schools}`) : null,
    card('Sites blocked during class', t.domains.toLocaleString()),
    card('District decisions', d.decisions.length),
    card('Requests waiting', waiting.length, 'for a district decision')));
  view.append(el('h3', {}, 'Trend'), dayChart(r, s.days, `Blocked attempts, ${r.title}, per day`) || empty('Nothing was blocked in this range.'));
  view.append(el('h3', {}, district ? 'By school' : 'Your school'));
  const rows = s.schools.map((x) => [x.school_name, x.instructional_blocks, x.lessons, x.sections, x.domains, x.blocks, val(x.top_domain)]);
  if (district) rows.push([el('strong', {}, 'District'), t.instructional_blocks, t.lessons, t.sections, t.domains, t.blocks, val(s.domains[0]?.domain)]);
  view.append(table(`By school, ${r.label}`, ['School', 'During class', 'Lessons interrupted', 'Class sections', 'Sites', 'All blocked', 'Most blocked during class'],
    rows, { class: 'schools' }));
  view.append(el('h3', {}, district ? 'Sites that block instruction in the most schools' : 'Top sites blocked during class'));
  view.append(s.domains.length
    ? domainsTable(s.domains.slice(0, 10), session, `Top sites blocked during class, ${r.label}`)
    : empty('No blocks during class in this range. Choose another week or month above.'));
  view.append(el('h3', {}, 'District decisions'), d.decisions.length
    ? table('District decisions', ['Site', 'Decision', 'By', 'When', 'Reason'], d.decisions.map((x) => [
      x.domain, decisionText(x, session), x.actor, time(x.time), val(x.reason)]), { class: 'decisions' })
    : empty('The district made no decision in this range.'));
  view.append(el('h3', {}, 'Requests waiting for the district'), waiting.length
    ? table('Requests waiting for the district', ['Site', 'Schools asking', 'First asked', 'Lessons interrupted'], waiting.map((i) => [
      i.domain, [...new Set(i.requests.filter((x) => !x.answered_by).map((x) => schoolName(session, x.school)))].join(', '),
      time(i.requests.filter((x) => !x.answered_by).map((x) => x.time).sort()[0]), i.lessons]), { class: 'open-requests' })
    : empty('No request is waiting for a district decision.'));
  view.append(el('p', { class: 'muted printed' }, `Printed from Bellwatch on ${time(new Date().toISOString())} (${r.zone}).`));
}

export const HUB_ROUTES = {
  district: ['Overview', districtOverview],
  school: ['School', school],
  'district-queue': ['Decision queue', districtQueue],
  'district-report': ['Meeting report', districtReport],
};
