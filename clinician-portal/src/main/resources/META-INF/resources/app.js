// ClinLoop portal: signs in with the realm's public client (authorization code + PKCE, S256),
// keeps the tokens in this tab's sessionStorage, renews the access token before it expires
// (refresh_token grant) and says so plainly when it cannot, and shows what the user's roles allow.
// All text from the server is inserted with textContent, never as HTML.
'use strict';

const $ = (id) => document.getElementById(id);
const REASONS = ['CLINICAL_JUDGEMENT', 'DATA_QUALITY', 'PATIENT_PREFERENCE', 'CONTRAINDICATION', 'ADVERSE_EFFECT', 'OTHER'];
const LOINC = {
  bloodPressure: '85354-9', heartRate: '8867-4', steps: '41950-7',
  potassium: ['2823-3', '6298-4'], egfr: ['33914-3', '62238-1', '98979-8'],
};
// The protocol's crisis line (titration-safety.drl: "readings below 180/120 for automatic action").
const CRISIS = { systolic: 180, diastolic: 120 };
let config;

// ---- sign-in and the session ---------------------------------------------------------------

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
  sessionStorage.setItem('clinloop.pkce', JSON.stringify({ verifier, state, hash: location.hash }));
  const q = new URLSearchParams({
    client_id: config.clientId, response_type: 'code', scope: 'openid', redirect_uri: redirectUri(),
    code_challenge: challenge, code_challenge_method: 'S256', state,
  });
  location.assign(`${oidc('auth')}?${q}`);
}

/** Keycloak's token endpoint; its refusal is thrown with Keycloak's own words. */
async function tokenRequest(form) {
  const response = await fetch(oidc('token'), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: config.clientId, ...form }),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(`Keycloak answered ${response.status}${json.error_description ? `: ${json.error_description}`
      : json.error ? `: ${json.error}` : ''}`);
  }
  return json;
}

function store(tokens) {
  const now = Date.now();
  const s = {
    access: tokens.access_token, refresh: tokens.refresh_token, idToken: tokens.id_token,
    issued: now, expires: now + tokens.expires_in * 1000,
    refreshExpires: tokens.refresh_expires_in ? now + tokens.refresh_expires_in * 1000 : null,
  };
  sessionStorage.setItem('clinloop.session', JSON.stringify(s));
  return s;
}

async function completeSignIn(params) {
  const pkce = JSON.parse(sessionStorage.getItem('clinloop.pkce') || 'null');
  sessionStorage.removeItem('clinloop.pkce');
  history.replaceState(null, '', `/${pkce && pkce.hash ? pkce.hash : ''}`);
  if (!pkce || pkce.state !== params.get('state')) {
    throw new Error('Sign-in answer did not match this tab (state mismatch); please sign in again.');
  }
  store(await tokenRequest({
    grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(), code_verifier: pkce.verifier,
  }));
}

function stored() {
  return JSON.parse(sessionStorage.getItem('clinloop.session') || 'null');
}

let refreshing = null;
let refreshTimer = null;

/**
 * Renews the access token with the refresh token. One renewal at a time; when Keycloak refuses
 * (session ended, signed out elsewhere, idle too long) the session is dropped and the page says so.
 */
function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const s = stored();
      if (!s || !s.refresh) throw new Error('there is no refresh token in this tab');
      const renewed = store(await tokenRequest({ grant_type: 'refresh_token', refresh_token: s.refresh }));
      document.body.dataset.renewals = String(Number(document.body.dataset.renewals || 0) + 1);
      schedule(renewed);
      return renewed;
    })().catch((e) => {
      sessionEnded(`Your sign-in could not be renewed (${e.message}). Sign in again to go on.`);
      throw e;
    }).finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** Renews at 70% of the access token's life (at least 5 s before it ends), so that calls never carry a stale one. */
function schedule(s) {
  clearTimeout(refreshTimer);
  const life = s.expires - s.issued;
  const at = Math.min(s.issued + life * 0.7, s.expires - 5000);
  refreshTimer = setTimeout(() => refresh().catch(() => {}), Math.max(0, at - Date.now()));
}

function sessionEnded(message) {
  clearTimeout(refreshTimer);
  sessionStorage.removeItem('clinloop.session');
  document.body.dataset.session = 'ended';
  $('sessionMessage').textContent = message;
  $('session').hidden = false;
  $('signin').hidden = false;
  $('signout').hidden = true;
}

/** A current access token, renewed first when it is about to end. */
async function accessToken() {
  const s = stored();
  if (!s) {
    sessionEnded('You are not signed in (or your sign-in ended). Sign in again to go on.');
    throw new Error('Not signed in.');
  }
  if (s.expires - Date.now() < 10000) {
    return (await refresh()).access;
  }
  return s.access;
}

function claims(token) {
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(
    atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))));
}

