package org.cxr.convert.messaging;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.cxr.convert.domain.ConversionFailure;
import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.Converter;
import org.cxr.convert.domain.InstanceIds;
import org.cxr.events.FailureReason;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;

/** The events of a conversion, from the domain's result; no Kafka or S3 here. */
final class Conversions {
    private Conversions() {
    }

    static InstanceIds ids(InstanceReceived e) {
        return new InstanceIds(e.dicomId(), e.subjectId(), e.studyId());
    }

    /**
     * The dead-letter reason of a domain failure. IO_ERROR cannot come from bytes in memory (except
     * an interrupted wait, which the consumer does not dead-letter): INTERNAL_ERROR.
     */
    static FailureReason reason(ConversionFailure r) {
        return switch (r) {
            case NOT_DICOM -> FailureReason.NOT_DICOM;
            case TRUNCATED -> FailureReason.TRUNCATED;
            case MALFORMED -> FailureReason.MALFORMED;
            case UNSUPPORTED_TRANSFER_SYNTAX -> FailureReason.UNSUPPORTED_TRANSFER_SYNTAX;
            case UNSUPPORTED_IMAGE -> FailureReason.UNSUPPORTED_IMAGE;
            case NO_PIXEL_DATA -> FailureReason.NO_PIXEL_DATA;
            case MULTI_FRAME -> FailureReason.MULTI_FRAME;
            case DECODE_ERROR -> FailureReason.DECODE_ERROR;
            case TOO_LARGE -> FailureReason.TOO_LARGE;
            case IO_ERROR -> FailureReason.INTERNAL_ERROR;
        };
    }

    /**
     * @param sourceSha256 of the bytes converted
     * @param totalMillis  the converter's time (parse, decode, recipe, encode; no S3 or Kafka)
     */
    static InstanceConverted converted(InstanceReceived e, String sourceSha256, String bucket, String jpgKey,
                                       Converted c, Instant now) {
        return new InstanceConverted(InstanceConverted.SCHEMA_VERSION, e.subjectId(), e.studyId(), e.dicomId(),
                e.objectKey(), sourceSha256, bucket, jpgKey, c.jpg().length, c.transferSyntaxUid(), c.constantImage(),
                c.metadata(), Converter.VERSION, Math.round(c.timings().decodeNanos() / 1e6),
                Math.round(c.timings().totalNanos() / 1e6), now);
    }

    /**
     * Why the event may not be followed, or null: an event names its own instance's DICOM in the raw
     * bucket ({@link ObjectKeys#dicom}); one that points elsewhere (another instance, a report, a JPG,
     * a release) would make convert read and publish an object it has no business with.
     */
    static String misdirected(InstanceReceived e, String rawBucket) {
        String key = ObjectKeys.dicom(e.subjectId(), e.studyId(), e.dicomId());
        if (rawBucket.equals(e.bucket()) && key.equals(e.objectKey())) {
            return null;
        }
        return "the event names " + shortened(e.bucket()) + "/" + shortened(e.objectKey()) + "; its ids imply "
                + rawBucket + "/" + key;
    }

    /** A value of the event, cut short: a dead letter's message must not carry a whole forged payload. */
    private static String shortened(String s) {
        return s == null ? "(none)" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
