package org.clinloop.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import org.hl7.fhir.utilities.OIDUtilities;
import org.junit.jupiter.api.Test;

/**
 * The WAR's {@code oidregistry.csv} shadows the FHIR core library's 1.5 MB registry, which the
 * reference validator re-reads for every check and ProfileCheck never consults (see the file).
 */
class OidRegistryShadowTest {

    @Test
    void theValidatorReadsTheWarsEmptyRegistry() {
        URL found = OIDUtilities.class.getClassLoader().getResource("oidregistry.csv");

        assertThat(found).isNotNull();
        assertThat(found.getProtocol()).as("from the WAR's classes, not a library jar: " + found).isEqualTo("file");
        assertThat(new OIDUtilities().isKnownOID("urn:oid:2.16.840.1.113883")).as("HL7's own root OID").isFalse();
    }
}
