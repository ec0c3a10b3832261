package org.cxr.generator.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.cxr.events.Observation;
import org.junit.jupiter.api.Test;

/** The declared labels of every template agree with what its text says. */
class ReportTemplatesTest {
    private final ReportTemplates templates = ReportTemplates.get();

    @Test
    void everyDeclaredObservationIsNamedAndNoOtherIs() {
        SplittableRandom r = new SplittableRandom(1);
        for (ReportTemplates.Template t : templates.all()) {
            for (int i = 0; i < 20; i++) { // several slot fillings
                String text = templates.render(t, new HashMap<>(), r);
                Set<Observation> declared = t.votes().stream().map(ReportTemplates.Vote::observation)
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(Phrases.mentioned(text)).as("line %d: %s", t.line(), text).isEqualTo(declared);
                assertThat(Phrases.other(text)).as("line %d (Other): %s", t.line(), text).isEqualTo(t.other());
            }
        }
    }

    @Test
    void negationsAndHedgesHaveTheirCues() {
        SplittableRandom r = new SplittableRandom(2);
        for (ReportTemplates.Template t : templates.all()) {
            if (t.votes().isEmpty()) {
                continue; // "No acute cardiopulmonary process." negates, but nothing the key counts
            }
            String text = Phrases.normalise(templates.render(t, new HashMap<>(), r));
            boolean negative = t.votes().stream().anyMatch(v -> v.value() == 0);
            boolean uncertain = t.votes().stream().anyMatch(v -> v.value() == -1);
            assertThat(Phrases.NEGATION.matcher(text).find()).as("line %d negation cue: %s", t.line(), text).isEqualTo(negative);
            if (uncertain) {
                assertThat(Phrases.HEDGE.matcher(text).find()).as("line %d hedge cue: %s", t.line(), text).isTrue();
            } else if (!negative) {
                assertThat(Phrases.HEDGE.matcher(text).find()).as("line %d has a hedge but declares none: %s", t.line(), text).isFalse();
            }
        }
    }

    @Test
    void aSlotKeepsItsValueWithinAReportAndOppositeIsTheOtherSide() {
        ReportTemplates.Template mixed = templates.all().stream().filter(t -> t.text().contains("{opposite}")).findFirst().orElseThrow();
        for (int seed = 0; seed < 10; seed++) {
            HashMap<String, String> slots = new HashMap<>();
            String text = templates.render(mixed, slots, new SplittableRandom(seed));
            String side = slots.get("side");
            assertThat(text).contains(side + " pleural effusion; no " + (side.equals("left") ? "right" : "left"));
            assertThat(templates.render(mixed, slots, new SplittableRandom(seed + 100))).isEqualTo(text);
        }
    }

    @Test
    void everySectionHasNormalAndAbnormalSentences() {
        assertThat(templates.all()).anyMatch(t -> t.neutral() && t.sections().equals(Set.of(ReportTemplates.Section.IMPRESSION)));
        for (Observation o : Observation.values()) {
            if (o != Observation.NO_FINDING) {
                assertThat(templates.all()).as(o.column()).anyMatch(t -> t.has(o, 1) && t.sections().contains(ReportTemplates.Section.IMPRESSION));
            }
        }
    }
}
