import { $, el, when, badge, td, showError, viewState } from './dom.js';
import { suggest } from './suggest.js';

let api;
let filter = {};
let next = null;
let total = 0;

export function initAlerts(theApi) {
  api = theApi;
  $('#alerts-filter').addEventListener('submit', (e) => { e.preventDefault(); loadAlerts(); });
  $('#alerts-more').addEventListener('click', () => page(false));
  $('#alerts-export').addEventListener('click', exportCsv);
}

function readFilter() {
  const f = new FormData($('#alerts-filter'));
  const q = {};
  for (const k of ['site', 'device', 'entry']) if (f.get(k)) q[k] = f.get(k).trim();
  for (const k of ['from', 'to']) if (f.get(k)) q[k] = new Date(f.get(k)).toISOString();
  return q;
}

export async function loadAlerts() {
  filter = readFilter();
  $('#alerts-body').replaceChildren();
  next = null;
  await page(true);
}

async function page(first) {
  const q = new URLSearchParams({ ...filter, limit: '50' });
  if (!first && next) q.set('cursor', next);
  if (first) viewState($('#alerts-state'), 'loading');
  try {
    const data = await api.get(`/alerts?${q}`);
    showError($('#alerts-filter'), $('#alerts-error'), null);
    viewState($('#alerts-state'), data.total ? 'ok' : 'empty', 'No alerts match these filters.');
    $('#alerts-body').append(...data.alerts.map((a) => row(a, false)));
    suggest('dl-sites', data.alerts.map((a) => a.site));
    suggest('dl-devices', data.alerts.map((a) => a.device));
    suggest('dl-entries', data.alerts.map((a) => a.entryId));
    next = data.next;
    total = data.total;
    updateTotal();
    $('#alerts-more').hidden = !next;
  } catch (e) {
    showError($('#alerts-filter'), $('#alerts-error'), e);
    viewState($('#alerts-state'), 'error', e.message, () => page(first));
  }
}

function updateTotal() {
  $('#alerts-total').textContent = `(${total})`;
}

function matches(a) {
  return (!filter.site || a.site === filter.site)
    && (!filter.device || a.device === filter.device)
    && (!filter.entry || a.entryId === filter.entry)
    && (!filter.from || new Date(a.matchTime) >= new Date(filter.from))
    && (!filter.to || new Date(a.matchTime) < new Date(filter.to));
}

// A live `alert` event: shown on top when it passes the current filter.
export function alertArrived(a) {
  if (!matches(a) || document.querySelector(`[data-alert-id="${CSS.escape(a.id)}"]`)) return;
  $('#alerts-body').prepend(row(a, true));
  total += 1;
  updateTotal();
  viewState($('#alerts-state'), 'ok');
}

// A live `review` event: the alert's state changed.
export function alertReviewed(r) {
  const cell = document.querySelector(`[data-alert-id="${CSS.escape(r.alertId)}"] [data-label="State"]`);
  if (cell) cell.replaceChildren(badge(r.state, `state-${r.state}`));
}

function row(a, fresh) {
  return el('tr', { 'data-alert-id': a.id, class: fresh ? 'fresh' : null },
    td('Captured', captureTime(a)),
    td('Person', a.label),
    td('Entry', a.entryId),
    td('Score', `${a.score.toFixed(3)} / ${a.threshold.toFixed(3)}`),
    td('State', badge(a.state || 'pending', `state-${a.state || 'pending'}`)),
    td('Site', a.site),
    td('Device', a.device),
    td('Seq', a.sequence));
}

// Capture time first (what the camera saw when); the match time only when the alert came late.
function captureTime(a) {
  const delay = Date.parse(a.matchTime) - Date.parse(a.captureTime);
  return delay > 60000
    ? [when(a.captureTime), el('span', { class: 'late' }, ` (sent late: matched ${when(a.matchTime)})`)]
    : when(a.captureTime);
}

async function exportCsv() {
  try {
    const blob = await api.get(`/alerts/export?${new URLSearchParams({ ...readFilter(), format: 'csv' })}`);
    const link = el('a', { href: URL.createObjectURL(blob), download: 'edgecam-alerts.csv' });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (e) {
    showError($('#alerts-filter'), $('#alerts-error'), e);
  }
}
