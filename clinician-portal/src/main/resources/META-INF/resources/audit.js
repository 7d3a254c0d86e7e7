// ClinLoop portal, the compliance officer's audit workspace: search the log, open an entry, and check in
// this browser (WebCrypto, no server verdict taken on trust) that the entry is in the log the service signed:
//   1. the entry's chain hash, recomputed from its fields in the log's canonical form (format 1);
//   2. its RFC 6962 leaf hash, SHA-256(0x00 ‖ canonical entry);
//   3. the RFC 9162 inclusion proof from that leaf to the root of a tree of the signed head's size;
//   4. that root against the current signed tree head;
//   5. the head's Ed25519 signature against the published key, and the key's id (SHA-256 of its SPKI).
// Then replay the decision an entry belongs to, download an export, and read the model history.
// Uses app.js's api(), el() and $(); loaded before it.
'use strict';

/** The checks, as pure functions over what the API returns; window.AuditProof so that a test can feed them tampered input. */
const AuditProof = (() => {
  const utf8 = new TextEncoder();
  const hex = (bytes) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  const unhex = (s) => {
    if (typeof s !== 'string' || !/^([0-9a-f]{2})*$/.test(s)) throw new Error(`expected lower-case hex, found ${String(s).slice(0, 24)}`);
    return Uint8Array.from(s.match(/../g) || [], (h) => parseInt(h, 16));
  };
  const unbase64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const concat = (...parts) => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  };
  const sha256 = async (bytes) => new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

  /** A JSON string as the log's canonical writer quotes it: " \ \b \f \n \r \t escaped short, other controls as \u00XX. */
  function quote(s) {
    if (s === null || s === undefined) return 'null';
    const short = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    let out = '"';
    for (const ch of String(s)) {
      const c = ch.codePointAt(0);
      out += short[ch] || (c < 0x20 ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}` : ch);
    }
    return `${out}"`;
  }

  /** An instant as the log writes it (ISO-8601 UTC, milliseconds only when not zero), from any ISO-8601 UTC text. */
  function instant(text) {
    const m = /^(\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(text || '');
    if (!m) throw new Error(`expected an ISO-8601 UTC instant, found ${text}`);
    const millis = (m[2] || '').padEnd(3, '0').slice(0, 3);
    return millis === '000' ? `${m[1]}Z` : `${m[1]}.${millis}Z`;
  }

  /** The bytes the log hashes for an entry (EntryCodec format 1), from the entry as the API returns it. */
  function canonicalEntry(e) {
    if (e.formatVersion !== 1) throw new Error(`entry format ${e.formatVersion} is not one this page knows (1)`);
    return utf8.encode(`{"actor":${quote(e.actorId)},"detail":${e.detailJson},"format":1,"patient":${quote(e.patientId)}`
      + `,"recordedAt":${quote(instant(e.recordedAt))},"sequence":${e.sequence},"type":${quote(e.type)}}`);
  }

  async function chainHash(e) {
    return hex(await sha256(concat(unhex(e.previousHash), canonicalEntry(e))));
  }

  async function leafHash(e) {
    return sha256(concat(Uint8Array.of(0), canonicalEntry(e)));
  }

  /** RFC 9162 §2.1.3.2: whether {@code path} leads from {@code leaf} (bytes) at {@code index} to {@code root} in a tree of {@code size}. */
  async function verifyInclusion(index, size, leaf, path, root) {
    if (!(index >= 0 && index < size)) return false;
    let fn = index;
    let sn = size - 1;
    let r = leaf;
    for (const p of path.map(unhex)) {
      if (sn === 0) return false;
      if (fn % 2 === 1 || fn === sn) {
        r = await nodeHash(p, r);
        while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
      } else {
        r = await nodeHash(r, p);
      }
      fn = Math.floor(fn / 2);
      sn = Math.floor(sn / 2);
    }
    return sn === 0 && hex(r) === root;
  }

  /** The bytes a tree head's signature covers (format 1). */
  function signedBytes(head) {
    if (head.version !== 1) throw new Error(`tree head format ${head.version} is not one this page knows (1)`);
    return utf8.encode(`{"rootHash":"${head.rootHash}","size":${head.size},"timestamp":"${instant(head.timestamp)}","version":1}`);
  }

  /** Whether the published key has the head's key id and its Ed25519 signature over the head verifies. */
  async function verifyTreeHead(head, key) {
    const spki = unbase64(key.publicKey);
    const keyId = hex(await sha256(spki)).slice(0, 16);
    if (keyId !== key.keyId || keyId !== head.keyId || head.algorithm !== 'Ed25519') return false;
    const publicKey = await crypto.subtle.importKey('spki', spki, { name: 'Ed25519' }, false, ['verify']);
    return crypto.subtle.verify({ name: 'Ed25519' }, publicKey, unbase64(head.signature), signedBytes(head));
  }

  /**
   * Every check for one entry, in order, each {name, ok, detail}; a check that cannot run (a missing
   * algorithm, malformed input) fails with the reason instead of throwing.
   */
  async function checkEntry(entry, proof, head, key) {
    const checks = [];
    const check = async (name, run) => {
      try {
        const [ok, detail] = await run();
        checks.push({ name, ok: Boolean(ok), detail });
      } catch (e) {
        checks.push({ name, ok: false, detail: e.message });
      }
    };
    await check('Chain hash recomputed from the entry', async () => {
      const h = await chainHash(entry);
      return [h === entry.hash, `SHA-256(previous ‖ entry) = ${h.slice(0, 16)}…, recorded ${entry.hash.slice(0, 16)}…`];
    });
    let leaf;
    await check('Leaf hash computed here', async () => {
      leaf = await leafHash(entry);
      return [hex(leaf) === proof.leafHash, `SHA-256(0x00 ‖ entry) = ${hex(leaf).slice(0, 16)}…`];
    });
    await check(`Inclusion proof to the root of ${proof.treeSize} entries`, async () => [
      proof.sequence === entry.sequence && proof.leafIndex === entry.sequence - 1
        && await verifyInclusion(proof.leafIndex, proof.treeSize, leaf, proof.path, proof.rootHash),
      `${proof.path.length} hashes from leaf ${proof.leafIndex} to ${proof.rootHash.slice(0, 16)}…`]);
    await check('Root is the signed tree head’s', async () => [
      proof.treeSize === head.size && proof.rootHash === head.rootHash,
      `head of ${head.size} entries, issued ${head.timestamp}`]);
    await check('Tree head signature (Ed25519) by the published key', async () => [
      await verifyTreeHead(head, key), `key ${key.keyId}`]);
    return checks;
  }

  return { quote, instant, canonicalEntry, chainHash, verifyInclusion, verifyTreeHead, checkEntry };
})();
window.AuditProof = AuditProof;

// ---- the workspace -----------------------------------------------------------------------------

const MODEL_EVENTS = ['MODEL_REGISTERED', 'MODEL_RETRAINED', 'MODEL_SHADOWED', 'MODEL_ACTIVATED', 'MODEL_ACTIVATION_REFUSED',
  'MODEL_ROLLED_BACK', 'MODEL_DRIFT_ALERT'];

/** A datetime-local field's value as an ISO instant (the browser's zone), or undefined when empty. */
function instantOf(field) {
  return field.value ? new Date(field.value).toISOString() : undefined;
}

/** The detail of an entry as an object; {} when it is not an object. */
function detailOf(entry) {
  try {
    const d = JSON.parse(entry.detailJson);
    return d && typeof d === 'object' && !Array.isArray(d) ? d : {};
  } catch (e) {
    return {};
  }
}

/** A short one-line summary of a detail: its first few scalar fields. */
function detailSummary(detail, max = 4) {
  return Object.entries(detail).filter(([, v]) => v === null || typeof v !== 'object').slice(0, max)
    .map(([k, v]) => `${k}: ${v}`).join(' · ');
}

async function searchAudit(event) {
  if (event) event.preventDefault();
  const q = new URLSearchParams();
  for (const [name, value] of [['patient', $('auditPatient').value.trim()], ['actor', $('auditActor').value.trim()],
    ['type', $('auditType').value], ['from', instantOf($('auditFrom'))], ['to', instantOf($('auditTo'))],
    ['limit', $('auditLimit').value]]) {
    if (value) q.set(name, value);
  }
  const rows = $('auditRows');
  rows.replaceChildren();
  $('auditCount').textContent = 'Searching…';
  try {
    const entries = await api('GET', `/api/audit/entries?${q}`);
    $('auditCount').textContent = `${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}, newest first`;
    for (const e of entries) {
      const open = el('button', { type: 'button', 'data-sequence': e.sequence, onclick: () => openEntry(e.sequence) }, `#${e.sequence}`);
      rows.append(el('tr', {},
        el('th', { scope: 'row' }, open),
        el('td', {}, fmt.when(e.recordedAt)),
        el('td', {}, e.type),
        el('td', {}, e.actorId),
        el('td', {}, e.patientId || ''),
        el('td', { class: 'detail' }, detailSummary(detailOf(e)))));
    }
  } catch (e) {
    $('auditCount').textContent = '';
    fail(rows.parentElement.parentElement, e);
  }
}

async function openEntry(sequence) {
  const box = $('auditEntry');
  box.hidden = false;
  box.replaceChildren(el('h3', { id: 'auditEntryTitle', tabindex: '-1' }, `Entry #${sequence}`), el('p', { class: 'hint' }, 'Loading…'));
  box.querySelector('h3').focus();
  let entry;
  try {
    entry = await api('GET', `/api/audit/entries/${sequence}`);
  } catch (e) {
    fail(box, e);
    return;
  }
  const detail = detailOf(entry);
  const fields = el('dl', { class: 'entry' });
  for (const [k, v] of [['Type', entry.type], ['Recorded', entry.recordedAt], ['Actor', entry.actorId],
    ['Patient', entry.patientId || '—'], ['Format', String(entry.formatVersion)], ['Previous hash', entry.previousHash],
    ['Hash', entry.hash]]) {
    fields.append(el('dt', {}, k), el('dd', {}, v));
  }
  const checks = el('ol', { id: 'proofChecks', class: 'checks', 'aria-live': 'polite' });
  const verdict = el('p', { id: 'proofVerdict', role: 'status' }, 'Checking in this browser…');
  box.replaceChildren(el('h3', { id: 'auditEntryTitle', tabindex: '-1' }, `Entry #${sequence} · ${entry.type}`), fields,
    el('h4', {}, 'Detail'), el('pre', { class: 'detail' }, JSON.stringify(detail, null, 2)),
    el('h4', {}, 'Is it in the signed log?'), verdict, checks);
  const proposal = detail.proposalId || detail.proposal;
  if (typeof proposal === 'string' && proposal && proposal !== 'null') {
    const result = el('div', { id: 'replayResult', 'aria-live': 'polite' });
    box.append(el('h4', {}, 'Replay'),
      el('p', { class: 'hint' }, `Runs decision ${proposal} again with its recorded inputs, the model version and the rule text it used, and compares.`),
      el('button', { id: 'replay', type: 'button', onclick: () => replay(proposal, result) }, 'Replay this decision'), result);
  }
  try {
    const [head, key] = await Promise.all([api('GET', '/api/audit/tree-head'), api('GET', '/api/audit/public-key')]);
    const proof = await api('GET', `/api/audit/proof/inclusion?sequence=${sequence}&size=${head.size}`);
    const results = await AuditProof.checkEntry(entry, proof, head, key);
    for (const c of results) {
      checks.append(el('li', { class: c.ok ? 'ok' : 'failed', 'data-ok': String(c.ok) },
        el('strong', {}, `${c.ok ? '✓' : '✗'} ${c.name}`), ` — ${c.detail}`));
    }
    const ok = results.every((c) => c.ok);
    verdict.className = ok ? 'done' : 'error';
    verdict.dataset.verified = String(ok);
    verdict.textContent = ok
      ? `Verified in this browser: entry #${sequence} is in the log of ${head.size} entries that key ${key.keyId} signed at ${fmt.when(head.timestamp)}.`
      : 'NOT verified: see the failed check below. Report it; do not rely on this entry.';
  } catch (e) {
    verdict.className = 'error';
    verdict.dataset.verified = 'false';
    verdict.textContent = `Could not check: ${e.message}`;
  }
}

async function replay(proposal, box) {
  box.replaceChildren(el('p', { class: 'hint' }, 'Replaying…'));
  try {
    const r = await api('POST', `/api/decisions/${encodeURIComponent(proposal)}/replay`);
    const side = (m) => el('pre', { class: 'detail' }, JSON.stringify(m, null, 2));
    box.replaceChildren(...[
      el('p', { class: r.matches ? 'done' : 'error', 'data-matches': String(r.matches) }, r.matches
        ? 'Replay matches: the same model output, tier, rules fired and alerts.'
        : `Replay differs in ${r.differences.length} place${r.differences.length === 1 ? '' : 's'}.`),
      r.differences.length ? el('ul', {}, ...r.differences.map((d) => el('li', {}, d))) : null,
      el('details', {}, el('summary', {}, 'Recorded and replayed'),
        el('div', { class: 'two' }, el('div', {}, el('h5', {}, 'Recorded'), side(r.recorded)),
          el('div', {}, el('h5', {}, 'Replayed'), side(r.replayed))))].filter(Boolean));
  } catch (e) {
    box.replaceChildren();
    fail(box, e);
  }
}

/** Downloads the whole log to a signed head as NDJSON (verifiable offline with the export's own checker). */
async function downloadExport() {
  const status = $('exportStatus');
  status.textContent = 'Preparing the export…';
  try {
    const response = await fetch('/api/audit/export', { headers: { Authorization: `Bearer ${await accessToken()}` } });
    if (!response.ok) throw new Error(`${response.status}: ${outcomeText(await response.json().catch(() => null), response)}`);
    const blob = await response.blob();
    const link = $('exportLink');
    if (link.href) URL.revokeObjectURL(link.href);
    link.href = URL.createObjectURL(blob);
    link.download = `clinloop-audit-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson`;
    link.hidden = false;
    link.click();
    status.textContent = `Export ready: ${(blob.size / 1024).toFixed(0)} KiB.`;
  } catch (e) {
    status.textContent = '';
    fail(status.parentElement, e);
  }
}

async function showTreeHead() {
  try {
    const [head, key] = await Promise.all([api('GET', '/api/audit/tree-head'), api('GET', '/api/audit/public-key')]);
    const signed = await AuditProof.verifyTreeHead(head, key).catch(() => false);
    $('treeHead').textContent = `Signed tree head: ${head.size} entries, root ${head.rootHash.slice(0, 16)}…, `
      + `issued ${fmt.when(head.timestamp)} by key ${head.keyId} — signature ${signed ? 'verified in this browser' : 'DOES NOT VERIFY'}.`;
  } catch (e) {
    $('treeHead').textContent = `No signed tree head: ${e.message}`;
  }
}

/** Who registered, retrained, shadowed, activated, refused or rolled back which model version, when, on what evidence. */
async function showModelHistory() {
  const box = $('modelHistory');
  box.hidden = false;
  const rows = $('modelHistoryRows');
  rows.replaceChildren();
  try {
    const lists = await Promise.all(MODEL_EVENTS.map((t) => api('GET', `/api/audit/entries?type=${t}&limit=200`)));
    const entries = lists.flat().sort((a, b) => b.sequence - a.sequence);
    for (const e of entries) {
      const d = detailOf(e);
      const evidence = Object.fromEntries(Object.entries(d).filter(([k]) => !['model', 'version', 'modelVersion'].includes(k)));
      rows.append(el('tr', {},
        el('td', {}, fmt.when(e.recordedAt)),
        el('td', {}, e.type.replace('MODEL_', '').replace(/_/g, ' ').toLowerCase()),
        el('td', {}, d.model || d.modelVersion || d.version || ''),
        el('td', {}, e.actorId),
        el('td', { class: 'detail' }, detailSummary(evidence, 6)),
        el('td', {}, el('button', { type: 'button', onclick: () => openEntry(e.sequence) }, `#${e.sequence}`))));
    }
    if (!entries.length) rows.append(el('tr', {}, el('td', { colspan: '6' }, 'No model events recorded yet.')));
  } catch (e) {
    fail(box, e);
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
  $('exportLog').onclick = downloadExport;
  $('auditSearch').onsubmit = searchAudit;
  const types = await api('GET', '/api/audit/event-types');
  $('auditType').replaceChildren(el('option', { value: '' }, 'any'), ...types.map((t) => el('option', { value: t }, t)));
  await Promise.all([showTreeHead(), searchAudit(), showModelHistory()]);
}
