package org.clinloop.ingest.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;

/** Row of {@code patient}: the resource as JSON plus the columns searches use. */
@Entity
@Table(name = "patient")
public class PatientRow {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "identifier_system")
    private String identifierSystem;
    @Column(name = "identifier_value")
    private String identifierValue;
    @Column(name = "family_name")
    private String familyName;
    @Column(name = "given_name")
    private String givenName;
    @Column(name = "birth_date")
    private LocalDate birthDate;
    @Column(name = "gender")
    private String gender;
    @Column(name = "general_practitioner")
    private String generalPractitioner;
    @Column(name = "version_id")
    private int versionId;
    @Column(name = "last_updated")
    private Instant lastUpdated;
    @Column(name = "resource_json")
    private String resourceJson;

    protected PatientRow() {
    }

    public PatientRow(String id) {
        this.id = id;
    }

    public void update(String identifierSystem, String identifierValue, String familyName, String givenName,
                       LocalDate birthDate, String gender, String generalPractitioner, Instant at, String json) {
        this.identifierSystem = identifierSystem;
        this.identifierValue = identifierValue;
        this.familyName = familyName;
        this.givenName = givenName;
        this.birthDate = birthDate;
        this.gender = gender;
        this.generalPractitioner = generalPractitioner;
        this.versionId++;
        this.lastUpdated = at;
        this.resourceJson = json;
    }

    public String id() {
        return id;
    }

    public int versionId() {
        return versionId;
    }

    public Instant lastUpdated() {
        return lastUpdated;
    }

    /** Date of birth, or null when not given. */
    public java.time.LocalDate birthDate() {
        return birthDate;
    }

    public String generalPractitioner() {
        return generalPractitioner;
    }

    /** "Given Family" as the EHR sent it (the first name), or null when it sent neither part. */
    public String displayName() {
        String given = givenName == null ? "" : givenName.trim();
        String family = familyName == null ? "" : familyName.trim();
        String name = (given + " " + family).trim();
        return name.isEmpty() ? null : name;
    }

    public String resourceJson() {
        return resourceJson;
    }
}
