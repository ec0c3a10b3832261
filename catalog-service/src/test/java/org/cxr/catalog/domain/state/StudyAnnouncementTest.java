package org.cxr.catalog.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.events.StudyState;
import org.junit.jupiter.api.Test;

class StudyAnnouncementTest {
    static final StudyAnnouncement COMPLETE = new StudyAnnouncement(StudyState.COMPLETE, 2, 2, 0, true, "train");

    @Test
    void aStudyNeverDerivedIsAnnounced() {
        assertThat(COMPLETE.differsFrom(null)).isTrue();
    }

    @Test
    void theSameFactsAgainAnnounceNothing() {
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.COMPLETE, 2, 2, 0, true, "train"))).isFalse();
    }

    @Test
    void anyAnnouncedFieldThatChangedIsAnnounced() {
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.LABELLED, 2, 2, 0, true, "train"))).isTrue();
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.COMPLETE, 3, 2, 0, true, "train"))).isTrue();
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.COMPLETE, 2, 1, 1, true, "train"))).isTrue();
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.COMPLETE, 2, 2, 0, false, "train"))).isTrue();
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.COMPLETE, 2, 2, 0, true, "test"))).isTrue();
        assertThat(COMPLETE.differsFrom(new StudyAnnouncement(StudyState.COMPLETE, 2, 2, 0, true, null))).isTrue();
    }
}
