// Deployments and their traffic split: arms with weights and shares, the shadow, the fallback;
// promote and roll back through the admin API. Data: /console/api/deployments.
import { admin, el, getJson, notice } from '../app.js';
import { COLORS } from '../chart.js';

export const title = 'Deployments';

function ref(r) {
  return `${r.model}@${r.target}` + (r.version !== null && String(r.version) !== r.target ? ` (v${r.version})` : '');
}

function card(d, ctx) {
  const bar = el('div', { class: 'bar', role: 'img', 'aria-label': 'traffic split' },
    d.arms.filter((a) => a.percent > 0).map((a) => {
      const s = el('span', { title: `${a.name}: ${a.percent.toFixed(1)}%` }, a.percent >= 20 ? `${a.name} ${a.percent.toFixed(0)}%` : `${a.percent.toFixed(0)}%`);
      s.style.width = a.percent + '%';
      s.style.background = COLORS[d.arms.indexOf(a) % COLORS.length];
      return s;
    }));
  const arms = el('table', { class: 'arms' },
    el('thead', {}, el('tr', {}, ['Arm', 'Model', 'Weight', 'Share'].map((t) => el('th', {}, t)))),
    el('tbody', {}, d.arms.map((a) => el('tr', { 'data-arm': a.name },
      el('td', {}, el('strong', {}, a.name)), el('td', { class: 'mono' }, ref(a)),
      el('td', { class: 'weight' }, +a.weight.toFixed(4)), el('td', { class: 'percent' }, a.percent.toFixed(1) + '%')))));
  const act = async (button, path, body, done) => {
    button.disabled = true;
    try {
      await admin('POST', path, body);
      await ctx.rerender();
      notice('info', `${done} deployment '${d.name}'`);
    } catch (err) {
      notice('error', err.message);
      button.disabled = false;
    }
  };
  const base = '/v1/admin/deployments/' + encodeURIComponent(d.name);
  const actions = el('div', { class: 'actions' });
  if (d.arms.length > 1) {
    const arm = el('select', { id: `promote-arm-${d.name}`, 'aria-label': 'arm to promote' },
      d.arms.map((a, i) => el('option', { value: a.name, selected: i === d.arms.length - 1 }, a.name)));
    const promote = el('button', { id: `promote-${d.name}` }, 'Promote');
    promote.addEventListener('click', () => act(promote, base + '/promote', { arm: arm.value }, `Promoted '${arm.value}' of`));
    actions.append(arm, promote);
  }
  const back = el('button', { id: `rollback-${d.name}`, class: 'danger' }, 'Roll back');
  back.addEventListener('click', () => act(back, base + '/rollback', undefined, 'Rolled back'));
  actions.append(back, el('span', { class: 'muted' }, 'changes need the admin token'));
  return el('section', { class: 'card deployment', 'data-deployment': d.name },
    el('h2', {}, d.name, ' ', el('a', { class: 'muted', href: '#/traffic/' + encodeURIComponent(d.name) }, 'traffic →')),
    bar, el('div', { class: 'table-wrap' }, arms),
    el('dl', { class: 'kv' },
      el('dt', {}, 'shadow'), el('dd', { class: 'shadow' }, d.shadow ? `${ref(d.shadow)} mirrors ${(100 * d.shadow.share).toFixed(0)}% of requests` : 'none'),
      el('dt', {}, 'fallback'), el('dd', {}, [d.fallback ? ref(d.fallback) : null, d.static_default ? 'a static default' : null].filter(Boolean).join(', then ') || 'none'),
      el('dt', {}, 'entity keys'), el('dd', {}, d.entity_keys.join(', ') || 'none'),
      el('dt', {}, 'budget'), el('dd', {}, d.budget_ms + ' ms')),
    actions);
}

export async function render(main, params, ctx) {
  const data = await getJson('/console/api/deployments');
  main.replaceChildren(el('h1', {}, 'Deployments'),
    data.deployments.length === 0 ? el('div', { class: 'card muted' }, 'Nothing is deployed.') :
      el('div', { class: 'grid' }, data.deployments.map((d) => card(d, ctx))));
}
