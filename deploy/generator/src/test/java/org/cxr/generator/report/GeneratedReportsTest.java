package org.cxr.generator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.cxr.events.Observation;
import org.cxr.events.ReportSection;
import org.cxr.generator.GeneratedStudy;
import org.cxr.generator.identity.Identities;
import org.cxr.generator.GeneratorOptions;
import org.cxr.generator.StudyGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated reports read with the dataset contract's section rule (§4), implemented here
 * independently: the labelled text found that way is the generator's, and the answer key names
 * exactly the observations that text mentions.
 */
class GeneratedReportsTest {
    private static final Pattern HEADER = Pattern.compile("(?m)^([A-Z ()/,-]+):");
    private static final Set<String> HEADERS = Set.of("EXAMINATION", "INDICATION", "TECHNIQUE", "COMPARISON",
            "FINDINGS", "IMPRESSION", "CONCLUSION", "NOTIFICATION");
    private static final int N = 2000;
    private static List<GeneratedStudy> studies;

    @BeforeAll
    static void generate() {
        studies = new StudyGenerator(11, GeneratorOptions.defaults()).studies(N).toList();
    }

    /** The contract's rule: last impression, else last findings, else the last paragraph. */
    record Labelled(ReportSection section, String text) {
    }

    static Labelled labelled(String report) {
        Matcher m = HEADER.matcher(report);
        List<String[]> sections = new ArrayList<>(); // name, text
        int previousEnd = -1;
        String previousName = null;
        String preamble = report;
        while (m.find()) {
            if (previousName == null) {
                preamble = report.substring(0, m.start());
            } else {
                sections.add(new String[]{previousName, report.substring(previousEnd, m.start())});
            }
            previousName = m.group(1).strip();
            previousEnd = m.end();
        }
        if (previousName != null) {
            sections.add(new String[]{previousName, report.substring(previousEnd)});
        }
        for (String wanted : List.of("impression", "findings")) {
            for (int i = sections.size() - 1; i >= 0; i--) {
                String name = sections.get(i)[0].toLowerCase();
                if (name.equals(wanted) || wanted.equals("impression") && name.equals("conclusion")) {
                    return new Labelled(ReportSection.valueOf(wanted.toUpperCase()), clean(sections.get(i)[1]));
                }
            }
        }
        String last = sections.isEmpty() ? preamble : sections.get(sections.size() - 1)[1];
        String[] paragraphs = last.split("\n\\s*\n", 2);
        return new Labelled(ReportSection.LAST_PARAGRAPH, clean(paragraphs.length == 2 ? paragraphs[1] : last));
    }

    private static String clean(String s) {
        return s.replaceAll("(?m)^\\s*\\d+\\.\\s", " ").replaceAll("\\s+", " ").strip();
    }

    @Test
    void theContractsSectionRuleFindsTheLabelledText() {
        for (GeneratedStudy s : studies) {
            Labelled l = labelled(s.report());
            assertThat(l.section()).as(s.report()).isEqualTo(s.answerKey().section());
            assertThat(l.text()).as(s.report()).isEqualTo(clean(s.labelledText()));
        }
    }

    @Test
    void onlyRealHeadersLookLikeHeaders() {
        for (GeneratedStudy s : studies) {
            Matcher m = HEADER.matcher(s.report());
            while (m.find()) {
                assertThat(HEADERS).as(s.report()).contains(m.group(1).strip());
            }
        }
    }

    @Test
    void theKeyMentionsExactlyWhatTheLabelledTextNames() {
        for (GeneratedStudy s : studies) {
            Set<Observation> keyed = new TreeSet<>(s.answerKey().mentioned());
            keyed.remove(Observation.NO_FINDING);
            assertThat(keyed).as(s.labelledText()).isEqualTo(Phrases.mentioned(s.labelledText()));
            for (Observation o : Observation.values()) {
                Double c = s.answerKey().chexpert().get(o);
                Double n = s.answerKey().negbio().get(o);
                if (o != Observation.NO_FINDING) {
                    assertThat(n == null).isEqualTo(c == null);
                }
            }
        }
    }

