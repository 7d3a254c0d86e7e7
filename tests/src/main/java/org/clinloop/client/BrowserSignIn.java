package org.clinloop.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs a person in the way the clinician portal's browser does, without the password grant: the
 * OAuth 2.0 authorization-code flow with PKCE (S256) on a public client ({@code clinloop-portal}).
 * It opens Keycloak's authorization endpoint, reads the login form's action from the HTML page,
 * posts the username and password with the page's cookies, takes the code from the redirect to the
 * portal, and exchanges it at the token endpoint with the code verifier.
 *
 * <p>It speaks only to the plain username-and-password page. When the realm asks for more (a
 * one-time code, a required action such as setting up OTP), the sign-in fails and says so: the
 * demo and test realms switch OTP off for that reason.
 */
public final class BrowserSignIn implements UserSignIn {

    /** The clinician portal's public client (authorization code with PKCE only). */
    public static final String PORTAL_CLIENT = "clinloop-portal";

    private static final Pattern FORM = Pattern.compile("<form\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern ACTION = Pattern.compile("\\baction\\s*=\\s*\"([^\"]*)\"", Pattern.CASE_INSENSITIVE);
    private static final Pattern FEEDBACK = Pattern.compile(
            "<span[^>]*(?:id=\"input-error[^\"]*\"|class=\"[^\"]*(?:kc-feedback-text|pf-v5-c-alert__title)[^\"]*\")[^>]*>(.*?)</",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String realmUrl;
    private final String clientId;
    private final String redirectUri;
    private final KeycloakTokens tokens;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param keycloakUrl Keycloak's base URL, e.g. {@code http://localhost:8180}
     * @param realm       the realm, {@code clinloop} but for tests of a copy
     * @param clientId    a public client with the standard flow and PKCE
     * @param redirectUri one of the client's registered redirect URIs
     */
    public BrowserSignIn(String keycloakUrl, String realm, String clientId, String redirectUri) {
        this.realmUrl = keycloakUrl + "/realms/" + realm;
        this.clientId = clientId;
        this.redirectUri = redirectUri;
        this.tokens = new KeycloakTokens(keycloakUrl, realm);
    }

    /** Signs in on the portal's client of the ClinLoop realm, redirected to the portal at {@code serviceUrl}. */
    public static BrowserSignIn portal(String keycloakUrl, String serviceUrl) {
        return new BrowserSignIn(keycloakUrl, "clinloop", PORTAL_CLIENT, serviceUrl + "/");
    }

    @Override
    public String token(String username, String password) {
        String verifier = random(32);
        String state = random(16);
        Map<String, String> cookies = new LinkedHashMap<>();
        String authorize = realmUrl + "/protocol/openid-connect/auth?" + form(Map.of(
                "client_id", clientId, "redirect_uri", redirectUri, "response_type", "code", "scope", "openid",
                "state", state, "nonce", random(16), "code_challenge", challenge(verifier),
                "code_challenge_method", "S256"));
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(authorize)).GET(), cookies);
        if (page.statusCode() != 200) {
            throw refused(username, "the authorization endpoint answered " + page.statusCode()
                    + page.headers().firstValue("Location").map(l -> " to " + l).orElse("") + " " + page.body());
        }
        String action = loginAction(page.body()).orElseThrow(() -> refused(username,
                "expected Keycloak's login form (kc-form-login), found " + abbreviate(page.body())));
        HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("username", username, "password", password,
                        "credentialId", "")))), cookies);
        String location = posted.headers().firstValue("Location").orElse(null);
        if (posted.statusCode() / 100 != 3 || location == null) {
            throw refused(username, describe(posted.body()));
        }
        if (!location.startsWith(redirectUri)) {
            throw refused(username, (location.contains("execution=CONFIGURE_TOTP")
                    ? "the realm requires a one-time code (OTP) and asks to set one up first"
                    : "Keycloak asks for more than a password") + " (" + location + "); OTP is switched off only in "
                    + "the demo and test realms");
        }
        Map<String, String> query = query(URI.create(location).getRawQuery());
        if (query.containsKey("error")) {
            throw refused(username, query.get("error") + ": " + query.getOrDefault("error_description", ""));
        }
        if (!state.equals(query.get("state"))) {
            throw refused(username, "expected state " + state + " in the redirect, found " + query.get("state"));
        }
        String code = Optional.ofNullable(query.get("code"))
                .orElseThrow(() -> refused(username, "no code in the redirect " + location));
        return tokens.authorizationCode(clientId, code, redirectUri, verifier);
    }

    /** The action of Keycloak's username-and-password form, HTML entities decoded. */
    static Optional<String> loginAction(String html) {
        Matcher form = FORM.matcher(html);
        while (form.find()) {
            String tag = form.group();
            if (tag.contains("id=\"kc-form-login\"")) {
                Matcher action = ACTION.matcher(tag);
                if (action.find()) {
                    return Optional.of(unescape(action.group(1)));
                }
            }
        }
        return Optional.empty();
    }

    static String unescape(String html) {
        return html.replace("&#x3D;", "=").replace("&#61;", "=").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static String describe(String page) {
        if (page.contains("kc-otp-login-form") || page.contains("otpauth") || page.contains("id=\"totp\"")) {
            return "Keycloak asks for a one-time code (OTP); it is switched off only in the demo and test realms";
        }
        Matcher feedback = FEEDBACK.matcher(page);
        return feedback.find() ? unescape(feedback.group(1).strip()) : "expected a redirect to the portal, found "
                + abbreviate(page);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> cookies) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = pair.substring(0, eq).strip();
                String value = pair.substring(eq + 1).strip();
                if (value.isEmpty() || set.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak at " + realmUrl + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private IllegalStateException refused(String username, String why) {
        return new IllegalStateException("Keycloak refused the browser sign-in of " + username + " on " + clientId
                + ": " + why);
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + " …";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(URLDecoder.decode(name, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** RFC 7636's S256 challenge: base64url(SHA-256(verifier)), without padding. */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
