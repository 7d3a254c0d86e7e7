package org.clinloop.service;

import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.clinloop.audit.web.OperationOutcomes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses request bodies larger than {@code clinloop.max-body-bytes} (default 8 MiB: a
 * transaction of a few thousand observations) with 413 and an OperationOutcome, before anything is
 * parsed. A declared {@code Content-Length} over the limit is refused unread; a chunked body is
 * read up to the limit and refused when it goes past it, so no request can make the server buffer
 * more than the limit. Declared in {@code web.xml}, after the rate and in-flight limits.
 */
public class BodyLimit implements Filter {

    private static final Jsonb JSON = JsonbBuilder.create();

    @Inject
    @ConfigProperty(name = "clinloop.max-body-bytes", defaultValue = "8388608")
    long maxBytes;

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse out)
                || !hasBody(http)) {
            chain.doFilter(request, response);
            return;
        }
        long declared = http.getContentLengthLong();
        if (declared > maxBytes) {
            tooLarge(out, "found a declared length of " + declared + " bytes");
            return;
        }
        String charset = http.getCharacterEncoding();
        if (charset != null && !supported(charset)) {
            refuse(out, 415, "not-supported", "Expected a body in UTF-8, found charset " + abbreviate(charset) + ".");
            return;
        }
        String type = http.getContentType() == null ? "" : http.getContentType().toLowerCase(Locale.ROOT);
        if (http.getRequestURI().contains("/fhir") && !http.getRequestURI().endsWith("/_search")
                && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/"))) {
            refuse(out, 415, "not-supported", "Expected application/fhir+json or application/fhir+xml, found "
                    + abbreviate(type) + ".");
            return;
        }
        String encoding = http.getHeader("Content-Encoding");
        boolean encoded = encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity");
        if (declared >= 0 && !encoded) {
            chain.doFilter(request, response);
            return;
        }
        // Chunked or compressed: read it here, so the limit applies to what is actually read and
        // a body that does not decode is refused as such.
        byte[] body;
        try {
            body = readAtMost(http.getInputStream(), maxBytes);
        } catch (IOException unreadable) {
            refuse(out, 400, "invalid", "Expected a body encoded as Content-Encoding " + abbreviate(String.valueOf(encoding))
                    + " says, found one that does not decode (" + abbreviate(String.valueOf(unreadable.getMessage())) + ").");
            return;
        }
        if (body == null) {
            tooLarge(out, "found a body longer than that" + (encoded ? " once decoded" : ""));
            return;
        }
        chain.doFilter(new Buffered(http, body), response);
    }

    private static boolean supported(String charset) {
        try {
            return Charset.isSupported(charset.trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** What the client sent, shortened and with control characters shown as '?'. */
    private static String abbreviate(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "…";
    }

    private static boolean hasBody(HttpServletRequest http) {
        String method = http.getMethod().toUpperCase(Locale.ROOT);
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** The body, or null when it is longer than {@code max}. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        long total = 0;
        for (int n; (n = in.read(chunk)) != -1; ) {
            total += n;
            if (total > max) {
                return null;
            }
            buffer.write(chunk, 0, n);
        }
        return buffer.toByteArray();
    }

    private void tooLarge(HttpServletResponse out, String found) throws IOException {
        out.setHeader("Connection", "close");
        refuse(out, 413, "too-costly", "Expected a request body of at most " + maxBytes + " bytes, " + found
                + "; split large transactions into several Bundles.");
    }

    /** The same OperationOutcome as every other edge, written directly: the request never reaches a parser. */
    private static void refuse(HttpServletResponse out, int status, String code, String text) throws IOException {
        out.setStatus(status);
        out.setContentType("application/fhir+json");
        out.getOutputStream().write(JSON.toJson(OperationOutcomes.of("error", code, text))
                .getBytes(StandardCharsets.UTF_8));
    }

    /** A request whose body was read into memory (at most the limit). */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new IllegalStateException("Expected blocking reads of a buffered body.");
                }
            };
        }

        /** The charset was checked before the body was buffered (an unsupported one is refused with 415). */
        @Override
        public BufferedReader getReader() {
            String enc = getCharacterEncoding();
            Charset cs = enc == null ? StandardCharsets.UTF_8 : Charset.forName(enc.trim());
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), cs));
        }
    }
}
