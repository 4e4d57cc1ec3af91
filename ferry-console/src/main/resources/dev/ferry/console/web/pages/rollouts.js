// Staged rollouts: each rollout's stage and canary share, its gates with the figures they decided
// on, its history and a chart of the candidate's share; pause, resume, promote and abort through
// the admin API. Data: /v1/rollouts, the rollout module's open read-only view.
import { admin, el, getJson, notice, when } from '../app.js';
import { legend, lineChart } from '../chart.js';

export const title = 'Rollouts';

const ENDED = ['COMPLETED', 'ROLLED_BACK', 'ABORTED'];

/** A figure as people read it: up to four significant digits; NaN and infinities as the server wrote them. */
function fig(v) {
  if (v === undefined || v === null) return '—';
  if (typeof v !== 'number') return String(v);
  return Number.isInteger(v) ? String(v) : String(+v.toPrecision(4));
}

const pct = (v) => (typeof v === 'number' ? +(100 * v).toPrecision(3) + '%' : fig(v));

function duration(seconds) {
  const s = Math.floor(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${String(Math.floor(s / 60) % 60).padStart(2, '0')} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor(s / 3600) % 24} h`;
}

/**
 * One gate's row: what the champion and the candidate showed, on how many samples, and the test's
 * figure against what fails it. Gates this page does not know (a plugged-in signal) list their figures.
 */
function gateCells(g, r) {
  const f = g.figures || {};
  const alpha = +(1 - r.plan.gates.confidence).toPrecision(3);
  const samples = f.candidate_requests !== undefined ? `${fig(f.candidate_requests)} / ${fig(f.champion_requests)}` : '—';
  switch (g.gate) {
    case 'error_rate':
    case 'fallback_rate':
      return [pct(f.champion_rate), pct(f.candidate_rate), samples,
        f.p_value === undefined ? '—' : `p = ${fig(f.p_value)} (fails below ${alpha})`];
    case 'latency_p99':
      return [f.champion_p99_ms === undefined ? '—' : `p99 ${fig(f.champion_p99_ms)} ms`,
        f.candidate_p99_ms === undefined ? '—' : `p99 ${fig(f.candidate_p99_ms)} ms`, '—',
        f.limit_ms === undefined ? '—' : `limit ${fig(f.limit_ms)} ms`];
    case 'prediction_divergence':
      return ['—', '—', '—', f.ks_distance === undefined ? '—'
        : `KS ${fig(f.ks_distance)} (max ${fig(f.max_distance)}), p = ${fig(f.p_value)} (${alpha}), PSI ${fig(f.psi)}`];
    case 'offline':
      return [fig(f.champion), fig(f.candidate), '—', f.margin === undefined ? '—' : `margin ${fig(f.margin)}`];
    default:
      return ['—', '—', samples, Object.entries(f).map(([k, v]) => `${k} ${fig(v)}`).join(', ') || '—'];
  }
}

const VERDICT = { PASS: ['pass', 'ok'], FAIL: ['fail', 'bad'], WAIT: ['waiting', ''] };

function verdict(v) {
  const [text, cls] = VERDICT[v] || [v, ''];
  return el('span', { class: 'pill verdict ' + cls }, text);
}

function gatesTable(r) {
  if (r.gates.length === 0) {
    return el('p', { class: 'muted' }, ENDED.includes(r.stage) ? 'No gates: the rollout has ended.'
      : 'No verdict on this server yet: the gates are checked on every tick by the server driving the rollout.');
  }
  return el('div', { class: 'table-wrap' }, el('table', { class: 'gates', id: 'gates-' + r.id },
    el('thead', {}, el('tr', {}, ['Gate', 'Champion', 'Candidate', 'Samples (cand. / champ.)', 'Test', 'Verdict']
      .map((t) => el('th', {}, t)))),
    el('tbody', {}, r.gates.map((g) => el('tr', { 'data-gate': g.gate, title: g.message },
      el('td', {}, el('strong', {}, g.gate)), gateCells(g, r).map((c) => el('td', { class: 'mono' }, c)),
      el('td', {}, verdict(g.verdict)))))));
}

function failure(r) {
  if (!r.failure) return null;
  const f = r.failure;
  return el('div', { class: 'error-box rollback', id: 'failure-' + r.id },
    el('strong', {}, `Rolled back: gate ${f.gate} failed. `), f.message,
    el('div', { class: 'mono' }, Object.entries(f.figures).map(([k, v]) => `${k} = ${fig(v)}`).join(' · ')),
    r.rollback_ms === undefined ? null : el('div', {}, `The champion served all traffic again ${fig(r.rollback_ms)} ms after the breach was detected.`));
}

/** The candidate's live share, and the share mirrored to it, after a transition to `label`. */
function shares(label, r) {
  const stage = label.replace(/ \((paused|resumed)\)$/, '');
  const canary = /^CANARY ([\d.]+)%$/.exec(stage);
  const live = canary ? +canary[1] : ['FULL', 'WATCH', 'COMPLETED'].includes(stage) ? 100 : 0;
  return [live, stage === 'SHADOW' ? 100 * r.shadow_share : 0];
}

/** A step chart of the candidate's share of traffic from the rollout's start to now (or its end). */
function shareChart(r, now) {
  const live = [], mirrored = [];
  let prev = null;
  for (const t of r.history) {
    const at = Date.parse(t.at);
    const s = shares(t.to, r);
    if (prev) { live.push([at, prev[0]]); mirrored.push([at, prev[1]]); }
    live.push([at, s[0]]); mirrored.push([at, s[1]]);
    prev = s;
  }
  if (prev && !ENDED.includes(r.stage)) {
    live.push([now, prev[0]]); mirrored.push([now, prev[1]]);
  }
  const series = [{ name: 'candidate, live %', points: live }, { name: 'mirrored to candidate %', points: mirrored }];
  return el('div', { class: 'share-chart' },
    lineChart(series, { unit: '%', label: `candidate share of ${r.deployment} over time`, height: 130, max: 100 }), legend(series));
}

function history(r) {
  return el('div', { class: 'table-wrap' }, el('table', { class: 'history', id: 'history-' + r.id },
    el('thead', {}, el('tr', {}, ['When', 'From', 'To', 'By', 'Why'].map((t) => el('th', {}, t)))),
    el('tbody', {}, r.history.slice().reverse().map((t) => el('tr', {},
      el('td', { class: 'muted' }, when(t.at)), el('td', {}, t.from || '—'), el('td', {}, el('strong', {}, t.to)),
      el('td', {}, t.automatic ? 'gates' : 'by hand'), el('td', { class: 'reason' }, t.reason))))));
}

function actions(r, ctx) {
  if (ENDED.includes(r.stage)) return null;
  const box = el('div', { class: 'actions' });
  const act = (verb, done, cls) => {
    const b = el('button', { id: `${verb}-${r.id}`, class: cls });
    b.textContent = verb[0].toUpperCase() + verb.slice(1);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const s = await admin('POST', `/v1/admin/rollouts/${encodeURIComponent(r.id)}/${verb}`);
        await ctx.rerender();
        notice('info', `${done} rollout '${r.id}': now ${s.label}${s.paused ? ' (paused)' : ''}`);
      } catch (err) {
        notice('error', err.message);
        b.disabled = false;
      }
    });
    box.append(b);
  };
  if (r.paused) act('resume', 'Resumed');
  else act('pause', 'Paused', 'quiet-dark');
  act('promote', 'Promoted');
  act('abort', 'Aborted', 'danger');
  box.append(el('span', { class: 'muted' }, 'changes need the admin token'));
  return box;
}

function card(r, now, ctx) {
  const [live, mirrored] = shares(r.label, r);
  const share = ENDED.includes(r.stage) && r.stage !== 'COMPLETED' ? '0% (the champion serves everything)'
    : `${fig(live)}% live` + (mirrored > 0 ? `, ${fig(mirrored)}% of requests mirrored` : '');
  const version = (ref) => ref.replace(/^[^@]*@/, 'v');
  return el('section', { class: 'card rollout', 'data-rollout': r.id, 'data-deployment': r.deployment },
    el('h2', {}, r.deployment, ' ', el('span', { class: 'pill stage' + (r.stage === 'ROLLED_BACK' ? ' bad' : r.stage === 'COMPLETED' ? ' ok' : '') }, r.label),
      r.paused && !ENDED.includes(r.stage) ? el('span', { class: 'pill paused' }, 'paused') : null,
      ' ', el('span', { class: 'muted mono' }, r.id)),
    el('div', { class: 'stats' },
      el('div', {}, el('span', {}, 'candidate'), el('b', { class: 'stat candidate' }, `${r.candidate}`)),
      el('div', {}, el('span', {}, 'champion'), el('b', { class: 'stat champion' }, `${r.champion}` + (version(r.champion) === `v${r.champion_version}` ? '' : ` (v${r.champion_version})`))),
      el('div', {}, el('span', {}, 'stage'), el('b', { class: 'stat stage-label' }, r.label)),
      el('div', {}, el('span', {}, 'candidate share'), el('b', { class: 'stat share' }, share)),
      el('div', {}, el('span', {}, ENDED.includes(r.stage) ? 'ended' : 'time in stage'),
        el('b', { class: 'stat time-in-stage', 'data-seconds': r.seconds_in_stage ?? undefined },
          r.seconds_in_stage === null ? when(r.stage_started_at) : duration(r.seconds_in_stage)))),
    failure(r),
    el('div', { class: 'rollout-body' },
      el('div', {}, el('h3', {}, ENDED.includes(r.stage) ? 'Gates when it ended' : 'Gates in this stage'), gatesTable(r)),
      el('div', {}, el('h3', {}, 'Candidate share over time'), shareChart(r, now))),
    el('h3', {}, 'History'), history(r),
    actions(r, ctx));
}

export async function render(main, params, ctx) {
  main.replaceChildren(el('h1', {}, 'Rollouts'));
  let data;
  try {
    data = await getJson('/v1/rollouts');
  } catch (err) {
    main.append(err.status === 404
      ? el('div', { class: 'card muted' }, 'Staged rollouts are not enabled on this server (the ferry-rollout module is not on its class path).')
      : el('div', { class: 'error-box' }, err.message));
    return;
  }
  const refresh = el('button', { id: 'rollouts-refresh', class: 'quiet-dark' }, 'Refresh');
  refresh.addEventListener('click', () => ctx.rerender());
  main.append(el('p', { class: 'muted' }, `${data.rollouts.length} rollouts, newest first, as of ${when(data.now)}. `, refresh));
  const now = Date.parse(data.now);
  if (data.rollouts.length === 0) {
    main.append(el('div', { class: 'card muted' }, 'No rollout yet: start one with ', el('code', {}, 'ferry rollout start'), ' or ',
      el('code', {}, 'POST /v1/admin/rollouts'), '.'));
    return;
  }
  main.append(...data.rollouts.map((r) => card(r, now, ctx)));
  // the time in stage keeps counting between refreshes; the figures change only on a refresh
  const loaded = Date.now();
  const timer = setInterval(() => {
    for (const b of main.querySelectorAll('.time-in-stage[data-seconds]')) {
      b.textContent = duration(+b.dataset.seconds + (Date.now() - loaded) / 1000);
    }
  }, 1000);
  return () => clearInterval(timer);
}
