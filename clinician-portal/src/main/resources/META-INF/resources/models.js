// ClinLoop portal, the model registry: every version with its provenance, held-out metrics, promotion gates
// (as activation would weigh them now, per group too), shadow agreement and input drift. A model steward
// shadows, promotes and rolls back here; promotion and rollback go through a sign-off dialog that states what
// is being signed. Compliance officers see the same registry, read-only. Uses app.js's api(), el(), $().
'use strict';

const pct = (x) => (typeof x === 'number' ? `${(100 * x).toFixed(1)}%` : '—');
const num3 = (x) => (typeof x === 'number' ? x.toFixed(3) : '—');
const short = (hash) => (hash ? `${hash.slice(0, 12)}…` : '—');

/** Asks the signer to confirm {@code statement}; resolves to the reason typed (or '') when confirmed, null when not. */
function signOff(title, statement, needsReason) {
  const dialog = $('signOff');
  $('signOffTitle').textContent = title;
  $('signOffStatement').replaceChildren(...statement.map((line) => el('p', {}, line)));
  const reason = $('signOffReason');
  reason.value = '';
  reason.required = needsReason;
  $('signOffReasonLabel').hidden = !needsReason;
  return new Promise((resolve) => {
    dialog.onclose = () => resolve(dialog.returnValue === 'confirm' ? reason.value.trim() : null);
    dialog.showModal();
    (needsReason ? reason : $('signOffCancel')).focus();
  });
}

