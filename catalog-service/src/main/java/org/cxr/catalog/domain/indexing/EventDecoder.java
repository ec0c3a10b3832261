package org.cxr.catalog.domain.indexing;

import java.time.Instant;
import java.util.regex.Pattern;

import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.Ids;
import org.cxr.events.ImageMetadata;
import org.cxr.events.ImportProgress;
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
 * catalog could not index faithfully (e.g. a conversion without metadata) or store (an id or
 * header longer than its column, a NUL character, which PostgreSQL text cannot hold): such a
 * record is a dead letter on its own instead of failing the statement of its whole batch.
 */
public final class EventDecoder {
    /** The longest event id the catalog stores (dead_letter.event_id, outbox.event_id). */
    public static final int MAX_EVENT_ID = 400;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern IMPORT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern IMPORT_STATES = Pattern.compile("RUNNING|DONE|FAILED|INTERRUPTED");
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final int BUCKET = 63;
    private static final int KEY = 300;
    private static final int UID = 64;
    private static final int VERSION = 100;
    private static final int TEXT = Integer.MAX_VALUE;

    private EventDecoder() {
    }

    public static DecodedEvent decode(RawEvent raw) {
        if (raw.value() == null || raw.value().isBlank()) {
            return invalid(raw, null, "empty record value");
        }
        if (raw.ceId() != null && raw.ceId().length() > MAX_EVENT_ID) {
            return invalid(raw, null, "the ce_id header is " + raw.ceId().length() + " characters long, at most "
                    + MAX_EVENT_ID);
        }
        try {
            return switch (raw.topic()) {
                case Topics.INSTANCE_RECEIVED -> instanceReceived(raw);
                case Topics.INSTANCE_CONVERTED -> instanceConverted(raw);
                case Topics.REPORT_RECEIVED -> reportReceived(raw);
                case Topics.REPORT_LABELLED -> reportLabelled(raw);
                case Topics.CONVERT_DLQ, Topics.LABEL_DLQ -> deadLetter(raw);
                case Topics.IMPORT_PROGRESS -> importProgress(raw);
                default -> invalid(raw, null, "the catalog does not index topic " + raw.topic());
            };
        } catch (Rejected e) {
            return invalid(raw, e.event, e.getMessage());
        } catch (EventJson.InvalidEventException | IllegalArgumentException e) {
            return invalid(raw, null, e.getMessage());
        }
    }

    /** Not a fact about a study: the indexer keeps the latest state of each import (no fact). */
    private static DecodedEvent importProgress(RawEvent raw) {
        ImportProgress e = EventJson.read(raw.value(), ImportProgress.class);
        require(e, e.importId() != null && IMPORT_ID.matcher(e.importId()).matches(),
                "importId must be 1..64 letters, digits, '-' or '_'");
        require(e, e.state() != null && IMPORT_STATES.matcher(e.state()).matches(),
                "state must be RUNNING, DONE, FAILED or INTERRUPTED");
        require(e, e.sequence() >= 1, "sequence must be at least 1");
        require(e, e.startedAt() != null && e.updatedAt() != null, "startedAt and updatedAt are required");
        require(e, e.filesTotal() >= 0 && e.filesSeen() >= 0 && e.accepted() >= 0 && e.duplicates() >= 0
                && e.conflicts() >= 0 && e.rejected() >= 0 && e.failed() >= 0 && e.skipped() >= 0 && e.bytes() >= 0,
                "counts must not be negative");
        fits(e, "layout", e.layout(), 64);
        require(e, e.rejectedByReason().size() <= 100, "at most 100 reasons");
        e.rejectedByReason().forEach((k, v) -> require(e, REASON.matcher(k).matches() && v != null && v >= 0,
                "rejectedByReason: reason names are A-Z, 0-9, '_' (at most 64), counts not negative"));
        return new DecodedEvent(raw, raw.ceId() != null ? raw.ceId() : e.eventId(), null, null, null, e);
    }