/** An OperationOutcome's text (every issue's diagnostics), or the HTTP status when there is none. */
function outcomeText(json, response) {
  if (json && Array.isArray(json.issue) && json.issue.length) {
    return json.issue.map((i) => i.diagnostics || (i.details && i.details.text) || i.code).join('; ');
  }
  return response.statusText || 'no explanation given';
}

async function api(method, path, body, retried) {
  const token = await accessToken();
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  if (response.status === 401 && !retried) {
    await refresh(); // the token was refused: renew once and try again, or say the session ended
    return api(method, path, body, true);
  }
  if (!response.ok) {
    throw new Error(`${response.status}: ${outcomeText(json, response)}`);
  }
  return json;
}

/** Every entry of a FHIR search, following next links (at most {@code pages} pages). */
async function fhirAll(path, pages = 10) {
  const out = [];
  let next = path;
  for (let i = 0; next && i < pages; i++) {
    const bundle = await api('GET', next);
    (bundle.entry || []).forEach((e) => out.push(e.resource));
    const link = (bundle.link || []).find((l) => l.relation === 'next');
    next = link ? new URL(link.url, location.origin).pathname + new URL(link.url, location.origin).search : null;
  }
  return out;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function fail(box, e) {
  box.append(el('p', { class: 'error', role: 'alert' }, e.message));
}

const fmt = {
  mmHg: (s, d) => `${Math.round(s)}/${Math.round(d)}`,
  when: (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''),
  day: (iso) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : ''),
  age: (iso) => {
    const m = Math.round((Date.now() - new Date(iso).getTime()) / 60000);
    return m < 60 ? `${m} min` : m < 2880 ? `${Math.round(m / 60)} h` : `${Math.round(m / 1440)} d`;
  },
};
const patientName = (p) => p.name || p.patientId;

// ---- clinician: panel, queue, alerts, patient page -----------------------------------------

const views = ['panel', 'queue', 'alerts', 'patient'];
let panelCache = null;
let panelSort = { key: 'risk', descending: true };

async function loadPanel() {
  panelCache = await api('GET', '/api/panel');
  const count = (f) => panelCache.filter(f).length;
  document.querySelector("#clinicianNav a[href='#/queue']").textContent = `Queue (${count((p) => p.openTask)})`;
  document.querySelector("#clinicianNav a[href='#/alerts']").textContent = `Alerts (${panelCache.reduce((n, p) => n + p.openAlerts, 0)})`;
  return panelCache;
}

function statusBadges(p) {
  const badges = [];
  const badge = (cls, text) => badges.push(el('span', { class: `badge ${cls}` }, text));
  if (p.openAlerts > 0) badge(p.worstAlert === 'high' ? 'alert high' : 'alert', `${p.openAlerts} alert${p.openAlerts > 1 ? 's' : ''}${p.escalated ? ', escalated' : ''}`);
  if (p.openTask) badge(`pending ${p.openTask.priority}`, `proposal pending (${p.openTask.priority})`);
  if (p.inTarget === true) badge('in-target', 'in target');
  else if (p.inTarget === false) badge('off-target', 'above target');
  else badge('no-data', 'no readings this week');
  if (p.followUpOverdue) badge('follow-up', `follow-up due since ${fmt.day(p.followUpDue)}`);
  return badges;
}

function renderPanel() {
  const rows = [...panelCache];
  const { key, descending } = panelSort;
  rows.sort((a, b) => {
    const c = key === 'risk' ? a.risk - b.risk : patientName(a).localeCompare(patientName(b));
    return descending ? -c : c;
  });
  document.querySelectorAll('#panelTable th').forEach((th) => th.removeAttribute('aria-sort'));
  const th = document.querySelector(`#panelTable button[data-sort='${key}']`).parentElement;
  th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
  const pending = rows.filter((p) => p.openTask).length;
  const alerting = rows.filter((p) => p.openAlerts > 0).length;
  const inTarget = rows.filter((p) => p.inTarget === true).length;
  $('panelSummary').textContent = `${rows.length} patients: ${inTarget} in target, ${pending} with a proposal pending, `
    + `${alerting} with an open alert.`;
  $('panelRows').replaceChildren(...rows.map((p) => el('tr', { 'data-patient': p.patientId, 'data-risk': p.risk },
    el('th', { scope: 'row' }, el('a', { href: `#/patient/${encodeURIComponent(p.patientId)}` }, patientName(p))),
    el('td', { class: 'num', title: p.riskReasons.join('; ') || 'nothing pressing' }, String(p.risk)),
    el('td', {}, p.weekMeanSystolic == null ? '—' : `${fmt.mmHg(p.weekMeanSystolic, p.weekMeanDiastolic)} `,
      el('span', { class: 'hint' }, `target < ${fmt.mmHg(p.systolicTarget, p.diastolicTarget)}`)),
    el('td', { class: 'status' }, ...statusBadges(p)),
    el('td', {}, p.dose || (p.doseStep == null ? 'no regimen' : `step ${p.doseStep}`)),
    el('td', {}, p.followUpDue ? `${p.followUpOverdue ? 'due since' : 'by'} ${fmt.day(p.followUpDue)}` : '—',
      el('br'), el('span', { class: 'hint' }, `every ${p.followUpDays} d: ${p.followUpReason}`)),
    el('td', { class: 'autonomy' }, p.autonomyEarned ? 'earned'
      : `not earned (${p.consecutiveApprovals} of ${p.requiredApprovals} approvals)`,
    p.autonomyEnabled ? null : el('span', { class: 'hint' }, ' · off in bounds')))));
}

