#!/usr/bin/env python3
"""Slim Synthea FHIR R4 transaction Bundles into a small hypertension cohort (NDJSON).

Standalone: Python 3.8+ standard library only. It reads the per-patient
transaction Bundles that Synthea writes to <output>/fhir/*.json and writes ONE
slimmed transaction Bundle per selected patient, one Bundle per line (NDJSON).

What a slimmed Bundle keeps (entries stay in Synthea's original order, each
entry keeps its `fullUrl` (urn:uuid:...) and `request` exactly as emitted):
  * the Patient resource;
  * Observations coded LOINC 85354-9 (blood pressure panel) dated within
    --years years of the patient's last recorded event, at most --max-obs of
    them (the most recent);
  * every MedicationRequest whose medicationCodeableConcept carries an RxNorm
    code from ANTIHYPERTENSIVE_RXNORM below (all dates).
Everything else (Encounters, Conditions, other Observations, other
MedicationRequests, ...) is dropped. References inside the kept resources are
NOT rewritten: Synthea's conditional references (Practitioner?identifier=...)
and urn:uuid references to dropped Encounters/Conditions stay as emitted.
Narrative (`text` elements holding a `div`) is removed from every resource;
CodeableConcept.text strings are kept.

A patient is eligible when: not deceased (unless --include-deceased), has an
active Essential hypertension Condition (SNOMED 59621000) in the full Bundle,
has at least one kept antihypertensive MedicationRequest and at least one kept
blood pressure Observation. Eligible patients are taken in Patient.id order,
up to --max-patients.

Usage:
  python3 scripts/synthea-slim.py SYNTHEA_OUTPUT_DIR OUT.ndjson \
      [--years 2] [--max-obs 40] [--max-patients 8] [--min-patients 5] \
      [--not-after 2026-11-01] [--include-deceased]
SYNTHEA_OUTPUT_DIR is Synthea's exporter.baseDirectory (the folder holding
fhir/) or the fhir/ folder itself. A summary is printed to stderr; the exit
code is non-zero if fewer than --min-patients are eligible or any kept date is
on/after --not-after.
"""
import argparse
import collections
import datetime as dt
import glob
import json
import os
import sys

RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
BP_PANEL = "85354-9"
ESSENTIAL_HTN = "59621000"

