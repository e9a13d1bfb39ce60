// The page of one blocked site and its unblock loop: the evidence (how often, in which classes and rooms,
// each attempt's chain), a request (coordinators, admins, teachers for their own sections), IT's decision
// (admins), the filter change to apply after an unblock, whether blocks during class stopped, and the
// history of every step.

import { get, send, query, HttpError } from './api.js';
import {
  el, val, table, empty, time, day, sectionHref, heading, card, named, statusLine,
} from './dom.js';
import { rangeFrom, rangeNav, rangeCaption, apiRange, localIso } from './range.js';
import { trendChart, whyNoClass, blockRow, BLOCK_HEADS, seesBlocks, teachingSelect } from './pages.js';
import { STATUS_TEXT, ACTION_TEXT, historyList, reviewSections } from './reviews.js';
import { remember, loadSections, sectionTitle, sectionsText, isOwn } from './labels.js';

const REQUESTERS = ['coordinator', 'admin', 'teacher'];
const UNBLOCKING = ['unblocked', 'time_limited'];

const notFound = (e) => {
  if (e instanceof HttpError && e.status === 404) return null;
  throw e;
};

export async function domain(view, session, params, name) {
  const site = session.site;
  const r = rangeFrom(params, site, 'term');
  const rerender = () => { view.replaceChildren(); return domain(view, session, params, name); };
  const path = `/api/v1/reviews/${encodeURIComponent(name)}`;
  view.append(...heading(name, 'Blocked site: how often it was blocked during class, in which classes, what was asked and decided.'));
  view.append(rangeNav(r, site, `#/domain/${encodeURIComponent(name)}`, params), rangeCaption(r));
  const [detail, review] = await Promise.all([
    get(`/api/v1/domains/${encodeURIComponent(name)}${query(apiRange(r))}`).catch(notFound),
    get(path).catch(notFound),
  ]);
  const decided = review?.decision ?? null;
  const [impact, changes, chart, teaching] = await Promise.all([
    decided ? get(`${path}/impact`).catch(notFound) : null,
    decided && session.role === 'admin' && UNBLOCKING.includes(decided.action) ? get(`${path}/filter-changes`).catch(notFound) : null,
    detail ? trendChart(r, { domain: name }, `Blocked attempts of ${name}`, { days: detail.days, current: detail.totals }) : null,
    detail ? get(`/api/v1/reports/trend${query({ ...apiRange(r), domain: name, while_teaching: true })}`) : null,
  ]);
  remember(detail?.sections ?? []);
  if (review) await loadSections(reviewSections([review]));

  view.append(el('div', { class: 'cards' },
    card('Blocked during class', detail ? detail.totals.instructional_attempts : 0),
    card('All blocked attempts', detail ? detail.totals.attempts : 0),
    card('Class sections', detail ? detail.totals.sections : 0),
    card('Blocked while teaching', teaching ? teaching.current.attempts : 0, 'the teacher\'s own lesson stopped'),
    card('Review', review ? STATUS_TEXT[review.status] || review.status : 'No request yet',
      review?.expires ? `until ${day(review.expires)}` : null)));
  if (decided) view.append(decisionSummary(decided, review), impact ? impactBlock(impact) : null);

  if (!detail) {
    view.append(empty('No blocked attempts of this site in this range. Choose another range above, or "Latest with data".'));
  } else {
    view.append(el('h3', {}, 'When'), chart || empty('Nothing was blocked in this range.'));
    view.append(el('h3', {}, 'Classes'), detail.sections.length
      ? table(`Sections where ${name} was blocked`, ['Section', 'Teacher', 'Room', 'Students', 'Attempts'],
        detail.sections.map((s) => [el('a', { href: sectionHref(s.section), title: s.section }, s.title || s.course || s.section),
          named(s.teacher_name, s.teacher), val(s.room), s.users, s.attempts]), { class: 'sections' })
      : el('div', { class: 'empty' }, 'No class section was in session for these attempts.',
        detail.totals.instructional_attempts > 0 ? await whyNoClass(name, session, r) : null));
    view.append(el('h3', {}, 'Rooms'), detail.rooms.length
      ? table(`Rooms where ${name} was blocked`, ['Room', 'Attempts', 'During class'],
        detail.rooms.map((x) => [val(x.value), x.attempts, x.instructional_attempts]), { class: 'rooms' })
      : empty('No room is known for these attempts.'));
  }

  view.append(el('h3', { id: 'review' }, 'Requests and decisions'),
    review ? historyList(review) : empty('Nobody has asked IT to unblock this site yet.'));
  const sections = sectionChoices(detail, review);
  // While an unblock is in force there is nothing to ask for; after "no", an expiry or while IT has
  // not answered, another request (e.g. for other classes) may be filed.
  if (REQUESTERS.includes(session.role) && !(review && UNBLOCKING.includes(review.status))) {
    const form = requestForm(name, sections, rerender);
    view.append(review ? el('details', { class: 'again' }, el('summary', {}, 'Ask again (other classes, dates or a new reason)'), form) : form);
  }
  if (session.role === 'admin' && review) {
    // A decision in force is changed rarely: its form is folded; a request waiting for IT opens it.
    const form = decisionForm(name, review, sections, rerender);
    view.append(['requested', 'expired'].includes(review.status) ? form
      : el('details', { class: 'again' }, el('summary', {}, 'Change the decision'), form));
  }
  if (changes?.items?.length) view.append(filterChanges(changes.items));

  if (seesBlocks(session) && detail) {
    const only = params.get('while_teaching') || '';
    const data = await get(`/api/v1/blocks${query({ domain: name, limit: 200, while_teaching: only, ...apiRange(r) })}`);
    const filter = teachingSelect(only, 'site-while-teaching');
    filter.addEventListener('change', () => {
      const q = new URLSearchParams(params);
      if (filter.value) q.set('while_teaching', filter.value); else q.delete('while_teaching');
      location.hash = `#/domain/${encodeURIComponent(name)}?${q}`;
    });
    view.append(el('h3', { id: 'attempts' }, 'Attempts and evidence'),
      el('p', { class: 'filters no-print' }, el('label', { for: 'site-while-teaching' }, 'Blocked while teaching'), filter),
      el('p', { class: 'muted', id: 'site-blocks-count' }, `${data.count} of ${data.total} attempts in this range, newest first.`),
      data.blocks.length ? table(`Attempts of ${name}`, BLOCK_HEADS, data.blocks.map(blockRow), { class: 'blocks' })
        : empty('No attempt matches this filter in this range.'));
  }
}

