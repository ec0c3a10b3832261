package org.cxr.label.eval;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.cxr.events.Observation;
import org.cxr.label.domain.LabelCell;
import org.cxr.label.domain.LabelledRow;

/**
 * The "present" task against positive-only gold (Open-i MeSH, NegBio's 14-class file): an
 * observation counts as predicted present when the label is 1.0 (strict) or 1.0/-1.0 (lenient,
 * the sensitivity analysis). Where the gold's finding is one the CheXpert rules make uncertain
 * (vascular congestion coded as edema, labeler-reference.md §B), -1.0 counts as present in the
 * strict task too. Records every disagreement for error analysis.
 */
public final class PresentTask {
    /**
     * One disagreement in the strict or the lenient task: strict/lenient are "FP", "FN" or "ok".
     */
    public record Error(String id, Observation observation, String strict, String lenient, LabelCell predicted) {
    }

    private final Set<Observation> classes;
    private final Map<Observation, Counts> strict = new EnumMap<>(Observation.class);
    private final Map<Observation, Counts> lenient = new EnumMap<>(Observation.class);
    private final List<Error> errors = new ArrayList<>();
    private int reports;

    public PresentTask(Set<Observation> classes) {
        this.classes = classes;
        for (Observation o : classes) {
            strict.put(o, new Counts());
            lenient.put(o, new Counts());
        }
    }

    public void add(String id, Set<Observation> gold, LabelledRow predicted) {
        add(id, gold, Set.of(), predicted);
    }

    /** uncertainCounts: gold observations for which -1.0 counts as present in the strict task. */
    public void add(String id, Set<Observation> gold, Set<Observation> uncertainCounts, LabelledRow predicted) {
        reports++;
        for (Observation o : classes) {
            LabelCell v = predicted.get(o);
            boolean g = gold.contains(o);
            boolean p = v == LabelCell.POSITIVE || (g && uncertainCounts.contains(o) && v == LabelCell.UNCERTAIN);
            boolean pl = p || v == LabelCell.UNCERTAIN;
            strict.get(o).add(g, p);
            lenient.get(o).add(g, pl);
            if (g != p || g != pl) {
                errors.add(new Error(id, o, verdict(g, p), verdict(g, pl), v));
            }
        }
    }

    private static String verdict(boolean gold, boolean predicted) {
        return gold == predicted ? "ok" : predicted ? "FP" : "FN";
    }

    public int reports() {
        return reports;
    }

    public Set<Observation> classes() {
        return classes;
    }

    public Counts strict(Observation o) {
        return strict.get(o);
    }

    public Counts lenient(Observation o) {
        return lenient.get(o);
    }

    /** Disagreements of the strict or the lenient task. */
    public List<Error> errors() {
        return errors;
    }

    /** Mean F1 over the given classes (strict or lenient); NaN classes count as 0. */
    public double macroF1(Set<Observation> over, boolean lenientTask) {
        double sum = 0;
        for (Observation o : over) {
            double f = (lenientTask ? lenient : strict).get(o).f1();
            sum += Double.isNaN(f) ? 0 : f;
        }
        return sum / over.size();
    }
}
