// The alert queue: open alerts grouped into incidents (one entry on one camera, consecutive),
// each with its review state and the actions of two-person verification.
import { $, el, when, badge, viewState } from './dom.js';
import { scoreContext, captureContext } from './score.js';

const GAP_MS = 5 * 60 * 1000; // a new incident after 5 minutes without an alert of the pair
const REASONS = [['false-match', 'False match'], ['poor-image', 'Poor image'],
  ['out-of-scope', 'Out of scope'], ['other', 'Other']];

let api;
let me;
let needed = 2;
const alerts = new Map(); // id -> alert (open ones, and closed ones until the next reload)
const errors = new Map(); // incident key -> the last action's error, kept across re-renders
const drafts = new Map(); // incident key -> { note, reason } being typed, kept across re-renders

export function initQueue(theApi, session) {
  api = theApi;
  me = session;
}

export async function loadQueue() {
  const line = $('#queue-state');
  viewState(line, 'loading');
  try {
    const data = await api.get('/queue?limit=500');
    needed = data.confirmations;
    alerts.clear();
    data.alerts.forEach((a) => alerts.set(a.id, a));
    viewState(line, 'ok');
    render();
  } catch (e) {
    viewState(line, 'error', e.message, loadQueue);
    $('#queue-list').replaceChildren();
  }
  loadStats();
}

async function loadStats() {
  try {
    const s = await api.get('/oversight/stats?days=14');
    $('#queue-stats').replaceChildren(...s.days.map((d) => el('tr', { 'data-day': d.day },
      el('td', {}, d.day), el('td', {}, d.alerts), el('td', {}, d.verified),
      el('td', { class: d.falseMatches ? 'warn' : null }, d.falseMatches),
      el('td', {}, d.otherRejections), el('td', {}, d.open),
      el('td', { class: 'muted' }, d.expectedFalseAlarms === undefined ? 'not reported' : d.expectedFalseAlarms))));
  } catch (e) {
    $('#queue-stats').replaceChildren(el('tr', {}, el('td', { colspan: '7', class: 'error' }, e.message)));
  }
}

// A live `alert` event: a new pending alert.
export function queueAlert(a) {
  if (!a.state) a.state = 'pending';
  alerts.set(a.id, a);
  render();
}

// A live `review` event: someone confirmed or rejected an alert.
export function queueReview(r) {
  const a = alerts.get(r.alertId);
  if (!a) return;
  a.state = r.state;
  a.review = r;
  render();
}

// Open alerts grouped: same entry, same camera, no more than GAP_MS between consecutive ones.
function incidents() {
  const sorted = [...alerts.values()].sort((x, y) => Date.parse(x.captureTime) - Date.parse(y.captureTime));
  const open = new Map();
  const out = [];
  for (const a of sorted) {
    const key = `${a.entryId}|${a.site}/${a.device}`;
    const cur = open.get(key);
    if (cur && Date.parse(a.captureTime) - Date.parse(cur.last.captureTime) <= GAP_MS) {
      cur.alerts.push(a);
      cur.last = a;
    } else {
      const inc = { key: `${key}|${a.id}`, alerts: [a], first: a, last: a };
      open.set(key, inc);
      out.push(inc);
    }
  }
  return out.sort((x, y) => rank(x) - rank(y) || Date.parse(y.last.matchTime) - Date.parse(x.last.matchTime));
}

function state(inc) {
  const states = inc.alerts.map((a) => a.state || 'pending');
  if (states.includes('pending')) return 'pending';
  if (states.includes('confirmed')) return 'confirmed';
  return states.includes('verified') ? 'verified' : 'rejected';
}

function rank(inc) {
  return { pending: 0, confirmed: 1, verified: 2, rejected: 3 }[state(inc)];
}

function render() {
  const list = incidents();
  const open = list.filter((i) => rank(i) < 2).length;
  $('#queue-rule').textContent = `${open} open incident(s). An alert is verified, and only then sent`
    + ` to the action systems, when ${needed} different person(s) confirmed it; one rejection closes it.`;
  if (!list.length && $('#queue-state').hidden) viewState($('#queue-state'), 'empty', 'No open alerts.');
  const openDetails = new Set([...document.querySelectorAll('#queue-list details[open]')].map((d) => d.dataset.key));
  // Live events re-render the list: keep the field being typed in focused, caret and all.
  const active = document.activeElement;
  const focus = active && active.closest && active.closest('#queue-list details')
    ? { key: active.closest('details').dataset.key, name: active.name, at: active.selectionStart }
    : null;
  $('#queue-list').replaceChildren(...list.map((i) => incident(i, openDetails.has(i.key))));
  if (focus && focus.name) {
    const again = document.querySelector(`#queue-list details[data-key="${CSS.escape(focus.key)}"] [name="${focus.name}"]`);
    if (again) {
      again.focus();
      if (typeof focus.at === 'number' && again.setSelectionRange) again.setSelectionRange(focus.at, focus.at);
    }
  }
}

