// The admin audit log, newest first: who changed what, and whether it was accepted. It needs
// the admin token. Data: /console/api/audit.
import { el, errorBox, getJson, token, when } from '../app.js';

export const title = 'Audit log';

export async function render(main) {
  main.replaceChildren(el('h1', {}, 'Audit log'));
  if (!token()) {
    main.append(el('p', { class: 'muted' }, 'The audit log needs the admin token: enter it above.'));
  }
  let data;
  try {
    data = await getJson('/console/api/audit?limit=200');
  } catch (err) {
    main.append(errorBox(err));
    return;
  }
  const rows = data.entries.map((e) => el('tr', { class: 'audit-entry' },
    el('td', { class: 'muted' }, when(e.at)), el('td', {}, e.actor ?? ''), el('td', { class: 'action' }, e.action ?? ''),
    el('td', { class: 'mono target' }, e.target ?? ''),
    el('td', { class: 'mono' }, e.request && Object.keys(e.request).length ? JSON.stringify(e.request) : ''),
    el('td', {}, el('span', { class: 'pill ' + (e.outcome === 'ok' ? 'ok' : 'bad') }, e.outcome ?? ''))));
  main.append(el('div', { class: 'card table-wrap' },
    el('p', { class: 'muted' }, `${data.entries.length} most recent changes from `, el('code', {}, data.file)),
    rows.length === 0 ? el('p', { class: 'muted' }, 'No admin change yet.') :
      el('table', { id: 'audit-table' },
        el('thead', {}, el('tr', {}, ['When', 'Who', 'Action', 'Target', 'Request', 'Outcome'].map((t) => el('th', {}, t)))),
        el('tbody', {}, rows))));
}
