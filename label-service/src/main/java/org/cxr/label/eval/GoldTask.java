package org.cxr.label.eval;

import java.util.EnumMap;
import java.util.Map;

import org.cxr.events.Observation;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;

/**
 * Scoring against a gold file with 1/0/-1/blank labels, with the protocol of the MIMIC-CXR
 * validation notebook (labeler-reference.md §A.6): mention = any of 1/0/-1 vs blank;
 * negation = 0 vs everything else; uncertain = -1 vs everything else; over all reports.
 * Positive (1 vs everything else) is added for completeness.
 */
public final class GoldTask {
    public enum Kind {
        MENTION,
        NEGATION,
        UNCERTAIN,
        POSITIVE
    }

    private final Map<Kind, Map<Observation, Counts>> counts = new EnumMap<>(Kind.class);
    private int reports;

    public GoldTask() {
        for (Kind k : Kind.values()) {
            Map<Observation, Counts> m = new EnumMap<>(Observation.class);
            for (Observation o : Observation.all()) {
                m.put(o, new Counts());
            }
            counts.put(k, m);
        }
    }

    public void add(LabelledRow gold, LabelledRow predicted) {
        reports++;
        for (Observation o : Observation.all()) {
            LabelCell g = gold.get(o);
            LabelCell p = predicted.get(o);
            counts.get(Kind.MENTION).get(o).add(g != LabelCell.BLANK, p != LabelCell.BLANK);
            counts.get(Kind.NEGATION).get(o).add(g == LabelCell.NEGATIVE, p == LabelCell.NEGATIVE);
            counts.get(Kind.UNCERTAIN).get(o).add(g == LabelCell.UNCERTAIN, p == LabelCell.UNCERTAIN);
            counts.get(Kind.POSITIVE).get(o).add(g == LabelCell.POSITIVE, p == LabelCell.POSITIVE);
        }
    }

    public Counts counts(Kind kind, Observation o) {
        return counts.get(kind).get(o);
    }

    public int reports() {
        return reports;
    }

    /**
     * Mean F1 of one task over the classes the gold has labels of that kind for (No Finding has
     * no negation or uncertain labels; a class the gold never marks uncertain has no uncertainty
     * F1); a class with gold labels but no prediction counts as 0.
     */
    public double macroF1(Kind kind) {
        double sum = 0;
        int n = 0;
        for (Observation o : Observation.all()) {
            Counts c = counts(kind, o);
            if (c.support() > 0) {
                sum += c.tp() == 0 ? 0 : c.f1();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** How many classes {@link #macroF1} averages. */
    public int definedClasses(Kind kind) {
        int n = 0;
        for (Observation o : Observation.all()) {
            n += counts(kind, o).support() > 0 ? 1 : 0;
        }
        return n;
    }
}
