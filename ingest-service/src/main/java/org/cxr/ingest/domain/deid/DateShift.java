package org.cxr.ingest.domain.deid;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Shifts DICOM dates by a subject's offset in days (chronology and intervals preserved; times are
 * not shifted, as in MIMIC). Returns null for a value that is not a valid date: the caller then
 * empties the attribute rather than keep an unrecognised date.
 */
public final class DateShift {
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private DateShift() {
    }

    /** DA: YYYYMMDD (also the retired YYYY.MM.DD); multiple values separated by backslash. */
    public static String date(String value, int offsetDays) {
        if (value == null || value.isBlank()) {
            return value;
        }
        StringBuilder sb = new StringBuilder();
        for (String v : value.split("\\\\", -1)) {
            String d = v.trim().replace(".", "");
            String shifted = shiftYmd(d, offsetDays);
            if (shifted == null) {
                return null;
            }
            sb.append(sb.length() > 0 ? "\\" : "").append(shifted);
        }
        return sb.toString();
    }

    /** DT: YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]; the date part is shifted, the rest kept. */
    public static String dateTime(String value, int offsetDays) {
        if (value == null || value.isBlank()) {
            return value;
        }
        StringBuilder sb = new StringBuilder();
        for (String v : value.split("\\\\", -1)) {
            String t = v.trim();
            int digits = 0;
            while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
                digits++;
            }
            if (digits < 4) {
                return null;
            }
            String shifted;
            if (digits >= 8) {
                String d = shiftYmd(t.substring(0, 8), offsetDays);
                if (d == null) {
                    return null;
                }
                shifted = d + t.substring(8);
            } else {
                // reduced precision (year or year+month): shift the first day of the period, keep the precision
                String pad = digits >= 6 ? t.substring(0, 6) + "01" : t.substring(0, 4) + "0101";
                String d = shiftYmd(pad, offsetDays);
                if (d == null) {
                    return null;
                }
                shifted = d.substring(0, digits >= 6 ? 6 : 4) + t.substring(digits >= 6 ? 6 : 4);
            }
            sb.append(sb.length() > 0 ? "\\" : "").append(shifted);
        }
        return sb.toString();
    }

    private static String shiftYmd(String ymd, int offsetDays) {
        if (ymd.length() != 8) {
            return null;
        }
        try {
            return LocalDate.parse(ymd, DA).plusDays(offsetDays).format(DA);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
