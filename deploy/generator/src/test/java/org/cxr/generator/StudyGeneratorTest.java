package org.cxr.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cxr.events.Ids;
import org.cxr.generator.ids.ResearchIds;
import org.cxr.generator.image.EncodedSyntax;
import org.cxr.generator.image.ImageSpec;
import org.junit.jupiter.api.Test;

class StudyGeneratorTest {
    private static final GeneratorOptions SMALL = GeneratorOptions.defaults().withMaxSize(96, 80);

    @Test
    void theSameSeedGivesTheSameStudiesAndBytes() {
        List<GeneratedStudy> a = new StudyGenerator(5, SMALL).studies(15).toList();
        List<GeneratedStudy> b = new StudyGenerator(5, SMALL).studies(15).toList();
        for (int i = 0; i < a.size(); i++) {
            GeneratedStudy x = a.get(i);
            GeneratedStudy y = b.get(i);
            assertThat(y.report()).isEqualTo(x.report());
            assertThat(y.answerKey()).isEqualTo(x.answerKey());
            assertThat(y.studyInstanceUid()).isEqualTo(x.studyInstanceUid());
            assertThat(y.patient()).isEqualTo(x.patient());
            for (int j = 0; j < x.instances().size(); j++) {
                assertThat(y.instances().get(j).bytes()).isEqualTo(x.instances().get(j).bytes());
            }
        }
        GeneratedStudy other = new StudyGenerator(6, SMALL).studies(1).findFirst().orElseThrow();
        assertThat(other.studyInstanceUid()).isNotEqualTo(a.get(0).studyInstanceUid());
        assertThat(other.instances().get(0).bytes()).isNotEqualTo(a.get(0).instances().get(0).bytes());
    }

    @Test
    void sizeOptionsChangeOnlyTheImageSize() {
        List<GeneratedStudy> small = new StudyGenerator(8, SMALL).studies(30).toList();
        List<GeneratedStudy> full = new StudyGenerator(8, GeneratorOptions.defaults()).studies(30).toList();
        for (int i = 0; i < 30; i++) {
            assertThat(small.get(i).report()).isEqualTo(full.get(i).report());
            assertThat(small.get(i).instances().size()).isEqualTo(full.get(i).instances().size());
            for (int j = 0; j < small.get(i).instances().size(); j++) {
                ImageSpec s = small.get(i).instances().get(j).image();
                ImageSpec f = full.get(i).instances().get(j).image();
                assertThat(s.rows()).isLessThanOrEqualTo(96);
                assertThat(s.columns()).isLessThanOrEqualTo(80);
                assertThat(f.rows()).isBetween(2500, 3056);
                assertThat(f.columns()).isBetween(2000, 3056);
                assertThat(s.syntax()).isEqualTo(f.syntax());
                assertThat(s.bitsStored()).isEqualTo(f.bitsStored());
            }
        }
    }

    @Test
    void idsAreWellFormedAndUnique() {
        List<GeneratedStudy> studies = new StudyGenerator(3, SMALL).studies(3000).toList();
        Set<String> studyIds = new HashSet<>();
        Set<String> uids = new HashSet<>();
        Set<String> dicomIds = new HashSet<>();
        Map<String, String> subjectOfPatient = new HashMap<>();
        for (GeneratedStudy s : studies) {
            assertThat(Ids.isSubjectId(s.subjectId())).isTrue();
            assertThat(Ids.isStudyId(s.studyId())).isTrue();
            assertThat(studyIds.add(s.studyId())).isTrue();
            assertThat(uids.add(s.studyInstanceUid())).isTrue();
            assertThat(s.studyInstanceUid()).matches("2\\.25\\.[1-9]\\d{0,38}").hasSizeLessThanOrEqualTo(64);
            // one subject per patient identity and vice versa
            String key = s.patient().patientId() + "|" + s.patient().issuerOfPatientId();
            assertThat(subjectOfPatient.computeIfAbsent(key, k -> s.subjectId())).isEqualTo(s.subjectId());
            for (GeneratedInstance in : s.instances()) {
                assertThat(Ids.isDicomId(in.dicomId())).isTrue();
                assertThat(dicomIds.add(in.dicomId())).isTrue();
                assertThat(uids.add(in.sopInstanceUid())).isTrue();
                assertThat(uids.add(in.seriesInstanceUid())).isTrue();
            }
        }
        assertThat(new HashSet<>(subjectOfPatient.values())).hasSize(subjectOfPatient.size());
    }

