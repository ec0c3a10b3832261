package org.cxr.convert.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.cxr.convert.domain.ConversionFailure;
import org.cxr.convert.domain.ConversionResult.Converted;
import org.cxr.convert.domain.TestDicom;
import org.cxr.convert.natives.NativeConverter;
import org.cxr.events.Buckets;
import org.cxr.events.FailureReason;
import org.cxr.events.ImageMetadata;
import org.cxr.events.InstanceConverted;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Source;
import org.junit.jupiter.api.Test;

/** From the domain's results to the events' vocabulary. */
class ConversionsTest {
    @Test
    void everyDomainReasonHasItsDeadLetterReason() {
        for (ConversionFailure r : ConversionFailure.values()) {
            FailureReason mapped = Conversions.reason(r);
            assertThat(mapped.name()).as(r.name())
                    .isEqualTo(r == ConversionFailure.IO_ERROR ? "INTERNAL_ERROR" : r.name());
        }
    }

    @Test
    void theEventCarriesTheHeaderValuesAsStoredAndTheConvertedSize() {
        String dicomId = "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014";
        byte[] dicom = TestDicom.explicitLe(TestDicom.image(3, 5, 16, 12, false, "MONOCHROME2",
                TestDicom.pattern(3, 5, 12)));
        String key = ObjectKeys.dicom("10000032", "50414267", dicomId);
        InstanceReceived e = new InstanceReceived(1, "10000032", "50414267", dicomId, Buckets.RAW, key,
                Conversions.sha256(dicom), dicom.length, null, null, Source.REST, Instant.EPOCH);
        Converted c = (Converted) NativeConverter.standard().convert(dicom, Conversions.ids(e));
        InstanceConverted ev = Conversions.converted(e, e.sha256(), Buckets.JPG, "k.jpg", c, Instant.EPOCH);
        assertThat(ev.metadata()).isEqualTo(new ImageMetadata("CHEST (PA AND LAT) – résumé", "PA", 3, 5, "21800506",
                "080556.875", "CHEST (PA AND LAT)", "postero-anterior", "Erect"));
        assertThat(ev.jpgBytes()).isEqualTo(c.jpg().length);
        assertThat(ev.transferSyntaxUid()).isEqualTo("1.2.840.10008.1.2.1");
        assertThat(ev.sourceKey()).isEqualTo(key);
        assertThat(ev.eventId()).isEqualTo("instance-converted:" + dicomId + ":" + e.sha256());
        assertThat(Conversions.sha256(new byte[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
