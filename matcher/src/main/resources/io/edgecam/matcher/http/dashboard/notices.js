// New-alert notices: a screen-reader announcement always; a sound and a browser notification
// only when the signed-in person turned them on (off by default, kept per person and browser).
import { $ } from './dom.js';

let key = null;
let settings = { sound: false, notify: false };
let audio = null;

export function initNotices(me) {
  key = `edgecam.settings.${me.person}`;
  try {
    settings = { ...settings, ...JSON.parse(localStorage.getItem(key) || '{}') };
  } catch (e) {
    // a damaged entry: defaults
  }
  const form = $('#settings');
  form.elements.sound.checked = settings.sound;
  form.elements.notify.checked = settings.notify;
  form.addEventListener('change', async () => {
    settings.sound = form.elements.sound.checked;
    settings.notify = form.elements.notify.checked;
    if (settings.notify && 'Notification' in window && Notification.permission === 'default') {
      await Notification.requestPermission();
    }
    localStorage.setItem(key, JSON.stringify(settings));
  });
}

export function notice(a) {
  const text = `New alert: ${a.label || a.entryId} on ${a.site}/${a.device}, score ${a.score.toFixed(3)}`;
  $('#announcer').textContent = text;
  if (settings.sound) beep();
  if (settings.notify && 'Notification' in window && Notification.permission === 'granted') {
    new Notification('edgecam alert', { body: text, tag: a.id });
  }
}

function beep() {
  try {
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    osc.frequency.value = 880;
    osc.connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.2);
  } catch (e) {
    // no audio output: the visual and announced notice remain
  }
}
