// Models and versions with their lineage; aliases with their history, moved or rolled back
// through the admin API. Data: /console/api/models and /console/api/models/{name}.
import { admin, el, getJson, notice, when } from '../app.js';

export const title = 'Models';

export async function render(main, params, ctx) {
  if (params[0]) return renderModel(main, params[0], ctx);
  const data = await getJson('/console/api/models');
  const rows = data.models.map((m) => el('tr', { 'data-model': m.name },
    el('td', {}, el('a', { href: '#/models/' + encodeURIComponent(m.name) }, m.name)),
    el('td', {}, m.versions),
    el('td', {}, m.latest ?? ''),
    el('td', {}, m.format ?? ''),
    el('td', {}, Object.entries(m.aliases).map(([a, v]) => el('span', { class: 'pill' }, `${a} → v${v}`))),
    el('td', { class: 'muted' }, when(m.created_at))));
  main.replaceChildren(el('h1', {}, 'Models'),
    el('div', { class: 'card table-wrap' }, data.models.length === 0 ? el('p', { class: 'muted' }, 'The registry has no models yet.') :
      el('table', { id: 'models-table' },
        el('thead', {}, el('tr', {}, ['Model', 'Versions', 'Latest', 'Format', 'Aliases', 'Latest registered'].map((h) => el('th', {}, h)))),
        el('tbody', {}, rows))));
}

function kv(pairs) {
  return el('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
}

function mapText(m) {
  const entries = Object.entries(m || {});
  return entries.length === 0 ? el('span', { class: 'muted' }, 'none') : entries.map(([k, v]) => el('span', { class: 'pill' }, `${k}=${v}`));
}

function lineage(v) {
  const p = v.provenance;
  const td = p.training_data;
  return kv([
    ['training data', td ? el('span', {}, td.source, ' ', el('span', { class: 'muted' }, td.rows >= 0 ? `(${td.rows} rows)` : '')) : el('span', { class: 'muted' }, 'not recorded')],
    ['fingerprint', td ? el('code', { class: 'fingerprint' }, td.fingerprint) : '—'],
    ['time range', td && (td.from || td.to) ? `${td.from ?? '?'} … ${td.to ?? '?'}` : '—'],
    ['features', p.features.length ? p.features.map((f) => el('span', { class: 'pill' }, f)) : el('span', { class: 'muted' }, v.inputs.join(', ') || 'none')],
    ['parameters', mapText(p.parameters)],
    ['seed', p.seed ?? '—'],
    ['metrics', mapText(p.metrics)],
    ['code', el('code', {}, p.code.commit + (p.code.dirty ? ' (uncommitted changes)' : ''))],
    ['run', p.run_id ?? '—'],
    ['artifact', el('code', {}, `${v.format} · sha256 ${v.sha256.substring(0, 16)}… · ${v.size_bytes} bytes`)],
    ['registered', `${when(v.created_at)} by ${v.created_by}` + (v.message ? ` — ${v.message}` : '')],
    ['golden examples', v.golden_examples],
  ]);
}

async function renderModel(main, name, ctx) {
  const m = await getJson('/console/api/models/' + encodeURIComponent(name));
  const versions = m.versions.map((v) => v.version);
  const aliasRows = Object.entries(m.aliases).map(([alias, version]) => {
    const select = el('select', { id: `alias-${alias}-version`, 'aria-label': `version for ${alias}` },
      versions.map((n) => el('option', { value: n, selected: n === version }, 'v' + n)));
    const reason = el('input', { id: `alias-${alias}-reason`, placeholder: 'reason', 'aria-label': `reason for moving ${alias}` });
    const act = async (button, method, path, body, done) => {
      button.disabled = true;
      try {
        const r = await admin(method, path, body);
        await ctx.rerender();
        notice('info', `${done}: ${alias} now points at v${r.event.to_version}`);
      } catch (err) {
        notice('error', err.message);
        button.disabled = false;
      }
    };
    const move = el('button', { id: `alias-${alias}-move` }, 'Move');
    move.addEventListener('click', () => act(move, 'POST',
      `/v1/admin/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}`,
      { version: Number(select.value), reason: reason.value || 'moved in the console' }, 'Moved'));
    const back = el('button', { id: `alias-${alias}-rollback`, class: 'danger' }, 'Roll back');
    back.addEventListener('click', () => act(back, 'POST',
      `/v1/admin/models/${encodeURIComponent(name)}/aliases/${encodeURIComponent(alias)}/rollback`, undefined, 'Rolled back'));
    return el('tr', { 'data-alias': alias },
      el('td', {}, el('strong', {}, alias)),
      el('td', { class: 'alias-version' }, 'v' + version),
      el('td', {}, el('div', { class: 'actions' }, select, reason, move, back)));
  });
  const history = m.alias_history.map((h) => el('tr', {},
    el('td', { class: 'muted' }, when(h.at)), el('td', {}, h.alias),
    el('td', {}, h.from_version === null ? '—' : 'v' + h.from_version), el('td', {}, h.to_version === null ? 'removed' : 'v' + h.to_version),
    el('td', {}, h.actor), el('td', {}, h.reason)));
  main.replaceChildren(
    el('h1', {}, el('a', { href: '#/models' }, 'Models'), ' / ', name),
    el('div', { class: 'card' }, el('h2', {}, 'Aliases'),
      aliasRows.length === 0 ? el('p', { class: 'muted' }, 'No aliases.') :
        el('div', { class: 'table-wrap' }, el('table', { id: 'aliases-table' },
          el('thead', {}, el('tr', {}, ['Alias', 'Points at', 'Change (needs the admin token)'].map((t) => el('th', {}, t)))),
          el('tbody', {}, aliasRows)))),
    el('div', { class: 'card' }, el('h2', {}, 'Versions and lineage'),
      el('div', { class: 'grid' }, m.versions.map((v) => el('section', { class: 'card version', 'data-version': v.version },
        el('h3', {}, `v${v.version} `, Object.entries(m.aliases).filter(([, n]) => n === v.version).map(([a]) => el('span', { class: 'pill ok' }, a))),
        lineage(v))))),
    el('div', { class: 'card table-wrap' }, el('h2', {}, 'Alias history'),
      history.length === 0 ? el('p', { class: 'muted' }, 'No alias has moved yet.') :
        el('table', { id: 'alias-history' },
          el('thead', {}, el('tr', {}, ['When', 'Alias', 'From', 'To', 'Who', 'Why'].map((t) => el('th', {}, t)))),
          el('tbody', {}, history))));
}
