package org.cxr.catalog.domain.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import org.cxr.events.StudyState;
import org.junit.jupiter.api.Test;

class StudyDerivationTest {
    @Test
    void aFailedStudyGivesItsInstancesMostCommonReason() {
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, false, false, null,
                List.of("MULTI_FRAME", "DECODE_ERROR", "MULTI_FRAME"))).isEqualTo("MULTI_FRAME");
        // a tie goes to the smallest, whatever the row order
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, false, false, null,
                List.of("TRUNCATED", "DECODE_ERROR"))).isEqualTo("DECODE_ERROR");
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, false, false, null,
                List.of("DECODE_ERROR", "TRUNCATED"))).isEqualTo("DECODE_ERROR");
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, false, false, null,
                Arrays.asList(null, "TRUNCATED", null))).isEqualTo("TRUNCATED");
    }

    @Test
    void aRejectedReportIsTheReasonUnlessLabelled() {
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, true, false, "EMPTY_REPORT", List.of("MULTI_FRAME")))
                .isEqualTo("EMPTY_REPORT");
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, true, true, "EMPTY_REPORT", List.of("MULTI_FRAME")))
                .isEqualTo("MULTI_FRAME");
    }

    @Test
    void onlyAFailedStudyHasAFailureReason() {
        for (StudyState s : StudyState.values()) {
            if (s != StudyState.FAILED) {
                assertThat(StudyDerivation.failureReason(s, true, false, "EMPTY_REPORT", List.of("MULTI_FRAME")))
                        .as(s.name()).isNull();
            }
        }
        assertThat(StudyDerivation.failureReason(StudyState.FAILED, false, false, null, List.of())).isNull();
    }

    @Test
    void studyDateIsTheEarliestReadableOne() {
        assertThat(StudyDerivation.studyDate(List.of("21800507", "2180.05.06", "not a date", "21801231")))
                .isEqualTo(LocalDate.of(2180, 5, 6));
        assertThat(StudyDerivation.studyDate(List.of("garbage"))).isNull();
        assertThat(StudyDerivation.studyDate(List.of())).isNull();
    }

    @Test
    void viewPositionsAreDistinctAndSorted() {
        assertThat(StudyDerivation.viewPositions(List.of("PA", "LATERAL", "PA", "AP"))).containsExactly("AP", "LATERAL", "PA");
        assertThat(StudyDerivation.viewPositions(List.of())).isEmpty();
    }
}
