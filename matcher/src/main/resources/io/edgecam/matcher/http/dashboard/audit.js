import { $, el, when } from './dom.js';

let api;
let before = null;

export function initAudit(theApi) {
  api = theApi;
  $('#audit-more').addEventListener('click', () => page());
}

export async function loadAudit() {
  before = null;
  $('#audit-body').replaceChildren();
  await page();
}

async function page() {
  const q = new URLSearchParams({ limit: '100' });
  if (before) q.set('before', before);
  const data = await api.get(`/audit?${q}`);
  $('#audit-body').append(...data.records.map((r) =>
    el('tr', { 'data-seq': r.seq },
      el('td', {}, r.seq),
      el('td', {}, when(r.time)),
      el('td', {}, r.actor),
      el('td', {}, r.action),
      el('td', {}, r.subject),
      el('td', {}, el('pre', {}, JSON.stringify(r.detail))))));
  before = data.next;
  $('#audit-more').hidden = !before;
}