function stateLabel(s, review) {
  if (s === 'confirmed') return `confirmed by ${review ? review.confirmations : 1} of ${needed}`;
  return s;
}

function incident(inc, expanded) {
  const last = inc.last;
  const s = state(inc);
  const review = last.review;
  const title = el('span', { class: 'who' }, last.label || last.entryId);
  const summary = el('summary', {},
    title, ' ',
    badge(stateLabel(s, review), `state-${s}`), ' ',
    inc.alerts.length > 1 ? badge(`×${inc.alerts.length}`, 'count') : null, ' ',
    inc.alerts.some((a) => a.firstMatch) ? badge('first match of this entry', 'first') : null, ' ',
    el('span', { class: 'muted' }, `${last.site}/${last.device} · ${when(inc.first.captureTime)}`
      + (inc.alerts.length > 1 ? ` – ${when(last.captureTime)}` : '')),
    ' ', scoreContext(last, true));
  const details = el('details', { 'data-key': inc.key, open: expanded },
    summary,
    el('div', { class: 'incident-body' },
      el('p', {}, `Entry ${last.entryId}; ${inc.alerts.length} alert(s), first seen ${when(inc.first.captureTime)},`
        + ` last seen ${when(last.captureTime)}.`),
      el('ul', { class: 'alerts' }, ...inc.alerts.slice().reverse().map(alertItem)),
      reviews(inc),
      actions(inc, s)));
  return el('li', {
    class: `incident inc-${s}`,
    'data-incident': `${last.entryId}/${last.site}/${last.device}`,
    'data-state': s,
  }, details);
}

function alertItem(a) {
  return el('li', { 'data-queue-alert': a.id },
    el('div', {}, scoreContext(a, false)),
    el('div', {}, captureContext(a)),
    a.playbackUrl
      ? el('a', { href: a.playbackUrl, target: '_blank', rel: 'noopener noreferrer' }, 'View at capture time')
      : null);
}

function reviews(inc) {
  const items = inc.alerts.flatMap((a) => (a.review ? a.review.reviews : []).map((r) => el('li', {},
    `${r.person} ${r.decision === 'confirm' ? 'confirmed' : `rejected (${r.reason})`} at ${when(r.time)}`,
    r.note ? ` — “${r.note}”` : '')));
  return items.length ? el('ul', { class: 'reviews', 'aria-label': 'Reviews' }, ...items) : null;
}

function actions(inc, s) {
  if (me.role === 'viewer') return el('p', { class: 'muted' }, 'Viewers cannot confirm or reject.');
  if (s === 'verified' || s === 'rejected') return null;
  const error = el('p', { class: 'error action-error', role: 'alert' }, errors.get(inc.key) || '');
  const note = el('input', { name: 'note', maxlength: '1000', size: '30' });
  const reason = el('select', { name: 'reason' }, ...REASONS.map(([v, t]) => el('option', { value: v }, t)));
  const draft = drafts.get(inc.key) || { note: '', reason: REASONS[0][0] };
  note.value = draft.note;
  reason.value = draft.reason;
  const keep = () => drafts.set(inc.key, { note: note.value, reason: reason.value });
  note.addEventListener('input', keep);
  reason.addEventListener('change', keep);
  const mine = inc.alerts.every((a) => a.review && a.review.reviews.some(
    (r) => r.decision === 'confirm' && r.person.toLowerCase() === me.person.toLowerCase()));
  const run = async (path, body, button) => {
    button.disabled = true;
    errors.delete(inc.key);
    error.textContent = '';
    // Each open alert of the incident on its own: one refusal (say, already confirmed by you)
    // does not stop the others.
    const open = inc.alerts.filter((a) => a.state === 'pending' || a.state === 'confirmed');
    const failed = [];
    for (const a of open) {
      try {
        queueReview(await api.post(`/alerts/${encodeURIComponent(a.id)}/${path}`, body()));
      } catch (e) {
        failed.push(e.message);
      }
    }
    if (failed.length < open.length) drafts.delete(inc.key);
    if (failed.length) {
      errors.set(inc.key, open.length > 1 ? `${failed.length} of ${open.length} refused: ${failed[0]}` : failed[0]);
      render();
    }
  };
  const confirmButton = el('button', { type: 'button', class: 'confirm' }, 'Confirm match');
  confirmButton.addEventListener('click', () => run('confirm', () => ({ note: note.value }), confirmButton));
  const rejectButton = el('button', { type: 'button', class: 'reject' }, 'Reject');
  rejectButton.addEventListener('click', () => run('reject', () => ({ reason: reason.value, note: note.value }), rejectButton));
  return el('div', { class: 'actions' },
    mine ? el('p', { class: 'muted' }, `You confirmed this; it needs ${needed} different persons.`) : null,
    el('label', {}, 'Note ', note),
    confirmButton,
    el('label', {}, 'Reason ', reason),
    rejectButton,
    error);
}
