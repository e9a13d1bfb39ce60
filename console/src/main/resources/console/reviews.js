// Reviews in words: statuses, one history entry, the Review page (every request and decision, with the
// CSV export of every step). The site page (site.js) and the meeting report (report.js) use these.

import { get, query } from './api.js';
import { el, val, link, table, empty, time, day, domainHref, heading } from './dom.js';
import { loadSections, sectionNames } from './labels.js';

export const STATUS_TEXT = {
  requested: 'Awaiting IT', unblocked: 'Unblocked', kept_blocked: 'Kept blocked', alternative: 'Alternative offered',
  time_limited: 'Unblocked for a time', expired: 'Expired',
};
export const ACTION_TEXT = {
  requested: 'Requested', unblocked: 'Unblocked', kept_blocked: 'Kept blocked', alternative: 'Alternative offered',
  time_limited: 'Unblocked for a time',
};
export const DECISIONS = ['unblocked', 'time_limited', 'kept_blocked', 'alternative'];

export function statusBadge(status) {
  return el('span', { class: `badge ${status}` }, status === 'no_request' ? 'No request yet' : STATUS_TEXT[status] || status);
}

/** Every section id a review names, to load their titles in one request. */
export function reviewSections(reviews) {
  return reviews.flatMap((r) => r.history.flatMap((h) => h.sections || []));
}

/** What one step says beyond who and when: scope, sections, address, dates, alternative. */
function entryFacts(h) {
  const facts = [];
  if (h.url_prefix) facts.push(el('p', {}, 'Address: ', el('code', {}, h.url_prefix)));
  if (h.sections?.length) {
    const who = h.action === 'requested' ? 'For' : 'Sections';
    facts.push(el('p', { class: 'muted' }, `${who}: `, sectionNames(h.sections)));
  } else if (h.scope === 'everyone') facts.push(el('p', { class: 'muted' }, 'For everyone'));
  if (h.need_from || h.need_until) {
    facts.push(el('p', { class: 'muted' }, `Needed ${h.need_from ? `from ${day(h.need_from)} ` : ''}${h.need_until ? `until ${day(h.need_until)}` : ''}`.trim()));
  }
  if (h.until) facts.push(el('p', { class: 'muted' }, `Until ${day(h.until)} (inclusive)`));
  if (h.alternative) facts.push(el('p', {}, `Alternative: ${h.alternative}`));
  return facts;
}

/** The history of a review, oldest first. */
export function historyList(r) {
  return el('ol', { class: 'history' }, r.history.map((h) => el('li', {},
    el('strong', {}, ACTION_TEXT[h.action] || h.action), ` by ${h.actor} (${h.role}), ${time(h.time)}`,
    (h.reason ?? h.note) ? el('p', { class: 'reason' }, h.reason ?? h.note) : null,
    ...entryFacts(h))));
}

export async function reviews(view, session, params) {
  view.append(...heading('Review', 'Requests to unblock sites for instruction, and IT\'s answers. The Decision queue ranks the sites nobody has asked about yet.'));
  const status = params.get('status') || '';
  const select = el('select', { id: 'r-status' }, el('option', { value: '' }, 'All'),
    ...Object.entries(STATUS_TEXT).map(([k, v]) => el('option', { value: k }, v)));
  select.value = status;
  select.addEventListener('change', () => { location.hash = `#/review${select.value ? `?status=${select.value}` : ''}`; });
  view.append(el('p', { class: 'toolbar' }, el('label', { for: 'r-status', class: 'inline' }, 'Status'), select,
    el('a', { href: `/api/v1/reviews${query({ status, format: 'csv' })}`, download: 'bellwatch-reviews.csv', class: 'button', id: 'reviews-csv' },
      'Export every request and decision as CSV')));
  const data = await get(`/api/v1/reviews${query({ status })}`);
  if (data.items.length === 0) {
    view.append(empty(session.role === 'viewer' ? 'No reviews yet.'
      : 'No reviews yet. To ask for a site, open it from the Decision queue or the Overview and use "Ask IT to unblock".'));
    return;
  }
  await loadSections(reviewSections(data.items));
  view.append(table('Reviews', ['Site', 'Status', 'Asked by', 'Reason', 'Last change', 'IT\'s answer'], data.items.map((r) => {
    const request = r.request ?? r.history.find((h) => h.action === 'requested');
    const decision = r.decision ?? [...r.history].reverse().find((h) => h.action !== 'requested');
    const last = r.history[r.history.length - 1];
    return [link(domainHref(r.domain), r.domain), statusBadge(r.status), val(request?.actor),
      val(request?.reason ?? request?.note), time(last.time),
      decision ? `${ACTION_TEXT[decision.action] || decision.action}: ${decision.reason ?? decision.note ?? ''}`.replace(/: $/, '') : val(null)];
  }), { class: 'reviews' }));
}
