package org.clinloop.ingest.fhir;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SMART system scope as a token grants it: {@code system/<Type>.<permissions>} (SMART App
 * Launch v2: the letters of {@code cruds}, in that order, each at most once), or {@code *} for every
 * type. The v1 forms {@code .read} (= {@code rs}), {@code .write} (= {@code cud}) and {@code .*}
 * (= {@code cruds}) are read as their v2 equivalents. Patient and user scopes, and anything else in
 * a token's {@code scope} claim, are not system scopes and grant a system nothing.
 *
 * @param resourceType the FHIR resource type, or {@code *}
 * @param permissions  what it grants on that type, never empty
 */
record SystemScope(String resourceType, Set<Permission> permissions) {

    private static final Pattern FORM = Pattern.compile("system/(\\*|[A-Z][A-Za-z]{0,63})\\.(read|write|\\*|c?r?u?d?s?)");

    /** A SMART v2 permission; a scope grants a subset, written in this order. */
    enum Permission {
        CREATE('c', "create"), READ('r', "read"), UPDATE('u', "update"), DELETE('d', "delete"), SEARCH('s', "search");

        private final char letter;
        private final String verb;

        Permission(char letter, String verb) {
            this.letter = letter;
            this.verb = verb;
        }

        char letter() {
            return letter;
        }

        /** "create", "search": how a refusal names the interaction. */
        String verb() {
            return verb;
        }
    }

    SystemScope {
        permissions = Set.copyOf(permissions);
        if (permissions.isEmpty()) {
            throw new IllegalArgumentException("Expected a scope granting at least one of c, r, u, d, s, found none");
        }
    }

    /** The system scope a scope string names, or empty when it is not one (a patient scope, "openid", "system/Observation.x"). */
    static Optional<SystemScope> parse(String scope) {
        Matcher m = FORM.matcher(scope == null ? "" : scope);
        if (!m.matches() || m.group(2).isEmpty()) {
            return Optional.empty();
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        switch (m.group(2)) {
            case "read" -> permissions.addAll(EnumSet.of(Permission.READ, Permission.SEARCH));
            case "write" -> permissions.addAll(EnumSet.of(Permission.CREATE, Permission.UPDATE, Permission.DELETE));
            case "*" -> permissions.addAll(EnumSet.allOf(Permission.class));
            default -> {
                for (Permission p : Permission.values()) {
                    if (m.group(2).indexOf(p.letter()) >= 0) {
                        permissions.add(p);
                    }
                }
            }
        }
        return Optional.of(new SystemScope(m.group(1), permissions));
    }

    /** Whether this scope grants {@code permission} on {@code type}. */
    boolean grants(String type, Permission permission) {
        return ("*".equals(resourceType) || resourceType.equals(type)) && permissions.contains(permission);
    }

    /** The narrowest scope that grants one permission on one type: {@code system/Patient.u}. */
    static String named(String type, Permission permission) {
        return "system/" + type + "." + permission.letter();
    }
}
