package org.cxr.ingest.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.cxr.ingest.domain.deid.ReportScrubber;
import org.cxr.ingest.domain.deid.ReportText;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.junit.jupiter.api.Test;

class ReportScrubberTest {
    static final String REPORT = """
            FINAL REPORT
            EXAMINATION:  CHEST (PA AND LAT)

            INDICATION:  72-year-old woman with cough, MRN 4471123, accession #A99887766.

            COMPARISON:  Chest radiograph from 03/14/2019 and March 2, 2018; also prior on 12/25.

            FINDINGS:
            There is a 1.5 cm nodule in the right upper lobe. Mild compression deformity of T10.
            Two views of the chest. Heart size is normal. 3 mm calcified granuloma. Hortensia reports pain.

            IMPRESSION:
            Findings were discussed with Dr. John Westphall by Dr. Amy Lee on the telephone on 2019-03-21
            at 10:45 a.m., pager 61234, phone (617) 555-1234, email j.westphall@segh.org.
            Dictated by: Jane Doe, MD
            """;

    @Test
    void identifiersAreMaskedAndClinicalContentKept() {
        String s = ReportScrubber.scrub(REPORT, t -> Set.of("quackenbush", "hortensia").contains(t.toLowerCase()));
        for (String phi : new String[] {"4471123", "A99887766", "03/14/2019", "March 2, 2018", "12/25", "Westphall",
                "John", "Amy Lee", "2019-03-21", "61234", "555-1234", "617", "segh.org", "Jane Doe", "72-year", "Hortensia"}) {
            assertThat(s).as(phi).doesNotContain(phi);
        }
        for (String kept : new String[] {"1.5 cm", "T10", "Two views", "3 mm", "CHEST (PA AND LAT)", "IMPRESSION:",
                "10:45 a.m.", "Heart size is normal", "right upper lobe", "Dr. ___", "MRN ___", "___-year-old woman",
                "pager ___", ", MD"}) {
            assertThat(s).as(kept).contains(kept);
        }
    }

    @Test
    void cleanReportIsUnchanged() {
        String clean = "FINDINGS: No focal consolidation. Cardiomediastinal silhouette is within normal limits."
                + " An ET tube ends 4.5 cm above the carina; NG tube in the stomach. 2 sternal wires.\n"
                + "IMPRESSION: No acute cardiopulmonary process.\n";
        assertThat(ReportScrubber.scrub(clean)).isEqualTo(clean);
    }

    @Test
    void strictDecoding() throws IntakeRejected {
        assertThat(ReportText.decode("\uFEFFline1\r\nline2".getBytes(StandardCharsets.UTF_8), null, 1000))
                .isEqualTo("line1\nline2");
        assertThat(ReportText.decode("Müller".getBytes(StandardCharsets.ISO_8859_1), "ISO-8859-1", 1000)).isEqualTo("Müller");
        assertThatThrownBy(() -> ReportText.decode("Müller".getBytes(StandardCharsets.ISO_8859_1), "UTF-8", 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.UNDECODABLE_REPORT);
        assertThatThrownBy(() -> ReportText.decode(" \n ".getBytes(StandardCharsets.UTF_8), null, 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.EMPTY_REPORT);
        assertThatThrownBy(() -> ReportText.decode(new byte[2000], null, 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.TOO_LARGE);
        assertThatThrownBy(() -> ReportText.decode("x".getBytes(), "no-such-charset", 1000))
                .matches(e -> ((IntakeRejected) e).reason() == RejectReason.UNDECODABLE_REPORT);
    }
}
