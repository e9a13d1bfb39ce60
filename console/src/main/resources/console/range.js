// Time navigation: which day, week, month or term a page shows, kept in the URL hash (span=, at=, term=)
// so a link or a reload shows the same range. Ranges are calendar ranges in the site's time zone: a day
// starts at local midnight. Terms are OneRoster academic sessions (GET /api/v1/site `terms`); "latest
// with data" is the range holding the last stored block (`data.last`).

import { el, localDate, localMidnight } from './dom.js';

export const SPANS = ['day', 'week', 'month', 'term'];
const DAY_MS = 86400000;
const SPAN_WORDS = { day: 'Day', week: 'Week', month: 'Month', term: 'Term' };
const TERM_TYPES = { schoolYear: 'school year', semester: 'semester', term: 'term', gradingPeriod: 'grading period' };

/** A calendar date as a UTC midnight Date (no zone arithmetic on it, only on the instants below). */
function civil(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
const isoOf = (c) => c.toISOString().slice(0, 10);
const plusDays = (c, n) => new Date(c.getTime() + n * DAY_MS);
const weekdayOf = (c) => ((c.getUTCDay() + 6) % 7) + 1; // 1 = Monday
const instantOf = (c) => localMidnight(c.getUTCFullYear(), c.getUTCMonth() + 1, c.getUTCDate());
const validIso = (s) => /^\d{4}-\d{2}-\d{2}$/.test(s || '') && !Number.isNaN(civil(s).getTime());

/** The site-local date of an instant, as YYYY-MM-DD. */
export function localIso(date) {
  const [y, m, d] = localDate(date);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The date "latest with data" points at: the last stored block's day, else today. */
export function latestIso(site) {
  const last = site.data?.last;
  return localIso(last ? new Date(last) : new Date());
}

function fmt(options) {
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', ...options });
}
const F_DAY = fmt({ weekday: 'short', month: 'short', day: 'numeric' });
const F_DATE = fmt({ month: 'short', day: 'numeric', year: 'numeric' });
const F_LONG = fmt({ weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' });
const F_MONTH = fmt({ month: 'long', year: 'numeric' });

function termsOf(site) {
  return (site.terms || []).filter((t) => validIso(t.start) && validIso(t.end));
}

/** The term named by id, else the shortest term holding the date (a grading period before its year). */
function termFor(site, id, atIso) {
  const terms = termsOf(site);
  const named = terms.find((t) => t.id === id);
  if (named) return named;
  const holding = terms.filter((t) => t.start <= atIso && atIso <= t.end);
  holding.sort((a, b) => (civil(a.end) - civil(a.start)) - (civil(b.end) - civil(b.start)));
  if (holding.length) return holding[0];
  const before = terms.filter((t) => t.start <= atIso);
  return before.length ? before[before.length - 1] : terms[0] || null;
}

/**
 * The range a page shows, from the hash parameters and the page's default span. Returns
 * {span, at, term, start, end (civil, end exclusive), startIso, endIso, from, to (instants), days, lastIso
 * (the last day that is not in the future), title, label, zone}.
 */
export function rangeFrom(params, site, defaultSpan, allowed = SPANS) {
  let span = params.get('span');
  if (!allowed.includes(span)) span = defaultSpan;
  const at = validIso(params.get('at')) ? params.get('at') : latestIso(site);
  let term = null;
  if (span === 'term') {
    term = termFor(site, params.get('term'), at);
    if (!term) span = allowed.includes('month') ? 'month' : 'week';
  }
  const a = civil(at);
  let start;
  let end;
  if (span === 'day') {
    start = a;
    end = plusDays(a, 1);
  } else if (span === 'week') {
    start = plusDays(a, 1 - weekdayOf(a));
    end = plusDays(start, 7);
  } else if (span === 'month') {
    start = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), 1));
    end = new Date(Date.UTC(a.getUTCFullYear(), a.getUTCMonth() + 1, 1));
  } else {
    start = civil(term.start);
    end = plusDays(civil(term.end), 1);
  }
  const days = [];
  for (let c = start; c < end; c = plusDays(c, 1)) days.push(isoOf(c));
  // Days after both today and the last stored block are the future: nothing to chart there.
  const today = localIso(new Date());
  const lastIso = latestIso(site) > today ? latestIso(site) : today;
  const r = {
    span, at, term, start, end, startIso: isoOf(start), endIso: isoOf(end), days, lastIso,
    from: instantOf(start), to: instantOf(end), zone: site.timezone,
  };
  r.title = title(r);
  r.label = `${r.title}, ${r.zone}`;
  return r;
}

/** The range in words, without the zone: "Week of Mon, Sep 14 – Fri, Sep 18, 2026". */
function title(r) {
  const last = plusDays(r.end, -1);
  let text;
  if (r.span === 'day') text = F_LONG.format(r.start);
  else if (r.span === 'week') {
    const friday = plusDays(r.start, 4);
    text = `Week of ${F_DAY.format(r.start)} – ${F_DAY.format(friday)}, ${friday.getUTCFullYear()}`;
  } else if (r.span === 'month') text = F_MONTH.format(r.start);
  else {
    // The session's type only when its title does not already say it ("Fall 2026 term (term)").
    const type = TERM_TYPES[r.term.type] || r.term.type;
    const named = r.term.title.toLowerCase().includes(String(type).toLowerCase());
    text = `${r.term.title}${named ? '' : ` (${type})`}, ${F_DATE.format(r.start)} – ${F_DATE.format(last)}`;
  }
  return text;
}

/** The previous range of the same span ("the week before"), for comparisons. */
export function previousNoun(r) {
  return { day: 'the school day before', week: 'the week before', month: 'the month before', term: 'the same length before' }[r.span];
}

/** The `at` of the range before (-1) or after (+1) this one; days skip weekends. */
function step(r, dir, site) {
  if (r.span === 'day') {
    let c = plusDays(r.start, dir);
    while (weekdayOf(c) > 5) c = plusDays(c, dir);
    return { at: isoOf(c) };
  }
  if (r.span === 'week') return { at: isoOf(plusDays(r.start, 7 * dir)) };
  if (r.span === 'month') {
    return { at: isoOf(new Date(Date.UTC(r.start.getUTCFullYear(), r.start.getUTCMonth() + dir, 1))) };
  }
  const same = termsOf(site).filter((t) => t.type === r.term.type);
  const i = same.findIndex((t) => t.id === r.term.id);
  const next = same[i + dir];
  return next ? { at: next.start, term: next.id } : null;
}

/**
 * The navigation bar: span links, previous / next, latest with data, a date to jump to, and the range
 * shown. `base` is the page's hash path (e.g. "#/overview"); other hash parameters are kept.
 */
export function rangeNav(r, site, base, params, allowed = SPANS) {
  const href = (change) => {
    const q = new URLSearchParams(params);
    q.delete('term');
    for (const [k, v] of Object.entries(change)) if (v) q.set(k, v); else q.delete(k);
    return `${base}?${q}`;
  };
  const spans = allowed.filter((s) => s !== 'term' || termsOf(site).length)
    .map((s) => el('li', {}, el('a', { href: href({ span: s, at: r.at }), 'aria-current': s === r.span ? 'true' : null }, SPAN_WORDS[s])));
  const word = r.span === 'term' ? 'term' : r.span;
  const prev = step(r, -1, site);
  const next = step(r, 1, site);
  const move = (s, text, rel) => (s
    ? el('a', { href: href({ span: r.span, ...s }), rel, class: 'step' }, text)
    : el('span', { class: 'step muted' }, text));
  const jump = el('input', { type: 'date', id: 'range-date', value: r.at });
  jump.addEventListener('change', () => { if (validIso(jump.value)) location.hash = href({ span: r.span, at: jump.value }); });
  const latest = latestIso(site);
  return el('nav', { class: 'range no-print', 'aria-label': 'Time range' },
    el('ul', { class: 'spans' }, spans),
    el('p', { class: 'steps' },
      move(prev, `‹ Previous ${word}`, 'prev'), ' ', move(next, `Next ${word} ›`, 'next'), ' ',
      el('a', { href: href({ span: r.span, at: latest }), class: 'step', id: 'range-latest' }, 'Latest with data'), ' ',
      el('label', { for: 'range-date', class: 'inline' }, 'Go to date'), jump));
}

/** The sentence every page shows: which range it is about. */
export function rangeCaption(r) {
  return el('p', { class: 'range-label', id: 'range-label' }, `Showing: ${r.label}`);
}

/** from/to query parameters of a range for the API. */
export function apiRange(r) {
  return { from: r.from.toISOString(), to: r.to.toISOString() };
}
