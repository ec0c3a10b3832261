package org.cxr.catalog.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.catalog.domain.state.StudyStateRule;
import org.cxr.events.StudyState;
import org.junit.jupiter.api.Test;

class StudyStateRuleTest {
    @Test
    void states() {
        assertThat(StudyStateRule.derive(2, 0, 0, false, false)).isEqualTo(StudyState.RECEIVED);
        assertThat(StudyStateRule.derive(0, 0, 0, false, false)).isEqualTo(StudyState.RECEIVED);
        assertThat(StudyStateRule.derive(2, 2, 0, false, false)).isEqualTo(StudyState.CONVERTED);
        assertThat(StudyStateRule.derive(2, 1, 1, false, false)).isEqualTo(StudyState.CONVERTED);
        assertThat(StudyStateRule.derive(0, 0, 0, true, false)).isEqualTo(StudyState.LABELLED);
        assertThat(StudyStateRule.derive(2, 1, 0, true, false)).isEqualTo(StudyState.LABELLED);
        assertThat(StudyStateRule.derive(2, 2, 0, true, false)).isEqualTo(StudyState.COMPLETE);
        assertThat(StudyStateRule.derive(3, 2, 1, true, false)).isEqualTo(StudyState.COMPLETE);
        assertThat(StudyStateRule.derive(2, 0, 2, true, false)).isEqualTo(StudyState.FAILED);
        assertThat(StudyStateRule.derive(2, 2, 0, false, true)).isEqualTo(StudyState.FAILED);
        // labelled wins over an old rejection
        assertThat(StudyStateRule.derive(2, 2, 0, true, true)).isEqualTo(StudyState.COMPLETE);
    }
}
