// The console shell: navigation, the admin token, and fetching JSON. A page is one module in
// pages/ exporting `title` and `render(main, params, ctx)`; add it to PAGES to show it.
import * as models from './pages/models.js';
import * as deployments from './pages/deployments.js';
import * as traffic from './pages/traffic.js';
import * as rollouts from './pages/rollouts.js';
import * as monitoring from './pages/monitoring.js';
import * as audit from './pages/audit.js';

const PAGES = [
  { id: 'models', module: models },
  { id: 'deployments', module: deployments },
  { id: 'traffic', module: traffic },
  { id: 'rollouts', module: rollouts },
  { id: 'monitoring', module: monitoring },
  { id: 'audit', module: audit },
];

const TOKEN_KEY = 'ferry.adminToken';
let cleanup = null;

/** The admin token kept for this browser tab only. */
export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

/** An error carrying the server's JSON error message and status. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function call(method, path, body, withToken) {
  const headers = { 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (withToken && token()) headers['Authorization'] = 'Bearer ' + token();
  if (method !== 'GET') headers['X-Ferry-Actor'] = 'console';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    throw new ApiError(res.status, `${res.status}: ${(json && json.error) || text || res.statusText}`);
  }
  return json;
}

/** GET a console API path; sends the admin token when one is kept (the audit log needs it). */
export const getJson = (path) => call('GET', path, undefined, true);

/** Calls the token-protected admin API; without a token the server refuses and its error is thrown. */
export const admin = (method, path, body) => call(method, path, body, true);

/** Shows a message above the page: kind 'error' or 'info'. */
export function notice(kind, message) {
  const n = document.getElementById('notice');
  n.className = kind;
  n.textContent = message;
  n.hidden = false;
}

/** Builds an element: el('td', {class: 'x'}, 'text', child, ...). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** An ISO-8601 instant as "2026-01-31 12:00:05 UTC". */
export function when(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '';
}

export function errorBox(err) {
  return el('div', { class: 'error-box', role: 'alert' }, err.message || String(err));
}

function showTokenState() {
  document.getElementById('token-state').textContent = token() ? 'token set for this tab' : 'no token';
}

function setupToken() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token');
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (input.value.trim()) sessionStorage.setItem(TOKEN_KEY, input.value.trim());
    input.value = '';
    showTokenState();
    route();
  });
  document.getElementById('token-forget').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    showTokenState();
    route();
  });
  showTokenState();
}

async function route() {
  if (cleanup) { cleanup(); cleanup = null; }
  const parts = (location.hash.replace(/^#\/?/, '') || 'models').split('/').map(decodeURIComponent);
  const page = PAGES.find((p) => p.id === parts[0]) || PAGES[0];
  const nav = document.getElementById('nav');
  nav.replaceChildren(...PAGES.map((p) =>
    el('a', { href: '#/' + p.id, id: 'nav-' + p.id, class: p === page ? 'active' : null }, p.module.title)));
  document.getElementById('notice').hidden = true;
  const main = document.getElementById('page');
  main.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  document.title = page.module.title + ' · Ferry console';
  try {
    cleanup = (await page.module.render(main, parts.slice(1), { rerender: route })) || null;
  } catch (err) {
    main.replaceChildren(el('h1', {}, page.module.title), errorBox(err));
  }
}

setupToken();
window.addEventListener('hashchange', route);
route();
