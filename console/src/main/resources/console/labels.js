// Names for sections the console knows only by id (in reviews: the sections a request or decision
// named). One request per batch of unknown ids to GET /api/v1/sections?ids=; answers are kept for the
// session. Ids the roster no longer has stay ids. A teacher is told nothing of other teachers' sections
// (the API leaves them out): lists count them instead of showing their ids. Also the names of the block
// methods.

import { get, query } from './api.js';
import { el, muted } from './dom.js';

const known = new Map();
const BATCH = 50;
/** The session's own sections (a teacher's), or null when every section is the caller's. */
let own = null;

export function setOwnSections(ids) {
  own = ids ? new Set(ids) : null;
  known.clear();
}

/** Whether the caller may see this section (and so its name). */
export const isOwn = (id) => !own || own.has(id);

const others = (n) => `${n} ${n === 1 ? 'class' : 'classes'} of other teachers`;

/** Remembers titles the page already has (e.g. a site's sections) so they are not asked for again. */
export function remember(items) {
  for (const s of items) if (s.section && s.title) known.set(s.section, s);
}

/** Loads the labels of these ids (those not known yet). */
export async function loadSections(ids) {
  const missing = [...new Set(ids)].filter((id) => id && !known.has(id));
  for (let i = 0; i < missing.length; i += BATCH) {
    const batch = missing.slice(i, i + BATCH);
    const r = await get(`/api/v1/sections${query({ ids: batch.join(',') })}`);
    for (const s of r.items || []) known.set(s.section, s);
    for (const id of batch) if (!known.has(id)) known.set(id, { section: id, title: null });
  }
}

/** The section's title, else its id. */
export function sectionTitle(id) {
  return known.get(id)?.title || id;
}

/** Sections as one line of text: the titles of those the caller may see, then how many others. */
export function sectionsText(ids) {
  const hidden = ids.filter((id) => !isOwn(id)).length;
  return [...ids.filter(isOwn).map(sectionTitle), ...(hidden ? [others(hidden)] : [])].join(', ');
}

/** A section as text with its id (and teacher) in the tooltip. */
function sectionName(id) {
  const s = known.get(id);
  const tip = [id, s?.teacher_name || s?.teacher].filter(Boolean).join(' · ');
  return el('span', { title: tip }, s?.title || id);
}

/** Sections as names (ids in tooltips) separated by commas, then how many others the caller may not see. */
export function sectionNames(ids) {
  const hidden = ids.filter((id) => !isOwn(id)).length;
  return [...ids.filter(isOwn).map(sectionName), ...(hidden ? [others(hidden)] : [])].flatMap((n, i) => [i ? ', ' : '', n]);
}

/** How each block method reads in the console; the id (as in the API and exports) is the tooltip. */
const METHODS = {
  'proxy-deny': 'Proxy denied',
  'proxy-redirect': 'Proxy redirected to the block page',
  'proxy-dns-block': "DNS filter refused the proxy's lookup",
  'filter-deny': 'Filter denied',
  'dns-sinkhole': 'DNS sinkhole answer',
  'dns-block': 'DNS filter blocked',
  'dns-nxdomain': 'DNS said no such name',
  'app-block': 'Application blocked',
  'firewall-deny': 'Firewall denied',
};

/** A block method as text with its id in the tooltip; an unknown id stays as it is. */
export function methodName(id) {
  if (!id) return muted('—');
  return el('span', { title: id }, METHODS[id] || id);
}

/** How long a request has waited, as a person says it: "asked today", "1 day", "12 days". */
export function waitedText(days) {
  if (days <= 0) return 'asked today';
  return `${days} ${days === 1 ? 'day' : 'days'}`;
}
