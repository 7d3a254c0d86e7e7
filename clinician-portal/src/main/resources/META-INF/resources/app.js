// ClinLoop portal: signs in with the realm's public client (authorization code + PKCE, S256),
// keeps the access token in this tab's sessionStorage, and shows what the user's roles allow.
// All text from the server is inserted with textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const REASONS = ['CLINICAL_JUDGEMENT', 'DATA_QUALITY', 'PATIENT_PREFERENCE', 'CONTRAINDICATION', 'ADVERSE_EFFECT', 'OTHER'];
let config;

function b64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
function randomString(n) {
  return b64url(crypto.getRandomValues(new Uint8Array(n)));
}
function oidc(path) {
  return `${config.keycloakUrl}/realms/${config.realm}/protocol/openid-connect/${path}`;
}
function redirectUri() {
  return `${location.origin}/`;
}

async function signIn() {
  const verifier = randomString(48);
  const state = randomString(16);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  sessionStorage.setItem('clinloop.pkce', JSON.stringify({ verifier, state }));
  const q = new URLSearchParams({
    client_id: config.clientId, response_type: 'code', scope: 'openid', redirect_uri: redirectUri(),
    code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  location.assign(`${oidc('auth')}?${q}`);
}

async function completeSignIn(params) {
  const pkce = JSON.parse(sessionStorage.getItem('clinloop.pkce') || 'null');
  sessionStorage.removeItem('clinloop.pkce');
  history.replaceState(null, '', '/');
  if (!pkce || pkce.state !== params.get('state')) {
    throw new Error('Sign-in answer did not match this tab (state mismatch); please sign in again.');
  }
  const response = await fetch(oidc('token'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(),
      client_id: config.clientId, code_verifier: pkce.verifier,
    }),
  });
  if (!response.ok) {
    throw new Error(`Keycloak refused the sign-in (${response.status}).`);
  }
  const tokens = await response.json();
  sessionStorage.setItem('clinloop.session', JSON.stringify({
    access: tokens.access_token, idToken: tokens.id_token, expires: Date.now() + tokens.expires_in * 1000,
  }));
}

function session() {
  const s = JSON.parse(sessionStorage.getItem('clinloop.session') || 'null');
  return s && s.expires > Date.now() + 5000 ? s : null;
}

