package org.cxr.events;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One labeler's 14 values for a study: 1.0 positive, 0.0 negative, -1.0 uncertain, null not
 * mentioned. No Finding is only ever 1.0 or null. Serialised as an object keyed by column name.
 */
public final class LabelVector {
    private final EnumMap<Observation, Double> values;

    private LabelVector(EnumMap<Observation, Double> values) {
        this.values = values;
    }

    public static LabelVector of(Map<Observation, Double> values) {
        EnumMap<Observation, Double> m = new EnumMap<>(Observation.class);
        for (Observation o : Observation.values()) {
            Double v = values.get(o);
            if (v != null && v != 1.0 && v != 0.0 && v != -1.0) {
                throw new IllegalArgumentException(o.column() + ": label value must be 1.0, 0.0, -1.0 or empty, got " + v);
            }
            if (o == Observation.NO_FINDING && v != null && v != 1.0) {
                throw new IllegalArgumentException("No Finding is only ever 1.0 or empty, got " + v);
            }
            m.put(o, v);
        }
        return new LabelVector(m);
    }

    @JsonCreator
    static LabelVector fromJson(Map<String, Double> byColumn) {
        EnumMap<Observation, Double> m = new EnumMap<>(Observation.class);
        for (Map.Entry<String, Double> e : byColumn.entrySet()) {
            m.put(Observation.ofColumn(e.getKey()), e.getValue());
        }
        return of(m);
    }

    /** The value, or null when the observation is not mentioned. */
    public Double get(Observation o) {
        return values.get(o);
    }

    /** Column name → value (null = empty), in published column order. */
    @JsonValue
    public Map<String, Double> byColumn() {
        Map<String, Double> m = new LinkedHashMap<>();
        values.forEach((o, v) -> m.put(o.column(), v));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelVector other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return byColumn().toString();
    }
}
