package org.cxr.label.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.cxr.events.CxrEvent;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.LabelVector;
import org.cxr.events.MentionSpan;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.labeler.Mention;
import org.cxr.label.domain.labeler.ReportPipeline;
import org.cxr.label.domain.section.SectionKind;

/**
 * What label-service does with one report-received event, without Kafka or S3: parse the event,
 * decode the report bytes, label, and build the report-labelled event — or say why it goes to the
 * dead-letter topic. The same bytes always give the same event (and the same ce_id).
 */
final class ReportLabelling {
    private ReportLabelling() {
    }

    /** Either the event to emit or a dead letter's reason and message. */
    record Outcome(CxrEvent event, FailureReason reason, String message) {
        static Outcome failed(FailureReason reason, String message) {
            return new Outcome(null, reason, message);
        }
    }

    /** Parses a payload; throws EventJson.InvalidEventException when it is not a ReportReceived. */
    static ReportReceived parse(String payload) {
        if (payload == null) {
            throw new EventJson.InvalidEventException("empty record value", null);
        }
        return EventJson.read(payload, ReportReceived.class);
    }

    /**
     * Why the event may not be followed, or null: an event names the report of its own study, in the
     * reports bucket; one that points elsewhere (another study's report, an image, a release) would
     * make label read and publish an object it has no business with.
     */
    static String misdirected(ReportReceived event, String reportsBucket) {
        String key = ObjectKeys.report(event.subjectId(), event.studyId());
        if (Objects.equals(event.bucket(), reportsBucket) && Objects.equals(event.objectKey(), key)) {
            return null;
        }
        return "the event names " + quoted(event.bucket()) + "/" + quoted(event.objectKey()) + "; its ids imply "
                + reportsBucket + "/" + key;
    }

    /** A value from the event, cut short: the message must not carry a whole forged payload. */
    private static String quoted(String s) {
        return s == null ? "(none)" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    static Outcome label(ReportPipeline pipeline, ReportReceived event, byte[] bytes, Instant now) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Outcome.failed(FailureReason.UNDECODABLE_REPORT, "report " + event.objectKey() + " is not UTF-8 text");
        }
        if (text.indexOf('\0') >= 0) {
            return Outcome.failed(FailureReason.UNDECODABLE_REPORT, "report " + event.objectKey() + " contains NUL bytes (binary?)");
        }
        if (text.isBlank()) {
            return Outcome.failed(FailureReason.EMPTY_REPORT, "report " + event.objectKey() + " is empty (" + bytes.length + " bytes)");
        }
        ReportPipeline.Result r = pipeline.process(text);
        ReportSection section = section(r.section().kind());
        boolean none = r.labels() == null;
        return new Outcome(new ReportLabelled(ReportLabelled.SCHEMA_VERSION, event.subjectId(), event.studyId(), event.objectKey(),
                sha256(bytes), none ? ReportSection.NONE : section, none ? "" : r.section().text(),
                none ? null : vector(r.labels().chexpert()), none ? null : vector(r.labels().negbio()), pipeline.version(), now,
                none ? null : spans(r.labels().mentions())),
                null, null);
    }

    /**
     * The observation mentions that count in the CheXpert style, as spans of the section text in
     * text order, with the NegBio-style decision where it differs (other findings outside the 14
     * columns are not observations and are left out).
     */
    static List<MentionSpan> spans(List<Mention> mentions) {
        List<MentionSpan> out = new ArrayList<>();
        for (Mention m : mentions) {
            if (m.target() < 0 || m.target() >= Observation.all().size() || m.chexpert() == null) {
                continue;
            }
            double value = value(m.chexpert());
            Double negbio = m.negbio() == null || m.negbio() == m.chexpert() ? null : value(m.negbio());
            out.add(new MentionSpan(Observation.all().get(m.target()).column(), m.start(), m.end(), value, negbio));
        }
        out.sort(Comparator.comparingInt(MentionSpan::start).thenComparingInt(MentionSpan::end));
        return out;
    }

    private static double value(Assertion a) {
        return switch (a) {
            case POSITIVE -> 1.0;
            case NEGATIVE -> 0.0;
            case UNCERTAIN -> -1.0;
        };
    }

    private static ReportSection section(SectionKind kind) {
        return switch (kind) {
            case IMPRESSION -> ReportSection.IMPRESSION;
            case FINDINGS -> ReportSection.FINDINGS;
            case LAST_PARAGRAPH -> ReportSection.LAST_PARAGRAPH;
            case COMPARISON -> ReportSection.COMPARISON;
            case NONE, TEXT -> ReportSection.NONE;
        };
    }

    static LabelVector vector(LabelledRow labels) {
        Map<Observation, Double> m = new EnumMap<>(Observation.class);
        for (Observation o : Observation.all()) {
            LabelCell v = labels.get(o);
            m.put(o, switch (v) {
                case POSITIVE -> 1.0;
                case NEGATIVE -> 0.0;
                case UNCERTAIN -> -1.0;
                case BLANK -> null;
            });
        }
        return LabelVector.of(m);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
