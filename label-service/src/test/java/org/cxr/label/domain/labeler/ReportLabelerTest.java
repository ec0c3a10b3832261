package org.cxr.label.domain.labeler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cxr.events.Observation.ATELECTASIS;
import static org.cxr.events.Observation.CARDIOMEGALY;
import static org.cxr.events.Observation.CONSOLIDATION;
import static org.cxr.events.Observation.EDEMA;
import static org.cxr.events.Observation.ENLARGED_CARDIOMEDIASTINUM;
import static org.cxr.events.Observation.FRACTURE;
import static org.cxr.events.Observation.LUNG_LESION;
import static org.cxr.events.Observation.LUNG_OPACITY;
import static org.cxr.events.Observation.NO_FINDING;
import static org.cxr.events.Observation.PLEURAL_EFFUSION;
import static org.cxr.events.Observation.PNEUMONIA;
import static org.cxr.events.Observation.PNEUMOTHORAX;
import static org.cxr.events.Observation.SUPPORT_DEVICES;

import org.cxr.events.Observation;
import org.cxr.label.domain.Assertion;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;
import org.cxr.label.domain.Style;
import org.cxr.label.domain.rules.RuleSet;
import org.junit.jupiter.api.Test;

/** Behaviour of the rules as a clinician would state it; sentences written for these tests. */
class ReportLabelerTest {
    private static final ReportLabeler LABELER = new ReportLabeler(RuleSet.bundled());

    private static LabelledRow chexpert(String text) {
        return LABELER.label(text).chexpert();
    }

    private static LabelledRow negbio(String text) {
        return LABELER.label(text).negbio();
    }

    private static String cell(LabelledRow v, Observation o) {
        return v.get(o).cell();
    }

    @Test
    void negationCoversAListAndStopsAtATerminator() {
        LabelledRow v = chexpert("No focal consolidation, pleural effusion, or pneumothorax.");
        assertThat(cell(v, CONSOLIDATION)).isEqualTo("0.0");
        assertThat(cell(v, PLEURAL_EFFUSION)).isEqualTo("0.0");
        assertThat(cell(v, PNEUMOTHORAX)).isEqualTo("0.0");
        LabelledRow w = chexpert("No pneumothorax, but there is a small right pleural effusion.");
        assertThat(cell(w, PNEUMOTHORAX)).isEqualTo("0.0");
        assertThat(cell(w, PLEURAL_EFFUSION)).isEqualTo("1.0");
    }

    @Test
    void aListOfFindingsSharesItsTrigger() {
        // the list is longer than the trigger's window in plain words
        LabelledRow v = chexpert("Consolidation, atelectasis, and costophrenic angle blunting in the left lower lobe have cleared.");
        assertThat(cell(v, CONSOLIDATION)).isEqualTo("0.0");
        assertThat(cell(v, ATELECTASIS)).isEqualTo("0.0");
        LabelledRow w = chexpert("Findings could represent resolving histoplasmosis infection, sarcoidosis, or malignancy such as lymphoma "
                + "or primary lung cancer.");
        assertThat(cell(w, LUNG_LESION)).isEqualTo("-1.0");
        assertThat(cell(w, PNEUMONIA)).isEqualTo("-1.0");
        // plain words still use up the window
        assertThat(cell(chexpert("Possible tiny left apical lucency that on the lateral view is a rib fracture."), FRACTURE))
                .isEqualTo("1.0");
    }

    @Test
    void postTriggersNegateWhatPrecedes() {
        assertThat(cell(chexpert("The left pleural effusion has resolved."), PLEURAL_EFFUSION)).isEqualTo("0.0");
        assertThat(cell(chexpert("A pneumothorax is not seen."), PNEUMOTHORAX)).isEqualTo("0.0");
        assertThat(cell(chexpert("The chest tube has been removed."), SUPPORT_DEVICES)).isEqualTo("0.0");
        assertThat(cell(chexpert("Interval removal of the right chest tube."), SUPPORT_DEVICES)).isEqualTo("0.0");
    }

