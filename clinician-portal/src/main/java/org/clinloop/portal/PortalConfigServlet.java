package org.clinloop.portal;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/** {@code GET /portal/config.json}: the identity provider the pages sign in with. Public, no secrets. */
@WebServlet(urlPatterns = "/portal/config.json")
public class PortalConfigServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    static final String CLIENT_ID = "clinloop-portal";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Config config = ConfigProvider.getConfig();
        String keycloak = config.getOptionalValue("keycloak.url", String.class).orElse("http://localhost:8180");
        String realm = config.getOptionalValue("keycloak.realm", String.class).orElse("clinloop");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"keycloakUrl\":" + quote(keycloak) + ",\"realm\":" + quote(realm)
                + ",\"clientId\":" + quote(CLIENT_ID) + "}");
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
