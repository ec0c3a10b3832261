package org.cxr.catalog.domain.state;

import org.cxr.events.StudyState;

/**
 * What a StudyIndexed event says about a study. A study is announced when this changed since it
 * was last derived (or it was never derived), once per indexing transaction: intermediate states
 * inside one batch are not announced, and indexing the same facts again announces nothing.
 */
public record StudyAnnouncement(StudyState state, int imagesKnown, int imagesConverted, int imagesFailed,
        boolean labelled, String split) {

    /** @param previous what was announced when the study was last derived, or null if it never was */
    public boolean differsFrom(StudyAnnouncement previous) {
        return previous == null || !equals(previous);
    }
}