    @Test
    void hedgesGiveUncertainInBothStyles() {
        for (String s : new String[] {"Possible early pneumonia.", "Findings suspicious for pneumonia.",
            "Pneumonia cannot be excluded.", "Cannot exclude pneumonia.", "Opacity may represent pneumonia.",
            "Right basilar pneumonia is not excluded."}) {
            assertThat(cell(chexpert(s), PNEUMONIA)).as(s).isEqualTo("-1.0");
            assertThat(cell(negbio(s), PNEUMONIA)).as(s).isEqualTo("-1.0");
        }
        assertThat(cell(chexpert("Left lower lobe opacity consistent with pneumonia."), PNEUMONIA)).isEqualTo("1.0");
    }

    @Test
    void hedgesOfAgeOrOfTheOtherSideAreNotHedgesOfPresence() {
        assertThat(cell(chexpert("Age-indeterminate fracture of the right lateral 9th rib."), FRACTURE)).isEqualTo("1.0");
        assertThat(cell(chexpert("Left 6th rib fracture of indeterminate age."), FRACTURE)).isEqualTo("1.0");
        assertThat(cell(chexpert("Indeterminate lucency, possibly a fracture."), FRACTURE)).isEqualTo("-1.0");
        assertThat(cell(chexpert("Effusion on the right, none on the left."), PLEURAL_EFFUSION)).isEqualTo("1.0");
        assertThat(cell(chexpert("Pleural effusion: none."), PLEURAL_EFFUSION)).isEqualTo("0.0");
    }

    @Test
    void moreHedges() {
        assertThat(cell(chexpert("Malignancy cannot be confidently excluded."), LUNG_LESION)).isEqualTo("-1.0");
        assertThat(cell(chexpert("The previously noted small nodule in the right lower lung is not well seen today."), LUNG_LESION))
                .isEqualTo("-1.0");
        assertThat(cell(chexpert("Right middle lobe opacity, pneumonia in the appropriate clinical setting."), PNEUMONIA))
                .isEqualTo("-1.0");
        LabelledRow v = chexpert("Left basilar opacity, atelectasis favored over pneumonia.");
        assertThat(cell(v, ATELECTASIS)).isEqualTo("-1.0");
        assertThat(cell(v, PNEUMONIA)).isEqualTo("-1.0");
        assertThat(cell(negbio("Small left effusion, if any."), PLEURAL_EFFUSION)).isEqualTo("-1.0");
    }

    @Test
    void noNewIsUncertainForCheXpertAndNegativeForNegBio() {
        assertThat(cell(chexpert("No new consolidation."), CONSOLIDATION)).isEqualTo("-1.0");
        assertThat(cell(negbio("No new consolidation."), CONSOLIDATION)).isEqualTo("0.0");
    }

    @Test
    void twoObservationsJoinedByOrAreBothUncertain() {
        LabelledRow v = chexpert("Left basilar atelectasis or pneumonia.");
        assertThat(cell(v, ATELECTASIS)).isEqualTo("-1.0");
        assertThat(cell(v, PNEUMONIA)).isEqualTo("-1.0");
        LabelledRow w = chexpert("Atelectasis versus consolidation in the right lower lobe.");
        assertThat(cell(w, ATELECTASIS)).isEqualTo("-1.0");
        assertThat(cell(w, CONSOLIDATION)).isEqualTo("-1.0");
        // one observation named twice is not an alternative
        assertThat(cell(chexpert("Small left pleural effusion/hemothorax."), PLEURAL_EFFUSION)).isEqualTo("1.0");
        // negation comes first
        assertThat(cell(chexpert("No atelectasis or pneumonia."), PNEUMONIA)).isEqualTo("0.0");
    }