/** Sections to choose from: those blocked in the range, then any a request already named (a teacher's own only). */
function sectionChoices(detail, review) {
  const ids = [...(detail?.sections ?? []).map((s) => s.section)];
  for (const id of review?.request?.sections ?? []) if (!ids.includes(id) && isOwn(id)) ids.push(id);
  return ids;
}

function decisionSummary(d, review) {
  const who = d.scope === 'sections' && d.sections?.length ? `for ${sectionsText(d.sections)}` : 'for everyone';
  const what = {
    unblocked: `Unblocked ${who}${d.until ? ` until ${day(d.until)}` : ''}`,
    time_limited: `Unblocked ${who} until ${d.until ? day(d.until) : '—'}`,
    kept_blocked: 'Kept blocked',
    alternative: `Kept blocked; alternative offered: ${d.alternative ?? ''}`,
  }[d.action] || ACTION_TEXT[d.action] || d.action;
  return el('div', { class: 'card decision', id: 'decision-summary' },
    el('p', { class: 'stat-label' }, `IT's decision (${d.actor}, ${time(d.time)})${review.status === 'expired' ? ': expired' : ''}`),
    el('p', { class: 'decision-what' }, what),
    el('p', {}, `Reason: ${d.reason ?? d.note ?? ''}`));
}

