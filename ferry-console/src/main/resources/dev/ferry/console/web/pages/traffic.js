// Live latency percentiles and error rates per deployment and arm, from the server's traffic
// history (sampled from the engine's meters). Data: /console/api/traffic, polled.
import { el, getJson } from '../app.js';
import { legend, lineChart } from '../chart.js';

export const title = 'Traffic';
const POLL_MS = 3000;

const fmt = (v, digits = 2) => (v === null || v === undefined ? '—' : (+v).toFixed(digits));

function last(samples, field) {
  for (let i = samples.length - 1; i >= 0; i--) if (samples[i][field] !== null && samples[i].requests !== 0) return samples[i][field];
  return null;
}

function armCard(dep, arm) {
  const s = arm.samples;
  const total = s.reduce((n, x) => n + x.requests, 0);
  const failed = s.reduce((n, x) => n + x.failed_over, 0);
  const series = ['p50_ms', 'p90_ms', 'p99_ms'].map((f) => ({ name: f.replace('_ms', ''), points: s.map((x) => [x.t, x[f]]) }));
  return el('section', { class: 'card arm', 'data-deployment': dep, 'data-arm': arm.name },
    el('h3', {}, `${dep} · ${arm.name}`),
    el('div', { class: 'stats' },
      el('div', {}, el('span', {}, 'p50'), el('b', { class: 'stat p50' }, fmt(last(s, 'p50_ms'), 3)), ' ms'),
      el('div', {}, el('span', {}, 'p90'), el('b', { class: 'stat p90' }, fmt(last(s, 'p90_ms'), 3)), ' ms'),
      el('div', {}, el('span', {}, 'p99'), el('b', { class: 'stat p99' }, fmt(last(s, 'p99_ms'), 3)), ' ms'),
      el('div', {}, el('span', {}, 'requests'), el('b', { class: 'stat requests' }, total)),
      el('div', {}, el('span', {}, 'failed over'), el('b', { class: 'stat failed' }, total ? fmt(100 * failed / total, 1) + '%' : '—'))),
    lineChart(series, { unit: ' ms', label: `latency of ${dep} ${arm.name}` }), legend(series),
    lineChart([{ name: 'requests/s', points: s.map((x) => [x.t, x.requests_per_second]) }],
      { unit: '/s', label: `requests per second of ${dep} ${arm.name}`, height: 110 }));
}

function errorCard(d) {
  const s = d.samples;
  const errors = s.reduce((n, x) => n + x.errors, 0);
  return el('section', { class: 'card' },
    el('h3', {}, `${d.name} · engine errors`),
    el('div', { class: 'stats' },
      el('div', {}, el('span', {}, 'errors (window)'), el('b', { class: 'stat errors' }, errors)),
      el('div', {}, el('span', {}, 'error rate (last sample)'), el('b', { class: 'stat error-rate' }, s.length ? fmt(100 * s[s.length - 1].error_rate, 2) + '%' : '—'))),
    lineChart([{ name: 'error rate %', points: s.map((x) => [x.t, 100 * x.error_rate]), color: 'var(--bad)' }],
      { unit: '%', label: `error rate of ${d.name}` }),
    el('p', { class: 'muted' }, 'Error rate: engine errors ÷ (model answers + engine errors). Failed over: answers given by the fallback chain.'));
}

function deploymentBlock(d) {
  return el('div', { class: 'card', 'data-traffic': d.name },
    el('h2', {}, d.name),
    el('div', { class: 'grid' }, errorCard(d),
      d.arms.length === 0 ? el('p', { class: 'muted' }, 'No requests yet.') : d.arms.map((a) => armCard(d.name, a))));
}

export async function render(main, params) {
  const query = params[0] ? '?deployment=' + encodeURIComponent(params[0]) : '';
  const body = el('div', {});
  const status = el('p', { class: 'muted', id: 'traffic-status' });
  main.replaceChildren(el('h1', {}, 'Traffic', params[0] ? ` · ${params[0]}` : ''), status, body);
  let timer = null;
  let stopped = false;
  const refresh = async () => {
    try {
      const data = await getJson('/console/api/traffic' + query);
      if (stopped) return;
      body.replaceChildren(...(data.deployments.length ? data.deployments.map(deploymentBlock) : [el('div', { class: 'card muted' }, 'Nothing is deployed.')]));
      status.textContent = `One sample every ${data.sample_seconds} s, last 15 minutes; updated ${new Date().toLocaleTimeString()}.`;
    } catch (err) {
      status.textContent = err.message;
    }
    if (!stopped) timer = setTimeout(refresh, POLL_MS);
  };
  await refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
