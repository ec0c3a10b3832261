package org.cxr.catalog.domain.indexing;

import java.time.Instant;
import java.util.regex.Pattern;

import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.Ids;
import org.cxr.events.ImageMetadata;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Topics;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns a record of one of the topics the catalog reads into a {@link Fact}, or says why it is
 * invalid. Beyond the JSON shape and ids checked by {@link EventJson}, it rejects events the
 * catalog could not index faithfully (e.g. a conversion without metadata).
 */
public final class EventDecoder {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private EventDecoder() {
    }

    public static DecodedEvent decode(RawEvent raw) {
        if (raw.value() == null || raw.value().isBlank()) {
            return invalid(raw, null, "empty record value");
        }
        try {
            return switch (raw.topic()) {
                case Topics.INSTANCE_RECEIVED -> instanceReceived(raw);
                case Topics.INSTANCE_CONVERTED -> instanceConverted(raw);
                case Topics.REPORT_RECEIVED -> reportReceived(raw);
                case Topics.REPORT_LABELLED -> reportLabelled(raw);
                case Topics.CONVERT_DLQ, Topics.LABEL_DLQ -> deadLetter(raw);
                default -> invalid(raw, null, "the catalog does not index topic " + raw.topic());
            };
        } catch (Rejected e) {
            return invalid(raw, e.event, e.getMessage());
        } catch (EventJson.InvalidEventException | IllegalArgumentException e) {
            return invalid(raw, null, e.getMessage());
        }
    }

    private static DecodedEvent instanceReceived(RawEvent raw) {
        InstanceReceived e = EventJson.read(raw.value(), InstanceReceived.class);
        require(e, e.sha256() != null && SHA256.matcher(e.sha256()).matches(), "sha256 must be 64 lowercase hex digits");
        require(e, e.receivedAt() != null, "receivedAt is required");
        return valid(raw, e, new Fact.ImageReceived(e));
    }

    private static DecodedEvent instanceConverted(RawEvent raw) {
        InstanceConverted e = EventJson.read(raw.value(), InstanceConverted.class);
        require(e, e.jpgKey() != null && !e.jpgKey().isBlank(), "jpgKey is required");
        require(e, e.sourceSha256() != null && SHA256.matcher(e.sourceSha256()).matches(),
                "sourceSha256 must be 64 lowercase hex digits");
        require(e, e.converterVersion() != null && !e.converterVersion().isBlank(), "converterVersion is required");
        require(e, e.convertedAt() != null, "convertedAt is required");
        ImageMetadata m = e.metadata();
        require(e, m != null, "metadata is required");
        require(e, m.rows() >= 1 && m.columns() >= 1, "metadata rows/columns must be >= 1");
        return valid(raw, e, new Fact.ImageConverted(e));
    }

    private static DecodedEvent reportReceived(RawEvent raw) {
        ReportReceived e = EventJson.read(raw.value(), ReportReceived.class);
        require(e, e.sha256() != null && SHA256.matcher(e.sha256()).matches(), "sha256 must be 64 lowercase hex digits");
        require(e, e.revision() >= 1, "revision must be >= 1");
        require(e, e.receivedAt() != null, "receivedAt is required");
        return valid(raw, e, new Fact.ReportRevisionReceived(e));
    }

    private static DecodedEvent reportLabelled(RawEvent raw) {
        ReportLabelled e = EventJson.read(raw.value(), ReportLabelled.class);
        require(e, e.reportSha256() != null && SHA256.matcher(e.reportSha256()).matches(),
                "reportSha256 must be 64 lowercase hex digits");
        require(e, e.section() != null, "section is required");
        require(e, e.labelerVersion() != null && !e.labelerVersion().isBlank(), "labelerVersion is required");
        require(e, e.labelledAt() != null, "labelledAt is required");
        require(e, e.sectionText() != null, "sectionText is required");
        if (e.section() != ReportSection.NONE) {
            require(e, e.chexpert() != null && e.negbio() != null, "chexpert and negbio are required unless section is NONE");
        }
        return valid(raw, e, new Fact.ReportLabelledFact(e));
    }

    private static DecodedEvent deadLetter(RawEvent raw) {
        DeadLetter d = EventJson.read(raw.value(), DeadLetter.class);
        if (d.stage() == null || d.reason() == null) {
            return invalid(raw, d, "dead letter without stage or reason");
        }
        JsonNode orig = d.originalEvent();
        String subjectId = firstNonNull(d.subjectId(), text(orig, "subjectId"));
        String studyId = firstNonNull(d.studyId(), text(orig, "studyId"));
        Instant failedAt = d.failedAt();
        Fact fact = null;
        if (Ids.isSubjectId(subjectId) && Ids.isStudyId(studyId)) {
            if (Topics.CONVERT_DLQ.equals(raw.topic())) {
                String dicomId = firstNonNull(d.dicomId(), text(orig, "dicomId"));
                if (Ids.isDicomId(dicomId)) {
                    fact = new Fact.ImageFailed(subjectId, studyId, dicomId, d.reason().name(), d.message(), failedAt);
                }
            } else {
                String sha = firstNonNull(text(orig, "sha256"), text(orig, "reportSha256"));
                if (sha == null || !SHA256.matcher(sha).matches()) {
                    sha = Fact.ReportFailed.UNKNOWN_SHA;
                }
                fact = new Fact.ReportFailed(subjectId, studyId, sha, d.reason().name(), d.message(), failedAt);
            }
        }
        String id = raw.ceId() != null ? raw.ceId() : d.eventId();
        return new DecodedEvent(raw, id, fact, d, null, d);
    }

    private static DecodedEvent valid(RawEvent raw, CxrEvent e, Fact fact) {
        return new DecodedEvent(raw, raw.ceId() != null ? raw.ceId() : e.eventId(), fact, null, null, e);
    }

    private static DecodedEvent invalid(RawEvent raw, CxrEvent e, String reason) {
        String id = raw.ceId() != null ? raw.ceId()
                : raw.topic() + "-" + raw.partition() + "@" + raw.offset();
        return new DecodedEvent(raw, id, null, null, reason, e);
    }

    private static void require(CxrEvent e, boolean ok, String message) {
        if (!ok) {
            throw new Rejected(e, e.getClass().getSimpleName() + ": " + message);
        }
    }

    /** A parsed event the catalog cannot index. */
    private static final class Rejected extends RuntimeException {
        private final transient CxrEvent event;

        Rejected(CxrEvent event, String message) {
            super(message, null, false, false);
            this.event = event;
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