async function showPanel() {
  await loadPanel();
  renderPanel();
}

async function showQueue() {
  const [panel, tasks] = await Promise.all([loadPanel(), api('GET', '/api/tasks?status=REQUESTED&limit=500')]);
  const byPatient = new Map(panel.map((p) => [p.patientId, p]));
  const open = new Map();
  for (const t of tasks) {
    const known = open.get(t.patientId);
    if (!known || t.createdAt > known.createdAt) open.set(t.patientId, t); // one open proposal per patient
  }
  const rows = [...open.values()].sort((a, b) => {
    const ra = byPatient.get(a.patientId)?.risk ?? 0; const rb = byPatient.get(b.patientId)?.risk ?? 0;
    return rb - ra || a.createdAt.localeCompare(b.createdAt);
  });
  $('queueEmpty').hidden = rows.length > 0;
  $('queueRows').replaceChildren(...rows.map((t) => {
    const p = byPatient.get(t.patientId) || { patientId: t.patientId, risk: 0 };
    return el('tr', { 'data-task': t.id, 'data-patient': t.patientId, class: t.priority },
      el('th', { scope: 'row' }, el('a', { href: `#/patient/${encodeURIComponent(t.patientId)}` }, patientName(p))),
      el('td', { class: 'num' }, String(p.risk)),
      el('td', {}, el('strong', {}, `${t.direction} to ${t.proposedDose}`), el('br'),
        el('span', { class: 'hint' }, `step ${t.fromStep} → ${t.toStep} · ${t.priority} · p ${t.probability.toFixed(2)}`)),
      el('td', {}, t.rationale, t.reasons.length ? el('ul', {}, ...t.reasons.map((r) => el('li', {}, r))) : null),
      el('td', {}, fmt.age(t.createdAt)));
  }));
}

async function showAlerts() {
  const box = $('alertList');
  box.replaceChildren();
  const [open, panel] = await Promise.all([api('GET', '/api/alerts'), loadPanel()]);
  const names = new Map(panel.map((p) => [p.patientId, patientName(p)]));
  if (open.length === 0) box.append(el('p', {}, 'No open alerts.'));
  for (const a of open) {
    const result = el('span', { class: 'result', role: 'status' });
    const note = el('input', { type: 'text', id: `note-${a.id}`, value: 'Acknowledged in the portal' });
    const card = el('article', { class: `card ${a.severity === 'high' ? 'STAT' : 'URGENT'}`, 'data-alert': a.id },
      el('h3', {}, el('a', { href: `#/patient/${encodeURIComponent(a.patientId)}` }, names.get(a.patientId) || a.patientId),
        ` · ${a.code} · ${a.severity}${a.escalatedAt ? ' · ESCALATED' : ''}`),
      el('p', {}, a.detail),
      el('p', { class: 'hint' }, `Raised ${fmt.when(a.createdAt)}${a.occurrences > 1 ? `, ${a.occurrences} times` : ''}`),
      el('div', { class: 'actions' },
        el('label', { for: `note-${a.id}` }, 'Note'), note,
        el('button', { type: 'button', onclick: async () => {
          try {
            const done = await api('POST', `/api/alerts/${a.id}/acknowledge`, { note: note.value });
            result.className = 'result done';
            result.textContent = `${done.status} by ${done.acknowledgedBy}`;
            card.querySelectorAll('button, input').forEach((b) => { b.disabled = true; });
          } catch (e) {
            result.className = 'result error';
            result.textContent = e.message;
          }
        } }, 'Acknowledge'),
        result));
    box.append(card);
  }
}

/** A quantity Observation's value and unit, or a component's. */
function quantity(o) {
  return o.valueQuantity ? { value: o.valueQuantity.value, unit: o.valueQuantity.unit || o.valueQuantity.code || '' } : null;
}
function effective(o) {
  return o.effectiveDateTime || (o.effectivePeriod && o.effectivePeriod.start) || o.issued;
}
function bp(o) {
  const c = (code) => (o.component || []).find((x) => (x.code.coding || []).some((k) => k.code === code));
  const s = c('8480-6'); const d = c('8462-4');
  return s && d && s.valueQuantity && d.valueQuantity
    ? { at: new Date(effective(o)).getTime(), systolic: s.valueQuantity.value, diastolic: d.valueQuantity.value } : null;
}

