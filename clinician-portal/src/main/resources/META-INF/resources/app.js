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
  if (roles.includes('clinician')) await showQueue();
  if (roles.includes('patient')) await showAdjustments();
  if (roles.includes('compliance-officer')) await showAudit();
  if (roles.includes('model-steward') || roles.includes('compliance-officer')) await showModels();
}

main().catch((e) => {
  $('status').className = 'error';
  $('status').textContent = e.message;
});
