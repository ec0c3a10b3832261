package org.cxr.catalog.domain.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.cxr.events.EventJson;
import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Source;
import org.cxr.events.Topics;
import org.junit.jupiter.api.Test;

class EventDecoderTest {
    static final String SUBJECT = "10000032";
    static final String STUDY = "50414267";
    static final String DICOM = "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014";
    static final InstanceReceived RECEIVED = new InstanceReceived(1, SUBJECT, STUDY, DICOM, "cxr-dicom",
            ObjectKeys.dicom(SUBJECT, STUDY, DICOM), "a".repeat(64), 10, "1.2.840.10008.1.2.1",
            "1.2.840.10008.5.1.4.1.1.1.1", Source.IMPORT, Instant.parse("2024-01-01T00:00:00Z"));

    static DecodedEvent decode(String json, String ceId) {
        return EventDecoder.decode(new RawEvent(Topics.INSTANCE_RECEIVED, STUDY, json, ceId, 0, 7));
    }

    @Test
    void aValidEventAtTheLimitsIsIndexed() {
        DecodedEvent d = decode(EventJson.write(RECEIVED), "x".repeat(EventDecoder.MAX_EVENT_ID));
        assertThat(d.invalid()).isFalse();
        assertThat(d.fact()).isInstanceOf(Fact.ImageReceived.class);
    }

    @Test
    void aCeIdLongerThanTheCatalogStoresIsInvalid() {
        DecodedEvent d = decode(EventJson.write(RECEIVED), "x".repeat(EventDecoder.MAX_EVENT_ID + 1));
        assertThat(d.invalidReason()).isEqualTo("the ce_id header is 401 characters long, at most 400");
        assertThat(d.fact()).isNull();
    }

    @Test
    void aFieldLongerThanItsColumnIsInvalidAndNamed() {
        String json = EventJson.write(RECEIVED).replace("\"1.2.840.10008.1.2.1\"", "\"" + "1".repeat(65) + "\"");
        assertThat(decode(json, null).invalidReason())
                .isEqualTo("InstanceReceived: transferSyntaxUid is 65 characters long, at most 64");
        assertThat(decode(json, null).eventId()).as("no ce_id: the record's position").isEqualTo("cxr.instance-received-0@7");
    }

    @Test
    void aNulCharacterIsInvalid() {
        String json = EventJson.write(RECEIVED).replace("\"cxr-dicom\"", "\"cxr\\u0000dicom\"");
        assertThat(decode(json, null).invalidReason()).isEqualTo("InstanceReceived: bucket contains a NUL character");
    }
}