function claims(token) {
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(
    atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
}

async function api(method, path, body) {
  const s = session();
  if (!s) {
    throw new Error('Your session ended; please sign in again.');
  }
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${s.access}`, Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const issues = json && json.issue ? json.issue.map((i) => i.diagnostics).join('; ') : response.statusText;
    throw new Error(`${response.status}: ${issues}`);
  }
  return json;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c);
  return e;
}

async function showAlerts() {
  const box = $('alertList');
  box.replaceChildren();
  const open = await api('GET', '/api/alerts');
  $('alerts').hidden = open.length === 0;
  for (const a of open) {
    const result = el('span', { class: 'result' });
    const card = el('article', { class: `card ${a.severity === 'high' ? 'STAT' : 'URGENT'}`, 'data-alert': a.id },
      el('h3', {}, `${a.patientId} · ${a.code} · ${a.severity}${a.escalatedAt ? ' · ESCALATED' : ''}`),
      el('p', {}, a.detail),
      el('p', { class: 'hint' }, `Raised ${a.createdAt}${a.occurrences > 1 ? `, ${a.occurrences} times` : ''}`),
      el('div', { class: 'actions' },
        el('button', { type: 'button', onclick: async () => {
          try {
            const done = await api('POST', `/api/alerts/${a.id}/acknowledge`, { note: 'Acknowledged in the portal' });
            result.classList.add('done');
            result.textContent = `${done.status} by ${done.acknowledgedBy}`;
            card.querySelectorAll('button').forEach((b) => { b.disabled = true; });
          } catch (e) {
            result.classList.add('error');
            result.textContent = e.message;
          }
        } }, 'Acknowledge'),
        result));
    box.append(card);
  }
}

async function showQueue() {
  $('queue').hidden = false;
  const box = $('tasks');
  box.replaceChildren();
  const tasks = await api('GET', '/api/tasks?status=REQUESTED');
  if (tasks.length === 0) {
    box.append(el('p', {}, 'Nothing waits for you.'));
  }
  for (const t of tasks) {
    const result = el('span', { class: 'result' });
    const reason = el('select', { 'aria-label': 'Rejection reason' }, ...REASONS.map((r) => el('option', { value: r }, r)));
    const decide = async (action) => {
      try {
        const body = action === 'approve' ? { note: 'Approved in the portal' } : { reason: reason.value, note: 'Rejected in the portal' };
        const done = await api('POST', `/api/tasks/${t.id}/${action}`, body);
        result.classList.add('done');
        result.textContent = `${done.status} by ${done.decidedBy}`;
        card.querySelectorAll('button, select').forEach((b) => { b.disabled = true; });
      } catch (e) {
        result.classList.add('error');
        result.textContent = e.message;
      }
    };
    const card = el('article', { class: `card ${t.priority}`, 'data-task': t.id },
      el('h3', {}, `${t.patientId} · ${t.direction} to ${t.proposedDose} · ${t.priority}`),
      el('p', { class: 'rationale' }, t.rationale),
      el('ul', {}, ...t.reasons.map((r) => el('li', {}, r))),
      el('div', { class: 'actions' },
        el('button', { class: 'approve', type: 'button', onclick: () => decide('approve') }, 'Approve'),
        reason,
        el('button', { class: 'reject', type: 'button', onclick: () => decide('reject') }, 'Reject'),
        result));
    box.append(card);
  }
}

async function showAdjustments() {
  $('adjustments').hidden = false;
  const box = $('mine');
  box.replaceChildren();
  for (const a of await api('GET', '/api/me/adjustments')) {
    const ack = el('button', { type: 'button' }, a.acknowledgedAt ? 'Acknowledged' : 'Acknowledge');
    ack.disabled = Boolean(a.acknowledgedAt);
    ack.addEventListener('click', async () => {
      await api('POST', `/api/me/adjustments/${a.id}/acknowledge`);
      ack.textContent = 'Acknowledged';
      ack.disabled = true;
    });
    box.append(el('article', { class: 'card' },
      el('h3', {}, `${a.medication} ${a.dose} ${a.unit} daily`),
      el('p', {}, `From step ${a.fromStep} to ${a.toStep} · ${a.route === 'AUTO' ? 'within the bounds your clinician set' : `approved by ${a.approvedBy}`}`),
      el('div', { class: 'actions' }, ack)));
  }
}

async function showAudit() {
  $('audit').hidden = false;
  $('verify').onclick = async () => {
    const v = await api('GET', '/api/audit/verify');
    $('verification').textContent = v.intact
      ? `Intact: ${v.entriesChecked} entries, head ${v.headHash}`
      : `BROKEN at entry ${v.firstBroken}: ${v.reason}`;
  };
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

// One bar per group: the rate, coloured by its parity against the reference; suppressed groups say so.
function drawRate(report, attributeName) {
  const attribute = report.attributes.find((a) => a.attribute === attributeName);
  const box = $('fairnessChart');
  box.replaceChildren();
  if (!attribute) return;
  const width = 640; const row = 28; const left = 190; const scale = width - left - 120;
  const chart = svg('svg', { class: 'chart', width, height: row * attribute.groups.length + 30, role: 'img',
    'aria-label': `${attributeName}: rate by group` });
  attribute.groups.forEach((g, i) => {
    const y = 10 + i * row;
    chart.append(svg('text', { x: 8, y: y + 17 }, g.group));
    if (g.suppressed) {
      chart.append(svg('text', { x: left, y: y + 17 }, 'suppressed (small group)'));
      return;
    }
    const value = typeof g.metrics.pprev === 'number' ? g.metrics.pprev : null;
    const parity = g.parity.IMPACT;
    const cls = parity === true ? 'fair' : parity === false ? 'unfair' : 'undefined';
    chart.append(svg('rect', { x: left, y: y + 4, width: Math.max(1, (value || 0) * scale), height: row - 10, class: cls }));
    const d = g.disparities.pprev;
    const label = value === null ? 'undefined'
      : `${(100 * value).toFixed(1)}% of ${g.size} · ×${typeof d.ratio === 'number' ? d.ratio.toFixed(2) : 'undefined'}`
        + (d.significant === true ? ' (significant)' : '');
    chart.append(svg('text', { x: left + Math.max(1, (value || 0) * scale) + 6, y: y + 17 }, label));
  });
  const ref = attribute.groups.find((g) => g.group === attribute.references.pprev);
  if (ref && typeof ref.metrics.pprev === 'number') {
    const x = left + ref.metrics.pprev * scale;
    chart.append(svg('line', { x1: x, x2: x, y1: 4, y2: row * attribute.groups.length + 14, class: 'reference' }));
  }
  box.append(chart);
}

async function showFairness() {
  $('fairness').hidden = false;
  let current;
  const render = () => {
    if (!current) return;
    const report = current.content.rates[$('fairRate').value];
    drawRate(report, $('fairAttribute').value);
  };
  const load = (stored) => {
    current = stored;
    const rates = Object.keys(stored.content.rates);
    $('fairRate').replaceChildren(...rates.map((r) => el('option', { value: r }, r)));
    const attrs = stored.content.rates[rates[0]].attributes.map((a) => a.attribute);
    $('fairAttribute').replaceChildren(...attrs.map((a) => el('option', { value: a }, a)));
    $('fairnessMeta').textContent = `Report v${stored.version} of ${stored.createdAt}, ${stored.content.proposals} proposals; `
      + `${stored.content.tests}. SHA-256 ${stored.contentHash.slice(0, 16)}…`;
    render();
  };
  $('fairRate').onchange = render;
  $('fairAttribute').onchange = render;
  $('runFairness').onclick = async () => load(await api('POST', '/api/fairness/reports?kind=HUMAN_LOOP&days=90'));
  const latest = (await api('GET', '/api/fairness/reports')).find((r) => r.kind === 'HUMAN_LOOP');
  if (latest) load(await api('GET', `/api/fairness/reports/${latest.id}`));
}

async function showModels() {
  $('models').hidden = false;
  const box = $('versions');
  box.replaceChildren();
  for (const m of await api('GET', '/api/models')) {
    box.append(el('article', { class: 'card' },
      el('h3', {}, `${m.id} · ${m.status}`),
      el('p', {}, `${m.algorithm}; accuracy ${m.metrics.accuracy?.toFixed(3)}, macro-F1 ${m.metrics.macro_f1?.toFixed(3)}; provenance ${m.provenanceHash.slice(0, 16)}…`)));
  }
}

async function main() {
  config = await (await fetch('/portal/config.json')).json();
  $('signin').onclick = signIn;
  $('signout').onclick = () => {
    const s = session();
    sessionStorage.removeItem('clinloop.session');
    const q = new URLSearchParams({ post_logout_redirect_uri: redirectUri(), client_id: config.clientId, ...(s ? { id_token_hint: s.idToken } : {}) });
    location.assign(`${oidc('logout')}?${q}`);
  };
  const params = new URLSearchParams(location.search);
  if (params.get('code')) {
    await completeSignIn(params);
  }
  const s = session();
  if (!s) {
    $('status').textContent = 'Sign in to see your queue, your dose changes or the audit trail.';
    $('signin').hidden = false;
    return;
  }
  const c = claims(s.access);
  const roles = c.groups || [];
  $('who').textContent = `${c.name || c.preferred_username} (${roles.join(', ')})`;
  $('signout').hidden = false;
  $('status').textContent = '';
  if (roles.includes('clinician')) {
    await showAlerts();
    await showQueue();
  }
  if (roles.includes('patient')) await showAdjustments();
  if (roles.includes('compliance-officer')) await showAudit();
  if (roles.includes('compliance-officer')) await showFairness();
  if (roles.includes('model-steward') || roles.includes('compliance-officer')) await showModels();
}

main().catch((e) => {
  $('status').className = 'error';
  $('status').textContent = e.message;
});
