package org.cxr.catalog.domain.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;

import org.cxr.catalog.domain.split.Split;
import org.cxr.catalog.domain.split.SplitAssigner;
import org.cxr.catalog.domain.split.SplitFractions;
import org.junit.jupiter.api.Test;

class SplitAssignerTest {
    private final SplitAssigner mimic = new SplitAssigner("cxr-split-v1", SplitFractions.MIMIC_LIKE);

    @Test
    void deterministicPerSubject() {
        for (int s = 10_000_000; s < 10_002_000; s++) {
            String id = Integer.toString(s);
            assertThat(new SplitAssigner("cxr-split-v1", SplitFractions.MIMIC_LIKE).assign(id)).isEqualTo(mimic.assign(id));
        }
    }

    @Test
    void fractionsAreMetOnMimicSizedPopulation() {
        Map<Split, Integer> n = new EnumMap<>(Split.class);
        int subjects = 65_379;
        for (int i = 0; i < subjects; i++) {
            n.merge(mimic.assign(Integer.toString(10_000_000 + i * 151)), 1, Integer::sum);
        }
        assertThat(n.get(Split.TRAIN) / (double) subjects).isBetween(0.982, 0.988);
        assertThat(n.get(Split.VALIDATE) / (double) subjects).isBetween(0.0065, 0.0095);
        assertThat(n.get(Split.TEST) / (double) subjects).isBetween(0.0055, 0.0085);
    }

    @Test
    void seedChangesAssignment() {
        SplitAssigner other = new SplitAssigner("another-seed", new SplitFractions(0.5, 0.25, 0.25));
        int differ = 0;
        for (int i = 0; i < 1000; i++) {
            String id = Integer.toString(10_000_000 + i);
            if (other.assign(id) != mimic.assign(id)) {
                differ++;
            }
        }
        assertThat(differ).isGreaterThan(300);
    }

    @Test
    void uniformInUnitInterval() {
        for (int i = 0; i < 1000; i++) {
            assertThat(mimic.uniform(Integer.toString(19_999_000 + i))).isGreaterThanOrEqualTo(0).isLessThan(1);
        }
    }

    @Test
    void allToOneSplit() {
        SplitAssigner test = new SplitAssigner("s", new SplitFractions(0, 0, 1));
        assertThat(test.assign("10000032")).isEqualTo(Split.TEST);
    }

    @Test
    void invalidConfigurationIsRefused() {
        assertThatThrownBy(() -> new SplitFractions(0.9, 0.2, 0.1)).hasMessageContaining("sum to 1");
        assertThatThrownBy(() -> new SplitFractions(1.2, -0.1, -0.1)).hasMessageContaining("within [0,1]");
        assertThatThrownBy(() -> new SplitAssigner(" ", SplitFractions.MIMIC_LIKE)).hasMessageContaining("seed");
        assertThatThrownBy(() -> mimic.assign("5000")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ruleDescribesSeedAndFractions() {
        assertThat(mimic.rule()).contains("seed=cxr-split-v1").contains("train=0.985");
    }
}
