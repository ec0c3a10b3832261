package org.cxr.catalog.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

import org.cxr.catalog.domain.indexing.RawEvent;
import org.cxr.events.CxrEvent;
import org.cxr.events.DeadLetter;
import org.cxr.events.EventJson;
import org.cxr.events.FailureReason;
import org.cxr.events.ImageMetadata;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.LabelVector;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Observation;
import org.cxr.events.ReportLabelled;
import org.cxr.events.ReportReceived;
import org.cxr.events.ReportSection;
import org.cxr.events.Source;
import org.cxr.events.Topics;

/** Builds valid events (as records of their topics) for tests. */
public final class TestEvents {
    public static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

    private TestEvents() {
    }

    public static String subject(int i) {
        return Integer.toString(10_000_000 + i);
    }

    public static String study(int i) {
        return Integer.toString(50_000_000 + i);
    }

    /** A dicom_id derived from a label: 40 hex digits in 5 groups of 8. */
    public static String dicom(String label) {
        String h = sha256(label).substring(0, 40);
        return h.substring(0, 8) + "-" + h.substring(8, 16) + "-" + h.substring(16, 24) + "-" + h.substring(24, 32)
                + "-" + h.substring(32, 40);
    }

    public static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static RawEvent raw(String topic, CxrEvent e) {
        return new RawEvent(topic, e.studyId(), EventJson.write(e), e.eventId(), -1, -1);
    }

    public static InstanceReceived received(String subject, String study, String dicom, Instant at) {
        return new InstanceReceived(1, subject, study, dicom, "cxr-dicom", ObjectKeys.dicom(subject, study, dicom),
                sha256("dcm:" + dicom), 1000, "1.2.840.10008.1.2.1", "1.2.840.10008.5.1.4.1.1.1.1", Source.IMPORT, at);
    }

    public static ImageMetadata metadata(String view, String date, String time) {
        String code = switch (view) {
            case "PA" -> "postero-anterior";
            case "AP" -> "antero-posterior";
            case "LATERAL", "LL" -> "lateral";
            default -> null;
        };
        return new ImageMetadata("CHEST (PA AND LAT)", view, 3056, 2544, date, time, "CHEST (PA AND LAT)", code, "Erect");
    }

    public static InstanceConverted converted(String subject, String study, String dicom, ImageMetadata m, Instant at,
            String version) {
        return new InstanceConverted(1, subject, study, dicom, ObjectKeys.dicom(subject, study, dicom),
                sha256("dcm:" + dicom), "cxr-jpg", ObjectKeys.jpg(subject, study, dicom), 12345, "1.2.840.10008.1.2.1",
                false, m, version, 10, 20, at);
    }

    public static ReportReceived report(String subject, String study, String text, int revision, Instant at) {
        return new ReportReceived(1, subject, study, "cxr-reports", ObjectKeys.report(subject, study), sha256(text),
                text.length(), revision, Source.IMPORT, at);
    }

    /** Labels from a compact spec like "Edema=1,No Finding=1" (unlisted = empty). */
    public static LabelVector labels(String spec) {
        Map<Observation, Double> m = new EnumMap<>(Observation.class);
        if (!spec.isBlank()) {
            for (String kv : spec.split(",")) {
                String[] p = kv.split("=");
                m.put(Observation.ofColumn(p[0].strip()), Double.parseDouble(p[1].strip()));
            }
        }
        return LabelVector.of(m);
    }

    public static ReportLabelled labelled(String subject, String study, String reportText, ReportSection section,
            String chexpert, String negbio, String version, Instant at) {
        boolean none = section == ReportSection.NONE;
        return new ReportLabelled(1, subject, study, ObjectKeys.report(subject, study), sha256(reportText), section,
                none ? "" : "impression of " + study, none ? null : labels(chexpert), none ? null : labels(negbio),
                version, at);
    }

    public static DeadLetter convertFailed(InstanceReceived original, FailureReason reason) {
        return new DeadLetter(1, "convert", reason, "cannot convert: " + reason, original.subjectId(), original.studyId(),
                original.dicomId(), Topics.INSTANCE_RECEIVED, original.eventId(), original.eventType(),
                EventJson.tree(original), T0.plusSeconds(5));
    }

    public static DeadLetter labelFailed(ReportReceived original, FailureReason reason) {
        return new DeadLetter(1, "label", reason, "cannot label: " + reason, original.subjectId(), original.studyId(),
                null, Topics.REPORT_RECEIVED, original.eventId(), original.eventType(), EventJson.tree(original),
                T0.plusSeconds(6));
    }
}
