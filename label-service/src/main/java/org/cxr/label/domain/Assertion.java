package org.cxr.label.domain;

/** What one sentence says about one mention. */
public enum Assertion {
    POSITIVE,
    NEGATIVE,
    UNCERTAIN
}
