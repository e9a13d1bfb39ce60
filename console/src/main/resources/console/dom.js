// DOM helpers. Every value shown comes from the network (domain names, DHCP host names, user names)
// and is attacker-controlled, so it is only ever inserted as text (textContent, createTextNode),
// never as HTML. The CSP's Trusted Types rule makes any HTML sink throw.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const muted = (s) => el('span', { class: 'muted', text: s });

/** A cell value: the text, or a muted dash for unknown. */
export function val(v) {
  return v === null || v === undefined || v === '' ? muted('—') : String(v);
}

export function link(href, text) {
  return el('a', { href }, text);
}

export const domainHref = (d) => `#/domain/${encodeURIComponent(d)}`;
export const sectionHref = (s) => `#/section/${encodeURIComponent(s)}`;

let zone = 'UTC';
export function setZone(z) { zone = z; }

// Making an Intl.DateTimeFormat costs far more than formatting with one (about a millisecond with a time
// zone): a 1,000-row table made one per cell took most of a second. One formatter per locale, options and zone.
const formatters = new Map();
function formatter(locale, options) {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { timeZone: zone, ...options });
    formatters.set(key, f);
  }
  return f;
}
export function siteZone() { return zone; }

export function time(iso) {
  if (!iso) return '—';
  return formatter(undefined, {
    weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  }).format(new Date(iso));
}

export function day(isoDay) {
  const [y, m, d] = isoDay.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', weekday: 'short', month: 'short', day: 'numeric' })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** The site-local calendar date of an instant: [year, month, day, weekday 1=Monday..7]. */
export function localDate(date) {
  const parts = formatter('en-US', {
    year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'short',
  }).formatToParts(date);
  const get = (t) => parts.find((p) => p.type === t).value;
  const wd = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return [Number(get('year')), Number(get('month')), Number(get('day')), wd];
}

function offsetMs(utcMs) {
  const p = formatter('en-US', {
    hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(new Date(utcMs));
  const g = (t) => Number(p.find((x) => x.type === t).value);
  return Date.UTC(g('year'), g('month') - 1, g('day'), g('hour'), g('minute'), g('second')) - utcMs;
}

/** The instant of site-local midnight on a date (DST-safe to within the transition hour). */
export function localMidnight(y, m, d) {
  const guess = Date.UTC(y, m - 1, d);
  let t = guess - offsetMs(guess);
  t = guess - offsetMs(t);
  return new Date(t);
}

/** A table with a caption and header row; rows are arrays of cell contents (text or nodes). */
export function table(caption, headers, rows, opts = {}) {
  const thead = el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h))));
  const tbody = el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c, i) =>
    el(i === 0 && opts.rowHeader ? 'th' : 'td', { 'data-label': headers[i], scope: i === 0 && opts.rowHeader ? 'row' : null }, c)))));
  return el('table', { class: opts.class }, el('caption', { class: opts.showCaption ? '' : 'visually-hidden' }, caption), thead, tbody);
}

export function empty(message) {
  return el('p', { class: 'empty' }, message);
}

/** A page's title (focused after each render) and an optional line under it. */
export function heading(text, sub) {
  const h = el('h2', { id: 'page-title', tabindex: '-1' }, text);
  return sub ? [h, el('p', { class: 'muted' }, sub)] : [h];
}

/** A figure: label, big number, optional note. */
export function card(label, value, note) {
  return el('div', { class: 'card stat' }, el('p', { class: 'stat-label' }, label), el('p', { class: 'stat-value' }, String(value)),
    note ? el('p', { class: 'muted' }, note) : null);
}

/** Change against the previous range of the same length, in words. */
export function pct(cur, prev, what = 'the period before') {
  if (!prev) return cur ? `none in ${what}` : `none in ${what} either`;
  const p = Math.round(((cur - prev) / prev) * 100);
  return p === 0 ? `same as ${what} (${prev})` : `${p > 0 ? '+' : ''}${p}% against ${what} (${prev})`;
}

/** A name shown as a person or class reads it, with the id (what exports carry) in the tooltip. */
export function named(name, id) {
  if (!id) return val(null);
  return el('span', { title: id }, name || id);
}

/** Status text that also goes to the page's live region. */
export function statusLine(id) {
  return el('p', { id, role: 'status', 'aria-live': 'polite' });
}
