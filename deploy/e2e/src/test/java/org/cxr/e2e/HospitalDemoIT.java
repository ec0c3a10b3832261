package org.cxr.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./cxr demo --via dimse} on the shared platform: the launcher started ingest with its DICOM and
 * HL7 listeners open to the demo's sender ({@code CXR_DEMO@127.0.0.1}) and shows them in
 * {@code ./cxr status}; the demo sends generated studies with C-STORE and their reports as ORU^R01
 * over MLLP, and every one of them ends COMPLETE with its labels — so the reports were matched to
 * their images by accession number alone.
 */
@Order(600)
@ExtendWith(SharedPlatform.class)
class HospitalDemoIT {
    static final int STUDIES = 6;

    @Test
    void theDemoFeedsOverDicomAndHl7AndEveryStudyEndsComplete(SharedPlatform platform) throws Exception {
        assertThat(platform.state().listeners()).containsKeys("dimse", "hl7");
        Cxr.Result status = platform.cxr(Duration.ofMinutes(1), "status");
        assertThat(status.output()).contains("DICOM C-STORE " + platform.state().listeners().get("dimse"))
                .contains("HL7 MLLP " + platform.state().listeners().get("hl7"));

        long before = completeWithLabels(platform);
        Cxr.Result demo = platform.cxr(Duration.ofMinutes(5), "demo", "--via", "dimse", "--studies",
                Integer.toString(STUDIES), "--max-size", "128", "--seed", "15", "--exit-when-done", "--interval", "2");
        assertThat(demo.exitCode()).as(demo.output()).isZero();
        assertThat(demo.output()).contains("over DICOM C-STORE").contains("every fed study is indexed")
                .doesNotContain("upload problems");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long added = 0;
        while (System.nanoTime() < deadline && (added = completeWithLabels(platform) - before) < STUDIES) {
            Thread.sleep(500);
        }
        assertThat(added).as("studies COMPLETE with both label rows").isEqualTo(STUDIES);
    }

    /** Studies COMPLETE whose report was labelled (a CheXpert and a NegBio row). */
    private static long completeWithLabels(SharedPlatform platform) throws Exception {
        try (Connection c = platform.database("catalog");
                ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM study s WHERE s.state = 'COMPLETE'"
                        + " AND (SELECT count(*) FROM study_label l WHERE l.study_id = s.study_id) = 2")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
