package org.cxr.generator.report;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.cxr.events.Observation;
import org.cxr.events.ReportSection;

/**
 * The odds a report is drawn with, in one place (MIMIC-CXR's figure where one is published), and the
 * draws that use them. Each draw keeps the exact call it replaced ({@code nextDouble() < p},
 * {@code nextInt(n) == 0}), so a seed gives the same reports as before the tables were named.
 */
final class ReportOdds {
    private ReportOdds() {
    }

    /** Which section is labelled: impression 83 %, findings 12 %, last paragraph 5 % (MIMIC 83.2 / 12.2 / 4.6). */
    static final Shares<ReportSection> LABELLED_SECTION = new Shares<>(
            List.of(ReportSection.IMPRESSION, ReportSection.FINDINGS, ReportSection.LAST_PARAGRAPH), 0.83, 0.95);

    // --- findings ---
    /** Share of studies with no abnormal finding drawn. */
    static final double NORMAL_STUDY = 0.30;
    /** Abnormal findings in an abnormal study: 1 (45 %), 2 (30 %), 3 (17 %), 4 (8 %). */
    static final Shares<Integer> ABNORMAL_FINDINGS = new Shares<>(List.of(1, 2, 3, 4), 0.45, 0.75, 0.92);
    /** A drawn finding is positive, else uncertain. */
    static final double POSITIVE = 0.68;
    /** A finding is said in a sentence that gives the observation two values ("small effusion, possibly larger"). */
    static final double MIXED_SENTENCE = 0.08;
    /** Observations that carry findings, with a rough share of MIMIC studies where they are positive or uncertain. */
    static final Map<Observation, Double> PREVALENCE = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.ATELECTASIS, 0.22),
            Map.entry(Observation.CARDIOMEGALY, 0.20),
            Map.entry(Observation.CONSOLIDATION, 0.06),
            Map.entry(Observation.EDEMA, 0.14),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, 0.04),
            Map.entry(Observation.FRACTURE, 0.02),
            Map.entry(Observation.LUNG_LESION, 0.03),
            Map.entry(Observation.LUNG_OPACITY, 0.22),
            Map.entry(Observation.PLEURAL_EFFUSION, 0.25),
            Map.entry(Observation.PLEURAL_OTHER, 0.01),
            Map.entry(Observation.PNEUMONIA, 0.10),
            Map.entry(Observation.PNEUMOTHORAX, 0.05)));
    /** Share of studies whose findings mention support devices, with 1 to this many sentences. */
    static final double SUPPORT_DEVICES = 0.28;
    static final int MAX_DEVICE_SENTENCES = 2;
    /** A device sentence says a device is there, else that none is. */
    static final double DEVICE_PRESENT = 0.9;
    /** Share of studies with an abnormal finding outside the 14 columns. */
    static final double OTHER_FINDING = 0.07;
    /** How often a normal-looking observation is explicitly negated in the findings. */
    static final Map<Observation, Double> NEGATED = new EnumMap<>(Map.ofEntries(
            Map.entry(Observation.PNEUMOTHORAX, 0.70),
            Map.entry(Observation.PLEURAL_EFFUSION, 0.70),
            Map.entry(Observation.CONSOLIDATION, 0.55),
            Map.entry(Observation.CARDIOMEGALY, 0.55),
            Map.entry(Observation.ENLARGED_CARDIOMEDIASTINUM, 0.40),
            Map.entry(Observation.EDEMA, 0.30),
            Map.entry(Observation.PNEUMONIA, 0.15),
            Map.entry(Observation.LUNG_OPACITY, 0.15),
            Map.entry(Observation.FRACTURE, 0.10),
            Map.entry(Observation.LUNG_LESION, 0.05),
            Map.entry(Observation.ATELECTASIS, 0.05)));
    /** Neutral sentences in the findings: 0 to this many minus one. */
    static final int NEUTRAL_SENTENCES_BOUND = 3;

    // --- impression ---
    /** An abnormal finding is restated in the impression (support devices less often). */
    static final double RESTATE_FINDING = 0.9;
    static final double RESTATE_DEVICE = 0.5;
    /** One restatement in this many uses other words than the findings' sentence, when such a sentence exists. */
    static final int REPHRASE_ONE_IN = 4;
    /** The impression adds a negation ("No pneumothorax."). */
    static final double IMPRESSION_NEGATION = 0.35;

    // --- frame ---
    /** The impression's header reads CONCLUSION in one report in this many. */
    static final int CONCLUSION_ONE_IN = 10;
    /** An abnormal impression ends with a call-back sentence in one report in this many. */
    static final int CALL_BACK_ONE_IN = 8;
    /** An impression of several sentences is numbered in one report in this many. */
    static final int NUMBERED_ONE_IN = 4;
    /** An abnormal study gets a NOTIFICATION section in one report in this many. */
    static final int NOTIFICATION_ONE_IN = 6;
    /** The indication carries the MRN in one report in this many (with PHI). */
    static final int MRN_IN_INDICATION_ONE_IN = 5;

    static boolean chance(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    static boolean oneIn(SplittableRandom r, int n) {
        return r.nextInt(n) == 0;
    }

    static <T> T pick(List<T> list, SplittableRandom r) {
        if (list.isEmpty()) {
            throw new IllegalStateException("report-templates.txt has no sentence for a required case");
        }
        return list.get(r.nextInt(list.size()));
    }

    static Observation weighted(Map<Observation, Double> weights, SplittableRandom r) {
        double total = weights.values().stream().mapToDouble(Double::doubleValue).sum();
        double x = r.nextDouble() * total;
        Observation last = null;
        for (Map.Entry<Observation, Double> e : weights.entrySet()) {
            last = e.getKey();
            x -= e.getValue();
            if (x < 0) {
                break;
            }
        }
        return last;
    }

    /**
     * Values chosen by one uniform draw: the i-th value when the draw is below {@code upTo[i]} (and
     * not below an earlier bound), the last value otherwise.
     */
    record Shares<T>(List<T> values, double... upTo) {
        Shares {
            if (values.size() != upTo.length + 1) {
                throw new IllegalArgumentException("one bound fewer than values");
            }
        }

        T draw(SplittableRandom r) {
            double u = r.nextDouble();
            for (int i = 0; i < upTo.length; i++) {
                if (u < upTo[i]) {
                    return values.get(i);
                }
            }
            return values.get(upTo.length);
        }
    }
}