let patientRange = 30;
// What the last decision on this page came to, still shown after the page reloads with its result.
let lastOutcome = null;

async function showPatient(patientId) {
  const box = $('proposalBody');
  box.replaceChildren();
  $('bpChart').replaceChildren();
  $('vitals').replaceChildren();
  $('plan').replaceChildren();
  $('regimen').textContent = '';
  $('patientFacts').textContent = '';
  $('patientTitle').textContent = patientId;
  const enc = encodeURIComponent(patientId);
  const since = `${new Date(Date.now() - 90 * 86400000).toISOString().slice(0, 19)}Z`;
  const codes = (list) => list.map((c) => `http://loinc.org|${c}`).join(',');
  const entry = (await loadPanel()).find((p) => p.patientId === patientId) || null;
  // What the panel already knows is not asked again; nothing is asked that would answer 404.
  const bounds = entry ? entry.activeBounds : null;
  const [patient, regimen, goal, followUp, adjustments, alerts, readings, others, history] = await Promise.all([
    api('GET', `/fhir/Patient/${enc}`),
    entry && entry.doseStep != null ? api('GET', `/api/patients/${enc}/regimen`) : null,
    api('GET', `/api/patients/${enc}/goal`),
    api('GET', `/api/patients/${enc}/follow-up`), api('GET', `/api/patients/${enc}/adjustments?limit=200`),
    api('GET', `/api/patients/${enc}/alerts?limit=200`),
    fhirAll(`/fhir/Observation?${new URLSearchParams({ patient: patientId, code: codes([LOINC.bloodPressure]),
      date: `ge${since}`, _count: 500 })}`),
    fhirAll(`/fhir/Observation?${new URLSearchParams({ patient: patientId,
      code: codes([LOINC.heartRate, LOINC.steps, ...LOINC.potassium, ...LOINC.egfr]), _count: 200 })}`, 1),
    api('GET', `/api/patients/${enc}/bounds/history`),
  ]);
  const name = patient.name && patient.name[0]
    ? [...(patient.name[0].given || []), patient.name[0].family].filter(Boolean).join(' ') : patientId;
  $('patientTitle').textContent = name;
  $('patientFacts').textContent = [patient.birthDate ? `born ${patient.birthDate}` : null, patient.gender,
    entry ? `risk ${entry.risk}${entry.riskReasons.length ? ` (${entry.riskReasons.join('; ')})` : ''}` : null]
    .filter(Boolean).join(' · ');

  // Regimen, goal, bounds, follow-up.
  $('regimen').textContent = regimen
    ? `${entry && entry.dose ? entry.dose : `step ${regimen.doseStep}`} (step ${regimen.doseStep} of ${regimen.protocol}) since `
      + `${fmt.day(regimen.since)}, set by ${regimen.setBy}`
    : 'No regimen on record.';
  $('plan').append(
    el('li', {}, `Goal: below ${fmt.mmHg(goal.systolicTarget, goal.diastolicTarget)} mm[Hg] (set by ${goal.setBy})`),
    el('li', {}, bounds
      ? `Bounds v${bounds.version} by ${bounds.authoredBy}: steps ${bounds.lowestStep}–${bounds.highestStep}, at most `
        + `${bounds.maxAutoSteps} step(s) on its own, systolic floor ${bounds.systolicFloor}, autonomy `
        + `${bounds.autonomyEnabled ? 'enabled' : 'off'}`
      : 'No signed bounds: every change needs your approval.'),
    el('li', {}, `Follow-up every ${followUp.intervalDays} days: ${followUp.reason}`),
    entry ? el('li', {}, `Autonomy ${entry.autonomyEarned ? 'earned' : 'not earned'}: ${entry.consecutiveApprovals} of `
      + `${entry.requiredApprovals} proposals approved unmodified in a row`) : '');

  $('boundsRows').replaceChildren(...[...history].sort((a, b) => b.version - a.version).map((b) => el('tr',
    { 'data-version': b.version, class: bounds && bounds.version === b.version ? 'active' : null },
    el('th', { scope: 'row' }, `v${b.version}${bounds && bounds.version === b.version ? ' (active)' : ''}`),
    el('td', {}, `${b.authoredBy}, ${fmt.day(b.authoredAt)}`),
    el('td', {}, `${b.lowestStep}–${b.highestStep}, ±${b.maxAutoSteps} alone`),
    el('td', {}, String(b.systolicFloor)),
    el('td', {}, b.autonomyEnabled ? `on (p ≥ ${b.minConfidence})` : 'off'))));
  if (history.length === 0) $('boundsRows').append(el('tr', {}, el('td', { colspan: 5 }, 'None signed.')));
  planEditors(patientId, bounds || [...history].sort((a, b) => b.version - a.version)[0] || null, goal,
    (bounds && bounds.protocol) || (regimen && regimen.protocol) || null);

  // Latest heart rate, steps and labs.
  const latest = (codes) => others.filter((o) => (o.code.coding || []).some((c) => codes.includes(c.code)))
    .sort((a, b) => new Date(effective(b)) - new Date(effective(a)))[0];
  for (const [label, codes] of [['Heart rate', [LOINC.heartRate]], ['Steps', [LOINC.steps]],
    ['Potassium', LOINC.potassium], ['eGFR', LOINC.egfr]]) {
    const o = latest(codes);
    const q = o && quantity(o);
    $('vitals').append(el('tr', { 'data-measure': label },
      el('th', { scope: 'row' }, label),
      el('td', {}, q ? `${q.value} ${q.unit}` : 'none recorded'),
      el('td', {}, o ? fmt.when(effective(o)) : '')));
  }

  // The chart.
  const bpReadings = readings.map(bp).filter(Boolean);
  const doses = adjustments.map((a) => ({ at: new Date(a.createdAt).getTime(),
    label: `${a.medication} ${a.dose} ${a.unit}: step ${a.fromStep} → ${a.toStep} (${a.route === 'AUTO' ? 'automatic' : `by ${a.approvedBy}`})` }));
  const alertMarks = alerts.map((a) => ({ at: new Date(a.createdAt).getTime(), severity: a.severity,
    label: `${a.code} (${a.severity}): ${a.detail}` }));
  const drawChart = () => {
    const to = Date.now();
    const svg = BloodPressureChart.draw({ from: to - patientRange * BloodPressureChart.DAY, to, readings: bpReadings,
      goal: { systolic: goal.systolicTarget, diastolic: goal.diastolicTarget },
      floor: bounds ? bounds.systolicFloor : null, crisis: CRISIS, doses, alerts: alertMarks });
    $('bpChart').replaceChildren(svg);
    document.querySelectorAll('button.range').forEach((b) => b.setAttribute('aria-pressed',
      String(Number(b.dataset.days) === patientRange)));
    $('bpLegend').textContent = `Systolic (solid) and diastolic (light) over ${patientRange} days. Green band: systolic `
      + `target below ${goal.systolicTarget}${bounds ? `, above the bounds' floor of ${bounds.systolicFloor} (grey below it)` : ''}; `
      + `dashed line: diastolic target ${goal.diastolicTarget}; red band: crisis (${CRISIS.systolic}+). Triangles: dose changes; `
      + 'diamonds: alerts.';
  };
  document.querySelectorAll('button.range').forEach((b) => {
    b.onclick = () => { patientRange = Number(b.dataset.days); drawChart(); };
  });
  drawChart();

  // The open proposal.
  if (lastOutcome && lastOutcome.patientId === patientId) {
    box.append(el('p', { class: 'result done', role: 'status' }, lastOutcome.text));
    lastOutcome = null;
  }
  if (!entry || !entry.openTask) {
    box.append(el('p', {}, 'No proposal waits for a decision.'));
    return;
  }
  const taskPath = `/api/tasks/${encodeURIComponent(entry.openTask.id)}`;
  const [task, explained, options] = await Promise.all([api('GET', taskPath), api('GET', `${taskPath}/explanation`),
    api('GET', `${taskPath}/steps`)]);
  renderProposal(box, task, explained, options, entry.doseLadder || [], () => route());
}

