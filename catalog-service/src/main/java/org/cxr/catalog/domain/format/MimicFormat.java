package org.cxr.catalog.domain.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Pattern;

/**
 * The value formats of the published MIMIC-CXR-JPG CSV files (dataset contract §3). The files were
 * written by pandas, so numbers look like Python's {@code repr(float(x))} or {@code str(int(x))};
 * the events carry the raw DICOM strings and this class turns them into exactly those cells.
 * A missing or unusable value is an empty cell.
 */
public final class MimicFormat {
    private static final Pattern DIGITS = Pattern.compile("\\d+");
    private static final Pattern SEPARATED_DATE = Pattern.compile("(\\d{4})[.\\-/](\\d{2})[.\\-/](\\d{2})");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");

    private MimicFormat() {
    }

    /**
     * StudyDate (DICOM DA) as an integer: {@code 21800506}. Accepts the old ACR-NEMA form
     * {@code 2180.05.06}; takes the first value of a multi-valued element; anything else is empty.
     */
    public static String studyDate(String raw) {
        String v = firstValue(raw);
        if (v.isEmpty()) {
            return "";
        }
        var m = SEPARATED_DATE.matcher(v);
        if (m.matches()) {
            v = m.group(1) + m.group(2) + m.group(3);
        }
        if (v.length() != 8 || !DIGITS.matcher(v).matches()) {
            return "";
        }
        return Long.toString(Long.parseLong(v));
    }

    /** {@link #studyDate} as an ISO date (yyyy-MM-dd), or null. */
    public static LocalDate studyDateValue(String raw) {
        String d = studyDate(raw);
        if (d.length() != 8) {
            return null;
        }
        try {
            return LocalDate.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                    Integer.parseInt(d.substring(6, 8)));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * StudyTime (DICOM TM) the way pandas wrote it: the value read as a float and printed with
     * Python's {@code repr}: {@code 080556.875 -> 80556.875}, {@code 080556 -> 80556.0},
     * {@code 213014.531000 -> 213014.531}. Colons of the old ACR-NEMA form {@code 08:05:56} are
     * dropped; the first value of a multi-valued element is used; anything else is empty.
     */
    public static String studyTime(String raw) {
        String v = firstValue(raw).replace(":", "");
        if (v.isEmpty() || !DECIMAL.matcher(v).matches()) {
            return "";
        }
        return pythonFloatRepr(Double.parseDouble(v));
    }

    /** A label value: {@code 1.0}, {@code 0.0}, {@code -1.0}, or empty when not mentioned. */
    public static String label(Number value) {
        if (value == null) {
            return "";
        }
        return switch (value.intValue()) {
            case 1 -> "1.0";
            case 0 -> "0.0";
            case -1 -> "-1.0";
            default -> throw new IllegalArgumentException("label value must be 1, 0, -1 or empty, got " + value);
        };
    }

    /** An integer column (Rows, Columns); empty when null. */
    public static String integer(Integer value) {
        return value == null ? "" : Integer.toString(value);
    }

    /** A text column: as read (the converter trims), empty when null. */
    public static String text(String value) {
        return value == null ? "" : value;
    }

    /**
     * Python 3's {@code repr(float)}: the shortest decimal string that reads back as the same
     * double (the closest such string when several have that length), positional for decimal
     * exponents -4..15 and with an exponent otherwise ({@code 1e+16}, {@code 5e-05}).
     */
    public static String pythonFloatRepr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(d);
        int exponent = shortest.precision() - shortest.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String s = shortest.toPlainString();
            return s.indexOf('.') >= 0 ? s : s + ".0";
        }
        String digits = shortest.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder();
        if (shortest.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            sb.append('0');
        }
        sb.append(abs);
        return sb.toString();
    }

    private static BigDecimal shortest(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int p = 1; p <= 17; p++) {
            BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (c.doubleValue() == d) {
                return c.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static String firstValue(String raw) {
        if (raw == null) {
            return "";
        }
        String v = raw;
        int bs = v.indexOf('\\');
        if (bs >= 0) {
            v = v.substring(0, bs);
        }
        return v.strip();
    }
}
