package org.cxr.generator.report;

import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.cxr.events.LabelVector;
import org.cxr.events.Observation;
import org.cxr.events.ReportSection;

/**
 * The labels a correct labeler gives a generated report, derived from the declarations of the
 * sentences in the labelled section (dataset contract §4–§5, labeler-reference A.1/A.2):
 * <ul>
 * <li>per observation, the mentions' values combine as: CheXpert — negative and uncertain present →
 * uncertain (-1), else any positive → 1, else the single value; NegBio — any positive → 1, else any
 * negative → 0 (negative + uncertain → negative), else -1;</li>
 * <li>No Finding is 1.0 unless a mention of an observation other than Support Devices is positive or
 * uncertain (judged per mention, as both labelers do: a negative+uncertain observation blocks it
 * even where NegBio's value is 0); an abnormal finding outside the 14 also blocks it in the CheXpert
 * style only; otherwise it is empty, never 0.</li>
 * </ul>
 *
 * @param section which part of the report is labelled
 */
public record AnswerKey(ReportSection section, LabelVector chexpert, LabelVector negbio) {

    static AnswerKey of(ReportSection section, Collection<ReportTemplates.Template> labelled) {
        Map<Observation, Set<Integer>> votes = new EnumMap<>(Observation.class);
        boolean finding = false;
        boolean other = false;
        for (ReportTemplates.Template t : labelled) {
            other |= t.other();
            for (ReportTemplates.Vote v : t.votes()) {
                votes.computeIfAbsent(v.observation(), o -> new HashSet<>()).add(v.value());
                finding |= v.value() != 0 && v.observation() != Observation.SUPPORT_DEVICES;
            }
        }
        Map<Observation, Double> chexpert = new EnumMap<>(Observation.class);
        Map<Observation, Double> negbio = new EnumMap<>(Observation.class);
        votes.forEach((o, values) -> {
            if (values.size() == 3) {
                // The published tools disagree with the contract's wording here; templates never do this.
                throw new IllegalStateException(o.column() + " has positive, negative and uncertain mentions");
            }
            boolean pos = values.contains(1);
            boolean neg = values.contains(0);
            boolean unc = values.contains(-1);
            chexpert.put(o, neg && unc ? -1.0 : pos ? 1.0 : neg ? 0.0 : -1.0);
            negbio.put(o, pos ? 1.0 : neg ? 0.0 : -1.0);
        });
        if (!finding) {
            negbio.put(Observation.NO_FINDING, 1.0);
            if (!other) {
                chexpert.put(Observation.NO_FINDING, 1.0);
            }
        }
        return new AnswerKey(section, LabelVector.of(chexpert), LabelVector.of(negbio));
    }

    /** The columns with a value (mentioned, or No Finding set) in the CheXpert-style key. */
    public Set<Observation> mentioned() {
        Set<Observation> s = EnumSet.noneOf(Observation.class);
        for (Observation o : Observation.values()) {
            if (chexpert.get(o) != null) {
                s.add(o);
            }
        }
        return s;
    }
}
