package org.cxr.label.domain;

/** One cell of a label file: 1.0 positive, 0.0 negative, -1.0 uncertain, empty = not mentioned. */
public enum LabelCell {
    POSITIVE("1.0"),
    NEGATIVE("0.0"),
    UNCERTAIN("-1.0"),
    BLANK("");

    private final String cell;

    LabelCell(String cell) {
        this.cell = cell;
    }

    /** The value as written in the published CSV files. */
    public String cell() {
        return cell;
    }

    /** Parses a cell of a label CSV ("1.0", "1", "-1", "0.0", "" ...). */
    public static LabelCell parse(String cell) {
        String s = cell == null ? "" : cell.trim();
        if (s.isEmpty()) {
            return BLANK;
        }
        double d = Double.parseDouble(s);
        if (d == 1.0) {
            return POSITIVE;
        }
        if (d == 0.0) {
            return NEGATIVE;
        }
        if (d == -1.0) {
            return UNCERTAIN;
        }
        throw new IllegalArgumentException("not a label value: " + cell);
    }
}
