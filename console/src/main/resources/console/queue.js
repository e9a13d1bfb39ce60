// The decision queue: sites blocked during class, ranked by their impact on instruction (the score is
// GET /api/v1/queue's, explained in the OpenAPI description), with where each stands: nobody asked yet,
// waiting for IT, decided (and when the decision expires), or expired.

import { get, query } from './api.js';
import { el, table, empty, day, domainHref, heading, val } from './dom.js';
import { rangeFrom, rangeNav, rangeCaption, apiRange } from './range.js';
import { siteCell } from './pages.js';
import { statusBadge } from './reviews.js';
import { waitedText } from './labels.js';

export const QUEUE_FILTERS = [
  ['', 'All'], ['no_request', 'No request yet'], ['awaiting_it', 'Awaiting IT'], ['decided', 'Decided'],
  ['expiring', 'Decided, expiring'], ['expired', 'Expired'],
];

function trend(item) {
  if (item.trend_pct === null || item.trend_pct === undefined) {
    return item.previous_instructional_attempts ? val(null) : el('span', { title: 'none in the range before' }, 'new');
  }
  const t = item.trend_pct;
  return el('span', { title: `${item.previous_instructional_attempts} in the range before` }, `${t > 0 ? '+' : ''}${t}%`);
}

/** Lessons whose own teacher was blocked while teaching them (and how many teachers), which rank a site high. */
function teachingCell(item) {
  const n = item.while_teaching_lessons ?? 0;
  if (n === 0) return '0';
  const t = item.while_teaching_teachers;
  return el('span', { class: 'teaching', title: `${t} ${t === 1 ? 'teacher' : 'teachers'} blocked while teaching` },
    `${n} ${n === 1 ? 'lesson' : 'lessons'}`);
}

function standing(item) {
  const rv = item.review;
  if (!rv) return statusBadge('no_request');
  const parts = [statusBadge(rv.status)];
  if (rv.status === 'requested' && rv.waiting_days !== null && rv.waiting_days !== undefined) {
    parts.push(el('span', { class: 'sub' }, rv.waiting_days > 0 ? `waiting ${waitedText(rv.waiting_days)}` : waitedText(0)));
  }
  if (rv.expires) parts.push(el('span', { class: 'sub' }, `${rv.status === 'expired' ? 'expired' : 'until'} ${day(rv.expires)}`));
  return el('span', {}, parts);
}

/** Queue rows as table cells; each site links to its page for the same range. */
export async function queueRows(items, session, r, { offset = 0, status = true } = {}) {
  return Promise.all(items.map(async (q, i) => [
    String(offset + i + 1),
    await siteCell(q, session, r, `${domainHref(q.domain)}?span=${r.span}&at=${r.at}`),
    val(q.category), q.instructional_attempts, trend(q), teachingCell(q), q.sections, q.teachers, q.students, q.rooms,
    q.periods?.length ? q.periods.join(', ') : val(null), ...(status ? [standing(q)] : []),
  ]));
}

export const QUEUE_HEADS = ['Rank', 'Site', 'Category', 'During class', 'Trend', 'While teaching', 'Sections', 'Teachers', 'Students', 'Rooms', 'Periods', 'Status'];

export async function queue(view, session, params) {
  const site = session.site;
  const r = rangeFrom(params, site, 'month');
  const status = params.get('status') || '';
  view.append(...heading('Decision queue', 'Sites blocked during class, the ones that cost most class time first: attempts during class, in how many classes, teachers and students, and whether anyone has asked IT yet.'));
  view.append(rangeNav(r, site, '#/queue', params), rangeCaption(r));
  const q = new URLSearchParams(params);
  const filters = el('ul', { class: 'spans filters-status', 'aria-label': 'Status' }, QUEUE_FILTERS.map(([k, label]) => {
    if (k) q.set('status', k); else q.delete('status');
    return el('li', {}, el('a', { href: `#/queue?${q}`, 'aria-current': k === status ? 'true' : null }, label));
  }));
  view.append(el('nav', { class: 'no-print', 'aria-label': 'Filter by status' }, filters));
  const teaching = params.get('while_teaching') === 'true';
  const t = new URLSearchParams(params);
  if (teaching) t.delete('while_teaching'); else t.set('while_teaching', 'true');
  view.append(el('nav', { class: 'no-print', 'aria-label': 'Filter by lessons blocked while teaching' },
    el('ul', { class: 'spans filters-teaching' },
      el('li', {}, el('a', { href: `#/queue?${t}`, id: 'queue-while-teaching', 'aria-current': teaching ? 'true' : null },
        'Only sites a teacher was blocked on while teaching')))));
  const data = await get(`/api/v1/queue${query({ ...apiRange(r), status, while_teaching: teaching ? true : '', limit: 50 })}`);
  if (data.items.length === 0) {
    view.append(empty(status || teaching ? 'No site in this range matches these filters. Choose "All" or another range.'
      : 'No site was blocked during class in this range. Choose another range above.'));
    return;
  }
  view.append(el('p', { class: 'muted', id: 'queue-count' }, `${data.items.length} of ${data.total} sites, ranked by impact on class time.`));
  view.append(table(`Decision queue, ${r.label}`, QUEUE_HEADS, await queueRows(data.items, session, r, { offset: data.offset }), { class: 'queue' }));
}
