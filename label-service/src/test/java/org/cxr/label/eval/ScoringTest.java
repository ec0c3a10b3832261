package org.cxr.label.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Set;

import org.cxr.events.Observation;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;
import org.junit.jupiter.api.Test;

class ScoringTest {
    private static LabelledRow vector(Observation o, LabelCell v) {
        LabelCell[] a = new LabelCell[14];
        Arrays.fill(a, LabelCell.BLANK);
        a[o.ordinal()] = v;
        return LabelledRow.of(a);
    }

    @Test
    void countsPrecisionRecallAndF1() {
        Counts c = new Counts();
        c.add(true, true);
        c.add(true, false);
        c.add(false, true);
        c.add(false, false);
        assertThat(c.precision()).isEqualTo(0.5);
        assertThat(c.recall()).isEqualTo(0.5);
        assertThat(c.f1()).isEqualTo(0.5);
        Counts none = new Counts();
        none.add(true, false);
        assertThat(none.f1()).isNaN();
    }

    @Test
    void goldTaskFollowsTheValidationNotebookDefinitions() {
        GoldTask t = new GoldTask();
        t.add(vector(Observation.EDEMA, LabelCell.NEGATIVE), vector(Observation.EDEMA, LabelCell.UNCERTAIN));
        t.add(vector(Observation.EDEMA, LabelCell.UNCERTAIN), vector(Observation.EDEMA, LabelCell.UNCERTAIN));
        t.add(vector(Observation.EDEMA, LabelCell.BLANK), vector(Observation.EDEMA, LabelCell.POSITIVE));
        // mention: gold 2 mentioned, predicted 3 -> tp 2, fp 1
        assertThat(t.counts(GoldTask.Kind.MENTION, Observation.EDEMA).f1()).isCloseTo(0.8, within(1e-9));
        // negation: gold 1, predicted 0
        assertThat(t.counts(GoldTask.Kind.NEGATION, Observation.EDEMA).tp()).isZero();
        assertThat(t.counts(GoldTask.Kind.NEGATION, Observation.EDEMA).fn()).isEqualTo(1);
        // uncertain: gold 1, predicted 2 -> tp 1 fp 1
        assertThat(t.counts(GoldTask.Kind.UNCERTAIN, Observation.EDEMA).f1()).isCloseTo(2.0 / 3, within(1e-9));
    }

    @Test
    void presentTaskStrictAndLenient() {
        PresentTask t = new PresentTask(Set.of(Observation.PNEUMONIA));
        t.add("a", Set.of(Observation.PNEUMONIA), vector(Observation.PNEUMONIA, LabelCell.UNCERTAIN));
        t.add("b", Set.of(), vector(Observation.PNEUMONIA, LabelCell.NEGATIVE));
        assertThat(t.strict(Observation.PNEUMONIA).fn()).isEqualTo(1);
        assertThat(t.lenient(Observation.PNEUMONIA).tp()).isEqualTo(1);
        assertThat(t.errors()).singleElement().satisfies(e -> {
            assertThat(e.strict()).isEqualTo("FN");
            assertThat(e.lenient()).isEqualTo("ok");
        });
    }
}
