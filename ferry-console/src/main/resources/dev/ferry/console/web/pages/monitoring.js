// Live monitoring of one deployment: per model version and arm, the latest closed window's
// per-feature drift, skew issues, live quality, prediction drift and the alert states, and each
// feature's drift statistic over the last windows against its threshold.
// Data: /v1/monitoring/deployments/{name} (the monitor's open view) and
// /console/api/monitoring/history?deployment= (the windows the console has kept).
import { el, getJson, when } from '../app.js';
import { legend, lineChart } from '../chart.js';

export const title = 'Monitoring';
const POLL_MS = 5000;
// methods whose statistic is a p-value: a feature drifts when it falls below the threshold
const P_VALUES = ['ks', 'chisquare', 'z'];

const fmt = (v, digits = 4) => (v === null || v === undefined ? '—' : (+v).toPrecision(digits));
const pct = (v) => (v === null || v === undefined ? '—' : (100 * v).toFixed(1) + '%');
const drifted = (yes) => el('span', { class: 'pill drift ' + (yes ? 'bad' : 'ok') }, yes ? 'drifted' : 'stable');
const groupId = (g) => `${g.model}-v${g.version}-${g.arm}`;

function driftTable(id, rows, withTypes) {
  if (!rows || rows.length === 0) return el('p', { class: 'muted' }, 'Nothing judged in this window.');
  return el('div', { class: 'table-wrap' }, el('table', { id },
    el('thead', {}, el('tr', {}, el('th', {}, 'feature'), el('th', {}, 'method'), el('th', {}, 'statistic'),
      el('th', {}, 'threshold'), el('th', {}, ''), withTypes ? [el('th', {}, 'baseline type'), el('th', {}, 'served type'), el('th', {}, 'null rate')] : null)),
    el('tbody', {}, rows.map((f) => el('tr', { 'data-feature': f.feature, 'data-drifted': String(!!f.drifted) },
      el('td', {}, el('strong', {}, f.feature)), el('td', {}, f.method || '—'),
      el('td', { class: 'mono statistic' }, fmt(f.statistic)), el('td', { class: 'mono' }, fmt(f.threshold)),
      el('td', {}, f.method ? drifted(f.drifted) : el('span', { class: 'muted' }, 'not judged')),
      withTypes ? [el('td', { class: 'mono' }, f.baseline_type || '—'), el('td', { class: 'mono' }, f.served_type || '—'),
        el('td', { class: 'mono' }, pct(f.null_rate))] : null)))));
}

function skewList(g) {
  if (!g.skew || g.skew.length === 0) return el('p', { class: 'muted skew-none' }, 'No skew: every served feature has its baseline type.');
  return el('ul', { class: 'skew' }, g.skew.map((s) => el('li', { 'data-feature': s.feature, 'data-kind': s.kind },
    el('span', { class: 'pill bad' }, s.kind.replace('_', ' ')), ' ', el('strong', {}, s.feature), ' ',
    el('span', { class: 'muted' }, s.message))));
}

function qualityBlock(q) {
  if (!q) return el('p', { class: 'muted' }, 'No quality window yet.');
  const rows = Object.entries(q.features || {});
  return el('div', {},
    el('p', {}, `Window from ${when(q.window_start)}: ${q.predictions} predictions, degraded ${pct(q.degraded_rate)}.`),
    rows.length === 0 ? null : el('div', { class: 'table-wrap' }, el('table', { class: 'quality' },
      el('thead', {}, el('tr', {}, el('th', {}, 'feature'), el('th', {}, 'seen'), el('th', {}, 'null rate'))),
      el('tbody', {}, rows.map(([name, c]) => el('tr', {}, el('td', {}, name), el('td', { class: 'mono' }, c.seen),
        el('td', { class: 'mono' }, pct(c.null_rate))))))));
}

function charts(g, history) {
  const h = history.groups.find((x) => x.model === g.model && x.version === g.version && x.arm === g.arm);
  const windows = h ? h.windows : [];
  if (windows.length === 0) return el('p', { class: 'muted' }, 'No closed window kept yet: the charts start with the next one.');
  const names = [...new Set(windows.flatMap((w) => [...w.features, ...w.predictions].map((f) => f.feature)))];
  return el('div', { class: 'grid' }, names.map((name) => {
    const pick = (w) => [...w.features, ...w.predictions].find((f) => f.feature === name);
    const t = (w) => Date.parse(w.end);
    const method = windows.map(pick).filter((f) => f && f.method).map((f) => f.method).pop() || '';
    const series = [
      { name: `${method || 'statistic'}`, points: windows.map((w) => [t(w), pick(w) ? pick(w).statistic : null]) },
      { name: 'threshold', color: 'var(--bad)', points: windows.map((w) => [t(w), pick(w) ? pick(w).threshold : null]) },
    ];
    return el('div', { class: 'card drift-chart', 'data-feature': name, 'data-points': String(series[0].points.filter((p) => p[1] !== null).length) },
      el('h3', {}, name, ' ', el('span', { class: 'muted' }, method,
        P_VALUES.includes(method) ? ' p-value: drifted below the threshold' : method ? ' distance: drifted above the threshold' : '')),
      lineChart(series, { label: `drift of ${name} in ${groupId(g)}`, height: 130 }), legend(series));
  }));
}

