// The meeting report for the IT / ed-tech meeting, for a month or a term: blocks during class and their
// trend, the decisions made with their reasons, the requests still waiting and for how long, and the
// sites to discuss (most impact, nobody asked yet). It prints on its own (print CSS hides the console
// around it); "Save as PDF" opens the browser's print dialog, where PDF is a destination.

import { get, query } from './api.js';
import { el, val, table, empty, time, day, heading, card, pct, domainHref, link } from './dom.js';
import { rangeFrom, rangeNav, rangeCaption, apiRange, previousNoun } from './range.js';
import { trendChart } from './pages.js';
import { ACTION_TEXT, DECISIONS, reviewSections } from './reviews.js';
import { loadSections, sectionsText, waitedText } from './labels.js';
import { queueRows, QUEUE_HEADS } from './queue.js';

const DAY_MS = 86400000;

function forWhom(h) {
  const who = h.scope === 'sections' && h.sections?.length ? sectionsText(h.sections) : 'everyone';
  return h.action === 'kept_blocked' || h.action === 'alternative' ? '' : `for ${who}${h.until ? ` until ${day(h.until)}` : ''}`;
}

export async function report(view, session, params) {
  const site = session.site;
  const r = rangeFrom(params, site, 'month', ['month', 'term']);
  view.append(...heading(`Meeting report: ${r.title}`, `${site.name}: blocked sites during class, requests and IT's decisions, for the IT / ed-tech meeting.`));
  view.append(el('p', { class: 'toolbar no-print' },
    el('button', { type: 'button', id: 'save-pdf', onclick: () => window.print() }, 'Save as PDF'),
    el('span', { class: 'muted' }, 'Opens the print dialog: choose "Save as PDF" as the printer, or print it.')));
  view.append(rangeNav(r, site, '#/report', params, ['month', 'term']), rangeCaption(r));
  const range = apiRange(r);
  const [inClass, teaching, top, toDiscuss, all, chart] = await Promise.all([
    get(`/api/v1/reports/trend${query({ ...range, instructional: true })}`),
    get(`/api/v1/reports/trend${query({ ...range, while_teaching: true })}`),
    get(`/api/v1/reports/top-domains${query({ ...range, instructional: true, limit: 10 })}`),
    get(`/api/v1/queue${query({ ...range, status: 'no_request', limit: 10 })}`),
    get('/api/v1/reviews'),
    trendChart(r, {}, `Blocked attempts, ${r.title}`),
  ]);
  await loadSections(reviewSections(all.items));
  const inRange = (h) => { const t = Date.parse(h.time); return t >= r.from.getTime() && t < r.to.getTime(); };
  const decisions = all.items.flatMap((rv) => rv.history.filter((h) => DECISIONS.includes(h.action) && inRange(h))
    .map((h) => ({ ...h, domain: rv.domain }))).sort((a, b) => a.time.localeCompare(b.time));
  const open = all.items.filter((rv) => rv.status === 'requested').map((rv) => {
    const req = rv.request ?? [...rv.history].reverse().find((h) => h.action === 'requested');
    return { domain: rv.domain, req, waiting: Math.max(0, Math.floor((Date.now() - Date.parse(req.time)) / DAY_MS)) };
  }).sort((a, b) => b.waiting - a.waiting);

  view.append(el('div', { class: 'cards' },
    card('Blocked during class', inClass.current.attempts, pct(inClass.current.attempts, inClass.previous.attempts, previousNoun(r))),
    card('Sites blocked during class', inClass.current.domains),
    card('Class sections affected', inClass.current.sections),
    card('Blocked while teaching', teaching.current.attempts, 'the teacher\'s own lesson stopped'),
    card('Decisions made', decisions.length),
    card('Requests waiting for IT', open.length)));
  view.append(el('h3', {}, 'Trend'), chart || empty('Nothing was blocked in this range.'));

  view.append(el('h3', {}, 'Sites to discuss'),
    el('p', { class: 'muted' }, 'Most class time lost, and nobody has asked IT about them yet.'),
    toDiscuss.items.length
      ? table('Sites to discuss', QUEUE_HEADS.slice(0, -1), await queueRows(toDiscuss.items, session, r, { status: false }), { class: 'to-discuss' })
      : empty('Every site blocked during class in this range has a request or a decision.'));

  view.append(el('h3', {}, 'Decisions made'), decisions.length
    ? table('Decisions made', ['Site', 'Decision', 'By', 'When', 'Reason'], decisions.map((h) => [
      link(domainHref(h.domain), h.domain), `${ACTION_TEXT[h.action]} ${forWhom(h)}`.trim()
        + (h.alternative ? `: ${h.alternative}` : ''), h.actor, time(h.time), val(h.reason ?? h.note)]), { class: 'decisions' })
    : empty('No decisions in this range.'));

  view.append(el('h3', {}, 'Requests waiting for IT'), open.length
    ? table('Requests waiting for IT', ['Site', 'Asked by', 'Asked on', 'Waiting', 'Reason', 'For'], open.map((o) => [
      link(domainHref(o.domain), o.domain), `${o.req.actor} (${o.req.role})`, time(o.req.time),
      waitedText(o.waiting), val(o.req.reason ?? o.req.note),
      o.req.sections?.length ? sectionsText(o.req.sections) : 'the whole school']), { class: 'open-requests' })
    : empty('No request is waiting for IT.'));

  view.append(el('h3', {}, 'Top sites blocked during class'), top.items.length
    ? table('Top sites blocked during class', ['Site', 'Sections', 'Attempts during class', 'Rooms'],
      top.items.map((d) => [d.domain, d.sections, d.attempts, d.rooms]), { class: 'top-domains' })
    : empty('No blocks during class in this range. Choose another month or term above.'));
  view.append(el('p', { class: 'muted printed' }, `Printed from Bellwatch on ${time(new Date().toISOString())} (${r.zone}).`));
}

