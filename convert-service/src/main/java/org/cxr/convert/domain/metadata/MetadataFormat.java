package org.cxr.convert.domain.metadata;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

import org.cxr.convert.domain.InstanceIds;
import org.cxr.events.ImageMetadata;

/**
 * The published value formats of mimic-cxr-2.0.0-metadata.csv (dataset-contract §3): the
 * DICOM strings become the cell texts a pandas user of MIMIC-CXR-JPG sees. Missing or unusable
 * values give an empty cell.
 */
public final class MetadataFormat {
    /** Column names, in order. */
    public static final List<String> COLUMNS = List.of("dicom_id", "subject_id", "study_id",
            "PerformedProcedureStepDescription", "ViewPosition", "Rows", "Columns", "StudyDate", "StudyTime",
            "ProcedureCodeSequence_CodeMeaning", "ViewCodeSequence_CodeMeaning",
            "PatientOrientationCodeSequence_CodeMeaning");

    private MetadataFormat() {
    }

    /** The 12 cells of one image's row. */
    public static List<String> row(InstanceIds ids, ImageMetadata m) {
        return List.of(text(ids.dicomId()), text(ids.subjectId()), text(ids.studyId()),
                text(m.performedProcedureStepDescription()), text(m.viewPosition()),
                Integer.toString(m.rows()), Integer.toString(m.columns()),
                studyDate(m.studyDate()), studyTime(m.studyTime()), text(m.procedureCodeSequenceCodeMeaning()),
                text(m.viewCodeSequenceCodeMeaning()), text(m.patientOrientationCodeSequenceCodeMeaning()));
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    /**
     * DA as an integer: "21800506" gives "21800506". The old ACR-NEMA form "2180.05.06" is read
     * without its separators. Anything else that is not all digits gives "".
     */
    public static String studyDate(String da) {
        if (da == null) {
            return "";
        }
        String s = da.trim();
        if (s.length() == 10 && (s.charAt(4) == '.' || s.charAt(4) == '-') && s.charAt(7) == s.charAt(4)) {
            s = s.substring(0, 4) + s.substring(5, 7) + s.substring(8);
        }
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(Character::isDigit)) {
            return "";
        }
        return Long.toString(Long.parseLong(s));
    }

    /**
     * TM as Python prints {@code float(value)}: leading zeros are lost and the text is the shortest
     * that reads back as the same double, with ".0" when integral: "080556" gives "80556.0",
     * "213014.531" gives "213014.531", "080556.875000" gives "80556.875". The old form "08:05:56"
     * is read without its colons. Anything that is not a plain decimal number gives "".
     */
    public static String studyTime(String tm) {
        if (tm == null) {
            return "";
        }
        String s = tm.trim().replace(":", "");
        if (s.isEmpty() || !s.matches("\\d+(\\.\\d*)?|\\.\\d+")) {
            return "";
        }
        return pythonFloatRepr(Double.parseDouble(s));
    }

    /** Python's repr of a float in 1e-4 <= |d| < 1e16 (or 0): shortest round-trip digits, plain notation. */
    static String pythonFloatRepr(double d) {
        if (d == 0) {
            return "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(r.toString()) == d) {
                shortest = r;
                break;
            }
        }
        String plain = shortest.stripTrailingZeros().toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }
}
