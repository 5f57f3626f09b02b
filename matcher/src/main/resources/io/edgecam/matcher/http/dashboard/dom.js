// Tiny DOM helpers. Text always goes through textContent: nothing from the API becomes markup.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export const $ = (sel) => document.querySelector(sel);

// A time with its zone, e.g. "08/12/2026, 10:00:00 UTC": never a bare, ambiguous wall-clock time.
export function when(iso) {
  return iso ? new Date(iso).toLocaleString(undefined, { timeZoneName: 'short' }) : '—';
}

// A table cell that carries its column's name, shown as a label in the phone layout (cards).
export function td(label, ...children) {
  return el('td', { 'data-label': label }, ...children);
}

export function badge(text, cls) {
  return el('span', { class: `badge ${cls}` }, text);
}

// The loading, error and empty states of a view, in one status line (role=status).
// state: 'loading' | 'error' | 'empty' | 'ok'. On error a Retry button calls retry().
export function viewState(line, state, text, retry) {
  line.className = `state ${state}`;
  line.replaceChildren();
  line.hidden = state === 'ok';
  if (state === 'loading') line.append(text || 'Loading…');
  else if (state === 'empty') line.append(text);
  else if (state === 'error') {
    line.append(`Could not load: ${text}`);
    if (retry) line.append(' ', el('button', { type: 'button', onclick: retry }, 'Retry'));
  }
}

// Shows a server error on the form: in the form's error line (announced) and, when a field is
// at fault, also right below that field (in view on a phone), which is outlined and focused.
export function showError(form, line, err) {
  form.querySelectorAll('.invalid').forEach((x) => {
    x.classList.remove('invalid');
    x.removeAttribute('aria-invalid');
    x.removeAttribute('aria-describedby');
  });
  form.querySelectorAll('.field-error').forEach((x) => x.remove());
  line.textContent = err ? err.message : '';
  if (err && err.field) {
    const name = err.field.replace(/\[\d+\]$/, '');
    const input = form.querySelector(`[name="${name}"]`);
    if (input) {
      input.classList.add('invalid');
      input.setAttribute('aria-invalid', 'true');
      const id = `${form.id || 'form'}-${name}-error`;
      const next = el('span', { class: 'field-error error', id }, err.message);
      (input.closest('label') || input).after(next);
      input.setAttribute('aria-describedby', id);
      input.focus();
      next.scrollIntoView({ block: 'center' });
    }
  }
}
