package org.clinloop.service.limits;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.clinloop.audit.web.OperationOutcomes;

/** The answer to a request refused by a limit: a status, {@code Retry-After} and an OperationOutcome. */
final class Refusals {

    private static final Jsonb JSON = JsonbBuilder.create();

    private Refusals() {
    }

    /**
     * Writes the refusal. The body the client is sending is read and dropped first (up to
     * {@code maxDrain} bytes, through a small buffer, so nothing is held): a client that writes its
     * whole body before reading the answer then gets the answer rather than a reset connection. A
     * body longer than that is left unread and the connection closed.
     */
    static void refuse(HttpServletRequest request, HttpServletResponse response, int status, long retryAfterSeconds,
                       String diagnostics, long maxDrain) throws IOException {
        boolean drained = drain(request, maxDrain);
        response.setStatus(status);
        response.setHeader("Retry-After", String.valueOf(retryAfterSeconds));
        if (!drained) {
            response.setHeader("Connection", "close");
        }
        response.setContentType("application/fhir+json");
        response.getOutputStream().write(JSON.toJson(OperationOutcomes.of("error", "throttled", diagnostics))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** True when the request had no body or all of it was read. */
    private static boolean drain(HttpServletRequest request, long maxDrain) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT") && !method.equals("PATCH")) {
            return true;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxDrain) {
            return false;
        }
        try {
            InputStream in = request.getInputStream();
            byte[] sink = new byte[16 * 1024];
            long total = 0;
            for (int n; (n = in.read(sink)) != -1; ) {
                total += n;
                if (total > maxDrain) {
                    return false;
                }
            }
            return true;
        } catch (IOException | IllegalStateException unreadable) {
            return false;
        }
    }
}
