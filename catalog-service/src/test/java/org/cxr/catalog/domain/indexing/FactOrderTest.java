package org.cxr.catalog.domain.indexing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.cxr.events.InstanceReceived;
import org.cxr.events.ObjectKeys;
import org.cxr.events.Source;
import org.junit.jupiter.api.Test;

class FactOrderTest {
    static final Instant T = Instant.parse("2024-03-01T10:00:00Z");
    static final String SUBJECT = "10000032";
    static final String STUDY = "50414267";

    static InstanceReceived received(String dicom, String sha, Instant at) {
        return new InstanceReceived(1, SUBJECT, STUDY, dicom, "cxr-dicom", ObjectKeys.dicom(SUBJECT, STUDY, dicom),
                sha, 10, "1.2.840.10008.1.2.1", "1.2.840.10008.5.1.4.1.1.1.1", Source.IMPORT, at);
    }

    static String dicom(int i) {
        return String.format("%08x-00000000-00000000-00000000-00000000", i);
    }

    @Test
    void timesAreComparedAsPostgresqlStoresThem() {
        assertThat(FactOrder.micros(T.plusNanos(1_499))).isEqualTo(T.plusNanos(1_000));
        assertThat(FactOrder.micros(T.plusNanos(1_500))).isEqualTo(T.plusNanos(2_000));
        assertThat(FactOrder.micros(T.plusNanos(999_999_700))).isEqualTo(T.plusSeconds(1));
    }

    @Test
    void theWinnerPerKeyDoesNotDependOnArrivalOrder() {
        List<InstanceReceived> facts = new ArrayList<>();
        for (int d = 0; d < 5; d++) {
            facts.add(received(dicom(d), "a".repeat(64), T.plusSeconds(d)));
            facts.add(received(dicom(d), "b".repeat(64), T.plusSeconds(d))); // same time: the greater sha wins
            facts.add(received(dicom(d), "c".repeat(64), T.plusSeconds(d - 1))); // older
            facts.add(received(dicom(d), "d".repeat(64), T.plusSeconds(d).plusNanos(400))); // same microsecond
        }
        Random rnd = new Random(7);
        List<InstanceReceived> expected = null;
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(facts, rnd);
            List<InstanceReceived> w = FactOrder.winners(facts, InstanceReceived::dicomId, FactOrder.RECEIVED);
            assertThat(w).extracting(InstanceReceived::dicomId).containsExactly(dicom(0), dicom(1), dicom(2), dicom(3),
                    dicom(4));
            assertThat(w).extracting(InstanceReceived::sha256).containsOnly("d".repeat(64));
            if (expected != null) {
                assertThat(w).isEqualTo(expected);
            }
            expected = w;
        }
    }

    @Test
    void aFailureWithoutMessageOrTimeIsOrderedAsStored() {
        Fact.ImageFailed bare = new Fact.ImageFailed(SUBJECT, STUDY, dicom(1), "DECODE_ERROR", null, null).normalised();
        assertThat(bare.message()).isEmpty();
        assertThat(bare.failedAt()).isEqualTo(Instant.EPOCH);
        Fact.ImageFailed later = new Fact.ImageFailed(SUBJECT, STUDY, dicom(1), "MULTI_FRAME", "m", T).normalised();
        assertThat(FactOrder.winners(List.of(later, bare), Fact.ImageFailed::dicomId, FactOrder.IMAGE_FAILED))
                .containsExactly(later);
    }
}
