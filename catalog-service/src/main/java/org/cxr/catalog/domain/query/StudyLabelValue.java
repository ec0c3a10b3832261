package org.cxr.catalog.domain.query;

import java.util.Locale;

/** A label cell: 1.0 positive, 0.0 negative, -1.0 uncertain, empty = not mentioned. */
public enum StudyLabelValue {
    EMPTY(null, ""), POSITIVE((short) 1, "1.0"), NEGATIVE((short) 0, "0.0"), UNCERTAIN((short) -1, "-1.0");

    private final Short value;
    private final String csv;

    StudyLabelValue(Short value, String csv) {
        this.value = value;
        this.csv = csv;
    }

    /** 1, 0, -1, or null for EMPTY. */
    public Short value() {
        return value;
    }

    public String csv() {
        return csv;
    }

    /** 2-bit code used by the query index: 0 empty, 1 positive, 2 negative, 3 uncertain. */
    public int code() {
        return ordinal();
    }

    public static StudyLabelValue ofCode(int code) {
        return values()[code];
    }

    public static StudyLabelValue of(Short v) {
        if (v == null) {
            return EMPTY;
        }
        return switch (v) {
            case 1 -> POSITIVE;
            case 0 -> NEGATIVE;
            case -1 -> UNCERTAIN;
            default -> throw new IllegalArgumentException("label value must be 1, 0, -1 or empty, got " + v);
        };
    }

    /** Accepts {@code 1 1.0 0 0.0 -1 -1.0} and {@code empty} (also {@code blank}, {@code null}, {@code none}). */
    public static StudyLabelValue parse(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "1", "1.0", "positive" -> POSITIVE;
            case "0", "0.0", "negative" -> NEGATIVE;
            case "-1", "-1.0", "uncertain" -> UNCERTAIN;
            case "empty", "blank", "null", "none", "nan" -> EMPTY;
            default -> throw new IllegalArgumentException(
                    "label value must be one of 1, 0, -1 (or 1.0, 0.0, -1.0) or empty"); // input not repeated
        };
    }
}