function gatesTable(report) {
  const passed = report.checks.filter((c) => c.passed).length;
  const rows = report.checks.map((c) => el('tr', { class: c.passed ? 'pass' : 'fail' },
    el('th', { scope: 'row' }, `${c.passed ? '✓' : '✗'} ${c.gate}`),
    el('td', {}, c.metric || ''),
    el('td', {}, c.group || 'all'),
    el('td', { class: 'num' }, num3(c.found)),
    el('td', { class: 'num' }, num3(c.bound)),
    el('td', {}, c.passed ? '' : c.message)));
  return el('details', { class: 'gates', open: passed !== report.checks.length ? '' : null },
    el('summary', { 'data-passed': String(passed === report.checks.length) },
      `Gates: ${passed} of ${report.checks.length} pass${report.comparedWith ? `, compared with ${report.comparedWith}` : ''}`),
    el('table', { class: 'grid small' },
      el('caption', { class: 'visually-hidden' }, `Promotion gates of ${report.model}`),
      el('thead', {}, el('tr', {}, ...['Gate', 'Metric', 'Group', 'Found', 'Bound', 'Why not'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, ...rows)));
}

/** PSI per feature as bars against the warn and alert thresholds (0.1 and 0.25, the usual reading of PSI). */
function driftChart(status) {
  const reports = [...status.features, status.output, status.steps].filter(Boolean);
  const width = 560; const row = 22; const left = 170; const scale = (width - left - 70) / 0.5;
  const chart = svg('svg', { class: 'chart drift', width, height: row * reports.length + 24, role: 'img',
    'aria-label': `Population stability index per feature, ${status.model}` });
  reports.forEach((r, i) => {
    const y = 6 + i * row;
    const w = Math.max(1, Math.min(0.5, r.psi || 0) * scale);
    chart.append(svg('text', { x: 6, y: y + 14 }, r.feature));
    chart.append(svg('rect', { x: left, y: y + 3, width: w, height: row - 8, class: `psi ${r.status}` }));
    chart.append(svg('text', { x: left + w + 5, y: y + 14 }, `${num3(r.psi)} ${r.status}`));
  });
  for (const [t, cls] of [[0.1, 'warn'], [0.25, 'alert']]) {
    chart.append(svg('line', { x1: left + t * scale, x2: left + t * scale, y1: 2, y2: row * reports.length + 8, class: `threshold ${cls}` }));
  }
  return chart;
}

async function showDrift(version, box, days) {
  box.replaceChildren(el('p', { class: 'hint' }, 'Checking drift…'));
  try {
    const d = await api('GET', `/api/models/${encodeURIComponent(version.id)}/drift?days=${days}`);
    box.replaceChildren(...[
      el('p', { class: d.status === 'OK' ? 'hint' : 'error' }, d.enoughData
        ? `Drift over ${days} days: ${d.status} (${d.currentSize} decisions against ${d.referenceSize} in training)${d.alertRaised ? '; a governance alert was raised' : ''}.`
        : `Not enough decisions in the last ${days} days to measure drift (${d.currentSize}).`),
      d.enoughData ? driftChart(d) : null].filter(Boolean));
  } catch (e) {
    box.replaceChildren();
    fail(box, e);
  }
}

async function showAgreement(version, box) {
  try {
    const a = await api('GET', `/api/models/${encodeURIComponent(version.id)}/agreement`);
    box.replaceChildren(el('p', {}, a.scored
      ? `Shadow agreement with the active model: ${pct(a.agreement)} of ${a.scored} live decisions; by the active model's direction: `
        + Object.entries(a.byActiveClass || {}).map(([k, v]) => `${k.toLowerCase()} ${pct(v)}`).join(', ')
      : 'Shadow agreement: no live decision scored yet.'));
  } catch (e) {
    fail(box, e);
  }
}

async function promote(version, active, who, result, steward) {
  const report = await api('GET', `/api/models/${encodeURIComponent(version.id)}/gates`);
  const failing = report.checks.filter((c) => !c.passed);
  const reason = await signOff(`Promote ${version.id}`, [
    `You, ${who}, sign off model version ${version.id} (${version.algorithm}, provenance ${short(version.provenanceHash)}, `
      + `dataset ${short(version.datasetHash)}, seed ${version.seed}) to become the ACTIVE model, replacing `
      + `${active ? active.id : 'no active model'}.`,
    'From then on its proposals reach the safety rules for every patient; the rules and each patient\'s bounds still decide what is delivered.',
    `Gates: ${report.checks.length - failing.length} of ${report.checks.length} pass${failing.length ? `; failing: ${failing.map((c) => c.message).join('; ')}` : ''}.`,
    'Your sign-off is recorded in the audit log under your name, with every gate check.'], false);
  if (reason === null) return;
  await act(result, () => api('POST', `/api/models/${encodeURIComponent(version.id)}/activate`), `${version.id} is now ACTIVE.`, steward);
}

async function rollBack(active, who, result, steward) {
  const reason = await signOff(`Roll back ${active.id}`, [
    `You, ${who}, retire the ACTIVE model ${active.id} and return to the version that was active before it.`,
    'Proposals from then on come from that version. Give the reason; it is recorded in the audit log under your name.'], true);
  if (reason === null) return;
  await act(result, () => api('POST', '/api/models/rollback', { reason }), null, steward);
}

async function act(result, call, done, steward) {
  result.replaceChildren(el('p', { class: 'hint' }, 'Working…'));
  try {
    const v = await call();
    await renderModels(steward);
    $('modelResult').replaceChildren(el('p', { class: 'done', role: 'status' }, done || `${v.id} is ACTIVE again.`));
  } catch (e) {
    result.replaceChildren(el('p', { class: 'error', role: 'alert' }, `Refused: ${e.message}`));
  }
}

async function renderModels(steward) {
  const box = $('versions');
  const versions = await api('GET', '/api/models');
  const active = versions.find((v) => v.status === 'ACTIVE');
  const who = $('who').textContent.replace(/ \(.*$/, '');
  const cards = [];
  for (const v of versions) {
    const result = el('div', { class: 'result', 'aria-live': 'polite' });
    const gates = el('div', { class: 'gates-box' });
    const drift = el('div', { class: 'drift-box' });
    const agreement = el('div', { class: 'agreement-box' });
    const buttons = [];
    if (steward && v.status === 'CANDIDATE') {
      buttons.push(el('button', { type: 'button', class: 'shadow', onclick: () => act(result,
        () => api('POST', `/api/models/${encodeURIComponent(v.id)}/shadow`), `${v.id} now scores in shadow.`, steward) }, 'Shadow'));
    }
    if (steward && (v.status === 'CANDIDATE' || v.status === 'SHADOW')) {
      buttons.push(el('button', { type: 'button', class: 'promote approve', onclick: () => promote(v, active, who, result, steward) }, 'Promote…'));
    }
    if (steward && v.status === 'ACTIVE') {
      buttons.push(el('button', { type: 'button', class: 'rollback reject', onclick: () => rollBack(v, who, result, steward) }, 'Roll back…'));
    }
    if (v.status === 'ACTIVE' || v.status === 'SHADOW') {
      buttons.push(el('button', { type: 'button', class: 'drift', onclick: () => showDrift(v, drift, 7) }, 'Drift, 7 days'));
      buttons.push(el('button', { type: 'button', onclick: () => showDrift(v, drift, 30) }, '30 days'));
    }
    const m = v.metrics || {};
    cards.push(el('article', { class: `card model ${v.status}`, 'data-model': v.id, 'data-status': v.status },
      el('h3', {}, `${v.id} · ${v.status}`),
      el('p', {}, `${v.algorithm}; trained ${fmt.when(v.trainedAt)} with seed ${v.seed}`
        + (v.activatedBy ? `; activated by ${v.activatedBy} ${fmt.when(v.activatedAt)}` : '')),
      el('p', { class: 'hint' }, `Held out: accuracy ${num3(m.accuracy)}, macro-F1 ${num3(m.macro_f1)}`
        + (typeof m.ece === 'number' ? `, calibration error ${num3(m.ece)}` : '')
        + ` · provenance ${short(v.provenanceHash)} · dataset ${short(v.datasetHash)}`),
      gates, agreement, el('div', { class: 'actions' }, ...buttons), drift, result));
    if (v.status === 'CANDIDATE' || v.status === 'SHADOW') {
      api('GET', `/api/models/${encodeURIComponent(v.id)}/gates`).then((g) => gates.replaceChildren(gatesTable(g)), (e) => fail(gates, e));
    }
    if (v.status === 'SHADOW') showAgreement(v, agreement);
  }
  box.replaceChildren(...cards);
}

async function showModels(roles) {
  const steward = roles.includes('model-steward');
  $('models').hidden = false;
  $('trainModel').hidden = !steward;
  $('trainModel').onsubmit = async (event) => {
    event.preventDefault();
    const seed = $('trainSeed').value.trim();
    $('modelResult').replaceChildren(el('p', { class: 'hint', role: 'status' }, 'Training a candidate…'));
    try {
      const v = await api('POST', `/api/models/train?seed=${encodeURIComponent(seed)}`);
      await renderModels(steward);
      $('modelResult').replaceChildren(el('p', { class: 'done', role: 'status' }, `${v.id} registered as a CANDIDATE.`));
    } catch (e) {
      $('modelResult').replaceChildren();
      fail($('modelResult'), e);
    }
  };
  await renderModels(steward);
}