/** Whether blocks during class stopped: the same number of school days before and after the decision. */
function impactBlock(imp) {
  const b = imp.before;
  const a = imp.after;
  let verdict;
  if (a.school_days === 0) verdict = 'No school day has passed since the decision yet.';
  else if (a.instructional_attempts === 0) {
    verdict = `No blocks during class in the ${a.school_days} school days since the decision (${b.instructional_attempts} in the ${b.school_days} before).`;
  } else {
    verdict = `Still blocked during class: ${a.instructional_attempts} times in the ${a.school_days} school days since the decision, against ${b.instructional_attempts} in the ${b.school_days} before.`;
  }
  return el('section', { class: 'impact', 'aria-labelledby': 'impact-title' },
    el('h3', { id: 'impact-title' }, 'Before and after the decision'),
    el('p', { class: 'verdict' }, verdict),
    table('Blocked attempts before and after the decision', ['', 'From', 'To (inclusive)', 'School days', 'During class', 'All'],
      [['Before', b], ['After', a]].map(([label, x]) => [label, day(localIso(new Date(x.from))),
        Date.parse(x.to) > Date.parse(x.from) ? day(localIso(new Date(Date.parse(x.to) - 1))) : val(null),
        x.school_days, x.instructional_attempts, x.attempts]), { class: 'compact impact-table', rowHeader: true }));
}

function checkboxes(name, ids, checked, idPrefix) {
  return ids.map((id, i) => el('label', { class: 'check', for: `${idPrefix}-${i}`, title: id },
    el('input', { type: 'checkbox', name, value: id, id: `${idPrefix}-${i}`, checked: checked.includes(id) }), ` ${sectionTitle(id)}`));
}

function field(id, label, input, hint) {
  return el('p', {}, el('label', { for: id }, label), hint ? el('span', { class: 'hint', id: `${id}-hint` }, hint) : null, input);
}

const checkedValues = (form, name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((i) => i.value);

function requestForm(domain, sections, rerender) {
  const reason = el('textarea', { id: 'req-reason', name: 'reason', required: true, rows: 3, maxlength: 2000 });
  const prefix = el('input', { id: 'req-prefix', name: 'url_prefix', type: 'url', placeholder: `https://${domain}/…`, 'aria-describedby': 'req-prefix-hint' });
  const from = el('input', { id: 'req-from', name: 'need_from', type: 'date' });
  const until = el('input', { id: 'req-until', name: 'need_until', type: 'date' });
  const status = statusLine('req-status');
  const form = el('form', { class: 'card', id: 'request-form', 'aria-labelledby': 'req-title' },
    el('h4', { id: 'req-title' }, 'Ask IT to unblock'),
    field('req-reason', 'What is it needed for? (required)', reason),
    field('req-prefix', 'Only this address (optional)', prefix, `Leave empty for all of ${domain}.`),
    sections.length ? el('fieldset', {}, el('legend', {}, 'For which classes'), checkboxes('sections', sections, [], 'req-sec')) : null,
    el('fieldset', { class: 'inline-fields' }, el('legend', {}, 'When is it needed (optional)'),
      field('req-from', 'From', from), field('req-until', 'Until', until)),
    el('p', {}, el('button', { type: 'submit' }, 'Ask IT to unblock')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      await send('POST', `/api/v1/reviews/${encodeURIComponent(domain)}/request`, {
        reason: reason.value, url_prefix: prefix.value || null, sections: checkedValues(form, 'sections'),
        need_from: from.value || null, need_until: until.value || null,
      });
      await rerender();
    } catch (err) { status.textContent = `Not sent: ${err.message}`; }
  });
  return form;
}

