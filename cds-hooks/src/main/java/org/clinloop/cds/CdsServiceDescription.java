package org.clinloop.cds;

import java.util.Map;

/**
 * One service as discovery lists it (CDS Hooks 2.0: {@code hook}, {@code description} and
 * {@code id} required; {@code title} and {@code prefetch} optional, given here).
 */
public record CdsServiceDescription(String hook, String title, String description, String id,
                                    Map<String, String> prefetch, String usageRequirements) {
    public CdsServiceDescription {
        prefetch = Map.copyOf(prefetch);
    }
}