    @Test
    void thePermutationBehindSubjectAndStudyIdsIsABijection() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300_000; i++) {
            int p = ResearchIds.permute(i, 12345L);
            assertThat(p).isBetween(0, ResearchIds.RANGE - 1);
            assertThat(seen.add(p)).isTrue();
        }
    }

    @Test
    void shapesAndHeadersAreDistributedLikeMimic() {
        List<GeneratedStudy> studies = new StudyGenerator(21, SMALL).studies(4000).toList();
        int images = 0;
        int frontal = 0;
        Set<String> subjects = new HashSet<>();
        Set<Integer> counts = new HashSet<>();
        Set<EncodedSyntax> syntaxes = EnumSet.noneOf(EncodedSyntax.class);
        Set<String> seen = new HashSet<>();
        boolean earlyTime = false;
        boolean fraction = false;
        boolean noFraction = false;
        for (GeneratedStudy s : studies) {
            subjects.add(s.subjectId());
            counts.add(s.instances().size());
            images += s.instances().size();
            earlyTime |= s.studyTime().startsWith("0");
            fraction |= s.studyTime().contains(".");
            noFraction |= s.studyTime().matches("\\d{6}");
            assertThat(s.studyTime()).matches("([01]\\d|2[0-3])[0-5]\\d[0-5]\\d(\\.\\d{1,6})?");
            assertThat(s.studyDate()).matches("20\\d{6}");
            for (GeneratedInstance in : s.instances()) {
                ImageSpec img = in.image();
                frontal += img.frontal() ? 1 : 0;
                syntaxes.add(img.syntax());
                seen.add(img.photometric());
                seen.add("bits " + img.bitsAllocated() + "/" + img.bitsStored());
                seen.add("pr " + img.pixelRepresentation());
                seen.add("view " + in.viewPosition());
                seen.add("sop " + in.sopClassUid());
                seen.add("code " + in.metadata().viewCodeSequenceCodeMeaning());
                seen.add("orientation " + in.metadata().patientOrientationCodeSequenceCodeMeaning());
            }
        }
        double perStudy = images / (double) studies.size();
        assertThat(perStudy).as("images per study (MIMIC 1.66)").isBetween(1.60, 1.72);
        assertThat(frontal / (double) images).as("frontal share (MIMIC 0.67)").isBetween(0.64, 0.70);
        assertThat(studies.size() / (double) subjects.size()).as("studies per subject (MIMIC 3.48)").isBetween(3.0, 4.0);
        assertThat(counts).containsExactlyInAnyOrder(1, 2, 3, 4);
        assertThat(syntaxes).isEqualTo(EnumSet.allOf(EncodedSyntax.class));
        assertThat(seen).contains(ImageSpec.MONOCHROME1, ImageSpec.MONOCHROME2, "bits 8/8", "bits 16/10", "bits 16/12",
                "bits 16/14", "bits 16/15", "bits 16/16", "pr 0", "pr 1", "view PA", "view AP", "view LL", "view LATERAL",
                "view ", "sop 1.2.840.10008.5.1.4.1.1.1", "sop 1.2.840.10008.5.1.4.1.1.1.1", "code postero-anterior",
                "code antero-posterior", "code lateral", "code left lateral", "code null", "orientation Erect",
                "orientation Recumbent", "orientation null");
        assertThat(earlyTime && fraction && noFraction).isTrue();
    }

    @Test
    void aTargetSizeGivesFilesOfAboutThatSize() {
        GeneratorOptions options = GeneratorOptions.defaults().withTargetInstanceBytes(200_000);
        for (GeneratedStudy s : new StudyGenerator(4, options).studies(6).toList()) {
            for (GeneratedInstance in : s.instances()) {
                assertThat(in.image().syntax().uncompressed()).isTrue();
                assertThat((double) in.bytes().length).isCloseTo(200_000, org.assertj.core.data.Percentage.withPercentage(5));
            }
        }
    }

    @Test
    void aJpegOnlyRunMakesEightBitImages() {
        GeneratorOptions options = SMALL.withSyntaxes(EnumSet.of(EncodedSyntax.JPEG_BASELINE));
        for (GeneratedStudy s : new StudyGenerator(4, options).studies(10).toList()) {
            for (GeneratedInstance in : s.instances()) {
                assertThat(in.image().syntax()).isEqualTo(EncodedSyntax.JPEG_BASELINE);
                assertThat(in.image().bitsAllocated()).isEqualTo(8);
            }
        }
        assertThat(Arrays.stream(EncodedSyntax.values()).map(EncodedSyntax::cliName).map(EncodedSyntax::ofCliName))
                .containsExactly(EncodedSyntax.values());
    }
}