/** The model's feature contributions and the rules that fired, as the decision recorded them. */
function explanation(x) {
  if (!x.recorded) {
    return [el('p', { class: 'hint' }, 'The decision\'s record is still being written to the audit log; reload in a '
      + 'moment for the feature contributions and the rules that fired.')];
  }
  const signed = (v) => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
  const top = x.contributions.slice(0, 8);
  const widest = Math.max(...top.map((c) => Math.abs(c.contribution)), 1e-9);
  const bar = (v) => {
    const w = 120; const half = w / 2; const len = (Math.abs(v) / widest) * half;
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('width', w); svg.setAttribute('height', 12); svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('class', 'contribution');
    const r = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    r.setAttribute('x', v >= 0 ? half : half - len); r.setAttribute('y', 1); r.setAttribute('width', len);
    r.setAttribute('height', 10); r.setAttribute('class', v >= 0 ? 'towards' : 'against');
    svg.append(r);
    return svg;
  };
  const probabilities = Object.entries(x.probabilities).sort((a, b) => b[1] - a[1])
    .map(([d, p]) => `${d} ${p.toFixed(2)}`).join(' · ');
  return [
    el('p', { class: 'model' }, `Model ${x.modelId} (${x.algorithm}), provenance ${x.provenanceHash.slice(0, 12)}…; `
      + `probabilities ${probabilities}`),
    x.method ? el('table', { class: 'grid small contributions' },
      el('caption', {}, `Feature contributions to the margin over ${x.against} (${x.method}): model default `
        + `${signed(x.intercept)}, total ${signed(x.margin)}`),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Feature'), el('th', { scope: 'col' }, 'Value'),
        el('th', { scope: 'col' }, 'Contribution'), el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Bar')))),
      el('tbody', {}, ...top.map((c) => el('tr', { 'data-feature': c.feature },
        el('th', { scope: 'row' }, c.feature),
        el('td', { class: 'num' }, c.value == null ? 'missing' : String(Math.round(c.value * 100) / 100)),
        el('td', { class: 'num' }, signed(c.contribution)),
        el('td', {}, bar(c.contribution))))))
      : el('p', { class: 'hint' }, 'This model gave no per-feature explanation.'),
    el('h5', {}, `Rules that fired (${x.rulesVersion}, bounds v${x.boundsVersion}) → ${x.tier}`),
    el('ul', { class: 'rules' }, ...x.rulesFired.map((f) => el('li', { 'data-rule': f.rule },
      el('strong', {}, f.rule), ` (${f.verdict}): ${f.reason}`))),
  ];
}

