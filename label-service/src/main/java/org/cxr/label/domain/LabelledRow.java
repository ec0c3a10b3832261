package org.cxr.label.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.cxr.events.Observation;

/** The 14 label values of one study, in column order. Immutable. */
public final class LabelledRow {
    private final LabelCell[] values;

    private LabelledRow(LabelCell[] values) {
        this.values = values;
    }

    public static LabelledRow of(LabelCell[] values) {
        if (values.length != Observation.all().size()) {
            throw new IllegalArgumentException("expected 14 values, got " + values.length);
        }
        return new LabelledRow(values.clone());
    }

    public LabelCell get(Observation o) {
        return values[o.ordinal()];
    }

    /** The cells in column order ("1.0", "0.0", "-1.0" or ""). */
    public List<String> cells() {
        List<String> out = new ArrayList<>(values.length);
        for (LabelCell v : values) {
            out.add(v.cell());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelledRow other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (Observation o : Observation.all()) {
            if (values[o.ordinal()] != LabelCell.BLANK) {
                sb.append(sb.length() > 1 ? ", " : "").append(o.column()).append('=').append(values[o.ordinal()].cell());
            }
        }
        return sb.append('}').toString();
    }
}
