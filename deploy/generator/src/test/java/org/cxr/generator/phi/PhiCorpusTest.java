package org.cxr.generator.phi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.cxr.generator.identity.Identities;
import org.cxr.generator.identity.Lists;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PhiCorpusTest {
    private static final int N = 500;
    private static List<PhiReport> corpus;

    @BeforeAll
    static void generate() {
        corpus = PhiCorpus.generate(1, N);
    }

    @Test
    void goldSpansPointAtThePlantedTextAndNeverOverlap() {
        for (PhiReport r : corpus) {
            GoldSpan previous = null;
            for (GoldSpan s : r.spans()) {
                assertThat(r.text().substring(s.start(), s.end())).as(r.text()).isEqualTo(s.text());
                assertThat(s.text()).doesNotStartWith(" ").doesNotEndWith(" ");
                if (previous != null) {
                    assertThat(s.start()).as(previous + " / " + s).isGreaterThanOrEqualTo(previous.end());
                }
                previous = s;
            }
        }
    }

    @Test
    void theSpansSayWhatWasPlanted() {
        for (PhiReport r : corpus) {
            PhiPatient p = r.patient();
            for (GoldSpan s : r.spans()) {
                String t = s.text().replace("\n ", " ").toLowerCase(Locale.ROOT);
                switch (s.kind()) {
                    case PATIENT_NAME -> assertThat(p.nameTokens().stream().map(x -> x.toLowerCase(Locale.ROOT)))
                            .as(s.toString()).anyMatch(t::contains);
                    case MRN -> assertThat(t).endsWith(p.mrn());
                    case SSN -> assertThat(t.replaceAll("[^0-9]", "")).isEqualTo(p.ssn().replace("-", ""));
                    case ACCESSION -> assertThat(s.text()).isEqualToIgnoringCase(r.accession());
                    case PHONE -> assertThat(t.replaceAll("[^0-9]", "")).hasSizeGreaterThanOrEqualTo(5);
                    case AGE -> assertThat(t).matches("(0?9\\d|1\\d\\d|ninety.*)y?");
                    case EMAIL -> assertThat(t).matches("[a-z.]+@[a-z.-]+\\.org");
                    case URL -> assertThat(t).matches("(https?://|www\\.)\\S+");
                    case KEEP_LATERALITY -> assertThat(t).isIn("left", "right", "bilateral");
                    default -> assertThat(t).isNotBlank();
                }
            }
        }
    }

    @Test
    void everyKindAndEveryFormOfTheIssueIsPlantedOften() {
        Map<PhiKind, Integer> kinds = new EnumMap<>(PhiKind.class);
        Map<String, Integer> tags = new HashMap<>();
        Map<String, Integer> keeps = new HashMap<>();
        for (PhiReport r : corpus) {
            for (GoldSpan s : r.spans()) {
                kinds.merge(s.kind(), 1, Integer::sum);
                for (String t : s.tags()) {
                    tags.merge(s.kind() + ":" + t, 1, Integer::sum);
                }
                if (!s.kind().identifier()) {
                    keeps.merge(s.text().toLowerCase(Locale.ROOT), 1, Integer::sum);
                }
            }
        }
        for (PhiKind k : PhiKind.values()) {
            if (k != PhiKind.STUDY_DATE && k != PhiKind.UID) {
                assertThat(kinds.getOrDefault(k, 0)).as(k.name()).isGreaterThanOrEqualTo(50);
            }
        }
        for (String form : List.of("caps", "apostrophe", "mc", "hyphenated", "particle", "initials", "title_dr",
                "suffix_md", "suffix_rn", "title_rn", "suffix_pa", "title_pa", "surname_only", "inverted", "lowercase",
                "after_discussed_with", "called_to", "signed_by", "dictated_by", "d_w", "signature", "eponym_surname",
                "word_given", "relative")) {
            assertThat(tags.getOrDefault("NAME:" + form, 0)).as("NAME:" + form).isGreaterThanOrEqualTo(8);
        }
        for (String form : List.of("numeric", "numeric_short", "iso", "month_name", "month_abbr", "day_month",
                "numeric_no_year", "month_name_no_year", "month_year", "birth_date", "month_word")) {
            assertThat(tags.getOrDefault("DATE:" + form, 0)).as("DATE:" + form).isGreaterThanOrEqualTo(40);
        }
        for (String form : List.of("caps", "inverted", "title_mr_ms", "surname_only", "header")) {
            assertThat(tags.getOrDefault("PATIENT_NAME:" + form, 0)).as("PATIENT_NAME:" + form).isGreaterThanOrEqualTo(20);
        }
        for (String form : List.of("pager", "fax", "extension", "home")) {
            assertThat(tags.getOrDefault("PHONE:" + form, 0)).as("PHONE:" + form).isGreaterThanOrEqualTo(20);
        }
        for (String form : List.of("year_old", "y_o", "yo", "aged", "words")) {
            assertThat(tags.getOrDefault("AGE:" + form, 0)).as("AGE:" + form).isGreaterThanOrEqualTo(10);
        }
        assertThat(tags.getOrDefault("INSTITUTION:outside_hospital", 0)).isGreaterThanOrEqualTo(50);
        for (String keep : List.of("hodgkin", "parkinson", "graves", "kerley b lines", "swan-ganz", "dobhoff", "left",
                "right", "bilateral", "may", "march")) {
            assertThat(keeps.getOrDefault(keep, 0)).as(keep).isGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void theSameSeedGivesTheSameCorpusWhateverItsSize() {
        List<PhiReport> again = PhiCorpus.generate(1, 60);
        assertThat(again).isEqualTo(corpus.subList(0, 60));
        assertThat(PhiCorpus.report(1, 42)).isEqualTo(corpus.get(42));
        assertThat(PhiCorpus.generate(2, 5).get(0).text()).isNotEqualTo(corpus.get(0).text());
        assertThat(new HashSet<>(corpus.stream().map(PhiReport::studyInstanceUid).toList())).hasSize(N);
    }

    @Test
    void corpusNamesAndPlacesAreNotTheStudyGeneratorsSoALeakScanCanTellThemApart() {
        Set<String> generator = new HashSet<>();
        for (String list : List.of("female", "male", "last", "middle", "street", "city", "institution")) {
            for (String entry : Identities.get().list(list)) {
                for (String w : entry.split("[\\s^,'-]+")) {
                    generator.add(w.toLowerCase(Locale.ROOT));
                }
            }
        }
        List<String> clashes = new ArrayList<>();
        for (PlantedIdentifiers.Needle n : PlantedIdentifiers.of(corpus)) {
            if (n.encoding().equals("token") && generator.contains(n.value().toLowerCase(Locale.ROOT))) {
                clashes.add(n.value());
            }
        }
        assertThat(clashes).isEmpty();
        Map<String, List<String>> vocabulary = Lists.load(PhiCorpus.class, "vocabulary.txt");
        assertThat(vocabulary.get("family")).noneMatch(f -> generator.contains(f.toLowerCase(Locale.ROOT)));
    }
}