# RxNorm codes that Synthea 3.3.0's modules can prescribe and that belong to an
# antihypertensive class. Sources (module -> class):
#   medications/hypertension_medication: the 4 first-line hypertension drugs;
#   medications/ace_arb + heart/chf_meds*: ACE inhibitors, ARBs, ARNI and their
#     thiazide / amlodipine combinations;
#   medications/beta_blocker, stable_ischemic_heart_disease, heart/chf_meds*:
#     beta blockers.
# Deliberately NOT included (Synthea prescribes them for heart failure or atrial
# fibrillation, not hypertension): furosemide 313988/1719286, spironolactone
# 313096, hydralazine/isosorbide dinitrate 905377, verapamil 897685.
ANTIHYPERTENSIVE_RXNORM = {
    # first line (hypertension_medication)
    "314076": "lisinopril 10 MG Oral Tablet",
    "308136": "amLODIPine 2.5 MG Oral Tablet",
    "310798": "Hydrochlorothiazide 25 MG Oral Tablet",
    "979485": "losartan potassium 25 MG Oral Tablet",
    # ACE inhibitors (and combinations)
    "311353": "lisinopril 2.5 MG Oral Tablet",
    "311354": "lisinopril 5 MG Oral Tablet",
    "314077": "lisinopril 20 MG Oral Tablet",
    "205326": "lisinopril 30 MG Oral Tablet",
    "197884": "lisinopril 40 MG Oral Tablet",
    "1806890": "lisinopril 1 MG/ML Oral Solution [Qbrelis]",
    "197885": "hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet",
    "197886": "hydrochlorothiazide 12.5 MG / lisinopril 20 MG Oral Tablet",
    "197887": "hydrochlorothiazide 25 MG / lisinopril 20 MG Oral Tablet",
    "898723": "benazepril hydrochloride 5 MG Oral Tablet",
    "898687": "benazepril hydrochloride 10 MG Oral Tablet",
    "898690": "benazepril hydrochloride 20 MG Oral Tablet",
    "898719": "benazepril hydrochloride 40 MG Oral Tablet",
    "898362": "benazepril hydrochloride 10 MG / hydrochlorothiazide 12.5 MG Oral Tablet",
    "898367": "benazepril hydrochloride 20 MG / hydrochlorothiazide 12.5 MG Oral Tablet",
    "898372": "benazepril hydrochloride 20 MG / hydrochlorothiazide 25 MG Oral Tablet",
    "898342": "amlodipine 10 MG / benazepril hydrochloride 20 MG Oral Capsule",
    "898346": "amlodipine 10 MG / benazepril hydrochloride 40 MG Oral Capsule",
    "898350": "amlodipine 2.5 MG / benazepril hydrochloride 10 MG Oral Capsule",
    "898353": "amlodipine 5 MG / benazepril hydrochloride 10 MG Oral Capsule",
    "898356": "amlodipine 5 MG / benazepril hydrochloride 20 MG Oral Capsule",
    "898359": "amlodipine 5 MG / benazepril hydrochloride 40 MG Oral Capsule",
    "1435630": "enalapril maleate 1 MG/ML Oral Solution [Epaned]",
    "858804": "enalapril maleate 2.5 MG Oral Tablet",
    "858813": "enalapril maleate 5 MG Oral Tablet",
    "858817": "enalapril maleate 10 MG Oral Tablet",
    "858810": "enalapril maleate 20 MG Oral Tablet",
    "312750": "quinapril 5 MG Oral Tablet",
    "312748": "quinapril 10 MG Oral Tablet",
    "312749": "quinapril 20 MG Oral Tablet",
    "314203": "quinapril 40 MG Oral Tablet",
    "845488": "ramipril 1.25 MG Oral Capsule",
    "198188": "ramipril 2.5 MG Oral Capsule",
    "198189": "ramipril 5 MG Oral Capsule",
    "261962": "ramipril 10 MG Oral Capsule",
    # ARBs / ARNI (and combinations)
    "979487": "losartan potassium 25 MG Oral Tablet [Cozaar]",
    "979492": "losartan potassium 50 MG Oral Tablet",
    "979494": "losartan potassium 50 MG Oral Tablet [Cozaar]",
    "979480": "losartan potassium 100 MG Oral Tablet",
    "979464": "hydrochlorothiazide 12.5 MG / losartan potassium 100 MG Oral Tablet",
    "979466": "hydrochlorothiazide 12.5 MG / losartan potassium 100 MG Oral Tablet [Hyzaar]",
    "979468": "hydrochlorothiazide 12.5 MG / losartan potassium 50 MG Oral Tablet",
    "979470": "hydrochlorothiazide 12.5 MG / losartan potassium 50 MG Oral Tablet [Hyzaar]",
    "979471": "hydrochlorothiazide 25 MG / losartan potassium 100 MG Oral Tablet",
    "979473": "hydrochlorothiazide 25 MG / losartan potassium 100 MG Oral Tablet [Hyzaar]",
    "349483": "valsartan 40 MG Oral Tablet",
    "349199": "valsartan 80 MG Oral Tablet",
    "349201": "valsartan 160 MG Oral Tablet",
    "349200": "valsartan 320 MG Oral Tablet",
    "352001": "valsartan 320 MG Oral Tablet [Diovan]",
    "200284": "hydrochlorothiazide 12.5 MG / valsartan 80 MG Oral Tablet",
    "200285": "hydrochlorothiazide 12.5 MG / valsartan 160 MG Oral Tablet",
    "636042": "hydrochlorothiazide 12.5 MG / valsartan 320 MG Oral Tablet",
    "349353": "hydrochlorothiazide 25 MG / valsartan 160 MG Oral Tablet",
    "636045": "hydrochlorothiazide 25 MG / valsartan 320 MG Oral Tablet",
    "200094": "irbesartan 75 MG Oral Tablet",
    "200095": "irbesartan 150 MG Oral Tablet",
    "200096": "irbesartan 300 MG Oral Tablet",
    "282755": "telmisartan 20 MG Oral Tablet",
    "284531": "telmisartan 20 MG Oral Tablet [Micardis]",
    "205304": "telmisartan 40 MG Oral Tablet",
    "205305": "telmisartan 80 MG Oral Tablet",
    "213432": "telmisartan 80 MG Oral Tablet [Micardis]",
    "1656346": "sacubitril 24 MG / valsartan 26 MG Oral Tablet [Entresto]",
    "1656351": "sacubitril 49 MG / valsartan 51 MG Oral Tablet [Entresto]",
    "1656356": "sacubitril 97 MG / valsartan 103 MG Oral Tablet",
    # beta blockers (and combinations)
    "197379": "atenolol 100 MG Oral Tablet",
    "197380": "atenolol 25 MG Oral Tablet",
    "197381": "atenolol 50 MG Oral Tablet",
    "854901": "bisoprolol fumarate 10 MG Oral Tablet",
    "854905": "bisoprolol fumarate 5 MG Oral Tablet",
    "854908": "bisoprolol fumarate 10 MG / hydrochlorothiazide 6.25 MG Oral Tablet",
    "854916": "bisoprolol fumarate 2.5 MG / hydrochlorothiazide 6.25 MG Oral Tablet",
    "854919": "bisoprolol fumarate 5 MG / hydrochlorothiazide 6.25 MG Oral Tablet",
    "686924": "carvedilol 3.125 MG Oral Tablet",
    "200031": "carvedilol 6.25 MG Oral Tablet",
    "212388": "carvedilol 6.25 MG Oral Tablet [Coreg]",
    "200032": "carvedilol 12.5 MG Oral Tablet",
    "212389": "carvedilol 12.5 MG Oral Tablet [Coreg]",
    "200033": "carvedilol 25 MG Oral Tablet",
    "212390": "carvedilol 25 MG Oral Tablet [Coreg]",
    "860510": "24 HR carvedilol phosphate 10 MG Extended Release Oral Capsule",
    "860516": "24 HR carvedilol phosphate 20 MG Extended Release Oral Capsule",
    "860518": "24 HR carvedilol phosphate 20 MG Extended Release Oral Capsule [Coreg]",
    "896758": "labetalol hydrochloride 100 MG Oral Tablet",
    "896762": "labetalol hydrochloride 200 MG Oral Tablet",
    "896766": "labetalol hydrochloride 300 MG Oral Tablet",
    "866924": "metoprolol tartrate 25 MG Oral Tablet",
    "866514": "metoprolol tartrate 50 MG Oral Tablet",
    "866516": "metoprolol tartrate 50 MG Oral Tablet [Lopressor]",
    "866511": "metoprolol tartrate 100 MG Oral Tablet",
    "866508": "5 ML metoprolol tartrate 1 MG/ML Injection",
    "1744259": "5 ML metoprolol tartrate 1 MG/ML Cartridge",
    "866427": "24 HR metoprolol succinate 25 MG Extended Release Oral Tablet",
    "866429": "24 HR metoprolol succinate 25 MG Extended Release Oral Tablet [Toprol]",
    "866436": "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet",
    "866438": "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet [Toprol]",
    "866412": "24 HR metoprolol succinate 100 MG Extended Release Oral Tablet",
    "866419": "24 HR metoprolol succinate 200 MG Extended Release Oral Tablet",
    "751620": "nebivolol 2.5 MG Oral Tablet [Bystolic]",
    "751623": "nebivolol 5 MG Oral Tablet [Bystolic]",
    "751616": "nebivolol 10 MG Oral Tablet [Bystolic]",
    "827075": "nebivolol 20 MG Oral Tablet [Bystolic]",
    "856448": "propranolol hydrochloride 10 MG Oral Tablet",
    "856457": "propranolol hydrochloride 20 MG Oral Tablet",
    "856519": "propranolol hydrochloride 40 MG Oral Tablet",
    "856556": "propranolol hydrochloride 60 MG Oral Tablet",
    "856578": "propranolol hydrochloride 80 MG Oral Tablet",
    "856535": "24 HR propranolol hydrochloride 60 MG Extended Release Oral Capsule",
    "856569": "24 HR propranolol hydrochloride 80 MG Extended Release Oral Capsule",
    "856460": "24 HR propranolol hydrochloride 120 MG Extended Release Oral Capsule",
    "856481": "24 HR propranolol hydrochloride 160 MG Extended Release Oral Capsule",
}