function renderProposal(box, t, explained, options, ladder, reload) {
  const dose = (step) => (ladder[step] ? `step ${step}: ${ladder[step]}` : `step ${step}`);
  const result = el('p', { class: 'result', role: 'status' });
  const note = el('input', { type: 'text', id: 'decisionNote', placeholder: 'optional' });
  const reason = el('select', { id: 'rejectReason' }, ...REASONS.map((r) => el('option', { value: r }, r)));
  // Steps offered for a modification: those the server's re-check would deliver now (GET …/steps: the same
  // rules, bounds and hard limits as the modification itself), but the proposed one (approve covers it).
  // The others are listed with the rules' reasons; the server checks again when asked.
  const steps = options.steps.filter((o) => o.allowed && !o.proposed).map((o) => o.step);
  const notOffered = options.steps.filter((o) => !o.allowed && !o.current);
  const modifyTo = el('select', { id: 'modifyStep' }, ...steps.map((s) => el('option', { value: s }, dose(s))));
  const refusedSteps = notOffered.length ? el('details', { class: 'not-offered' },
    el('summary', {}, `Not offered: ${notOffered.map((o) => `step ${o.step}`).join(', ')}`),
    el('ul', {}, ...notOffered.map((o) => el('li', { 'data-step': o.step }, `${dose(o.step)}: ${o.refusals.join('; ')}`))))
    : null;
  const decide = async (action, body) => {
    try {
      const done = await api('POST', `/api/tasks/${encodeURIComponent(t.id)}/${action}`, body);
      result.className = 'result done';
      result.textContent = `${done.status}${done.modifiedToStep != null ? ` (modified to step ${done.modifiedToStep})` : ''} by `
        + `${done.decidedBy} at ${fmt.when(done.decidedAt)}`;
      box.querySelectorAll('button, select, input').forEach((b) => { b.disabled = true; });
      lastOutcome = { patientId: t.patientId, text: result.textContent };
      panelCache = null;
      const here = location.hash;
      setTimeout(() => { if (location.hash === here) reload(); }, 1500); // not if the clinician went elsewhere
    } catch (e) {
      result.className = 'result error';
      result.textContent = e.message;
    }
  };
  const since = t.alertsSinceProposal || [];
  box.append(el('article', { class: `card ${t.priority}`, 'data-task': t.id },
    el('h4', {}, `${t.direction}: ${dose(t.fromStep)} → ${t.proposedDose} (step ${t.toStep})`),
    el('p', { class: 'hint' }, `${t.priority} · queued ${fmt.when(t.createdAt)} · expires ${fmt.when(t.expiresAt)} · `
      + `model ${t.modelId}, probability ${t.probability.toFixed(2)}`),
    since.length ? el('div', { class: 'since', role: 'alert' },
      el('h5', {}, `${since.length} alert(s) since this was proposed — read before approving`),
      el('ul', {}, ...since.map((a) => el('li', {}, `${fmt.when(a.createdAt)} · ${a.code} (${a.severity}): ${a.detail}`))))
      : el('p', { class: 'hint' }, 'No alerts since this was proposed.'),
    el('h5', {}, 'Why the model proposes it'),
    el('p', { class: 'rationale' }, t.rationale),
    // The rules that fired say why it waits; until their record is chained, the task's own reasons do.
    explained.recorded ? null : el('h5', {}, 'Why it waits for you'),
    explained.recorded ? null : el('ul', { class: 'reasons' }, ...t.reasons.map((r) => el('li', {}, r))),
    ...explanation(explained),
    el('div', { class: 'decide' },
      el('div', { class: 'actions' },
        el('label', { for: 'decisionNote' }, 'Note'), note),
      el('div', { class: 'actions' },
        el('button', { class: 'approve', type: 'button', onclick: () => decide('approve', { note: note.value || 'Approved in the portal' }) },
          'Approve as proposed')),
      el('div', { class: 'actions' },
        el('label', { for: 'modifyStep' }, 'Or a different step'), modifyTo,
        el('button', { class: 'modify', type: 'button', disabled: steps.length === 0 ? 'disabled' : null,
          onclick: () => decide('modify', { toStep: Number(modifyTo.value), note: note.value || 'Modified in the portal' }) },
        'Modify and approve')),
      refusedSteps,
      el('div', { class: 'actions' },
        el('label', { for: 'rejectReason' }, 'Rejection reason'), reason,
        el('button', { class: 'reject', type: 'button', onclick: () => decide('reject', { reason: reason.value, note: note.value || 'Rejected in the portal' }) },
          'Reject'))),
    result));
}

