package org.clinloop.recommendation.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.ModelStatus;
import org.clinloop.recommendation.ModelVersion;

/** Row of {@code model_version}: the serialized Tribuo model with its provenance and metrics. */
@Entity
@Table(name = "model_version")
public class ModelVersionRow {

    @Id
    @Column(name = "id", length = 64)
    private String id;

    @Column(name = "ordinal", nullable = false)
    private int ordinal;

    @Column(name = "algorithm", nullable = false, length = 400)
    private String algorithm;

    @Enumerated(EnumType.STRING)
    @Column(name = "status", nullable = false, length = 16)
    private ModelStatus status;

    @Column(name = "provenance_json", nullable = false, length = 4194304)
    private String provenanceJson;

    @Column(name = "provenance_hash", nullable = false, length = 64)
    private String provenanceHash;

    @Column(name = "dataset_hash", nullable = false, length = 64)
    private String datasetHash;

    @Column(name = "seed", nullable = false)
    private long seed;

    @Column(name = "trained_at", nullable = false)
    private Instant trainedAt;

    @Column(name = "metrics_json", nullable = false, length = 65536)
    private String metricsJson;

    @Column(name = "model_proto", nullable = false)
    private byte[] modelProto;
    @Column(name = "magnitude_proto")
    private byte[] magnitudeProto;

    @Column(name = "registered_by", nullable = false, length = 200)
    private String registeredBy;

    @Column(name = "activated_by", length = 200)
    private String activatedBy;

    @Column(name = "activated_at")
    private Instant activatedAt;

    /** The version this one's activation retired, which a rollback from it returns to; null if none was active. */
    @Column(name = "replaced", length = 64)
    private String replaced;

    protected ModelVersionRow() {
    }

    ModelVersionRow(String id, int ordinal, String algorithm, String provenanceJson, String provenanceHash,
                       String datasetHash, long seed, Instant trainedAt, Map<String, Double> metrics,
                       byte[] modelProto, String registeredBy) {
        this.id = id;
        this.ordinal = ordinal;
        this.algorithm = algorithm;
        this.status = ModelStatus.CANDIDATE;
        this.provenanceJson = provenanceJson;
        this.provenanceHash = provenanceHash;
        this.datasetHash = datasetHash;
        this.seed = seed;
        this.trainedAt = trainedAt;
        this.metricsJson = EntryCodec.canonicalDetail(metrics);
        this.modelProto = modelProto.clone();
        this.registeredBy = registeredBy;
    }

    String id() {
        return id;
    }

    ModelStatus status() {
        return status;
    }

    /** The step classifier, or null for a version registered before magnitudes were learned. */
    byte[] magnitudeProto() {
        return magnitudeProto == null ? null : magnitudeProto.clone();
    }

    void magnitudeProto(byte[] proto) {
        this.magnitudeProto = proto == null ? null : proto.clone();
    }

    byte[] modelProto() {
        return modelProto.clone();
    }

    void activate(String steward, Instant at, String replacing) {
        this.status = ModelStatus.ACTIVE;
        this.activatedBy = steward;
        this.activatedAt = at;
        this.replaced = replacing;
    }

    String replaced() {
        return replaced;
    }

    void retire() {
        this.status = ModelStatus.RETIRED;
    }

    void shadow() {
        this.status = ModelStatus.SHADOW;
    }

    /** Back to ACTIVE after a rollback; the original sign-off stays on record. */
    void reinstate() {
        this.status = ModelStatus.ACTIVE;
    }

    ModelVersion toVersion() {
        return new ModelVersion(id, algorithm, status, provenanceHash, datasetHash, seed, trainedAt,
                EntryCodec.parseNumbers(metricsJson),
                activatedBy, activatedAt);
    }
}
