package org.clinloop.audit.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The answer to a request the container refused for its token (the 401 error page in
 * {@code web.xml}): an OperationOutcome saying what was expected and what was found, and a count
 * in the record of failed sign-ins ({@link FailedSignIns}). Liberty checks the token before any
 * filter or servlet of the application runs, so this error page is the one place a refused request
 * can be seen. Reached directly it is not found.
 */
@WebServlet(urlPatterns = SignInRefusedPage.PATH, name = "SignInRefusedPage")
public class SignInRefusedPage extends HttpServlet {

    static final String PATH = "/sign-in-refused";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(SignInRefusedPage.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    transient FailedSignIns failures;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getDispatcherType() != DispatcherType.ERROR) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String uri = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
        String context = request.getContextPath();
        String path = uri.startsWith(context) ? uri.substring(context.length()) : uri;
        String found = "no bearer token";
        try {
            found = failures.refused(request.getHeader("Authorization"), request.getRemoteAddr(),
                    request.getMethod() + " " + path).found();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not count a refused sign-in for " + path, e);
        }
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType((path.startsWith("/fhir") ? "application/fhir+json" : "application/json")
                + ";charset=UTF-8");
        response.getWriter().write(JSON.writeValueAsString(OperationOutcomes.of("error", "login",
                "Expected a valid bearer token issued by " + failures.issuer() + " for audience clinloop-api, found "
                        + found + ".")));
    }
}
