package org.cxr.label.domain.rules;

/** A rule file could not be read; the message names file and line. */
public class RuleFormatException extends RuntimeException {
    public RuleFormatException(String message) {
        super(message);
    }
}