    private static DecodedEvent instanceReceived(RawEvent raw) {
        InstanceReceived e = EventJson.read(raw.value(), InstanceReceived.class);
        require(e, e.sha256() != null && SHA256.matcher(e.sha256()).matches(), "sha256 must be 64 lowercase hex digits");
        require(e, e.receivedAt() != null, "receivedAt is required");
        fits(e, "bucket", e.bucket(), BUCKET);
        fits(e, "objectKey", e.objectKey(), KEY);
        fits(e, "transferSyntaxUid", e.transferSyntaxUid(), UID);
        fits(e, "sopClassUid", e.sopClassUid(), UID);
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
        fits(e, "bucket", e.bucket(), BUCKET);
        fits(e, "jpgKey", e.jpgKey(), KEY);
        fits(e, "converterVersion", e.converterVersion(), VERSION);
        fits(e, "metadata.viewPosition", m.viewPosition(), UID);
        fits(e, "metadata.studyDate", m.studyDate(), 32);
        fits(e, "metadata.studyTime", m.studyTime(), UID);
        fits(e, "metadata.performedProcedureStepDescription", m.performedProcedureStepDescription(), TEXT);
        fits(e, "metadata.procedureCodeSequenceCodeMeaning", m.procedureCodeSequenceCodeMeaning(), TEXT);
        fits(e, "metadata.viewCodeSequenceCodeMeaning", m.viewCodeSequenceCodeMeaning(), TEXT);
        fits(e, "metadata.patientOrientationCodeSequenceCodeMeaning", m.patientOrientationCodeSequenceCodeMeaning(),
                TEXT);
        return valid(raw, e, new Fact.ImageConverted(e));
    }

    private static DecodedEvent reportReceived(RawEvent raw) {
        ReportReceived e = EventJson.read(raw.value(), ReportReceived.class);
        require(e, e.sha256() != null && SHA256.matcher(e.sha256()).matches(), "sha256 must be 64 lowercase hex digits");
        require(e, e.revision() >= 1, "revision must be >= 1");
        require(e, e.receivedAt() != null, "receivedAt is required");
        fits(e, "bucket", e.bucket(), BUCKET);
        fits(e, "objectKey", e.objectKey(), KEY);
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
        fits(e, "reportKey", e.reportKey(), KEY);
        fits(e, "labelerVersion", e.labelerVersion(), VERSION);
        fits(e, "sectionText", e.sectionText(), TEXT);
        // spans lie inside sectionText (the event checks that): at most one per character
        require(e, e.mentions() == null || e.mentions().size() <= e.sectionText().length(), "too many mentions");
        return valid(raw, e, new Fact.ReportLabelledFact(e));
    }

    private static DecodedEvent deadLetter(RawEvent raw) {
        DeadLetter d = EventJson.read(raw.value(), DeadLetter.class);
        if (d.stage() == null || d.reason() == null) {
            return invalid(raw, d, "dead letter without stage or reason");
        }
        fits(d, "stage", d.stage(), 16);
        fits(d, "message", d.message(), TEXT);
        fits(d, "dicomId", d.dicomId(), 44);
        fits(d, "originalTopic", d.originalTopic(), VERSION);
        fits(d, "originalEventId", d.originalEventId(), MAX_EVENT_ID);
        if (raw.ceId() == null) {
            fits(d, "eventId", d.eventId(), MAX_EVENT_ID);
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

    /**
     * A record whose decoding failed unexpectedly (the decoder threw): it has the record's id and
     * nothing else, and is dead-lettered as an internal error.
     */
    public static DecodedEvent undecoded(RawEvent raw) {
        return new DecodedEvent(raw, recordId(raw), null, null, null, null);
    }

    private static DecodedEvent valid(RawEvent raw, CxrEvent e, Fact fact) {
        return new DecodedEvent(raw, raw.ceId() != null ? raw.ceId() : e.eventId(), fact, null, null, e);
    }

    private static DecodedEvent invalid(RawEvent raw, CxrEvent e, String reason) {
        return new DecodedEvent(raw, recordId(raw), null, null, reason, e);
    }

    private static String recordId(RawEvent raw) {
        return raw.ceId() != null ? raw.ceId() : raw.topic() + "-" + raw.partition() + "@" + raw.offset();
    }

    private static void require(CxrEvent e, boolean ok, String message) {
        if (!ok) {
            throw new Rejected(e, e.getClass().getSimpleName() + ": " + message);
        }
    }

    /** A text field the catalog stores: at most {@code max} characters, no NUL character. */
    private static void fits(CxrEvent e, String field, String value, int max) {
        if (value != null) {
            require(e, value.length() <= max, field + " is " + value.length() + " characters long, at most " + max);
            require(e, value.indexOf('\0') < 0, field + " contains a NUL character");
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
