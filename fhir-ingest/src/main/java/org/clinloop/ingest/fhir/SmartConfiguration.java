package org.clinloop.ingest.fhir;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code GET /fhir/.well-known/smart-configuration} (public, like the CapabilityStatement): how a
 * system finds where and how to get a token, as SMART Backend Services discover it: the realm's
 * token endpoint, {@code private_key_jwt} with RS384, client credentials, and the system scopes the
 * realm offers ({@link SystemScopes#OFFERED}).
 */
@WebServlet(urlPatterns = "/fhir/.well-known/smart-configuration", displayName = "SMART configuration")
public class SmartConfiguration extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        var config = ConfigProvider.getConfig();
        String issuer = config.getOptionalValue("keycloak.url", String.class).orElse("http://localhost:8180")
                + "/realms/" + config.getOptionalValue("keycloak.realm", String.class).orElse("clinloop");
        String body = Json.createObjectBuilder()
                .add("issuer", issuer)
                .add("jwks_uri", issuer + "/protocol/openid-connect/certs")
                .add("token_endpoint", issuer + "/protocol/openid-connect/token")
                .add("grant_types_supported", strings(List.of("client_credentials")))
                .add("token_endpoint_auth_methods_supported", strings(List.of("private_key_jwt")))
                .add("token_endpoint_auth_signing_alg_values_supported", strings(List.of("RS384")))
                .add("scopes_supported", strings(SystemScopes.OFFERED))
                .add("capabilities", strings(List.of("client-confidential-asymmetric", "permission-v2")))
                .build().toString();
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body);
    }

    private static JsonArrayBuilder strings(List<String> values) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        values.forEach(b::add);
        return b;
    }
}