    @Test
    void heartSizeDescriptorsTakeTheirQualifier() {
        assertThat(cell(chexpert("Heart size is normal."), CARDIOMEGALY)).isEqualTo("0.0");
        assertThat(cell(chexpert("The heart is mildly enlarged."), CARDIOMEGALY)).isEqualTo("1.0");
        assertThat(cell(chexpert("Heart size is not significantly enlarged."), CARDIOMEGALY)).isEqualTo("0.0");
        assertThat(cell(chexpert("Stable heart size."), CARDIOMEGALY)).isEqualTo("-1.0");
        assertThat(cell(chexpert("Heart size is normal and stable."), CARDIOMEGALY)).isEqualTo("0.0");
        assertThat(cell(chexpert("Borderline cardiomegaly."), CARDIOMEGALY)).isEqualTo("-1.0");
        assertThat(cell(chexpert("Heart size is top normal."), CARDIOMEGALY)).isEqualTo("0.0");
        assertThat(cell(chexpert("Heart size moderately enlarged, stable mediastinal contours."), ENLARGED_CARDIOMEDIASTINUM))
                .isEqualTo("-1.0");
        // anatomy without a qualifier, or the heart as a place, is no mention
        assertThat(cell(chexpert("Pacemaker leads project over the heart."), CARDIOMEGALY)).isEmpty();
        assertThat(cell(chexpert("The heart and lungs were imaged."), CARDIOMEGALY)).isEmpty();
    }

    @Test
    void heartFailureMakesCardiomegalyUncertain() {
        LabelledRow v = chexpert("Mild congestive heart failure.");
        assertThat(cell(v, EDEMA)).isEqualTo("1.0");
        assertThat(cell(v, CARDIOMEGALY)).isEqualTo("-1.0");
        LabelledRow w = chexpert("No evidence of CHF.");
        assertThat(cell(w, EDEMA)).isEqualTo("0.0");
        assertThat(cell(w, CARDIOMEGALY)).isEmpty();
        assertThat(cell(chexpert("Cardiomegaly with mild CHF."), CARDIOMEGALY)).isEqualTo("1.0");
    }

    @Test
    void stylesCombineNegativeAndUncertainDifferently() {
        String text = "No pneumonia on the right. Possible pneumonia at the left base.";
        assertThat(cell(chexpert(text), PNEUMONIA)).isEqualTo("-1.0");
        assertThat(cell(negbio(text), PNEUMONIA)).isEqualTo("0.0");
        String positive = "Right lower lobe pneumonia. No pneumonia on the left. Possible pneumonia in the lingula.";
        assertThat(cell(chexpert(positive), PNEUMONIA)).isEqualTo("1.0");
        assertThat(cell(negbio(positive), PNEUMONIA)).isEqualTo("1.0");
    }

    @Test
    void noFindingIsOneOrBlankAndOnlyCheXpertCountsOtherFindings() {
        assertThat(cell(chexpert("No acute cardiopulmonary process."), NO_FINDING)).isEqualTo("1.0");
        assertThat(cell(chexpert("No effusion. Heart size normal."), NO_FINDING)).isEqualTo("1.0");
        assertThat(cell(chexpert("Right PICC tip in the SVC. Lungs are clear."), NO_FINDING)).isEqualTo("1.0");
        assertThat(cell(chexpert("Possible small effusion."), NO_FINDING)).isEmpty();
        assertThat(cell(chexpert("Healed left rib fracture."), NO_FINDING)).isEmpty();
        assertThat(cell(chexpert("Emphysema. No acute process."), NO_FINDING)).isEmpty();
        assertThat(cell(negbio("Emphysema. No acute process."), NO_FINDING)).isEqualTo("1.0");
        assertThat(cell(chexpert("No emphysema."), NO_FINDING)).isEqualTo("1.0");
        // negative + uncertain blocks No Finding only where it combines to uncertain
        String mixed = "No effusion on the right. Possible small left effusion.";
        assertThat(cell(chexpert(mixed), NO_FINDING)).isEmpty();
        assertThat(cell(negbio(mixed), NO_FINDING)).isEqualTo("1.0");
    }

