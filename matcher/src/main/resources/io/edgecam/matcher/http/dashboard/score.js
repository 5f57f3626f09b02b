// Context for a score and a time, so that an operator sees a weak match or a late alert at a
// glance. Fields the matcher may not send (secondScore, margin, expectedFpir, quality) are shown
// only when present.
import { el, when } from './dom.js';

const WEAK_MARGIN = 0.05; // a score this close to its threshold is flagged as weak
const LATE_MS = 60 * 1000; // a capture this much older than the match is flagged as late

const fixed = (x) => (typeof x === 'number' ? x.toFixed(3) : '—');
const signed = (x) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;

export function scoreContext(a, compact) {
  const margin = a.score - a.threshold;
  const weak = margin < WEAK_MARGIN;
  const meter = el('meter', {
    min: '0', max: '1', value: String(Math.max(0, Math.min(1, a.score))),
    low: String(a.threshold), high: String(Math.min(1, a.threshold + WEAK_MARGIN)), optimum: '1',
    'aria-label': `score ${fixed(a.score)} of threshold ${fixed(a.threshold)}`,
  });
  const parts = [
    el('span', { class: `score ${weak ? 'weak' : 'strong'}`, 'data-score': fixed(a.score) },
      `score ${fixed(a.score)} vs threshold ${fixed(a.threshold)} (${signed(margin)})`,
      weak ? ' weak match' : ''),
  ];
  if (compact) return el('span', { class: 'score-context' }, meter, ' ', ...parts);
  if (typeof a.secondScore === 'number') {
    const m = typeof a.margin === 'number' ? a.margin : a.score - a.secondScore;
    parts.push(el('span', { class: 'second' }, `; second-best entry ${fixed(a.secondScore)} (margin ${fixed(m)})`));
  }
  if (typeof a.expectedFpir === 'number') {
    parts.push(el('span', { class: 'fpir' },
      `; expected false alarms at this threshold: ${(a.expectedFpir * 1000).toPrecision(2)} per 1,000 strangers`));
  }
  if (a.box) parts.push(el('span', { class: 'face' }, `; face ${a.box.width}×${a.box.height} px`));
  if (typeof a.quality === 'number') parts.push(el('span', { class: 'quality' }, `, quality ${a.quality.toFixed(2)}`));
  return el('span', { class: 'score-context' }, meter, ' ', ...parts);
}

export function captureContext(a) {
  const delay = Date.parse(a.matchTime) - Date.parse(a.captureTime);
  return el('span', { class: 'times' },
    `captured ${when(a.captureTime)}`,
    delay > LATE_MS
      ? el('span', { class: 'late' }, ` — sent late: matched ${when(a.matchTime)}, ${duration(delay)} after capture`)
      : '',
    `; device ${a.site}/${a.device}, track ${a.trackId}, seq ${a.sequence}`);
}

function duration(ms) {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