function groupCard(g, history, alerts) {
  const w = g.latest_window;
  const head = el('h2', {}, `${g.model} v${g.version} · ${g.arm} `, el('span', { class: 'pill baseline' + (g.baseline === 'present' ? ' ok' : ' bad') }, 'baseline ' + g.baseline));
  const card = el('section', { class: 'card monitor-group', 'data-group': groupId(g) }, head);
  if (g.baseline !== 'present') {
    card.append(el('p', { class: 'no-baseline' }, `Version ${g.version} of ${g.model} has no baseline` +
      (g.baseline_problem ? ` (${g.baseline_problem})` : '') + `, so nothing is compared: store one with ` ,
      el('code', {}, `ferry monitor profile <training.csv> --model ${g.model} --version ${g.version}`), '.'));
  }
  const open = g.open_window;
  card.append(el('div', { class: 'stats' },
    el('div', {}, el('span', {}, 'latest window'), el('b', { class: 'stat window' }, w ? `${when(w.start)} – ${new Date(w.end).toISOString().substring(11, 19)}` : 'none closed yet')),
    el('div', {}, el('span', {}, 'records'), el('b', { class: 'stat records' }, w ? w.records : '—')),
    el('div', {}, el('span', {}, 'drifted share'), el('b', { class: 'stat drifted-share' }, w ? pct(w.drifted_share) : '—')),
    el('div', {}, el('span', {}, 'dataset'), el('b', { class: 'stat dataset' }, w ? (w.dataset_drifted ? 'drifted' : 'stable') : '—')),
    el('div', {}, el('span', {}, 'open window'), el('b', { class: 'stat open' }, open ? `${open.records} records` : '—'))));
  card.append(el('h3', {}, 'Feature drift (latest window)'), w ? driftTable('features-' + groupId(g), w.features, true) : el('p', { class: 'muted' }, 'No window has closed yet.'));
  card.append(el('h3', {}, 'Prediction drift'), w ? driftTable('predictions-' + groupId(g), w.predictions, false) : el('p', { class: 'muted' }, '—'));
  card.append(el('h3', {}, 'Skew'), skewList(g));
  card.append(el('h3', {}, 'Live quality'), qualityBlock(g.quality));
  card.append(el('h3', {}, 'Drift over the last windows'), charts(g, history));
  return card;
}

function alertsCard(status) {
  const firing = new Set(status.alerts.map((a) => a.rule));
  return el('section', { class: 'card', id: 'alerts' }, el('h2', {}, 'Alerts'),
    el('div', { class: 'table-wrap' }, el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'rule'), el('th', {}, 'condition'), el('th', {}, 'state'))),
      el('tbody', {}, status.rules.map((r) => el('tr', { 'data-rule': r.name, 'data-state': firing.has(r.name) ? 'firing' : 'ok' },
        el('td', {}, el('strong', {}, r.name)), el('td', { class: 'mono' }, r.condition),
        el('td', {}, el('span', { class: 'pill ' + (firing.has(r.name) ? 'bad' : 'ok') }, firing.has(r.name) ? 'firing' : 'ok'))))))),
    status.alerts.length ? el('ul', { class: 'mono' }, status.alerts.map((a) => el('li', {}, a.score))) : null);
}

export async function render(main, params) {
  const names = (await getJson('/console/api/deployments')).deployments.map((d) => d.name);
  if (names.length === 0) {
    main.replaceChildren(el('h1', {}, 'Monitoring'), el('div', { class: 'card muted' }, 'Nothing is deployed.'));
    return undefined;
  }
  const name = names.includes(params[0]) ? params[0] : names[0];
  const pick = el('select', { id: 'monitor-deployment', 'aria-label': 'deployment' },
    names.map((n) => el('option', { value: n, selected: n === name }, n)));
  pick.addEventListener('change', () => { location.hash = '#/monitoring/' + encodeURIComponent(pick.value); });
  const status = el('p', { class: 'muted', id: 'monitor-status' });
  const body = el('div', { id: 'monitor-body' });
  main.replaceChildren(el('h1', {}, 'Monitoring'), el('div', { class: 'actions' }, el('label', { for: 'monitor-deployment' }, 'Deployment'), pick), status, body);
  let timer = null;
  let stopped = false;
  const refresh = async () => {
    try {
      const history = await getJson('/console/api/monitoring/history?deployment=' + encodeURIComponent(name));
      if (!history.monitoring) {
        body.replaceChildren(el('div', { class: 'card muted', id: 'monitoring-off' },
          'Monitoring is off on this server: set monitoring.enabled: true (or FERRY_MONITORING_ENABLED=true).'));
        status.textContent = '';
        return;
      }
      const s = await getJson('/v1/monitoring/deployments/' + encodeURIComponent(name));
      if (stopped) return;
      body.replaceChildren(...(s.groups.length === 0
        ? [el('div', { class: 'card muted', id: 'monitoring-empty' }, `The monitor has seen no prediction of ${name} yet.`)]
        : [alertsCard(s), ...s.groups.map((g) => groupCard(g, history, s.alerts))]));
      status.textContent = `Windows of ${s.window}; charts keep the last ${history.capacity} closed windows; updated ${new Date().toLocaleTimeString()}.`;
    } catch (err) {
      status.textContent = err.message;
    }
    if (!stopped) timer = setTimeout(refresh, POLL_MS);
  };
  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