# Resource fields that hold the clinically relevant instant, per type.
DATE_FIELDS = ("effectiveDateTime", "authoredOn", "onsetDateTime", "recordedDate",
               "issued", "birthDate")


def parse_instant(value):
    """FHIR dateTime/instant/date -> aware datetime (UTC when no offset)."""
    v = value.replace("Z", "+00:00")
    if len(v) == 10:
        v += "T00:00:00+00:00"
    d = dt.datetime.fromisoformat(v)
    return d if d.tzinfo else d.replace(tzinfo=dt.timezone.utc)


def codes(concept, system):
    return {c.get("code") for c in (concept or {}).get("coding", []) if c.get("system") == system}


def strip_narrative(node):
    """Remove Narrative elements (`text` objects with a `div`) at any depth."""
    if isinstance(node, dict):
        t = node.get("text")
        if isinstance(t, dict) and "div" in t:
            del node["text"]
        for v in node.values():
            strip_narrative(v)
    elif isinstance(node, list):
        for v in node:
            strip_narrative(v)


def event_time(res):
    """The instant a resource is about, used for the window and for the anchor."""
    t = res.get("resourceType")
    if t == "Encounter":
        v = (res.get("period") or {}).get("start")
    elif t == "Observation":
        v = res.get("effectiveDateTime") or (res.get("effectivePeriod") or {}).get("start")
    elif t == "MedicationRequest":
        v = res.get("authoredOn")
    elif t == "Condition":
        v = res.get("onsetDateTime") or res.get("recordedDate")
    else:
        v = None
    return parse_instant(v) if v else None