    @Test
    void aPlainNegationIsZeroAndAPlainHedgeIsMinusOne() {
        int negations = 0;
        int hedges = 0;
        for (GeneratedStudy s : studies) {
            String t = s.labelledText();
            long effusionSentences = Phrases.MENTIONS.get(Observation.PLEURAL_EFFUSION).matcher(Phrases.normalise(t)).results().count();
            if (effusionSentences == 1 && t.contains("No pleural effusion.")) {
                negations++;
                assertThat(s.answerKey().chexpert().get(Observation.PLEURAL_EFFUSION)).isEqualTo(0.0);
                assertThat(s.answerKey().negbio().get(Observation.PLEURAL_EFFUSION)).isEqualTo(0.0);
            }
            if (t.contains("Possible early pneumonia.") && Phrases.MENTIONS.get(Observation.PNEUMONIA)
                    .matcher(Phrases.normalise(t)).results().count() == 1) {
                hedges++;
                assertThat(s.answerKey().chexpert().get(Observation.PNEUMONIA)).isEqualTo(-1.0);
                assertThat(s.answerKey().negbio().get(Observation.PNEUMONIA)).isEqualTo(-1.0);
                assertThat(s.answerKey().chexpert().get(Observation.NO_FINDING)).isNull();
            }
        }
        assertThat(negations).isGreaterThan(20);
        assertThat(hedges).isGreaterThan(3);
    }

    @Test
    void distributionsLookLikeMimic() {
        Map<ReportSection, Integer> sections = new EnumMap<>(ReportSection.class);
        int noFinding = 0;
        int labelersDiffer = 0;
        int otherOnly = 0;
        for (GeneratedStudy s : studies) {
            sections.merge(s.answerKey().section(), 1, Integer::sum);
            if (s.answerKey().chexpert().get(Observation.NO_FINDING) != null) {
                noFinding++;
            }
            if (!s.answerKey().chexpert().equals(s.answerKey().negbio())) {
                labelersDiffer++;
            }
            if (s.answerKey().chexpert().get(Observation.NO_FINDING) == null
                    && s.answerKey().negbio().get(Observation.NO_FINDING) != null) {
                otherOnly++;
            }
        }
        // MIMIC: 83.2 % impression, 12.2 % findings, 4.6 % last paragraph; ~1/3 No Finding
        assertThat(sections.get(ReportSection.IMPRESSION) / (double) N).isBetween(0.80, 0.86);
        assertThat(sections.get(ReportSection.FINDINGS) / (double) N).isBetween(0.10, 0.145);
        assertThat(sections.get(ReportSection.LAST_PARAGRAPH) / (double) N).isBetween(0.03, 0.07);
        assertThat(noFinding / (double) N).isBetween(0.25, 0.50);
        assertThat(labelersDiffer).isGreaterThan(10);
        assertThat(otherOnly).isGreaterThan(3);
    }

    @Test
    void phiIsInTheReportsOnlyWhenAskedFor() {
        List<GeneratedStudy> scrubbed = new StudyGenerator(11, GeneratorOptions.defaults().withPhi(false)).studies(300).toList();
        Pattern date = Pattern.compile("\\d{2}/\\d{2}/\\d{4}");
        Pattern doctor = Pattern.compile("Dr\\. [A-Z]");
        int withDates = 0;
        int withDoctors = 0;
        for (int i = 0; i < 300; i++) {
            String phi = studies.get(i).report();
            String none = scrubbed.get(i).report();
            withDates += date.matcher(phi).find() ? 1 : 0;
            withDoctors += doctor.matcher(phi).find() ? 1 : 0;
            assertThat(date.matcher(none).find()).as(none).isFalse();
            assertThat(doctor.matcher(none).find()).as(none).isFalse();
            assertThat(none).doesNotContain("MRN");
            // the same studies otherwise: identical labels
            assertThat(scrubbed.get(i).answerKey()).isEqualTo(studies.get(i).answerKey());
        }
        assertThat(withDates).isGreaterThan(50);
        assertThat(withDoctors).isGreaterThan(5);
    }

    @Test
    void fakeNamesNeverLookLikeFindings() {
        for (String list : List.of("female", "male", "last", "middle")) {
            for (String name : Identities.get().list(list)) {
                assertThat(Phrases.mentioned(name)).as(name).isEmpty();
                assertThat(Phrases.other(name)).as(name).isFalse();
            }
        }
    }
}
