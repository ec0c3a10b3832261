package org.cxr.label.eval;

import java.util.EnumMap;
import java.util.Map;

import org.cxr.events.Observation;

/**
 * The CheXpert labeler's mention F1 on the 687 radiologist-labelled MIMIC-CXR reports
 * (MIT-LCP/mimic-cxr txt/validation, quoted in labeler-reference.md §A.6): the bar per class.
 */
public final class Published {
    public static final Map<Observation, Double> CHEXPERT_MENTION_F1 = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.NO_FINDING, 0.543),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, 0.462),
            Map.entry(Observation.CARDIOMEGALY, 0.859),
            Map.entry(Observation.LUNG_LESION, 0.855),
            Map.entry(Observation.LUNG_OPACITY, 0.800),
            Map.entry(Observation.EDEMA, 0.888),
            Map.entry(Observation.CONSOLIDATION, 0.930),
            Map.entry(Observation.PNEUMONIA, 0.957),
            Map.entry(Observation.ATELECTASIS, 0.944),
            Map.entry(Observation.PNEUMOTHORAX, 0.970),
            Map.entry(Observation.PLEURAL_EFFUSION, 0.973),
            Map.entry(Observation.PLEURAL_OTHER, 0.592),
            Map.entry(Observation.FRACTURE, 0.904),
            Map.entry(Observation.SUPPORT_DEVICES, 0.880)));

    /** NegBio's No Finding mention F1 on the same set (its other classes are "nearly identical"). */
    public static final double NEGBIO_NO_FINDING_F1 = 0.531;

    /** GenNegEx v1.2 negation F1 on the NegEx test kit. */
    public static final double GENNEGEX_F1 = 0.946;

    private Published() {
    }
}
