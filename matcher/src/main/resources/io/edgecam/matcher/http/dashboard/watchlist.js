import { $, el, td, badge, showError, viewState } from './dom.js';
import { suggest } from './suggest.js';

const SOON_DAYS = 30;
const DAY_MS = 86400000;

let api;
let canEdit = false;

export function initWatchlist(theApi, role) {
  api = theApi;
  canEdit = role !== 'viewer';
  const form = $('#enroll-form');
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10);
  form.elements.expires.min = tomorrow;
  form.addEventListener('submit', (e) => { e.preventDefault(); enroll(form); });
}

export async function loadWatchlist() {
  viewState($('#watchlist-state'), 'loading');
  try {
    const data = await api.get('/watchlist');
    $('#watchlist-body').replaceChildren(...data.entries.flatMap(rows));
    suggest('dl-entries', data.entries.map((e) => e.id));
    viewState($('#watchlist-state'), data.entries.length ? 'ok' : 'empty', 'The watchlist is empty.');
  } catch (e) {
    // Never an empty list when the matcher did not answer: say so.
    $('#watchlist-body').replaceChildren();
    viewState($('#watchlist-state'), 'error', e.message, loadWatchlist);
  }
}

// An entry stops matching at 00:00 UTC of its expiry date (the CLI and API rule): say the last
// minute it matches, and warn when that is near.
function until(e) {
  const end = Date.parse(e.expiresAt);
  const last = new Date(end - 60000).toISOString().slice(0, 16).replace('T', ' ');
  if (e.expired) return [`${last} UTC `, badge('expired', 'FAILED')];
  const days = Math.ceil((end - Date.now()) / DAY_MS);
  return [`${last} UTC`, days <= SOON_DAYS ? [' ', badge(`expires in ${days} day(s)`, 'DEGRADED')] : null];
}

function rows(e) {
  const actions = el('td');
  const extendRow = el('tr', { hidden: true, 'data-extend': e.id }, el('td', { colspan: '7' }, extendForm(e)));
  actions.dataset.label = 'Actions';
  if (canEdit) {
    actions.append(
      el('button', { type: 'button', onclick: () => { extendRow.hidden = !extendRow.hidden; } }, 'Extend'),
      ' ',
      el('button', { type: 'button', onclick: () => remove(e) }, 'Delete'));
  }
  return [
    el('tr', { 'data-entry': e.id },
      td('Id', e.id),
      td('Label', e.label),
      td('Legal basis', e.legalBasis),
      td('Matches until', until(e)),
      td('Created by', e.createdBy),
      td('Images', e.embeddings),
      actions),
    extendRow,
  ];
}

function extendForm(e) {
  const error = el('span', { class: 'error' });
  const form = el('form', { class: 'extend-form', novalidate: true },
    el('label', {}, 'New legal basis ', el('input', { name: 'legalBasis', required: true, maxlength: '500', size: '40' })),
    el('label', {}, 'New expiry ', el('input', { name: 'expires', type: 'date', required: true })),
    el('button', { type: 'submit' }, 'Extend'),
    error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const problem = missing(form, ['legalBasis', 'expires']);
    if (problem) { showError(form, error, problem); return; }
    try {
      await api.post(`/watchlist/${encodeURIComponent(e.id)}/extend`,
        { legalBasis: form.elements.legalBasis.value, expires: form.elements.expires.value });
      await loadWatchlist();
    } catch (err) {
      showError(form, error, err);
    }
  });
  return form;
}

async function remove(e) {
  if (!confirm(`Delete watchlist entry ${e.id} (${e.label})?`)) return;
  try {
    await api.del(`/watchlist/${encodeURIComponent(e.id)}`);
    await loadWatchlist();
  } catch (err) {
    viewState($('#watchlist-state'), 'error', err.message, loadWatchlist);
  }
}

// Client-side check of required fields (the server checks again and names the field).
function missing(form, names) {
  for (const n of names) {
    const input = form.elements[n];
    const empty = input.type === 'file' ? input.files.length === 0 : !input.value.trim();
    if (empty) return { message: `${labelOf(input)} is required`, field: n };
    if (!input.checkValidity()) return { message: `${labelOf(input)}: ${input.validationMessage}`, field: n };
  }
  return null;
}

function labelOf(input) {
  return input.closest('label').firstChild.textContent.trim();
}

async function enroll(form) {
  const error = $('#enroll-error');
  $('#enroll-ok').textContent = '';
  const problem = missing(form, ['id', 'label', 'legalBasis', 'expires', 'images'])
    || (form.elements.threshold.value && !form.elements.threshold.checkValidity()
      ? { message: 'Threshold must be in (0, 1]', field: 'threshold' } : null);
  if (problem) { showError(form, error, problem); return; }
  showError(form, error, null);
  const button = $('#enroll');
  button.disabled = true;
  button.textContent = 'Enrolling…';
  try {
    const entry = await api.request('POST', '/watchlist', new FormData(form));
    $('#enroll-ok').textContent = `Enrolled ${entry.id} (${entry.embeddings} image(s)), matches until ${until(entry)[0]}`;
    form.reset();
    await loadWatchlist();
  } catch (err) {
    showError(form, error, err);
  } finally {
    button.disabled = false;
    button.textContent = 'Enroll';
  }
}
