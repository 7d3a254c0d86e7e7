package org.clinloop.cds.web;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.io.StringReader;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.cds.CdsCaller;
import org.clinloop.cds.CdsCard;
import org.clinloop.cds.CdsRequest;
import org.clinloop.cds.CdsServiceDescription;
import org.clinloop.cds.CdsServices;
import org.clinloop.cds.InvalidCdsRequestException;
import org.clinloop.cds.TokenRefusedException;
import org.clinloop.audit.web.FailedSignIns;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CDS Hooks 2.0: discovery (public, as the specification allows), the service calls and their
 * feedback (each with the EHR's signed JWT in {@code Authorization}). Parses, verifies the JWT
 * against the exact service URL, and hands off to {@link CdsServices}. The methods are
 * {@code @PermitAll} for the container only (no Keycloak token here): each call and its feedback
 * is refused 401 unless the EHR's JWT verifies ({@link CdsServices#authenticate}).
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
public class CdsServicesResource {

    /** Bodies are read whole; CDS calls with prefetch stay far below this. */
    static final int MAX_BODY = 4 * 1024 * 1024;

    @Inject
    CdsServices services;
    @Inject
    @ConfigProperty(name = "clinloop.cds.base-url")
    Optional<String> baseUrl;
    @Inject
    @ConfigProperty(name = "clinloop.cds.portal-url")
    Optional<String> portalUrl;
    @Inject
    FailedSignIns signIns;
    @Context
    UriInfo uri;
    @Context
    HttpServletRequest http;

    public record Discovery(List<CdsServiceDescription> services) {
    }

    public record Cards(List<CdsCard> cards) {
    }

    @GET
    @PermitAll
    public Discovery discovery() {
        requireCdsPath();
        return new Discovery(services.discovery());
    }

    @POST
    @PermitAll
    @Path("{id}")
    public Cards call(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                      String body) {
        requireCdsPath();
        requireService(id);
        CdsCaller caller = authenticate(authorization, id, "POST /cds-services/" + id);
        CdsRequest request = CdsRequest.from(json(body));
        return new Cards(services.call(id, request, caller, patientPage()));
    }

    @POST
    @PermitAll
    @Path("{id}/feedback")
    public Map<String, Integer> feedback(@PathParam("id") String id,
                                         @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        requireCdsPath();
        requireService(id);
        CdsCaller caller = authenticate(authorization, id, "POST /cds-services/" + id + "/feedback");
        return Map.of("recorded", services.feedback(id, json(body), caller));
    }

    /** The verified EHR; a refused JWT is counted with the failed sign-ins ({@code SIGN_IN_FAILED}, reason {@code cds-…}). */
    private CdsCaller authenticate(String authorization, String id, String request) {
        try {
            return services.authenticate(authorization, serviceUrl(id));
        } catch (TokenRefusedException e) {
            signIns.refusedByCheck(e.reason().word(), http.getRemoteAddr(), request);
            throw e;
        }
    }

    /** The exact URL an EHR's JWT must name as {@code aud}: the configured base, else as this request reached us. */
    private String serviceUrl(String id) {
        String base = baseUrl.filter(s -> !s.isBlank()).orElse(uri.getBaseUri().toString());
        return (base.endsWith("/") ? base : base + "/") + id;
    }

    private String patientPage() {
        String portal = portalUrl.filter(s -> !s.isBlank()).orElseGet(() -> {
            URI base = uri.getBaseUri();
            return base.getScheme() + "://" + base.getRawAuthority() + "/";
        });
        return (portal.endsWith("/") ? portal : portal + "/") + "#/patient/{id}";
    }

    private void requireService(String id) {
        if (!services.offers(id)) {
            throw new NotFoundException("No CDS service " + id + "; see GET /cds-services.");
        }
    }

    /**
     * Resources of a WAR are also found by the {@code /api} application: this one answers only
     * under {@code /cds-services}.
     */
    private void requireCdsPath() {
        if (!uri.getBaseUri().getPath().endsWith("/cds-services/") && !uri.getBaseUri().getPath().endsWith("/cds-services")) {
            throw new NotFoundException();
        }
    }

    private static JsonObject json(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidCdsRequestException("expected a JSON object body, found none");
        }
        if (body.length() > MAX_BODY) {
            throw new InvalidCdsRequestException("expected a body of at most " + MAX_BODY + " characters, found "
                    + body.length());
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidCdsRequestException("expected a JSON object body, found one that does not parse");
        }
    }
}
