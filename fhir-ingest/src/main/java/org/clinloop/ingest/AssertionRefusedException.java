package org.clinloop.ingest;

import java.util.List;
import org.clinloop.approval.AccessRefusedException;

/**
 * The sender may send observations about this patient, but not of this kind: a patient asserting
 * a lab value or pregnancy status. A 403 like any refused access, with an OperationOutcome naming
 * the element, and recorded as an {@code OBSERVATION_REJECTED} like other refusals.
 */
public class AssertionRefusedException extends AccessRefusedException {

    private static final long serialVersionUID = 1L;
    private final transient List<InputProblem> problems;

    public AssertionRefusedException(List<InputProblem> problems) {
        super(problems.stream().map(InputProblem::message).reduce((a, b) -> a + "; " + b).orElse(""));
        this.problems = List.copyOf(problems);
    }

    /** What was refused, each with its expression (issue code {@code forbidden}). */
    public List<InputProblem> problems() {
        return problems;
    }
}
