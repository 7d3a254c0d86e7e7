package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.clinloop.audit.AuditExport;
import org.clinloop.audit.MerkleProofs;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.TreeHeadKey;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a compliance officer checks without trusting ClinLoop: signed tree heads under a public
 * key, inclusion and consistency proofs (checked with the RFC 9162 verifier), and an export that
 * verifies offline and fails when one byte of it changes.
 */
class AuditLogIT {

    static final HexFormat HEX = HexFormat.of();
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        expect(clinic.postReading(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null),
                ItEnvironment.hoursAgo(1), 150, 95), 201);
    }

    static TreeHeadKey publicKey() throws Exception {
        return JSON.treeToValue(expect(api.get("/api/audit/public-key", null), 200).json(), TreeHeadKey.class);
    }

    static SignedTreeHead head() throws Exception {
        return JSON.treeToValue(expect(api.get("/api/audit/tree-head", clinic.compliance()), 200).json(),
                SignedTreeHead.class);
    }

    static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(n -> out.add(HEX.parseHex(n.asText())));
        return out;
    }

    /** The newest head signed so far, without asking for a new one (null when none was signed). */
    static SignedTreeHead newestSigned() throws Exception {
        JsonNode heads = expect(api.get("/api/audit/tree-heads?limit=1", clinic.compliance()), 200).json();
        return heads.isEmpty() ? null : JSON.treeToValue(heads.get(0), SignedTreeHead.class);
    }

    @Test
    void treeHeadsAreSignedWhileTheLogGrowsWithoutAnyoneAsking() throws Exception {
        // The IT server signs every 5 s (clinloop.audit.sign-every-seconds); nothing here calls tree-head.
        SignedTreeHead before = newestSigned();
        long sizeBefore = before == null ? 0 : before.size();
        expect(clinic.postReading(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null),
                ItEnvironment.hoursAgo(1), 151, 93), 201);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        SignedTreeHead newest = before;
        while ((newest == null || newest.size() <= sizeBefore) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            newest = newestSigned();
        }
        assertThat(newest).as("a head signed by the schedule within 60 s").isNotNull();
        assertThat(newest.size()).isGreaterThan(sizeBefore);
        assertThat(publicKey().verifies(newest)).isTrue();
    }

    @Test
    void treeHeadsAreSignedByThePublishedKeyAndProofsVerify() throws Exception {
        TreeHeadKey key = publicKey();
        SignedTreeHead first = head();
        assertThat(key.verifies(first)).isTrue();
        expect(clinic.postReading(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null),
                ItEnvironment.hoursAgo(1), 149, 94), 201);
        SignedTreeHead second = head();
        assertThat(second.size()).isGreaterThan(first.size());
        assertThat(key.verifies(second)).isTrue();

        JsonNode consistency = expect(api.get("/api/audit/proof/consistency?first=" + first.size() + "&second="
                + second.size(), clinic.compliance()), 200).json();
        assertThat(MerkleProofs.verifyConsistency(first.size(), second.size(), HEX.parseHex(first.rootHash()),
                HEX.parseHex(second.rootHash()), hashes(consistency.get("path")))).isTrue();

        for (long seq : new long[] {1, first.size() / 2 + 1, second.size()}) {
            JsonNode proof = expect(api.get("/api/audit/proof/inclusion?sequence=" + seq + "&size=" + second.size(),
                    clinic.compliance()), 200).json();
            JsonNode entry = expect(api.get("/api/audit/entries/" + seq, clinic.compliance()), 200).json();
            byte[] leaf = org.clinloop.audit.EntryCodec.leafHash(JSON.treeToValue(entry, org.clinloop.audit.AuditEntry.class));
            assertThat(HEX.formatHex(leaf)).isEqualTo(proof.get("leafHash").asText());
            assertThat(MerkleProofs.verifyInclusion(seq - 1, second.size(), leaf, hashes(proof.get("path")),
                    HEX.parseHex(second.rootHash()))).as("entry %d", seq).isTrue();
        }
        assertThat(api.get("/api/audit/proof/inclusion?sequence=0", clinic.compliance()).status()).isEqualTo(400);
        assertThat(api.get("/api/audit/tree-head", clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
    }

    @Test
    void anExportVerifiesOfflineAndAnyChangeIsNamed() throws Exception {
        ClinLoopClient.Reply export = expect(api.get("/api/audit/export", clinic.compliance(), "application/x-ndjson"), 200);
        String pinned = publicKey().publicKey();
        AuditExport.Result ok = AuditExport.verify(new BufferedReader(new StringReader(export.body())), pinned);
        assertThat(ok.ok()).as(ok.message()).isTrue();

        String[] lines = export.body().split("\n");
        int victim = lines.length / 2;
        lines[victim] = lines[victim].replaceFirst("\"actorId\":\"([^\"]*)\"", "\"actorId\":\"$1x\"");
        AuditExport.Result altered = AuditExport.verify(new BufferedReader(new StringReader(String.join("\n", lines))), pinned);
        assertThat(altered.ok()).isFalse();
        assertThat(altered.message()).startsWith("entry " + victim + ":").contains("the entry was altered");

        AuditExport.Result otherKey = AuditExport.verify(new BufferedReader(new StringReader(export.body())),
                java.util.Base64.getEncoder().encodeToString(new byte[44]));
        assertThat(otherKey.ok()).isFalse();
        assertThat(otherKey.message()).contains("pinned key");
    }

    @Test
    void entriesAreSearchableByActorTypeAndTime() {
        Instant from = Instant.now().minusSeconds(600);
        JsonNode byActor = expect(api.get("/api/audit/entries?actor=service-account-clinloop-ehr&type=OBSERVATION_ACCEPTED"
                + "&from=" + from + "&limit=5", clinic.compliance()), 200).json();
        assertThat(byActor.size()).isBetween(1, 5);
        byActor.forEach(e -> assertThat(e.get("actorId").asText()).isEqualTo("service-account-clinloop-ehr"));
        assertThat(api.get("/api/audit/entries?from=yesterday", clinic.compliance()).status()).isEqualTo(400);
    }
}