/**
 * The bounds and goal editors of the patient page, filled with what is in force. Signing a bounds version
 * is two calls (sign, then activate, each audited); the server's refusal is shown in its own words.
 */
function planEditors(patientId, bounds, goal, protocol) {
  const enc = encodeURIComponent(patientId);
  const fields = { bLowest: 'lowestStep', bHighest: 'highestStep', bMaxAuto: 'maxAutoSteps', bFloor: 'systolicFloor',
    bConfidence: 'minConfidence', bMinDays: 'minDaysBetweenAutoChanges', bPer30: 'maxAutoChangesPer30Days' };
  const start = bounds || { lowestStep: 0, highestStep: 0, maxAutoSteps: 0, systolicFloor: 110, minConfidence: 0.8,
    minDaysBetweenAutoChanges: 14, maxAutoChangesPer30Days: 1, autonomyEnabled: false };
  for (const [id, key] of Object.entries(fields)) $(id).value = start[key];
  $('bAutonomy').checked = Boolean(start.autonomyEnabled);
  $('boundsResult').replaceChildren();
  $('boundsSign').disabled = !protocol;
  if (!protocol) $('boundsResult').append(el('p', { class: 'hint' }, 'No regimen yet: bounds follow the protocol of a regimen.'));
  $('boundsForm').onsubmit = async (event) => {
    event.preventDefault();
    const draft = { protocol, autonomyEnabled: $('bAutonomy').checked };
    for (const [id, key] of Object.entries(fields)) draft[key] = Number($(id).value);
    $('boundsSign').disabled = true;
    $('boundsResult').replaceChildren(el('p', { class: 'hint' }, 'Signing…'));
    try {
      const signed = await api('POST', `/api/patients/${enc}/bounds`, draft);
      await api('POST', `/api/patients/${enc}/bounds/${signed.version}/activate`);
      await showPatient(patientId);
      $('boundsEditor').open = true;
      $('boundsResult').replaceChildren(el('p', { class: 'done', role: 'status' }, `Bounds v${signed.version} signed and active.`));
    } catch (e) {
      $('boundsResult').replaceChildren(el('p', { class: 'error', role: 'alert' }, `Refused: ${e.message}`));
    } finally {
      $('boundsSign').disabled = false;
    }
  };
  $('gSystolic').value = goal.systolicTarget;
  $('gDiastolic').value = goal.diastolicTarget;
  $('goalResult').replaceChildren();
  $('goalForm').onsubmit = async (event) => {
    event.preventDefault();
    try {
      const set = await api('PUT', `/api/patients/${enc}/goal`,
        { systolicTarget: Number($('gSystolic').value), diastolicTarget: Number($('gDiastolic').value) });
      await showPatient(patientId);
      $('goalEditor').open = true;
      $('goalResult').replaceChildren(el('p', { class: 'done', role: 'status' },
        `Goal set: below ${fmt.mmHg(set.systolicTarget, set.diastolicTarget)} mm[Hg].`));
    } catch (e) {
      $('goalResult').replaceChildren(el('p', { class: 'error', role: 'alert' }, `Refused: ${e.message}`));
    }
  };
}

