package org.cxr.catalog.domain.split;

/** How the split of a subject seen for the first time is decided, and how that rule is recorded. */
public interface SplitRule {
    Split assign(String subjectId);

    /** What is stored with an assigned split, so that it can be audited and reproduced. */
    String rule();
}
