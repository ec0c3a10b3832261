package org.cxr.catalog.domain.indexing;

import java.time.Instant;

import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;

/** Something an event says about a study, as the indexer stores it. */
public sealed interface Fact {
    String subjectId();

    String studyId();

    record ImageReceived(InstanceReceived event) implements Fact {
        public String subjectId() {
            return event.subjectId();
        }

        public String studyId() {
            return event.studyId();
        }
    }

    record ImageConverted(InstanceConverted event) implements Fact {
        public String subjectId() {
            return event.subjectId();
        }

        public String studyId() {
            return event.studyId();
        }
    }

    /** convert-service dead-lettered this instance. */
    record ImageFailed(String subjectId, String studyId, String dicomId, String reason, String message,
            Instant failedAt) implements Fact {
        /** As stored and ordered: a missing message is empty, a missing time the epoch. */
        public ImageFailed normalised() {
            return new ImageFailed(subjectId, studyId, dicomId, reason, message == null ? "" : message,
                    failedAt == null ? Instant.EPOCH : failedAt);
        }
    }

    record ReportRevisionReceived(ReportReceived event) implements Fact {
        public String subjectId() {
            return event.subjectId();
        }

        public String studyId() {
            return event.studyId();
        }
    }

    record ReportLabelledFact(ReportLabelled event) implements Fact {
        public String subjectId() {
            return event.subjectId();
        }

        public String studyId() {
            return event.studyId();
        }
    }

    /**
     * label-service dead-lettered this study's report.
     *
     * @param reportSha256 the rejected revision, or {@link #UNKNOWN_SHA} when the dead letter does not say
     */
    record ReportFailed(String subjectId, String studyId, String reportSha256, String reason, String message,
            Instant failedAt) implements Fact {
        public static final String UNKNOWN_SHA = "0".repeat(64);

        /** As stored and ordered: a missing message is empty, a missing time the epoch. */
        public ReportFailed normalised() {
            return new ReportFailed(subjectId, studyId, reportSha256, reason, message == null ? "" : message,
                    failedAt == null ? Instant.EPOCH : failedAt);
        }
    }
}