/** The clinician's views, by the location's hash: #/panel, #/queue, #/alerts, #/patient/{id}. */
async function route() {
  const hash = location.hash || '#/panel';
  const [, view, arg] = hash.match(/^#\/([a-z]+)\/?(.*)$/) || [null, 'panel', ''];
  const name = views.includes(view) ? view : 'panel';
  views.forEach((v) => { $(v).hidden = v !== name; });
  document.querySelectorAll('#clinicianNav a').forEach((a) => {
    if (a.getAttribute('href') === `#/${name}`) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  $('status').className = '';
  $('status').textContent = '';
  try {
    if (name === 'panel') await showPanel();
    if (name === 'queue') await showQueue();
    if (name === 'alerts') await showAlerts();
    if (name === 'patient') await showPatient(decodeURIComponent(arg));
  } catch (e) {
    $('status').className = 'error';
    $('status').textContent = e.message;
  }
}

function clinicianWorkspace() {
  $('clinicianNav').hidden = false;
  document.querySelectorAll('#panelTable button.sort').forEach((b) => {
    b.onclick = () => {
      const key = b.dataset.sort;
      panelSort = { key, descending: panelSort.key === key ? !panelSort.descending : key === 'risk' };
      renderPanel();
    };
  });
  window.addEventListener('hashchange', route);
  follow();
  return route();
}

// ---- live updates ------------------------------------------------------------------------------

let workloadStamp = null;

/** What waits, in the navigation and the tab's title; a change reloads a list view the user is not typing in. */
function onWorkload(w) {
  document.querySelector("#clinicianNav a[href='#/queue']").textContent = `Queue (${w.patientsWaiting})`;
  document.querySelector("#clinicianNav a[href='#/alerts']").textContent = `Alerts (${w.openAlerts})`;
  document.title = w.openAlerts > 0 ? `(${w.openAlerts}) ClinLoop` : 'ClinLoop';
  document.body.dataset.workload = w.stamp;
  const changed = workloadStamp !== null && workloadStamp !== w.stamp;
  workloadStamp = w.stamp;
  if (!changed) return;
  const view = (location.hash.match(/^#\/([a-z]+)/) || [null, 'panel'])[1];
  const typing = document.activeElement && ['INPUT', 'TEXTAREA', 'SELECT'].includes(document.activeElement.tagName);
  if (['panel', 'queue', 'alerts'].includes(view) && !typing) {
    route();
  } else {
    $('status').className = 'notice';
    $('status').replaceChildren('New proposals or alerts have arrived. ',
      el('button', { type: 'button', onclick: () => route() }, 'Show them'));
  }
}

/**
 * Follows GET /api/live (server-sent events, read with fetch so that the token goes in a header, not
 * the URL); reopens the stream with a fresh token when the server ends it, and after a failure.
 */
async function follow() {
  const decoder = new TextDecoder();
  while (document.body.dataset.session === 'active') {
    try {
      const response = await fetch('/api/live', { headers: { Authorization: `Bearer ${await accessToken()}`, Accept: 'text/event-stream' } });
      if (!response.ok || !response.body) throw new Error(`live updates: ${response.status}`);
      document.body.dataset.live = 'open';
      const reader = response.body.getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          const field = (name) => lines.filter((l) => l.startsWith(`${name}:`)).map((l) => l.slice(name.length + 1).replace(/^ /, ''));
          const data = field('data').join('\n');
          if ((field('event')[0] || 'message') === 'workload' && data) onWorkload(JSON.parse(data));
        }
      }
    } catch (e) {
      document.body.dataset.live = 'retrying';
      await new Promise((resolve) => { setTimeout(resolve, 5000); });
    }
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

async function main() {
  config = await (await fetch('/portal/config.json')).json();
  $('signin').onclick = signIn;
  $('signinAgain').onclick = signIn;
  $('signout').onclick = () => {
    const s = stored();
    sessionStorage.removeItem('clinloop.session');
    const q = new URLSearchParams({ post_logout_redirect_uri: redirectUri(), client_id: config.clientId, ...(s ? { id_token_hint: s.idToken } : {}) });
    location.assign(`${oidc('logout')}?${q}`);
  };
  const params = new URLSearchParams(location.search);
  if (params.get('code')) {
    await completeSignIn(params);
  }
  let s = stored();
  if (s && s.expires - Date.now() < 10000) {
    s = await refresh().catch(() => null); // a reload after the access token ended: renew it, or say why not
  }
  if (!s) {
    $('status').textContent = 'Sign in to see your panel, your dose changes or the audit trail.';
    $('signin').hidden = false;
    return;
  }
  schedule(s);
  document.body.dataset.session = 'active';
  const c = claims(s.access);
  const roles = c.groups || [];
  $('who').textContent = `${c.name || c.preferred_username} (${roles.join(', ')})`;
  $('signout').hidden = false;
  $('status').textContent = '';
  if (roles.includes('clinician')) await clinicianWorkspace();
  if (roles.includes('patient')) await showAdjustments();
  if (roles.includes('compliance-officer')) await showAudit();
  if (roles.includes('compliance-officer')) await showFairness();
  if (roles.includes('model-steward') || roles.includes('compliance-officer')) await showModels(roles);
}

main().catch((e) => {
  $('status').className = 'error';
  $('status').textContent = e.message;
});
