import { $, el, when, badge, td, viewState } from './dom.js';
import { suggest } from './suggest.js';

const devices = new Map();
let unknownBecause = null; // set while the matcher's view of the fleet cannot be trusted

export async function loadDevices(api) {
  viewState($('#devices-state'), 'loading');
  try {
    const data = await api.get('/devices');
    devices.clear();
    for (const d of data.devices) devices.set(`${d.site}/${d.device}`, d);
    suggest('dl-sites', data.devices.map((d) => d.site));
    suggest('dl-devices', data.devices.map((d) => d.device));
    render();
  } catch (e) {
    viewState($('#devices-state'), 'error', e.message, () => loadDevices(api));
    brokerVisible(unknownBecause);
  }
}

// A live `device` event: the status of one device changed.
export function deviceChanged(d) {
  devices.set(`${d.site}/${d.device}`, d);
  render();
}

// reason: why device states are unknown now (no broker link, no matcher), or null when known.
export function brokerVisible(reason) {
  unknownBecause = reason;
  const note = $('#devices-note');
  note.hidden = !reason;
  note.textContent = reason ? `Device states unknown: ${reason}. Shown as last reported.` : '';
  render();
}

function render() {
  $('#devices-body').replaceChildren(...[...devices.values()].map(row));
  if (devices.size) viewState($('#devices-state'), 'ok');
  else if (!$('#devices-state').classList.contains('error')) {
    viewState($('#devices-state'), 'empty', 'No device has reported its status yet.');
  }
}

function row(d) {
  const versions = Object.entries(d.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const counters = ['frames', 'faces', 'published', 'spool_size']
    .filter((k) => k in d.counters)
    .map((k) => `${k} ${d.counters[k]}`).join(', ');
  const problems = Object.entries(d.components)
    .filter(([, h]) => h.state !== 'OK')
    .map(([k, h]) => `${k}: ${h.reason}`).join('; ');
  const online = unknownBecause ? badge('unknown', 'unknown') : badge(d.online ? 'online' : 'offline', d.online ? 'online' : 'offline');
  return el('tr', { 'data-device': `${d.site}/${d.device}` },
    td('Site', d.site),
    td('Device', d.device),
    td('State', online),
    // The reason is text, not a tooltip: readable without a mouse and by screen readers.
    td('Health', badge(d.health, d.health), problems ? el('span', { class: 'reason' }, ` ${problems}`) : null),
    td('Last seen', when(d.lastSeen)),
    td('Versions', el('span', { class: 'kv' }, versions)),
    td('Counters', el('span', { class: 'kv' }, counters)));
}
