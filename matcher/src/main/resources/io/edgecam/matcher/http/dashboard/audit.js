import { $, el, when, td, viewState } from './dom.js';
import { suggest } from './suggest.js';

let api;
let before = null;
let filter = {};

export function initAudit(theApi) {
  api = theApi;
  $('#audit-more').addEventListener('click', () => page());
  $('#audit-filter').addEventListener('submit', (e) => { e.preventDefault(); loadAudit(); });
  $('#audit-verify').addEventListener('click', verify);
  suggest('dl-actions', ['alert.confirm', 'alert.reject', 'alert.match', 'alert.view', 'alert.export',
    'watchlist.create', 'watchlist.delete', 'watchlist.extend', 'watchlist.expire', 'auth.login',
    'auth.login-failed', 'auth.change', 'audit.view', 'config.start', 'retention.purge']);
}

export async function loadAudit() {
  const f = new FormData($('#audit-filter'));
  filter = {};
  for (const k of ['actor', 'action']) if (f.get(k)) filter[k] = f.get(k).trim();
  before = null;
  $('#audit-body').replaceChildren();
  viewState($('#audit-state'), 'loading');
  await page();
}

async function page() {
  const q = new URLSearchParams({ ...filter, limit: '100' });
  if (before) q.set('before', before);
  try {
    const data = await api.get(`/audit?${q}`);
    $('#audit-body').append(...data.records.map((r) =>
      el('tr', { 'data-seq': r.seq },
        td('#', r.seq),
        td('Time', when(r.time)),
        td('Actor', r.actor),
        td('Action', r.action),
        td('Subject', r.subject),
        td('Detail', el('pre', {}, JSON.stringify(r.detail))))));
    suggest('dl-actors', data.records.map((r) => r.actor.replace(/\/tok_[0-9a-f]+$/, '')));
    before = data.next;
    $('#audit-more').hidden = !before;
    if ($('#audit-body').children.length) viewState($('#audit-state'), 'ok');
    else viewState($('#audit-state'), 'empty', 'No audit records match.');
  } catch (e) {
    viewState($('#audit-state'), 'error', e.message, loadAudit);
  }
}

// Runs the chain check on the matcher (hashes, signatures, head checkpoint).
async function verify() {
  const out = $('#audit-verified');
  out.className = 'state';
  out.hidden = false;
  out.textContent = 'Verifying…';
  try {
    const r = await api.post('/audit/verify');
    out.className = r.ok ? 'state ok' : 'state error';
    out.textContent = r.ok
      ? `Chain intact: ${r.records} records verified (hashes, signatures${r.headSeq >= 0 ? `, head checkpoint #${r.headSeq}` : ''}).`
      : `Chain BROKEN at record #${r.problem.seq} (${r.problem.kind}): ${r.problem.message}. ${r.records} records before it are good.`;
  } catch (e) {
    out.className = 'state error';
    out.textContent = `Could not verify: ${e.message}`;
  }
}
