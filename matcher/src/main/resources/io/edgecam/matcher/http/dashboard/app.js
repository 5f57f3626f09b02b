// The operators' console: sign in with a token, then the alert queue, alerts, devices, watchlist,
// audit log and tokens. Each view has its own address (#/queue, #/alerts, ...).
import { Api, onConnection } from './api.js';
import { $ } from './dom.js';
import { loadDevices, deviceChanged, brokerVisible } from './devices.js';
import { initAlerts, loadAlerts, alertArrived, alertReviewed } from './alerts.js';
import { initQueue, loadQueue, queueAlert, queueReview } from './queue.js';
import { initWatchlist, loadWatchlist } from './watchlist.js';
import { initAudit, loadAudit } from './audit.js';
import { initTokens, loadTokens } from './tokens.js';
import { initNotices, notice } from './notices.js';

const RANK = { viewer: 0, operator: 1, admin: 2 };
const loaders = {
  queue: loadQueue, alerts: loadAlerts, devices: loadDevices,
  watchlist: loadWatchlist, audit: loadAudit, tokens: loadTokens,
};
const TITLE = document.title;
let api;
let me;
let current = null;
let unread = 0;
let stopEvents = null;
let wasLive = false;
let connDown = null; // why the console cannot reach the matcher, or null
let brokerDown = null; // why the matcher cannot see the broker, or null

async function signIn(token, record) {
  const candidate = new Api(token);
  me = record ? await candidate.post('/login') : await candidate.get('/session');
  api = candidate;
  sessionStorage.setItem('edgecam.token', token);
  $('#who').textContent = `Signed in: ${me.person} (${me.role}, token ${me.name})`;
  document.querySelectorAll('[data-role]').forEach((x) => {
    x.hidden = RANK[me.role] < RANK[x.dataset.role];
  });
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('#logout').hidden = false;
  $('#settings-toggle').hidden = false;
  initQueue(api, me);
  initAlerts(api);
  initWatchlist(api, me.role);
  initAudit(api);
  initTokens(api);
  initNotices(me);
  stopEvents = api.events(onEvent, (on) => {
    const live = $('#live');
    live.className = `live ${on ? 'on' : 'off'}`;
    live.textContent = on ? 'live' : 'reconnecting';
    // Alerts raised while the stream was down are fetched again, not lost until a reload.
    if (on && wasLive && current) loaders[current](api);
    wasLive = wasLive || on;
  });
  pollHealth();
  await route();
}

function onEvent(type, data) {
  if (type === 'alert') {
    queueAlert(data);
    alertArrived(data);
    if (current !== 'queue' || document.hidden) setUnread(unread + 1);
    notice(data);
  } else if (type === 'review') {
    queueReview(data);
    alertReviewed(data);
  } else if (type === 'device') {
    deviceChanged(data);
  }
}

function setUnread(n) {
  unread = n;
  $('#unread').textContent = n ? `(${n} new)` : '';
  document.title = n ? `(${n}) ${TITLE}` : TITLE;
}

function viewOf(hash) {
  const v = hash.replace(/^#\/?/, '');
  const tab = document.querySelector(`.tab[data-view="${CSS.escape(v)}"]`);
  return v in loaders && tab && !tab.hidden ? v : 'queue';
}

async function route() {
  const view = viewOf(location.hash);
  if (location.hash !== `#/${view}`) history.replaceState(null, '', `#/${view}`);
  current = view;
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== `view-${view}`; });
  document.querySelectorAll('.tab').forEach((t) => {
    const selected = t.dataset.view === view;
    t.classList.toggle('active', selected);
    t.setAttribute('aria-selected', String(selected));
    t.tabIndex = selected ? 0 : -1;
  });
  if (view === 'queue') setUnread(0);
  await loaders[view](api);
}

function signOut() {
  sessionStorage.removeItem('edgecam.token');
  if (stopEvents) stopEvents();
  location.hash = '';
  location.reload();
}

// Connection to the matcher: a banner when it is lost, devices "unknown" while it is.
onConnection((up) => {
  const banner = $('#conn-banner');
  const was = banner.hidden;
  banner.hidden = up;
  if (!up) {
    banner.textContent = 'Connection to the matcher lost: what you see may be out of date. Retrying…';
    $('#live').className = 'live off';
    $('#live').textContent = 'offline';
  }
  connDown = up ? null : 'the console cannot reach the matcher';
  if (was !== up) brokerVisible(connDown || brokerDown);
});

// The matcher's own link to the broker (from /health, no token needed): when it is down, the
// device states the matcher last heard are no longer known to be true.
async function pollHealth() {
  try {
    const res = await fetch('/health');
    const h = await res.json();
    const broker = h.components && h.components.broker;
    brokerDown = broker && broker.state !== 'OK'
      ? `the matcher cannot see the MQTT broker (${broker.reason || broker.state})` : null;
  } catch (e) {
    brokerDown = null;
    connDown = 'the console cannot reach the matcher';
  }
  brokerVisible(connDown || brokerDown);
}

document.querySelectorAll('.tab').forEach((t) => {
  t.addEventListener('click', () => { location.hash = `#/${t.dataset.view}`; });
  t.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    const tabs = [...document.querySelectorAll('.tab')].filter((x) => !x.hidden);
    const i = tabs.indexOf(t) + (e.key === 'ArrowRight' ? 1 : -1);
    const next = tabs[(i + tabs.length) % tabs.length];
    next.focus();
    next.click();
  });
});
window.addEventListener('hashchange', () => { if (api) route(); });
document.addEventListener('visibilitychange', () => { if (!document.hidden && current === 'queue') setUnread(0); });
$('#logout').addEventListener('click', signOut);
$('#settings-toggle').addEventListener('click', () => {
  const s = $('#settings');
  s.hidden = !s.hidden;
  $('#settings-toggle').setAttribute('aria-expanded', String(!s.hidden));
});
$('#login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('#login-error').textContent = '';
  try {
    await signIn($('#token').value.trim(), true);
  } catch (err) {
    $('#login-error').textContent = err.status === 401 ? 'Unknown, revoked or expired token' : err.message;
  }
});
setInterval(() => { if (api) pollHealth(); }, 15000);

const saved = sessionStorage.getItem('edgecam.token');
if (saved) {
  signIn(saved, false).then(pollHealth).catch(() => sessionStorage.removeItem('edgecam.token'));
}