function decisionForm(domain, review, sections, rerender) {
  const asked = review.request?.sections ?? [];
  const decision = el('select', { id: 'dec-decision', name: 'decision' },
    el('option', { value: 'unblocked' }, 'Unblock'), el('option', { value: 'time_limited' }, 'Unblock until a date'),
    el('option', { value: 'kept_blocked' }, 'Keep blocked'), el('option', { value: 'alternative' }, 'Keep blocked and offer an alternative'));
  const reason = el('textarea', { id: 'dec-reason', name: 'reason', required: true, rows: 2, maxlength: 2000 });
  const everyone = el('input', { type: 'radio', name: 'scope', value: 'everyone', id: 'dec-scope-everyone', checked: asked.length === 0 });
  const some = el('input', { type: 'radio', name: 'scope', value: 'sections', id: 'dec-scope-sections', checked: asked.length > 0 });
  const scope = el('fieldset', { id: 'dec-scope' }, el('legend', {}, 'For whom'),
    el('label', { class: 'check', for: 'dec-scope-everyone' }, everyone, ' Everyone'),
    el('label', { class: 'check', for: 'dec-scope-sections' }, some, ' Only these classes (their rooms, during their periods):'),
    el('div', { class: 'choices' }, checkboxes('dec-sections', sections, asked, 'dec-sec')));
  const until = el('input', { id: 'dec-until', name: 'until', type: 'date' });
  const untilP = field('dec-until', 'Until (inclusive)', until);
  const alt = el('input', { id: 'dec-alt', name: 'alternative', maxlength: 500 });
  const altP = field('dec-alt', 'Alternative (a site or tool to use instead)', alt);
  const status = statusLine('dec-status');
  const show = () => {
    const v = decision.value;
    scope.hidden = !UNBLOCKING.includes(v);
    untilP.hidden = !UNBLOCKING.includes(v);
    until.required = v === 'time_limited';
    altP.hidden = v !== 'alternative';
    alt.required = v === 'alternative';
  };
  decision.addEventListener('change', show);
  show();
  const form = el('form', { class: 'card', id: 'decision-form', 'aria-labelledby': 'dec-title' },
    el('h4', { id: 'dec-title' }, 'IT\'s decision'),
    field('dec-decision', 'Decision', decision), field('dec-reason', 'Reason (required; the requester reads it)', reason),
    scope, untilP, altP, el('p', {}, el('button', { type: 'submit' }, 'Record the decision')), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = decision.value;
    const body = { decision: v, reason: reason.value };
    if (UNBLOCKING.includes(v)) {
      body.scope = some.checked ? 'sections' : 'everyone';
      if (some.checked) body.sections = checkedValues(form, 'dec-sections');
      if (until.value) body.until = until.value;
    }
    if (v === 'alternative') body.alternative = alt.value;
    try {
      await send('POST', `/api/v1/reviews/${encodeURIComponent(domain)}/decision`, body);
      await rerender();
    } catch (err) { status.textContent = `Not recorded: ${err.message}`; }
  });
  return form;
}

/** The decision as changes to the school's filter, each as text to copy, with how it was checked. */
function filterChanges(items) {
  return el('section', { class: 'filter-changes', 'aria-labelledby': 'changes-title' },
    el('h3', { id: 'changes-title' }, 'Filter changes to apply'),
    el('p', { class: 'muted' }, 'Apply the one for your filter. Each carries the decision\'s scope, expiry and reason as comments.'),
    items.map((s) => {
      const pre = el('pre', { id: `snippet-${s.id}`, tabindex: '0', 'aria-label': s.title }, s.text);
      const out = el('span', { role: 'status', 'aria-live': 'polite', class: 'copied' });
      const button = el('button', { type: 'button', class: 'copy', 'aria-describedby': `snippet-${s.id}-title` }, 'Copy');
      button.addEventListener('click', () => copy(s.text, pre, out));
      return el('div', { class: 'snippet', dataset: { id: s.id } },
        el('h4', { id: `snippet-${s.id}-title` }, s.title), pre,
        el('p', { class: 'toolbar' }, button, out, el('span', { class: 'muted' }, `Checked with: ${s.checked_with}`)));
    }));
}

async function copy(text, pre, out) {
  try {
    await navigator.clipboard.writeText(text);
    out.textContent = 'Copied.';
  } catch (e) {
    // No clipboard permission (an http:// console, or the browser refused): select it for Ctrl+C.
    const range = document.createRange();
    range.selectNodeContents(pre);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    out.textContent = 'Selected: press Ctrl+C to copy.';
  }
}

