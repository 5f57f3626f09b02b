// The operators' dashboard: sign in with a token, then devices, alerts (live), watchlist, audit.
import { Api } from './api.js';
import { $ } from './dom.js';
import { loadDevices, deviceChanged } from './devices.js';
import { initAlerts, loadAlerts, alertArrived } from './alerts.js';
import { initWatchlist, loadWatchlist } from './watchlist.js';
import { initAudit, loadAudit } from './audit.js';

const RANK = { viewer: 0, operator: 1, admin: 2 };
const loaders = { devices: loadDevices, alerts: loadAlerts, watchlist: loadWatchlist, audit: loadAudit };
let api;
let stopEvents = null;

async function signIn(token, record) {
  const candidate = new Api(token);
  const me = record ? await candidate.post('/login') : await candidate.get('/session');
  api = candidate;
  sessionStorage.setItem('edgecam.token', token);
  $('#who').textContent = `${me.name} (${me.role})`;
  document.querySelectorAll('[data-role]').forEach((x) => {
    x.hidden = RANK[me.role] < RANK[x.dataset.role];
  });
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#logout').hidden = false;
  initAlerts(api);
  initWatchlist(api, me.role);
  initAudit(api);
  stopEvents = api.events(onEvent, (on) => {
    const live = $('#live');
    live.className = `live ${on ? 'on' : 'off'}`;
    live.textContent = on ? 'live' : 'reconnecting';
  });
  await show('devices');
}

function onEvent(type, data) {
  if (type === 'alert') alertArrived(data);
  else if (type === 'device') deviceChanged(data);
}

async function show(view) {
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== `view-${view}`; });
  document.querySelectorAll('.tab').forEach((t) => t.classList.toggle('active', t.dataset.view === view));
  await loaders[view](api);
}

function signOut() {
  sessionStorage.removeItem('edgecam.token');
  if (stopEvents) stopEvents();
  location.reload();
}

document.querySelectorAll('.tab').forEach((t) => t.addEventListener('click', () => show(t.dataset.view)));
$('#logout').addEventListener('click', signOut);
$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#login-error').textContent = '';
  try {
    await signIn($('#token').value.trim(), true);
  } catch (err) {
    $('#login-error').textContent = err.status === 401 ? 'Unknown, revoked or expired token' : err.message;
  }
});

const saved = sessionStorage.getItem('edgecam.token');
if (saved) signIn(saved, false).catch(() => sessionStorage.removeItem('edgecam.token'));
