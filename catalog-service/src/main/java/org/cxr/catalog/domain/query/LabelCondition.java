package org.cxr.catalog.domain.query;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.cxr.events.Observation;

/** "labeler's value of observation is one of values" (a study without labels never matches). */
public record LabelCondition(Labeler labeler, Observation observation, Set<StudyLabelValue> values) {
    public LabelCondition {
        values = values.isEmpty() ? EnumSet.noneOf(StudyLabelValue.class) : EnumSet.copyOf(values);
    }

    /**
     * An observation by its column name, case-insensitive, with spaces, underscores or dashes
     * ({@code Pleural Effusion}, {@code pleural_effusion}, {@code PLEURAL-EFFUSION}).
     */
    public static Observation observation(String name) {
        String n = normalise(name);
        for (Observation o : Observation.values()) {
            if (normalise(o.column()).equals(n)) {
                return o;
            }
        }
        throw new IllegalArgumentException("not a label column"); // input not repeated: it may be anything
    }

    private static String normalise(String s) {
        return s.strip().toLowerCase(Locale.ROOT).replace('_', ' ').replace('-', ' ').replaceAll("\\s+", " ");
    }
}
