package org.cxr.label.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.cxr.events.Observation;
import org.junit.jupiter.api.Test;

class GoldCsvTest {
    @Test
    void labelHeadersMatchWhateverTheirCaseSpacingOrAbbreviation() {
        assertThat(GoldCsv.observation("Airspace Opacity")).isEqualTo(Observation.LUNG_OPACITY);
        assertThat(GoldCsv.observation("Enlarged Cardiom.")).isEqualTo(Observation.ENLARGED_CARDIOMEDIASTINUM);
        assertThat(GoldCsv.observation("pleural_effusion")).isEqualTo(Observation.PLEURAL_EFFUSION);
        assertThat(GoldCsv.observation(" NO FINDING ")).isEqualTo(Observation.NO_FINDING);
        assertThat(GoldCsv.observation("Lung Lesion")).isEqualTo(Observation.LUNG_LESION);
        // "Pleura" starts two columns, "Lung" is too short to be taken for one; ids and texts are not labels
        assertThat(GoldCsv.observation("Pleura")).isNull();
        assertThat(GoldCsv.observation("Lung")).isNull();
        assertThat(GoldCsv.observation("Report Impression")).isNull();
    }

    @Test
    void everyObservationNeedsExactlyOneColumn() {
        assertThatThrownBy(() -> GoldCsv.labelColumns(List.of("id", "Edema", "Pneumonia"), "x.csv"))
                .hasMessageContaining("no column for [").hasMessageContaining("Atelectasis");
        assertThatThrownBy(() -> GoldCsv.labelColumns(List.of("Lung Opacity", "Airspace Opacity"), "x.csv"))
                .hasMessageContaining("are both Lung Opacity");
    }
}