    @Test
    void exclusionsAndPseudoTriggers() {
        assertThat(cell(chexpert("Small pericardial effusion."), PLEURAL_EFFUSION)).isEmpty();
        assertThat(cell(chexpert("No change in the small left pleural effusion."), PLEURAL_EFFUSION)).isEqualTo("1.0");
        assertThat(cell(chexpert("No suspicious pulmonary nodules."), LUNG_LESION)).isEqualTo("0.0");
        assertThat(cell(chexpert("There is no pleural line to suggest pneumothorax."), PNEUMOTHORAX)).isEqualTo("0.0");
        assertThat(cell(chexpert("Calcified granuloma in the right upper lobe."), LUNG_LESION)).isEmpty();
        assertThat(cell(chexpert("Sequela of prior granulomatous infection."), PNEUMONIA)).isEmpty();
        assertThat(cell(chexpert("Scarring at the left base."), LUNG_OPACITY)).isEqualTo("1.0");
        assertThat(cell(chexpert("Pleural scarring at the left apex."), LUNG_OPACITY)).isEmpty();
        assertThat(cell(chexpert("Plate-like atelectasis at the left base."), SUPPORT_DEVICES)).isEmpty();
        assertThat(cell(chexpert("Anterior mediastinal mass."), LUNG_LESION)).isEmpty();
        assertThat(cell(chexpert("Anterior mediastinal mass."), NO_FINDING)).isEmpty();
        assertThat(cell(chexpert("The lung volumes are low normal. The lungs are clear."), NO_FINDING)).isEqualTo("1.0");
        assertThat(cell(chexpert("Mild dextroscoliosis. The lungs are clear."), NO_FINDING)).isEmpty();
    }

    @Test
    void pleuralAirAndFluidTogetherAreBothFindings() {
        for (String s : new String[] {"Large left hydropneumothorax.", "Bilateral hydropneumothoraces.", "Right hemopneumothorax."}) {
            assertThat(cell(chexpert(s), PLEURAL_EFFUSION)).as(s).isEqualTo("1.0");
            assertThat(cell(chexpert(s), PNEUMOTHORAX)).as(s).isEqualTo("1.0");
        }
        assertThat(cell(chexpert("Small amount of fluid in the pleural space."), PLEURAL_EFFUSION)).isEqualTo("1.0");
        assertThat(cell(chexpert("Unchanged loculated right pleural fusion."), PLEURAL_EFFUSION)).isEqualTo("1.0");
    }

    @Test
    void everyMentionNamesTheRuleThatDecidedIt() {
        LabelOutcome o = LABELER.label("No pneumothorax.");
        assertThat(o.mentions()).singleElement().satisfies(m -> {
            assertThat(m.assertion(Style.CHEXPERT)).isEqualTo(Assertion.NEGATIVE);
            assertThat(m.cue(Style.CHEXPERT)).startsWith("triggers.txt:").endsWith(" no");
        });
        assertThat(LABELER.label("Mild fracture deformity.").chexpert().get(FRACTURE)).isEqualTo(LabelCell.POSITIVE);
    }

    @Test
    void mentionOffsetsPointAtTheTextAsWritten() {
        String text = "1. Small LEFT pleural\n   Effusion and/or Atelectasis.  2. No pneumothorax/air space\n disease.";
        LabelOutcome o = LABELER.label(text);
        assertThat(o.mentions()).extracting(m -> text.substring(m.start(), m.end()))
                .containsExactly("Effusion", "Atelectasis", "pneumothorax", "air space\n disease");
        // what was found is the normalised form of what the offsets show
        for (Mention m : o.mentions()) {
            assertThat(text.substring(m.start(), m.end()).toLowerCase().replaceAll("\\s+", " ")).isEqualTo(m.text());
        }
    }

    @Test
    void assessesAnArbitraryTargetPhrase() {
        assertThat(LABELER.assess("Extremities reveal no peripheral cyanosis or EDEMA.", "edema", 0, Style.NEGBIO))
                .isEqualTo(Assertion.NEGATIVE);
        assertThat(LABELER.assess("The patient denies chest pain.", "chest pain", 0, Style.NEGBIO)).isEqualTo(Assertion.NEGATIVE);
        assertThat(LABELER.assess("He reports chest pain. No fever.", "chest pain", 0, Style.NEGBIO)).isEqualTo(Assertion.POSITIVE);
        assertThat(LABELER.assess("Fever resolved, but fever returned.", "fever", 1, Style.NEGBIO)).isEqualTo(Assertion.POSITIVE);
        assertThat(LABELER.assess("No rash.", "fever", 0, Style.NEGBIO)).isNull();
    }

    @Test
    void theVersionIsDerivedFromTheRuleFiles() {
        assertThat(LABELER.version()).matches("cxr-label/1\\.0 rules v1 sha256:[0-9a-f]{8}");
    }
}
