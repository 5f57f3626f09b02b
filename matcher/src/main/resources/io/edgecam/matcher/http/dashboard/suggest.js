// Filter suggestions: known sites, devices, entries, persons, actors and actions as <datalist>s.
import { $, el } from './dom.js';

export function suggest(listId, values) {
  const list = $(`#${listId}`);
  const known = new Set([...list.options].map((o) => o.value));
  values.filter((v) => v && !known.has(v)).forEach((v) => { known.add(v); list.append(el('option', { value: v })); });
}
