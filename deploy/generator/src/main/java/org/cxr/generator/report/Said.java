package org.cxr.generator.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.cxr.events.Observation;

/** What a section has said so far: its sentences and the values mentioned per observation. */
final class Said {
    final List<ReportTemplates.Template> sentences = new ArrayList<>();
    private final Map<Observation, Set<Integer>> values = new EnumMap<>(Observation.class);
    private boolean other;

    void addOne(List<ReportTemplates.Template> candidates, SplittableRandom r) {
        if (candidates.isEmpty()) {
            return; // nothing fits what is already said: the report simply says less
        }
        ReportTemplates.Template t = ReportOdds.pick(candidates, r);
        sentences.add(t);
        other |= t.other();
        for (ReportTemplates.Vote v : t.votes()) {
            values.computeIfAbsent(v.observation(), o -> new HashSet<>()).add(v.value());
        }
    }

    boolean mentions(Observation o) {
        return values.containsKey(o);
    }

    boolean abnormal() {
        return other || values.entrySet().stream().anyMatch(e ->
                e.getKey() != Observation.SUPPORT_DEVICES && (e.getValue().contains(1) || e.getValue().contains(-1)));
    }

    boolean hasFinding() {
        return sentences.stream().anyMatch(t -> t.other()
                || t.votes().stream().anyMatch(v -> v.value() != 0 && v.observation() != Observation.SUPPORT_DEVICES));
    }

    private boolean findingIn(Observation o) {
        Set<Integer> s = values.get(o);
        return s != null && (s.contains(1) || s.contains(-1));
    }

    /** {@code t} repeats or extends nothing that contradicts this section. */
    boolean agrees(ReportTemplates.Template t) {
        for (ReportTemplates.Vote v : t.votes()) {
            Set<Integer> s = values.get(v.observation());
            if (s != null && (!s.contains(v.value()) || t.votes().stream()
                    .filter(w -> w.observation() == v.observation()).count() > 1)) {
                return false;
            }
        }
        if (t.unlessOther() && other) {
            return false;
        }
        return t.unless().stream().noneMatch(this::findingIn);
    }

    /** Every mention of {@code t} was made, with the same value, by this (findings) section. */
    boolean covers(ReportTemplates.Template t) {
        if (t.other() && !other) {
            return false;
        }
        for (ReportTemplates.Vote v : t.votes()) {
            Set<Integer> s = values.get(v.observation());
            if (s == null || !s.contains(v.value())) {
                return false;
            }
        }
        return true;
    }
}
