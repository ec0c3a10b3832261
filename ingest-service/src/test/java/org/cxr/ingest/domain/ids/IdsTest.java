package org.cxr.ingest.domain.ids;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.cxr.events.Ids;
import org.cxr.ingest.domain.ids.MimicPath;
import org.cxr.ingest.domain.ids.Pseudonyms;
import org.cxr.ingest.domain.ids.ResearchIds;
import org.cxr.ingest.domain.intake.IntakeRejected;
import org.cxr.ingest.domain.intake.RejectReason;
import org.junit.jupiter.api.Test;

class IdsTest {
    final ResearchIds ids = new ResearchIds();
    final Pseudonyms p = new Pseudonyms("test-secret-0123456789");

    @Test
    void drawnIdsHaveTheDatasetFormats() {
        Set<String> dicomIds = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(Ids.isSubjectId(ids.subjectId())).isTrue();
            assertThat(Ids.isStudyId(ids.studyId())).isTrue();
            String d = ids.dicomId();
            assertThat(Ids.isDicomId(d)).as(d).isTrue();
            dicomIds.add(d);
            int offset = ids.dateOffsetDays();
            assertThat(offset).isBetween(36_524, 62_092);
        }
        assertThat(dicomIds).hasSize(20_000);
    }

    @Test
    void pseudonymsAreStableKeyedAndSeparatedByKind() {
        assertThat(p.patient("SEGH", "MRN1")).isEqualTo(p.patient("SEGH", " MRN1 ")).hasSize(64);
        assertThat(p.patient("SEGH", "MRN1")).isNotEqualTo(p.patient("OTHER", "MRN1"));
        assertThat(p.patient(null, "MRN1")).isEqualTo(p.patient("", "MRN1"));
        assertThat(new Pseudonyms("another-secret-0123456").patient("SEGH", "MRN1")).isNotEqualTo(p.patient("SEGH", "MRN1"));
        assertThat(p.study("1.2.3")).isNotEqualTo(p.instance("1.2.3"));
        assertThat(p.nameToken("Smith")).isEqualTo(p.nameToken("SMITH"));
        assertThat(p.patient("SEGH", "MRN1")).doesNotContain("MRN1");
    }

    @Test
    void remappedUidsAreValidAndConsistent() {
        String u = p.uid("1.2.826.0.1.3680043.8.498.77.1");
        assertThat(u).startsWith("2.25.").matches("2\\.25\\.[1-9][0-9]*").hasSizeLessThanOrEqualTo(64);
        assertThat(p.uid("1.2.826.0.1.3680043.8.498.77.1")).isEqualTo(u);
        assertThat(p.uid("1.2.826.0.1.3680043.8.498.77.2")).isNotEqualTo(u);
    }

    @Test
    void weakSecretIsRefused() {
        assertThatThrownBy(() -> new Pseudonyms("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mimicPathsKeepTheirIds() throws IntakeRejected {
        MimicPath d = MimicPath.parse(Path.of("files/p10/p10000032/s50414267/02aa804e-bde0afdd-112c0b34-7bc16630-4e384014.dcm"))
                .orElseThrow();
        assertThat(d).isEqualTo(new MimicPath("10000032", "50414267", "02aa804e-bde0afdd-112c0b34-7bc16630-4e384014"));
        MimicPath r = MimicPath.parse(Path.of("p10/p10000032/s50414267.txt")).orElseThrow();
        assertThat(r.isReport()).isTrue();
        assertThat(MimicPath.parse(Path.of("README.md"))).isEmpty();
    }

    @Test
    void malformedMimicIdsAreRejected() {
        for (String bad : new String[] {"files/p10/p1000003/s50414267.txt", "files/p10/p10000032/s60414267.txt",
                "files/p11/p10000032/s50414267.txt", "files/p10/p10000032/s50414267/02AA804E-bde0afdd-112c0b34-7bc16630-4e384014.dcm",
                "files/p10/p10000032/s50414267/not-an-id.dcm"}) {
            assertThatThrownBy(() -> MimicPath.parse(Path.of(bad))).as(bad).isInstanceOf(IntakeRejected.class)
                    .matches(e -> ((IntakeRejected) e).reason() == RejectReason.BAD_ID);
        }
    }
}
