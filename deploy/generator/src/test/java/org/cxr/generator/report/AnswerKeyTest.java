package org.cxr.generator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.cxr.events.Observation;
import org.cxr.events.ReportSection;
import org.junit.jupiter.api.Test;

/** The combination rules of the two labelers, on hand-made sentence declarations. */
class AnswerKeyTest {
    private static ReportTemplates.Template sentence(boolean other, ReportTemplates.Vote... votes) {
        return new ReportTemplates.Template(0, EnumSet.allOf(ReportTemplates.Section.class), List.of(votes), other,
                Set.of(), false, "x.");
    }

    private static ReportTemplates.Vote v(Observation o, int value) {
        return new ReportTemplates.Vote(o, value);
    }

    @Test
    void negativeAndUncertainDifferBetweenTheLabelers() {
        AnswerKey k = AnswerKey.of(ReportSection.IMPRESSION, List.of(
                sentence(false, v(Observation.PNEUMOTHORAX, 0), v(Observation.PNEUMOTHORAX, -1))));
        assertThat(k.chexpert().get(Observation.PNEUMOTHORAX)).isEqualTo(-1.0);
        assertThat(k.negbio().get(Observation.PNEUMOTHORAX)).isEqualTo(0.0);
        // an uncertain mention blocks No Finding in both styles, even where NegBio's value is 0
        assertThat(k.chexpert().get(Observation.NO_FINDING)).isNull();
        assertThat(k.negbio().get(Observation.NO_FINDING)).isNull();
    }

    @Test
    void positiveWinsOverNegativeAndOverUncertain() {
        AnswerKey k = AnswerKey.of(ReportSection.FINDINGS, List.of(
                sentence(false, v(Observation.PLEURAL_EFFUSION, 1)), sentence(false, v(Observation.PLEURAL_EFFUSION, 0)),
                sentence(false, v(Observation.EDEMA, -1)), sentence(false, v(Observation.EDEMA, 1))));
        for (var vector : List.of(k.chexpert(), k.negbio())) {
            assertThat(vector.get(Observation.PLEURAL_EFFUSION)).isEqualTo(1.0);
            assertThat(vector.get(Observation.EDEMA)).isEqualTo(1.0);
            assertThat(vector.get(Observation.ATELECTASIS)).isNull();
        }
    }

    @Test
    void noFindingIgnoresSupportDevicesAndNegationsButNotOtherFindingsInCheXpert() {
        AnswerKey devices = AnswerKey.of(ReportSection.IMPRESSION, List.of(
                sentence(false, v(Observation.SUPPORT_DEVICES, 1)), sentence(false, v(Observation.PNEUMOTHORAX, 0))));
        assertThat(devices.chexpert().get(Observation.NO_FINDING)).isEqualTo(1.0);
        assertThat(devices.negbio().get(Observation.NO_FINDING)).isEqualTo(1.0);

        AnswerKey emphysema = AnswerKey.of(ReportSection.IMPRESSION, List.of(sentence(true)));
        assertThat(emphysema.chexpert().get(Observation.NO_FINDING)).isNull();
        assertThat(emphysema.negbio().get(Observation.NO_FINDING)).isEqualTo(1.0);

        AnswerKey fracture = AnswerKey.of(ReportSection.IMPRESSION, List.of(sentence(false, v(Observation.FRACTURE, -1))));
        assertThat(fracture.chexpert().get(Observation.NO_FINDING)).isNull();

        AnswerKey empty = AnswerKey.of(ReportSection.LAST_PARAGRAPH, List.of(sentence(false)));
        assertThat(empty.chexpert().get(Observation.NO_FINDING)).isEqualTo(1.0);
        assertThat(empty.section()).isEqualTo(ReportSection.LAST_PARAGRAPH);
    }

    @Test
    void threeValuesForOneObservationAreRefused() {
        assertThatThrownBy(() -> AnswerKey.of(ReportSection.IMPRESSION, List.of(sentence(false,
                v(Observation.EDEMA, 1), v(Observation.EDEMA, 0), v(Observation.EDEMA, -1)))))
                .isInstanceOf(IllegalStateException.class);
    }
}
