// API tokens (admins): list, issue (the secret is shown once), revoke.
import { $, el, when, td, showError, viewState } from './dom.js';
import { suggest } from './suggest.js';

let api;

export function initTokens(theApi) {
  api = theApi;
  $('#token-form').addEventListener('submit', (e) => { e.preventDefault(); issue(e.target); });
}

export async function loadTokens() {
  viewState($('#tokens-state'), 'loading');
  try {
    const data = await api.get('/tokens');
    $('#tokens-body').replaceChildren(...data.tokens.map(row));
    suggest('dl-persons', data.tokens.map((t) => t.person));
    viewState($('#tokens-state'), data.tokens.length ? 'ok' : 'empty', 'No tokens.');
  } catch (e) {
    $('#tokens-body').replaceChildren();
    viewState($('#tokens-state'), 'error', e.message, loadTokens);
  }
}

function row(t) {
  const revoked = t.revokedAt !== null;
  return el('tr', { 'data-token': t.id, class: revoked ? 'revoked' : null },
    td('Id', t.id),
    td('Name', t.name),
    td('Person', t.person),
    td('Role', t.role),
    td('Created', `${when(t.createdAt)} by ${t.createdBy}`),
    td('Expires', t.expiresAt ? when(t.expiresAt) : 'never'),
    td('Last used', when(t.lastUsedAt)),
    td('Actions', revoked ? `revoked ${when(t.revokedAt)}`
      : el('button', { type: 'button', onclick: () => revoke(t) }, `Revoke ${t.name}`)));
}

async function revoke(t) {
  if (!confirm(`Revoke token ${t.id} (${t.name} of ${t.person})? It stops working at once.`)) return;
  try {
    await api.del(`/tokens/${encodeURIComponent(t.id)}`);
    await loadTokens();
  } catch (e) {
    viewState($('#tokens-state'), 'error', e.message, loadTokens);
  }
}

async function issue(form) {
  const error = $('#token-error');
  const out = $('#token-secret');
  out.hidden = true;
  const body = { person: form.elements.person.value.trim(), name: form.elements.name.value.trim(), role: form.elements.role.value };
  if (!body.person) { showError(form, error, { message: 'Person is required', field: 'person' }); return; }
  if (!body.name) { showError(form, error, { message: 'Token name is required', field: 'name' }); return; }
  if (form.elements.expiresInDays.value) body.expiresInDays = Number(form.elements.expiresInDays.value);
  try {
    const issued = await api.post('/tokens', body);
    showError(form, error, null);
    out.replaceChildren(
      el('p', {}, `Token ${issued.token.id} for ${issued.token.person} (${issued.token.role}). Copy the secret now: it is shown only once.`),
      el('code', { class: 'secret-value' }, issued.secret));
    out.hidden = false;
    form.reset();
    await loadTokens();
  } catch (e) {
    showError(form, error, e);
  }
}
