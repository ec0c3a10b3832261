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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
