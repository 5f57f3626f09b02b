import { $, el, when, badge } from './dom.js';

const devices = new Map();

export async function loadDevices(api) {
  const data = await api.get('/devices');
  devices.clear();
  for (const d of data.devices) devices.set(`${d.site}/${d.device}`, d);
  render();
}

// A live `device` event: the status of one device changed.
export function deviceChanged(d) {
  devices.set(`${d.site}/${d.device}`, d);
  render();
}

function render() {
  const body = $('#devices-body');
  body.replaceChildren(...[...devices.values()].map(row));
  $('#devices-empty').hidden = devices.size > 0;
}

function row(d) {
  const versions = Object.entries(d.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const counters = ['frames', 'faces', 'published', 'spool_size']
    .filter((k) => k in d.counters)
    .map((k) => `${k} ${d.counters[k]}`).join(', ');
  const problems = Object.entries(d.components)
    .filter(([, h]) => h.state !== 'OK')
    .map(([k, h]) => `${k}: ${h.reason}`).join('; ');
  return el('tr', { 'data-device': `${d.site}/${d.device}` },
    el('td', {}, d.site),
    el('td', {}, d.device),
    el('td', {}, badge(d.online ? 'online' : 'offline', d.online ? 'online' : 'offline')),
    el('td', { title: problems }, badge(d.health, d.health)),
    el('td', {}, when(d.lastSeen)),
    el('td', { class: 'kv' }, versions),
    el('td', { class: 'kv' }, counters));
}
