// Tiny DOM helpers. Text always goes through textContent: nothing from the API becomes markup.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const $ = (sel) => document.querySelector(sel);

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function badge(text, cls) {
  return el('span', { class: `badge ${cls}` }, text);
}

// Shows a server error on the form: message in the error line, the named field outlined.
export function showError(form, line, err) {
  form.querySelectorAll('.invalid').forEach((x) => x.classList.remove('invalid'));
  line.textContent = err ? err.message : '';
  if (err && err.field) {
    const name = err.field.replace(/\[\d+\]$/, '');
    const input = form.querySelector(`[name="${name}"]`);
    if (input) { input.classList.add('invalid'); input.focus(); }
  }
}
