// A small line chart drawn as inline SVG: time on x, one or more series on y.
const NS = 'http://www.w3.org/2000/svg';
export const COLORS = ['var(--s1)', 'var(--s2)', 'var(--s3)', 'var(--s4)'];

function svg(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

const clock = (t) => new Date(t).toISOString().substring(11, 19);

/**
 * Draws series [{name, points: [[t, y], ...]}] (y null is a gap) into an SVG element.
 * `unit` is appended to the y labels; `label` names the chart for screen readers; `max` fixes the
 * top of the y axis (e.g. 100 for a percentage) instead of fitting it to the data.
 */
export function lineChart(series, { unit = '', label = '', height = 150, max = null } = {}) {
  const W = 360, H = height, L = 50, R = 8, T = 8, B = 20;
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': label });
  const all = series.flatMap((s) => s.points.filter((p) => p[1] !== null && p[1] !== undefined));
  const ts = series.flatMap((s) => s.points.map((p) => p[0]));
  if (ts.length === 0) {
    root.append(svg('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle' }, 'no samples yet'));
    return root;
  }
  const t0 = Math.min(...ts), t1 = Math.max(...ts, t0 + 1);
  const yMax = max ?? niceMax(Math.max(0, ...all.map((p) => p[1])));
  const x = (t) => L + (W - L - R) * (t - t0) / (t1 - t0);
  const y = (v) => T + (H - T - B) * (1 - v / yMax);
  for (let i = 0; i <= 4; i++) {
    const v = yMax * i / 4;
    root.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid-line' }));
    root.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' }, +v.toPrecision(3) + unit));
  }
  root.append(svg('text', { x: L, y: H - 6 }, clock(t0)));
  root.append(svg('text', { x: W - R, y: H - 6, 'text-anchor': 'end' }, clock(t1)));
  series.forEach((s, i) => {
    let d = '';
    let pen = 'M';
    for (const [t, v] of s.points) {
      if (v === null || v === undefined) { pen = 'M'; continue; }
      d += `${pen}${x(t).toFixed(1)},${y(v).toFixed(1)} `;
      pen = 'L';
    }
    const color = s.color || COLORS[i % COLORS.length];
    if (d) root.append(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 2, 'data-series': s.name }));
    // a sample with gaps on both sides has no line to be part of: draw it as a dot
    const has = (k) => k >= 0 && k < s.points.length && s.points[k][1] !== null && s.points[k][1] !== undefined;
    s.points.forEach(([t, v], k) => {
      if (has(k) && !has(k - 1) && !has(k + 1)) root.append(svg('circle', { cx: x(t), cy: y(v), r: 2, fill: color }));
    });
    s.points.filter((p) => p[1] !== null && p[1] !== undefined).slice(-1).forEach(([t, v]) =>
      root.append(svg('circle', { cx: x(t), cy: y(v), r: 3, fill: color })));
  });
  return root;
}

/** A legend for the same series. */
export function legend(series) {
  const box = document.createElement('div');
  box.className = 'legend';
  series.forEach((s, i) => {
    const item = document.createElement('span');
    const sw = document.createElement('i');
    sw.style.background = s.color || COLORS[i % COLORS.length];
    item.append(sw, s.name);
    box.append(item);
  });
  return box;
}