def is_bp_panel(res):
    return res.get("resourceType") == "Observation" and BP_PANEL in codes(res.get("code"), LOINC)


def antihypertensive_codes(res):
    if res.get("resourceType") != "MedicationRequest":
        return set()
    return codes(res.get("medicationCodeableConcept"), RXNORM) & ANTIHYPERTENSIVE_RXNORM.keys()


def has_active_htn(entries):
    for e in entries:
        r = e["resource"]
        if r.get("resourceType") != "Condition" or ESSENTIAL_HTN not in codes(r.get("code"), SNOMED):
            continue
        if "active" in codes(r.get("clinicalStatus"), "http://terminology.hl7.org/CodeSystem/condition-clinical"):
            return True
    return False


def slim_bundle(bundle, years, max_obs):
    entries = bundle.get("entry", [])
    patients = [e for e in entries if e["resource"].get("resourceType") == "Patient"]
    if len(patients) != 1:
        return None, "not a single-patient bundle"
    patient = patients[0]["resource"]
    times = [t for t in (event_time(e["resource"]) for e in entries) if t]
    if not times:
        return None, "no dated events"
    anchor = max(times)
    start = anchor - dt.timedelta(days=round(365.25 * years))

    bp = [e for e in entries if is_bp_panel(e["resource"])
          and start <= event_time(e["resource"]) <= anchor]
    bp.sort(key=lambda e: event_time(e["resource"]))
    keep_bp = {id(e) for e in bp[-max_obs:]} if max_obs > 0 else set()
    keep_mr = {id(e) for e in entries if antihypertensive_codes(e["resource"])}

    kept = []
    for e in entries:
        if e is patients[0] or id(e) in keep_bp or id(e) in keep_mr:
            e = json.loads(json.dumps(e))  # deep copy
            strip_narrative(e["resource"])
            kept.append(e)
    info = {
        "patient": patient,
        "active_htn": has_active_htn(entries),
        "deceased": bool(patient.get("deceasedDateTime") or patient.get("deceasedBoolean")),
        "anchor": anchor,
        "window_start": start,
        "bp_in_window": len(bp),
        "n_bp": len(keep_bp),
        "n_mr": len(keep_mr),
    }
    out = {"resourceType": "Bundle", "type": bundle.get("type", "transaction"), "entry": kept}
    return out, info


def reference_patterns(node, acc):
    if isinstance(node, dict):
        ref = node.get("reference")
        if isinstance(ref, str):
            acc.append(ref)
        for v in node.values():
            reference_patterns(v, acc)
    elif isinstance(node, list):
        for v in node:
            reference_patterns(v, acc)
    return acc


def all_dates(node, acc):
    if isinstance(node, dict):
        for k, v in node.items():
            if isinstance(v, str) and (k in DATE_FIELDS or k in ("start", "end")):
                acc.append((k, v))
            else:
                all_dates(v, acc)
    elif isinstance(node, list):
        for v in node:
            all_dates(v, acc)
    return acc


