package org.clinloop.audit.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A REST read whose answer is not recorded as a {@code PATIENT_DATA_READ}, and why. Every other
 * {@code GET} under {@code /api} is ({@link PatientDataReadFilter}): a new endpoint is recorded
 * until someone says here why it need not be.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NoPatientData {

    /** Why the answer holds no patient data, or where its read is recorded instead. */
    String value();
}
