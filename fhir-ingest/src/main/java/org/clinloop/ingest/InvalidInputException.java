package org.clinloop.ingest;

import java.util.List;

/** A resource was refused; nothing of it was stored. Mapped to 422 (or 403/404 by code). */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient List<InputProblem> problems;

    public InvalidInputException(List<InputProblem> problems) {
        super(problems.stream().map(p -> p.expression() + ": " + p.message()).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    public List<InputProblem> problems() {
        return problems;
    }
}
