package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clinloop.ingest.fhir.SystemScope.Permission;

/**
 * What a system client (role {@code ehr-system}: an EHR, a wearable gateway) may do, read from the
 * SMART system scopes its token was granted, and what each FHIR interaction needs. Deny by
 * default: an interaction that no scope can grant (an operation on the whole server, tags,
 * validation) is refused whatever the token holds; a paging link and the CapabilityStatement need
 * none (a page answers only the caller whose scoped search made it). A transaction or batch Bundle
 * needs nothing itself; each of its entries needs what the same interaction would need alone
 * ({@link #entry}).
 *
 * @param granted the token's scopes as granted, system scopes or not (for the answer and the audit)
 */
record SystemScopes(List<String> granted) {

    /**
     * The system scopes the shipped realm defines (its client scopes), which systems may be given
     * and ask for; published in the SMART configuration. A test keeps the two lists the same.
     */
    static final List<String> OFFERED = List.of("system/Patient.c", "system/Patient.u", "system/Patient.rs",
            "system/Observation.c", "system/Observation.rs", "system/MedicationRequest.c", "system/MedicationRequest.rs",
            "system/Device.c", "system/Device.rs", "system/MedicationStatement.c", "system/MedicationStatement.rs");

    /** An interaction a scope is checked against: a permission on a type. */
    record Interaction(String resourceType, Permission permission) {

        /** {@code system/Patient.u}. */
        String scope() {
            return SystemScope.named(resourceType, permission);
        }

        /** "update Patient". */
        String described() {
            return permission.verb() + " " + resourceType;
        }
    }

    /** What one request needs: nothing, one interaction, or refused whatever the scopes. */
    sealed interface Need permits Free, Needs, Ungrantable {
    }

    /** Needs no scope (the CapabilityStatement, a page of a search already allowed, a Bundle whose entries are checked one by one). */
    record Free() implements Need {
    }

    record Needs(Interaction interaction) implements Need {
    }

    /** No system scope grants it (e.g. {@code $validate}, tags, a server-wide operation). */
    record Ungrantable(String operation) implements Need {
    }

    SystemScopes {
        granted = List.copyOf(granted);
    }

    /** Whether some granted system scope allows the interaction. */
    boolean allow(Interaction interaction) {
        for (String s : granted) {
            Optional<SystemScope> scope = SystemScope.parse(s);
            if (scope.isPresent() && scope.get().grants(interaction.resourceType(), interaction.permission())) {
                return true;
            }
        }
        return false;
    }

    /** The granted scopes that are system scopes, as the token holds them. */
    List<String> systemScopes() {
        List<String> out = new ArrayList<>();
        for (String s : granted) {
            if (SystemScope.parse(s).isPresent()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The answer to a refusal: the scope needed and the system scopes granted, e.g. "Expected the
     * scope system/Patient.u to update Patient, found the system scopes granted: system/Patient.rs".
     */
    String refusal(Interaction needed) {
        return "Expected the SMART scope " + needed.scope() + " (or a wider one, e.g. system/" + needed.resourceType()
                + ".cruds or system/*." + needed.permission().letter() + ") to " + needed.described()
                + ", found the system scopes granted: " + grantedText() + ".";
    }

    String refusal(Ungrantable operation) {
        return "Expected no system client to " + operation.operation() + ": no SMART system scope grants it (found the "
                + "system scopes granted: " + grantedText() + ").";
    }

    private String grantedText() {
        List<String> system = systemScopes();
        return system.isEmpty() ? "none" : String.join(" ", system);
    }

    /** What a request needs, by HAPI's name for its interaction and the resource type it is about (null: none). */
    static Need of(RestOperationTypeEnum operation, String resourceType) {
        if (operation == null) {
            return new Ungrantable("call an unknown interaction");
        }
        return switch (operation) {
            case METADATA, GET_PAGE, TRANSACTION, BATCH -> new Free();
            case CREATE -> on(resourceType, Permission.CREATE, operation);
            case READ, VREAD, HISTORY_INSTANCE, EXTENDED_OPERATION_INSTANCE -> on(resourceType, Permission.READ, operation);
            case UPDATE, PATCH -> on(resourceType, Permission.UPDATE, operation);
            case DELETE -> on(resourceType, Permission.DELETE, operation);
            case SEARCH_TYPE, HISTORY_TYPE, EXTENDED_OPERATION_TYPE -> on(resourceType, Permission.SEARCH, operation);
            default -> new Ungrantable("call " + operation.getCode()
                    + (resourceType == null ? " on the server" : " on " + resourceType));
        };
    }

    /**
     * What one entry of a transaction or batch Bundle needs, by its {@code request}: POST
     * {@code Type} creates, PUT and PATCH {@code Type/id} update, DELETE deletes, GET
     * {@code Type/id} reads and GET {@code Type?…} searches.
     */
    static Need entry(String method, String url) {
        String path = url == null ? "" : url.split("\\?", 2)[0];
        String[] parts = path.startsWith("/") ? path.substring(1).split("/") : path.split("/");
        String type = parts.length == 0 || parts[0].isEmpty() ? null : parts[0];
        boolean instance = parts.length > 1 && !parts[1].isEmpty();
        if (type == null || !type.matches("[A-Z][A-Za-z]{0,63}") || method == null) {
            return new Ungrantable((method == null ? "send an entry without request.method" : method)
                    + " " + (url == null ? "(no request.url)" : url));
        }
        return switch (method) {
            case "POST" -> instance ? new Ungrantable("POST " + path) : new Needs(new Interaction(type, Permission.CREATE));
            case "PUT", "PATCH" -> new Needs(new Interaction(type, Permission.UPDATE));
            case "DELETE" -> new Needs(new Interaction(type, Permission.DELETE));
            case "GET", "HEAD" -> new Needs(new Interaction(type, instance ? Permission.READ : Permission.SEARCH));
            default -> new Ungrantable(method + " " + path);
        };
    }

    private static Need on(String resourceType, Permission permission, RestOperationTypeEnum operation) {
        return resourceType == null ? new Ungrantable("call " + operation.getCode() + " on the server")
                : new Needs(new Interaction(resourceType, permission));
    }
}