def summarize(bundles, not_after):
    """Print per-patient counts and reference kinds; return list of problems."""
    problems = []
    limit = parse_instant(not_after)
    w = sys.stderr.write
    for b in bundles:
        entries = b["entry"]
        p = entries[0]["resource"]
        full_urls = {e.get("fullUrl") for e in entries}
        name = p.get("name", [{}])[0]
        mr_codes = collections.Counter()
        for e in entries:
            for c in antihypertensive_codes(e["resource"]):
                mr_codes[c] += 1
        bp = [e["resource"] for e in entries if is_bp_panel(e["resource"])]
        dates = sorted(event_time(r).isoformat() for r in bp)
        w("%s %s %s (%s, born %s): %d BP panels [%s .. %s], %d MedicationRequests %s\n" % (
            p["id"], " ".join(name.get("given", [])), name.get("family", ""), p.get("gender"),
            p.get("birthDate"), len(bp), dates[0][:10] if dates else "-",
            dates[-1][:10] if dates else "-", sum(mr_codes.values()), dict(mr_codes)))
        kinds = collections.Counter()
        for e in entries:
            for ref in reference_patterns(e["resource"], []):
                if ref.startswith("urn:uuid:"):
                    kinds["urn:uuid (in bundle)" if ref in full_urls else "urn:uuid (entry not in bundle)"] += 1
                elif "?" in ref:
                    kinds[ref.split("?", 1)[0] + "?" + ref.split("?", 1)[1].split("|", 1)[0] + "|..."] += 1
                else:
                    kinds["literal " + ref.split("/", 1)[0]] += 1
            for k, v in all_dates(e["resource"], []):
                if parse_instant(v) >= limit:
                    problems.append("%s %s %s=%s is not before %s" % (
                        p["id"], e["resource"]["resourceType"], k, v, not_after))
        w("    references: %s\n" % dict(sorted(kinds.items())))
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("synthea_output", help="Synthea exporter.baseDirectory, or its fhir/ folder")
    ap.add_argument("out", help="NDJSON file to write (one transaction Bundle per line)")
    ap.add_argument("--years", type=float, default=2.0,
                    help="BP window: years before the patient's last event (default 2)")
    ap.add_argument("--max-obs", type=int, default=40, help="most recent BP panels kept per patient (default 40)")
    ap.add_argument("--max-patients", type=int, default=8)
    ap.add_argument("--min-patients", type=int, default=5)
    ap.add_argument("--not-after", default="2026-11-01",
                    help="fail if any kept date is on/after this date (default 2026-11-01)")
    ap.add_argument("--include-deceased", action="store_true")
    a = ap.parse_args(argv)

    folder = a.synthea_output
    if os.path.isdir(os.path.join(folder, "fhir")):
        folder = os.path.join(folder, "fhir")
    files = sorted(glob.glob(os.path.join(folder, "*.json")))
    candidates = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            bundle = json.load(fh)
        if bundle.get("resourceType") != "Bundle":
            continue
        slim, info = slim_bundle(bundle, a.years, a.max_obs)
        if slim is None:
            continue  # hospitalInformation*/practitionerInformation* bundles etc.
        pid = info["patient"]["id"]
        why = []
        if info["deceased"] and not a.include_deceased:
            why.append("deceased")
        if not info["active_htn"]:
            why.append("no active essential hypertension")
        if info["n_mr"] == 0:
            why.append("no antihypertensive MedicationRequest")
        if info["n_bp"] == 0:
            why.append("no BP panel in window")
        if why:
            sys.stderr.write("skip %s (%s): %s\n" % (pid, os.path.basename(f), ", ".join(why)))
            continue
        candidates.append((pid, slim))

    candidates.sort(key=lambda c: c[0])
    chosen = [s for _, s in candidates[: a.max_patients]]
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", encoding="utf-8", newline="\n") as out:
        for b in chosen:
            out.write(json.dumps(b, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stderr.write("wrote %d bundles (%d eligible of %d files) to %s, %d bytes\n" % (
        len(chosen), len(candidates), len(files), a.out, os.path.getsize(a.out)))
    problems = summarize(chosen, a.not_after)
    for p in problems:
        sys.stderr.write("PROBLEM: %s\n" % p)
    if len(chosen) < a.min_patients:
        sys.stderr.write("PROBLEM: only %d eligible patients, need %d\n" % (len(chosen), a.min_patients))
        return 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
