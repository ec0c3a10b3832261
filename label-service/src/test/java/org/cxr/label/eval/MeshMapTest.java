package org.cxr.label.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.cxr.events.Observation;
import org.junit.jupiter.api.Test;

class MeshMapTest {
    private final MeshMap map = MeshMap.bundled();

    @Test
    void mapsTermsAndQualifierRules() {
        assertThat(map.present("normal")).containsExactly(Observation.NO_FINDING);
        assertThat(map.present("Cardiomegaly/borderline;Pulmonary Artery/enlarged")).containsExactly(Observation.CARDIOMEGALY);
        assertThat(map.present("Cardiac Shadow/enlarged/mild")).containsExactly(Observation.CARDIOMEGALY);
        assertThat(map.present("Cardiac Shadow/borderline")).isEmpty();
        assertThat(map.present("Nodule/lung/upper lobe/left")).containsExactly(Observation.LUNG_LESION);
        assertThat(map.present("Nodule/pleura/left")).isEmpty();
        assertThat(map.present("Mass/breast/large")).isEmpty();
        assertThat(map.present("Thickening/pleura/apex;Markings/lung/interstitial/chronic"))
                .containsExactlyInAnyOrder(Observation.PLEURAL_OTHER, Observation.LUNG_OPACITY);
        assertThat(map.present("Markings/bronchovascular")).isEmpty();
        // air and fluid in the pleural space: both observations
        assertThat(map.present("Hydropneumothorax/left/large")).containsExactlyInAnyOrder(Observation.PNEUMOTHORAX,
                Observation.PLEURAL_EFFUSION);
        assertThat(map.present("Hemopneumothorax/right")).containsExactlyInAnyOrder(Observation.PNEUMOTHORAX,
                Observation.PLEURAL_EFFUSION);
        assertThat(map.present("Calcified Granuloma/lung")).isEmpty();
        assertThat(map.present("No Indexing")).isEmpty();
        // a round opacity in the lung is a nodule; over a rib it is not
        assertThat(map.present("Opacity/lung/middle lobe/right/round")).containsExactlyInAnyOrder(Observation.LUNG_OPACITY,
                Observation.LUNG_LESION);
        assertThat(map.present("Opacity/ribs/right/posterior/round")).containsExactly(Observation.LUNG_OPACITY);
    }

    @Test
    void congestionAloneLetsAnUncertainEdemaCount() {
        assertThat(map.uncertainCounts("Cardiomegaly;Pulmonary Congestion/mild")).containsExactly(Observation.EDEMA);
        // coded as edema as well: a positive edema is needed
        assertThat(map.uncertainCounts("Pulmonary Congestion;Pulmonary Edema/interstitial")).isEmpty();
        assertThat(map.uncertainCounts("Cardiomegaly")).isEmpty();
    }

    @Test
    void rejectsUnknownObservations() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MeshMap.parse("Nodule\t*\tLung Nodule\n"))
                .hasMessageContaining("unknown observation");
    }
}
