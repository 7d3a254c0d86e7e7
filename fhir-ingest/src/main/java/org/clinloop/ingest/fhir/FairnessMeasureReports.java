package org.clinloop.ingest.fhir;

import java.math.BigDecimal;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.clinloop.audit.EntryCodec;
import org.clinloop.fairness.StoredReport;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;

/**
 * A stored fairness report as a stratified FHIR MeasureReport: one group per metric (and one per
 * disparity), one stratifier per attribute, one stratum per patient group. An undefined value
 * carries data-absent-reason "not-applicable"; a suppressed small cell carries "masked".
 */
final class FairnessMeasureReports {

    static final String DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
    static final String METRICS = "https://clinloop.org/fhir/CodeSystem/fairness-metric";

    private FairnessMeasureReports() {
    }

    @SuppressWarnings("unchecked")
    static MeasureReport of(StoredReport stored) {
        MeasureReport mr = new MeasureReport();
        mr.setId(stored.id());
        mr.setStatus(MeasureReport.MeasureReportStatus.COMPLETE);
        mr.setType(MeasureReport.MeasureReportType.SUMMARY);
        mr.setMeasure("https://clinloop.org/fhir/Measure/fairness-" + stored.kind().name().toLowerCase().replace('_', '-'));
        mr.setDate(Date.from(stored.createdAt()));
        mr.addIdentifier(new Identifier().setSystem("https://clinloop.org/fhir/fairness-report").setValue(stored.kind()
                + " v" + stored.version()));
        mr.addIdentifier(new Identifier().setSystem("urn:clinloop:sha256").setValue(stored.contentHash()));
        Period period = new Period();
        if (stored.periodFrom() != null) {
            period.setStart(Date.from(stored.periodFrom()));
            period.setEnd(Date.from(stored.periodTo()));
        } else {
            period.setStart(Date.from(stored.createdAt())).setEnd(Date.from(stored.createdAt()));
        }
        mr.setPeriod(period);
        Map<String, Object> content = EntryCodec.parseDetail(stored.contentJson());
        if (content.containsKey("rates")) {
            ((Map<String, Object>) content.get("rates")).forEach((rate, report) ->
                    addGroups(mr, (Map<String, Object>) report, List.of("pprev"), rate.toLowerCase()));
        } else {
            addGroups(mr, content, List.of("tpr", "tnr", "for", "fdr", "fpr", "fnr", "npv", "precision", "ppr", "pprev",
                    "prev"), null);
        }
        return mr;
    }

    @SuppressWarnings("unchecked")
    private static void addGroups(MeasureReport mr, Map<String, Object> report, List<String> metrics, String rename) {
        List<Map<String, Object>> attributes = (List<Map<String, Object>>) report.get("attributes");
        for (String metric : metrics) {
            for (boolean disparity : new boolean[] {false, true}) {
                String code = (rename == null ? metric : rename) + (disparity ? "_disparity" : "");
                MeasureReport.MeasureReportGroupComponent group = mr.addGroup();
                group.setCode(new CodeableConcept(new Coding(METRICS, code, code)));
                group.addPopulation().setCode(new CodeableConcept(new Coding(
                        "http://terminology.hl7.org/CodeSystem/measure-population", "initial-population", null)))
                        .setCount(((Number) report.get("rows")).intValue());
                for (Map<String, Object> attribute : attributes) {
                    MeasureReport.MeasureReportGroupStratifierComponent strat = group.addStratifier();
                    strat.addCode().setText((String) attribute.get("attribute"));
                    for (Map<String, Object> g : (List<Map<String, Object>>) attribute.get("groups")) {
                        MeasureReport.StratifierGroupComponent stratum = strat.addStratum();
                        stratum.setValue(new CodeableConcept().setText((String) g.get("group")));
                        if (Boolean.TRUE.equals(g.get("suppressed"))) {
                            stratum.setMeasureScore(absent("masked"));
                            continue;
                        }
                        stratum.addPopulation().setCode(new CodeableConcept(new Coding(
                                "http://terminology.hl7.org/CodeSystem/measure-population", "initial-population", null)))
                                .setCount(((Number) g.get("size")).intValue());
                        Object value = disparity
                                ? ((Map<String, Object>) ((Map<String, Object>) g.get("disparities")).get(metric)).get("ratio")
                                : ((Map<String, Object>) g.get("metrics")).get(metric);
                        stratum.setMeasureScore(value instanceof Number n
                                ? new Quantity().setValue(new BigDecimal(n.toString())) : absent("not-applicable"));
                    }
                }
            }
        }
    }

    private static Quantity absent(String reason) {
        Quantity q = new Quantity();
        q.addExtension(new Extension(DATA_ABSENT, new CodeType(reason)));
        return q;
    }

}
