package org.cxr.label.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.cxr.events.Buckets;
import org.cxr.events.EventJson;
import org.cxr.events.MentionSpan;
import org.cxr.events.ObjectKeys;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.Source;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.junit.jupiter.api.Test;

/** The report-labelled event built from a report, without Kafka or S3. */
class ReportLabellingTest {
    private static final ReportPipeline PIPELINE = ReportPipeline.bundled();

    private static ReportLabelled labelled(String report) {
        byte[] bytes = report.getBytes(StandardCharsets.UTF_8);
        ReportReceived received = new ReportReceived(ReportReceived.SCHEMA_VERSION, "10000032", "50414267", Buckets.REPORTS,
                ObjectKeys.report("10000032", "50414267"), ReportLabelling.sha256(bytes), bytes.length, 1, Source.IMPORT,
                Instant.EPOCH);
        return (ReportLabelled) ReportLabelling.label(PIPELINE, received, bytes, Instant.EPOCH).event();
    }

    @Test
    void theEventCarriesEachKeptMentionAsASpanOfTheSectionText() {
        ReportLabelled e = labelled("""
                FINDINGS: Heart size is normal.

                IMPRESSION:
                  1. Left lower lobe Pneumonia. No new pleural
                     effusion.  2. Emphysema and air-space
                     disease.
                """);
        assertThat(e.sectionText()).startsWith("1. Left lower lobe Pneumonia.");
        assertThat(e.mentions()).extracting(MentionSpan::observation, m -> e.sectionText().substring(m.start(), m.end()),
                MentionSpan::value, MentionSpan::negbio).containsExactly(
                        tuple("Pneumonia", "Pneumonia", 1.0, null),
                        // "no new": uncertain for CheXpert, negative for NegBio
                        tuple("Pleural Effusion", "effusion", -1.0, 0.0),
                        tuple("Lung Opacity", "air-space\n     disease", 1.0, null));
        // emphysema is no observation column (it only withholds No Finding): no span
        assertThat(EventJson.read(EventJson.write(e), ReportLabelled.class)).isEqualTo(e);
    }

    @Test
    void aReportWithoutLabellableTextHasNoSpans() {
        assertThat(labelled("One paragraph without headers.").mentions()).isNull();
    }

    @Test
    void spansKeepTheEventSmall() {
        ReportLabelled e = labelled("IMPRESSION: No pneumothorax, pleural effusion or focal consolidation.");
        String json = EventJson.write(e);
        // three spans of about 60 bytes each, no null NegBio values written
        assertThat(e.mentions()).hasSize(3);
        assertThat(json).doesNotContain("\"negbio\":null").contains("{\"observation\":\"Pneumothorax\",\"start\":3,\"end\":15,\"value\":0.0}");
    }
}
